"""Full-text search over Incident.search_text (PostgreSQL only)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_scale_list_keys")]

    operations = []
