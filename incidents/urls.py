from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.incident_report, name="report"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/edit/", views.incident_edit, name="edit"),
]
