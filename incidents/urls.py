"""Every page's URL, in one list; each view lives in its feature's package."""

from django.urls import path

from incidents.accounts import views as accounts
from incidents.desk import views as desk
from incidents.drafts import views as drafts
from incidents.escalation import views as escalation
from incidents.evidence import views as evidence
from incidents.insight import views as insight
from incidents.insight.dashboard import views as dashboard
from incidents.prevention import views as prevention
from incidents.relay import views as relay
from incidents.reports import views as reports

app_name = "incidents"
urlpatterns = [
    path("", insight.incident_list, name="list"),
    path("report/", reports.incident_report, name="report"),
    path("<int:incident_id>/", reports.incident_detail, name="detail"),
    path("<int:incident_id>/edit/", reports.incident_edit, name="edit"),
    path("account/", accounts.account, name="account"),
    path("pending/<int:pending_id>/", desk.pending_report, name="pending"),
    path("<int:incident_id>/evidence/", evidence.evidence_add, name="evidence_add"),
    path("<int:incident_id>/evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence"),
    path("export/", insight.incident_export, name="export"),
    path("before-you-send/", prevention.precheck, name="precheck"),
    path("before-you-send/kept/<int:kept_id>/", prevention.kept_check, name="kept_check"),
    path("before-you-send/kept/<int:kept_id>/delete/", prevention.kept_check_delete, name="kept_check_delete"),
    path("<int:incident_id>/acknowledge/", escalation.incident_acknowledge, name="acknowledge"),
    path("<int:incident_id>/take-over/", escalation.incident_take_over, name="take_over"),
    path("<int:incident_id>/resolve/", escalation.incident_resolve, name="resolve"),
    path("<int:incident_id>/escalate/", escalation.incident_escalate, name="escalate"),
    path("<int:incident_id>/close-escalation/", escalation.incident_close_escalation, name="close_escalation"),
    path("triage/", escalation.triage_queue, name="triage"),
    path("legal/", escalation.legal_queue, name="legal"),
    path("inbox/", escalation.inbox, name="inbox"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("<int:incident_id>/drafts/<str:key>/", drafts.draft_detail, name="draft"),
    path("<int:incident_id>/drafts/<str:key>/eml/", drafts.draft_eml, name="draft_eml"),
    path("<int:incident_id>/drafts/<str:key>/save/", drafts.draft_save, name="draft_save"),
    path("<int:incident_id>/drafts/<str:key>/sent/", drafts.draft_mark_sent, name="draft_sent"),
    path("<int:incident_id>/drafts/<str:key>/send/", drafts.draft_send, name="draft_send"),
    path("<int:incident_id>/drafts/<str:key>/decision/", drafts.draft_decide, name="draft_decision"),
    path("held/", relay.held_list, name="held_list"),
    path("held/<int:held_id>/", relay.held_detail, name="held"),
    path("held/<int:held_id>/send-now/", relay.held_send_now, name="held_send_now"),
    path("held/<int:held_id>/cancel/", relay.held_cancel, name="held_cancel"),
    path("held/<int:held_id>/report/", relay.held_report, name="held_report"),
]
