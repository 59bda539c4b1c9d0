"""Who may see an incident beyond its reporter and team managers, as two columns: routed to, or
escalated to, managers or legal (once true, always true). Lists used to ask per row whether an
escalation existed, which PostgreSQL answered by hashing every escalation on each request."""
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def fill_audiences(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    Escalation = apps.get_model("incidents", "Escalation")
    for route, flag in (("manager", "manager_audience"), ("legal", "legal_audience")):
        escalated = Exists(Escalation.objects.filter(incident=OuterRef("pk"), route=route))
        Incident.objects.filter(Q(**{f"route_{route}": True}) | Q(escalated)).update(**{flag: True})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0018_list_indexes")]

    operations = [
        migrations.AddField(model_name="incident", name="manager_audience",
                            field=models.BooleanField(default=False, editable=False)),
        migrations.AddField(model_name="incident", name="legal_audience",
                            field=models.BooleanField(default=False, editable=False)),
        migrations.RunPython(fill_audiences, migrations.RunPython.noop),
    ]
