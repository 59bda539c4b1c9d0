from decimal import Decimal

from django.db import migrations


def create_default_policies(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Policy = apps.get_model("incidents", "EscalationPolicy")
    Level = apps.get_model("incidents", "EscalationLevel")
    managers, legal = Group.objects.get(name="Manager"), Group.objects.get(name="Legal")
    if not Policy.objects.filter(route="manager").exists():
        policy = Policy.objects.create(name="Managers", route="manager", repeat=1)
        Level.objects.create(policy=policy, position=0, delay_minutes=Decimal(15), notify_reporter_team_managers=True)
        Level.objects.create(policy=policy, position=1, delay_minutes=Decimal(15)).groups.add(managers)
    if not Policy.objects.filter(route="legal").exists():
        policy = Policy.objects.create(name="Legal", route="legal", repeat=1)
        Level.objects.create(policy=policy, position=0, delay_minutes=Decimal(30)).groups.add(legal)
        second = Level.objects.create(policy=policy, position=1, delay_minutes=Decimal(30), notify_reporter_team_managers=True)
        second.groups.add(legal, managers)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_escalation"), ("incidents", "0002_role_groups")]

    operations = [migrations.RunPython(create_default_policies, migrations.RunPython.noop)]
