"""Filing costs a small, fixed number of queries, and the directory is read once per filing."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Escalation, Incident
from tests.factories import file_incident

SHAPES = {
    "two-routes-firm-quote-to-two-clients": dict(
        to=["buyer@acme-trading.com", "li.wei@globex.com.cn"],
        attachments=["Quotation_Q-1.pdf"],
        quoted_price=Decimal("80"),
        correct_price=Decimal("100"),
        currency="USD",
        firm_offer=True,
    ),
    "personal-data-to-a-competitor": dict(to=["eve@rival-exports.com"], problems=["wrong_recipient", "personal_data"]),
    "internal-only": dict(to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]),
    "harsh-tone-to-a-client": dict(
        to=["buyer@acme-trading.com"], intended=["buyer@acme-trading.com"], problems=["tone"]
    ),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_filing_takes_under_20_queries_and_reads_the_directory_once(directory, employee, manager, legal, shape):
    # A serving process looks the audited models' content types up once (the audit entries name them).
    ContentType.objects.get_for_models(Incident, Escalation)
    with CaptureQueriesContext(connection) as captured:
        file_incident(employee, **shape)
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) < 20, "\n".join(sql)
    assert sum('FROM "incidents_maildomain"' in q for q in sql) == 1
