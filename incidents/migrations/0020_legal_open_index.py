"""Legal's queue reads only legal's unresolved incidents, in deadline order."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("incidents", "0019_incident_audiences")]

    operations = [
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                condition=models.Q(("legal_audience", True), models.Q(("status", "resolved"), _negated=True)),
                fields=["regulatory_deadline", "-created_at", "-id"], name="incident_legal_open",
            ),
        ),
    ]
