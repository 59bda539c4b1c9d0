"""Indexes measured at 100,000 incidents: an employee's list without a tie-breaking sort, the open
part of the history on its own, and triage's count of failed notifications per escalation (which
otherwise read every failed notification for each row)."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("incidents", "0017_dashboard_rollups")]

    operations = [
        migrations.RemoveIndex(model_name="incident", name="incidents_i_reporte_a0ccd7_idx"),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["reporter", "-created_at", "-id"], name="incident_reporter_newest"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(condition=models.Q(("status", "resolved"), _negated=True),
                               fields=["-created_at", "-id"], name="incident_unresolved_newest"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["escalation", "status"], name="notification_escalation_status"),
        ),
    ]
