"""Pages without an exact count: the lists count up to a cap ("1,000+ incidents", "Page 3"), with
Previous, Next and First; the API says count_is_capped. The queries stay the same whatever the size."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Incident
from incidents.web import paging
from tests.factories import file_incident


def copies(incident, n: int) -> None:
    Incident.objects.bulk_create(
        [
            Incident(
                **{f.attname: getattr(incident, f.attname) for f in Incident._meta.concrete_fields if f.attname != "id"}
            )
            for _ in range(n)
        ]
    )


@pytest.fixture
def five(directory, employee):
    incident = file_incident(employee)
    copies(incident, 4)
    return incident


@pytest.mark.parametrize("cap,count,capped", [(10, 5, False), (5, 5, False), (4, 4, True), (1, 1, True)])
def test_the_count_stops_at_the_cap(five, cap, count, capped):
    assert paging.capped_count(Incident.objects.all(), cap) == (count, capped)


@pytest.mark.parametrize("raw,number", [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("9" * 30, 1)])
def test_a_page_number_that_is_not_one_is_the_first_page(raw, number):
    assert paging.page_number(raw) == number


@pytest.mark.parametrize(
    "cap,page,rows,total,more,shown",
    [
        (100, "1", 2, 3, True, "Page 1 of 3"),
        (100, "3", 1, 3, False, "Page 3 of 3"),
        (100, "9", 1, 3, False, "Page 3 of 3"),  # past the end, with an exact count: the last page
        (3, "2", 2, None, True, "Page 2"),  # capped: no total
        (3, "9", 0, None, False, "Page 9"),  # capped and past the end: empty, with links back
    ],
)
def test_capped_pages(five, cap, page, rows, total, more, shown):
    request = RequestFactory().get("/incidents/", {"page": page, "q": "acme", "severity": ["high", "low"]})
    result = paging.capped_page(Incident.objects.all(), request, per_page=2, cap=cap)
    assert len(result.object_list) == rows
    assert result.num_pages == total
    assert result.has_next() is more
    assert result.next_link == f"?q=acme&severity=high&severity=low&page={result.number + 1}"
    assert result.first_link == "?q=acme&severity=high&severity=low"


def test_the_list_says_n_plus_past_the_cap(client, five, employee, settings):
    settings.MISSEND_LIST_COUNT_CAP = 3
    client.force_login(employee)
    html = client.get(reverse("incidents:list")).content.decode()
    assert "3+ incidents" in html
    settings.MISSEND_LIST_COUNT_CAP = 1000
    html = client.get(reverse("incidents:list")).content.decode()
    assert "5 incidents" in html and "+ incidents" not in html


def test_a_capped_list_shows_page_numbers_without_a_total_and_previous_next_first(
    client, directory, employee, settings
):
    settings.MISSEND_LIST_COUNT_CAP = 60
    copies(file_incident(employee), 150)
    client.force_login(employee)
    html = client.get(reverse("incidents:list") + "?page=3&status=open").content.decode()
    assert "60+ incidents" in html
    assert "Page 3<" in html and "Page 3 of" not in html
    assert 'href="?status=open&amp;page=2">Previous' in html
    assert 'href="?status=open&amp;page=4">Next' in html
    assert 'href="?status=open">First page' in html


@pytest.mark.parametrize("url", ["incidents:list", "incidents:triage", "incidents:legal"])
def test_the_lists_use_the_same_number_of_queries_below_and_past_the_cap(
    client, directory, employee, superuser, settings, url
):
    settings.MISSEND_LIST_COUNT_CAP = 5
    incident = file_incident(employee, problems=["wrong_recipient", "personal_data"])  # escalated to managers and legal
    client.force_login(superuser)

    def queries(parameters="") -> int:
        client.get(reverse(url) + parameters)  # the directory's choices copied (filters.directory_choices)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url) + parameters).status_code == 200
        return len(captured)

    few, few_filtered = queries(), queries("?severity=high&q=acme&sort=-severity")
    for _ in range(7):
        file_incident(employee, problems=["wrong_recipient", "personal_data"])
    assert "5+" in client.get(reverse(url)).content.decode()
    assert (queries(), queries("?severity=high&q=acme&sort=-severity")) == (few, few_filtered)
    assert incident.severity == "high"


def test_the_api_caps_its_count_and_says_so(client, five, employee, settings):
    settings.MISSEND_LIST_COUNT_CAP = 3
    client.force_login(employee)
    body = client.get("/api/incidents/?limit=2&offset=2").json()
    assert (body["count"], body["count_is_capped"]) == (3, True)
    assert len(body["results"]) == 2
    assert body["next"].endswith("limit=2&offset=4")  # more rows exist whatever the capped count says
    last = client.get("/api/incidents/?limit=2&offset=4").json()
    assert len(last["results"]) == 1 and last["next"] is None
    settings.MISSEND_LIST_COUNT_CAP = 1000
    body = client.get("/api/incidents/").json()
    assert (body["count"], body["count_is_capped"]) == (5, False)


def test_the_api_schema_documents_count_is_capped(client, employee):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    listed = schema["components"]["schemas"]["PaginatedIncidentOutList"]
    assert listed["properties"]["count_is_capped"]["type"] == "boolean"
    parameters = {p["name"] for p in schema["paths"]["/api/incidents/"]["get"]["parameters"]}
    assert {
        "q",
        "severity",
        "status",
        "route",
        "team",
        "organisation",
        "factor",
        "mail_system",
        "reported_from",
        "reported_to",
        "sort",
        "limit",
        "offset",
    } <= parameters


def test_a_search_counts_only_to_the_end_of_the_page_it_shows(client, directory, employee):
    """A common word matches most of the history: the page says "5+" and offers the next page instead
    of testing a thousand rows; the last page's count is exact. Same for the API."""
    from django.test import RequestFactory

    from incidents.access import incidents_visible_to
    from incidents.web.paging import capped_page

    for n in range(7):
        file_incident(employee, subject=f"Quotation {n} for Acme")
    file_incident(employee, subject="Order for Globex")
    searched = incidents_visible_to(employee).filter(subject__contains="Quotation").order_by("-id")

    def page(query: str):
        return capped_page(searched, RequestFactory().get("/incidents/" + query), per_page=5)

    first, second = page("?q=quotation"), page("?q=quotation&page=2")
    assert (first.count, first.count_is_capped, first.more) == (5, True, True)
    assert (second.count, second.count_is_capped, len(second.object_list)) == (7, False, 2)
    assert (page("?q=%20").count, page("").count) == (7, 7)  # not searching: the usual cap

    client.force_login(employee)
    api = client.get("/api/incidents/?q=quotation&limit=5").json()
    assert (api["count"], api["count_is_capped"], len(api["results"])) == (5, True, 5) and api["next"]
    last = client.get("/api/incidents/?q=quotation&limit=5&offset=5").json()
    assert (last["count"], last["count_is_capped"], len(last["results"]), last["next"]) == (7, False, 2, None)
    assert client.get("/api/incidents/?limit=5").json()["count"] == 8


@pytest.mark.parametrize("url", ["/incidents/?q=quotation", "/api/incidents/?q=quotation&limit=5"])
def test_a_search_counts_along_the_lists_own_order(client, directory, employee, url):
    """A searched count stops at the end of the page; counted in the list's order, the database walks
    the list's index and stops there. Unordered, PostgreSQL counted a common word through its full-text
    index, building a bitmap of every match in the history (10 ms at 100,000 incidents for 51 rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        file_incident(employee, subject=f"Quotation {n} for Acme")
    client.force_login(employee)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    counts = [q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) FROM (SELECT "incidents_incident"')]
    assert len(counts) == 1 and "ORDER BY" in counts[0], counts
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url.replace("q=quotation", "q=")).status_code == 200
    counts = [q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) FROM (SELECT "incidents_incident"')]
    assert len(counts) == 1 and "ORDER BY" not in counts[0], counts  # a capped count of the whole list needs none
