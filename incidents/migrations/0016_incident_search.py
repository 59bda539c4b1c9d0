"""Find and filter: full-text search over Incident.search_text (a GIN index, PostgreSQL only), and
indexes for the severity filter read newest first and the sorts by severity and by sent date (both
databases).

The GIN index is built from ``incidents.insight.search.search_document``, the very expression the search
box queries, so the planner matches it. SQLite has no full-text index here: its search reads
``search_text`` with LIKE (see incidents/insight/search.py) and this operation does nothing there.
"""
from django.db import migrations, models

import incidents.models.expressions

SEARCH_INDEX = "incident_search"


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from incidents.insight.search import search_document

    Incident = apps.get_model("incidents", "Incident")
    schema_editor.add_index(Incident, GinIndex(search_document("search_text"), name=SEARCH_INDEX))


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(SEARCH_INDEX)}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_scale_list_keys")]

    operations = [
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["severity", "-created_at", "-id"], name="incident_severity_newest"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(incidents.models.expressions.SeverityRank().desc(), models.F("created_at").desc(), models.F("id").desc(),
                               name="incident_severity_rank_newest"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["-sent_at", "-id"], name="incident_sent_newest"),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
