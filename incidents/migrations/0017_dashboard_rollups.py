"""Dashboard rollups."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0016_incident_search")]

    operations = []
