"""Lists read an index range, not the whole table: the plans, checked on the database in use.

PostgreSQL picks a sequential scan for a tiny test table whatever the indexes, so there the
test turns sequential scans off: what is asserted is that a usable index exists for the query
as written (an OR over unrelated columns would still have no index to use).
"""
import pytest
from django.db import connection

from incidents import selectors

from .factories import file_incident


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


@pytest.fixture
def filed(directory, employee, other_employee):
    for _ in range(3):
        file_incident(employee)
        file_incident(other_employee)


def test_an_employees_incident_list_reads_their_own_index_range(filed, employee):
    explained = plan(selectors.incident_list(employee)[:50])
    if connection.vendor == "postgresql":
        # On a tiny table PostgreSQL may take either index on reporter_id; what matters is that one serves.
        assert "Seq Scan on incidents_incident" not in explained, explained
        assert "Index Cond: (reporter_id = " in explained or "incidents_i_reporte_a0ccd7_idx" in explained, explained
        return
    assert "incidents_i_reporte_a0ccd7_idx" in explained, explained
    if connection.vendor == "sqlite":
        # Not an OR over several indexes whose rows must all be read and sorted to find the first 50.
        assert "MULTI-INDEX OR" not in explained and "TEMP B-TREE FOR ORDER BY" not in explained, explained
