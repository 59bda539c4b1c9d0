from django.urls import path

from incidents import views
from incidents.views.account import account
from incidents.views.dashboard import dashboard
from incidents.views.evidence import evidence_add, evidence_download
from incidents.views.export import incident_export
from incidents.views.pending import pending_report
from incidents.views.precheck import kept_check, kept_check_delete, precheck

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.incident_report, name="report"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/edit/", views.incident_edit, name="edit"),
    path("account/", account, name="account"),
    path("pending/<int:pending_id>/", pending_report, name="pending"),
    path("<int:incident_id>/evidence/", evidence_add, name="evidence_add"),
    path("<int:incident_id>/evidence/<int:evidence_id>/", evidence_download, name="evidence"),
    path("export/", incident_export, name="export"),
    path("before-you-send/", precheck, name="precheck"),
    path("before-you-send/kept/<int:kept_id>/", kept_check, name="kept_check"),
    path("before-you-send/kept/<int:kept_id>/delete/", kept_check_delete, name="kept_check_delete"),
]
urlpatterns += [
    path("<int:incident_id>/acknowledge/", views.incident_acknowledge, name="acknowledge"),
    path("<int:incident_id>/take-over/", views.incident_take_over, name="take_over"),
    path("<int:incident_id>/resolve/", views.incident_resolve, name="resolve"),
    path("<int:incident_id>/escalate/", views.incident_escalate, name="escalate"),
    path("<int:incident_id>/close-escalation/", views.incident_close_escalation, name="close_escalation"),
    path("triage/", views.triage_queue, name="triage"),
    path("legal/", views.legal_queue, name="legal"),
    path("inbox/", views.inbox, name="inbox"),
    path("dashboard/", dashboard, name="dashboard"),
    path("<int:incident_id>/drafts/<str:key>/", views.draft_detail, name="draft"),
    path("<int:incident_id>/drafts/<str:key>/eml/", views.draft_eml, name="draft_eml"),
    path("<int:incident_id>/drafts/<str:key>/save/", views.draft_save, name="draft_save"),
    path("<int:incident_id>/drafts/<str:key>/sent/", views.draft_mark_sent, name="draft_sent"),
    path("<int:incident_id>/drafts/<str:key>/send/", views.draft_send, name="draft_send"),
    path("<int:incident_id>/drafts/<str:key>/decision/", views.draft_decide, name="draft_decision"),
]

from incidents.views import relay as relay_views  # noqa: E402

urlpatterns += [
    path("held/", relay_views.held_list, name="held_list"),
    path("held/<int:held_id>/", relay_views.held_detail, name="held"),
    path("held/<int:held_id>/send-now/", relay_views.held_send_now, name="held_send_now"),
    path("held/<int:held_id>/cancel/", relay_views.held_cancel, name="held_cancel"),
    path("held/<int:held_id>/report/", relay_views.held_report, name="held_report"),
]
