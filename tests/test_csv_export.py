"""The filtered list as CSV: streamed, BOM, header, formula guard, Chinese intact, filters and visibility
applied, the same number of queries for 10 and 300 rows, on the page and the API."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.insight import export
from incidents.models import Incident
from tests.factories import file_incident

PAGE_EXPORT = reverse("incidents:export")
API_EXPORT = "/api/incidents/export/"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def copies(incident, n: int) -> None:
    """n more rows like ``incident`` (the CSV reads rows, not how they were filed)."""
    Incident.objects.bulk_create(
        [
            Incident(
                **{f.attname: getattr(incident, f.attname) for f in Incident._meta.concrete_fields if f.attname != "id"}
            )
            for _ in range(n)
        ]
    )


@pytest.mark.parametrize("url", [PAGE_EXPORT, API_EXPORT])
def test_the_export_streams_a_csv_with_bom_header_and_the_users_rows(client, directory, employee, url):
    incident = file_incident(employee, subject="报价单 Q-7：太阳能电池片")
    client.force_login(employee)
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="incidents-')
    rows = read_csv(response)
    assert rows[0][:3] == ["ID", "Reported at (UTC)", "Sent at (UTC)"]
    assert rows[0][3:] == [
        "Severity",
        "Status",
        "Routed to",
        "Team",
        "Reporter",
        "Subject",
        "Organisations",
        "Factors",
        "Mail system",
        "Regulatory deadline (UTC)",
        "Resolved at (UTC)",
    ]
    assert len(rows) == 2
    row = dict(zip(export.COLUMNS, rows[1]))
    assert row["id"] == str(incident.pk)
    assert row["subject"] == "报价单 Q-7：太阳能电池片"
    assert row["severity"] == incident.get_severity_display()
    assert row["team"] == "Export Sales"
    assert row["organisations"] == "Acme Trading; Globex China"
    assert "Another client received it" in row["factors"]
    assert row["mail_system"] == "Microsoft 365 / Outlook"
    assert row["reported_at"] == incident.created_at.strftime("%Y-%m-%d %H:%M")


def test_the_csv_speaks_the_readers_language_and_time_zone(client, directory, employee):
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from incidents.models import Profile

    incident = file_incident(employee, subject="报价单")
    Profile.objects.update_or_create(user=employee, defaults={"time_zone": "Asia/Shanghai", "language": "zh-hans"})
    client.force_login(employee)
    rows = read_csv(client.get(PAGE_EXPORT))
    with translation.override("zh-hans"):
        severity = translation.gettext("Severity")
    assert severity != "Severity" and rows[0][3] == severity  # words looked up before streaming starts
    assert "Asia/Shanghai" in rows[0][1]
    shanghai = incident.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert rows[1][1] == shanghai


@pytest.mark.parametrize(
    "subject,cell",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 price", "'+1 price"),
        ("-5% discount", "'-5% discount"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Plain subject", "Plain subject"),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(client, directory, employee, subject, cell):
    file_incident(employee, subject=subject)
    client.force_login(employee)
    rows = read_csv(client.get(PAGE_EXPORT))
    assert rows[1][export.COLUMNS.index("subject")] == cell


@pytest.mark.parametrize("value,guarded", [("=1+1", "'=1+1"), ("\tx", "'\tx"), ("a=b", "a=b"), ("", "")])
def test_the_formula_guard(value, guarded):
    assert export.guarded(value) == guarded


@pytest.mark.parametrize("url", [PAGE_EXPORT, API_EXPORT])
def test_the_export_has_the_lists_filters(client, directory, employee, url):
    keep = file_incident(
        employee, subject="Payroll March", problems=["wrong_recipient", "personal_data"], mail_system="qq"
    )
    file_incident(employee, subject="Order for Acme")
    client.force_login(employee)
    rows = read_csv(client.get(url + "?mail_system=qq&factor=personal_data_external&q=payroll"))
    assert [r[0] for r in rows[1:]] == [str(keep.pk)]


@pytest.mark.parametrize(
    "role,seen",
    [
        ("employee", {"own"}),
        ("other_employee", {"other"}),
        ("manager", {"own", "other"}),
        ("legal", {"other"}),
        ("other_manager", {"other"}),
    ],
)
@pytest.mark.parametrize("url", [PAGE_EXPORT, API_EXPORT])
def test_the_export_has_only_what_the_user_may_see(
    client, directory, employee, other_employee, request, role, seen, url
):
    rows = {
        "own": file_incident(employee, subject="Lunch menu", to=["colleague@ourco.com"], intended=["friend@ourco.com"]),
        "other": file_incident(other_employee, subject="Payroll", problems=["wrong_recipient", "personal_data"]),
    }
    client.force_login(request.getfixturevalue(role))
    ids = {r[0] for r in read_csv(client.get(url + "?q="))[1:]}
    assert ids == {str(rows[name].pk) for name in seen}


def test_a_bad_filter_sends_the_page_export_back_to_the_list_with_the_error(client, directory, employee):
    client.force_login(employee)
    response = client.get(PAGE_EXPORT + "?reported_from=2026-13-45")
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:list") + "?reported_from=2026-13-45"


def test_a_bad_filter_is_400_from_the_api_export(client, directory, employee):
    client.force_login(employee)
    response = client.get(API_EXPORT + "?severity=urgent")
    assert response.status_code == 400
    assert list(response.json()) == ["severity"]


@pytest.mark.parametrize("url", [PAGE_EXPORT, API_EXPORT])
def test_the_export_uses_the_same_number_of_queries_for_10_and_300_rows(client, directory, employee, manager, url):
    incident = file_incident(employee)
    copies(incident, 9)
    client.force_login(manager)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            lines = len(read_csv(client.get(url + "?severity=medium&severity=high"))) - 1
        return lines, len(captured)

    ten, ten_queries = queries()
    copies(incident, 290)
    three_hundred, many_queries = queries()
    assert (ten, three_hundred) == (10, 300)
    assert many_queries == ten_queries


def test_rows_are_read_in_chunks_not_all_at_once(directory, employee):
    for _ in range(3):
        file_incident(employee)
    rows = export.export_rows(Incident.objects.all())
    assert not isinstance(rows, (list, tuple))  # an iterator over the database's chunks
    assert len(list(rows)) == 3
