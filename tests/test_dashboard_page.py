"""The dashboard page through HTTP: who may open it, figures of exactly what each viewer may see, filters in
the URL, both languages, self-contained SVG, freshness from the beat task, and a constant query count.

/incidents/dashboard/ (incidents/insight/dashboard/views.py) reads the rollups that `manage.py dashboard_rollups`
and the task incidents.refresh_dashboard keep (incidents/insight/dashboard/services.py).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.access import incidents_visible_to
from incidents.escalation import services as escalations
from incidents.insight.dashboard import services as store
from incidents.insight.dashboard import tasks
from incidents.models import Incident, PostIncidentReview, Profile, Team
from incidents.review.rules import Review
from incidents.review.selectors import review_counts
from tests.factories import UserFactory, file_incident

URL = "/incidents/dashboard/"

REPORTS = {  # the engine's verdicts are checked where they are filed
    "low": {"to": ["colleague@ourco.com"], "intended": ["team@ourco.com"], "problems": ["wrong_content"]},
    "medium_legal": {
        "to": ["buyer@acme-trading.com"],
        "intended": ["buyer@acme-trading.com"],
        "problems": ["wrong_price"],
        "quoted_price": Decimal("95"),
        "correct_price": Decimal("100"),
        "currency": "USD",
    },
    "high_manager": {"attachments": ["Quotation_Q-1.pdf"]},
}


def filed(reporter, kind, **overrides):
    incident = file_incident(reporter, **{**REPORTS[kind], **overrides})
    expected = {
        "low": ("low", False, False),
        "medium_legal": ("medium", False, True),
        "high_manager": ("high", True, False),
    }[kind]
    assert (incident.severity, incident.route_manager, incident.route_legal) == expected
    return incident


@pytest.fixture
def world(directory, team, employee, manager, other_manager, legal, superuser, other_employee):
    """Export Sales: erin, managed by max (also in Manager). Imports: olaf, managed by tina (in no group).
    mona is in Manager and manages no team; lena is Legal; both report one incident of their own."""
    imports = Team.objects.create(name="Imports")
    imports.members.add(other_employee)
    tina = UserFactory(username="tina")
    tina.groups.add(Group.objects.get(name="Employee"))
    imports.managers.add(tina)
    incidents = {
        "erin_low": filed(employee, "low"),
        "erin_high": filed(employee, "high_manager"),
        "olaf_legal": filed(other_employee, "medium_legal"),
        "olaf_low": filed(other_employee, "low"),
        "lena_own": filed(legal, "low"),
        "mona_own": filed(other_manager, "low"),
    }
    store.rebuild()
    cache.clear()
    return {"imports": imports, "tina": tina, "incidents": incidents}


def page(client, user, query="", **headers):
    client.force_login(user)
    response = client.get(URL + query, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def total(html) -> int:
    return int(BeautifulSoup(html, "html.parser").find(id="dashboard-total")["data-incidents"])


def table(html, key) -> dict[str, dict[str, str]]:
    """A panel's table as {row heading: {column heading: cell}}, the whole period's row too."""
    soup = BeautifulSoup(html, "html.parser").find(id=f"dashboard-{key}").find("table")
    columns = [th.get_text(strip=True) for th in soup.find("thead").find_all("th")][1:]
    rows = {}
    for tr in soup.find_all("tr")[1:]:
        heading = tr.find("th").get_text(strip=True)
        rows[heading] = dict(zip(columns, [td.get_text(strip=True) for td in tr.find_all("td")]))
    return rows


def test_employees_who_manage_no_team_get_403_and_no_link(client, world, employee):
    client.force_login(employee)
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/incidents/").content.decode()


@pytest.mark.parametrize("who", ["manager", "other_manager", "legal", "superuser", "tina"])
def test_managers_team_managers_legal_and_superusers_open_it_from_the_navigation(client, world, who, request):
    user = world["tina"] if who == "tina" else request.getfixturevalue(who)
    client.force_login(user)
    assert f'href="{URL}"' in client.get("/incidents/").content.decode()
    assert client.get(URL).status_code == 200


# (viewer, incidents counted, severities counted)
SEEN = [
    ("superuser", 6, {"Low": "4", "Medium": "1", "High": "1"}),
    ("manager", 2, {"Low": "1", "Medium": "0", "High": "1"}),  # his team's two; not olaf's legal-only one
    ("other_manager", 2, {"Low": "1", "Medium": "0", "High": "1"}),  # managers' route, and her own (no team)
    ("legal", 2, {"Low": "1", "Medium": "1", "High": "0"}),  # legal's route, and her own (no team)
    ("tina", 2, {"Low": "1", "Medium": "1", "High": "0"}),  # her team's, whatever the route
]


@pytest.mark.parametrize("who,count,severities", SEEN)
def test_the_figures_count_exactly_the_incidents_the_viewer_may_see(client, world, who, count, severities, request):
    user = world["tina"] if who == "tina" else request.getfixturevalue(who)
    html = page(client, user)
    assert total(html) == count == incidents_visible_to(user).count()
    whole = table(html, "severity")["Whole period"]
    assert {name: whole[name] for name in severities} == severities
    assert whole["Total"] == str(count)


def test_figures_per_person_only_for_the_teams_the_viewer_manages(
    client, world, manager, superuser, other_manager, legal
):
    mine = page(client, manager)
    people = table(mine, "people")
    assert list(people) == ["erin"] and people["erin"]["Incidents"] == "2"
    theirs = page(client, world["tina"])
    assert list(table(theirs, "people")) == ["olaf"]
    for user in (superuser, other_manager, legal):
        html = page(client, user)
        assert 'id="dashboard-people"' not in html and "erin" not in html and "olaf" not in html
    teams = table(page(client, superuser), "teams")
    assert teams["Export Sales"]["Incidents"] == "2" and teams["Imports"]["Incidents"] == "2"
    assert teams["No team"]["Incidents"] == "2"


def test_filters_in_the_url_narrow_the_figures(client, world, superuser, manager):
    imports = world["imports"]
    assert total(page(client, superuser, f"?team={imports.pk}")) == 2
    assert total(page(client, superuser, "?severity=low")) == 4
    assert total(page(client, manager, "?severity=high")) == 1
    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    assert total(page(client, superuser, f"?since={today - timedelta(days=30)}&until={today - timedelta(days=1)}")) == 0
    html = page(client, superuser, f"?since={today}&until={today}&team={imports.pk}&severity=medium")
    assert total(html) == 1
    assert f'value="{today}"' in html and f'<option value="{imports.pk}" selected>' in html


# (query, field, error)
BAD_FILTERS = [
    ("?since=2026-13-45", "since", "Enter a valid date."),
    ("?until=yesterday", "until", "Enter a valid date."),
    ("?team=abc", "team", "Select a valid choice."),
    ("?team=999999", "team", "Select a valid choice."),
    ("?severity=catastrophic", "severity", "Select a valid choice."),
    ("?since=2026-11-30&until=2026-11-01", "since", "The start date is after the end date."),
    ("?since=2000-01-01&until=2026-11-01", "since", "Choose at most five years."),
]


@pytest.mark.parametrize("query,field,error", BAD_FILTERS)
def test_bad_filter_values_give_field_errors_and_keep_what_was_typed(client, world, superuser, query, field, error):
    html = page(client, superuser, query)
    soup = BeautifulSoup(html, "html.parser")
    shown = soup.find(attrs={"name": field}).find_parent("div").get_text(" ", strip=True)
    assert error in shown
    typed = query.split(f"{field}=")[1].split("&")[0]
    if field in ("since", "until"):
        assert f'value="{typed}"' in html
    assert 'id="dashboard-total"' not in html and "Correct the filters above" in html


def svgs(html) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_the_charts_are_inline_svg_without_any_outside_reference(client, world, superuser):
    html = page(client, superuser)
    charts = svgs(html)
    assert len(charts) >= 8
    for svg in charts:
        assert "http:" not in svg and "https:" not in svg and "<script" not in svg and "file:" not in svg
        assert 'role="img"' in svg and "<style" not in svg  # one style for all, in the page
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(styles) == 1 and ".pygal-chart .legends .legend text" in styles[0] and "&gt;" not in styles[0]
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", html)
    for section in BeautifulSoup(html, "html.parser").find_all("section"):
        caption = section.find("table").find("caption")
        assert caption.get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in section.find_all("th"))


def test_the_page_renders_in_chinese_with_chinese_labels_in_the_charts_and_tables(client, world, manager, zh_catalogue):
    english = page(client, manager)
    assert "High" in svgs(english)[0] and "高" not in svgs(english)[0]
    Profile.objects.update_or_create(user=manager, defaults={"language": "zh-hans"})
    chinese = page(client, manager)
    severity_svg = BeautifulSoup(chinese, "html.parser").find(id="dashboard-severity").find("svg")
    legend = severity_svg.get_text(" ")
    assert "低" in legend and "高" in legend and "严重" in legend and "High" not in legend
    heading_cells = [
        th.get_text(strip=True)
        for th in BeautifulSoup(chinese, "html.parser").find(id="dashboard-severity").find("thead").find_all("th")
    ]
    assert {"低", "中", "高", "严重"} <= set(heading_cells)
    open_panel = BeautifulSoup(chinese, "html.parser").find(id="dashboard-open")
    assert "经理" in open_panel.get_text()  # the managers' route, in the chart and its table


def test_the_beat_task_brings_the_figures_up_to_date_after_a_filing_and_an_acknowledgement(
    client, world, manager, employee
):
    assert total(page(client, manager)) == 2
    incident = filed(employee, "high_manager")
    assert total(page(client, manager)) == 2  # the page reads the rollups, not the incidents
    tasks.refresh_dashboard()
    after_filing = page(client, manager)
    assert total(after_filing) == 3
    acknowledgement = "Escalation to acknowledgement"
    assert table(after_filing, "durations-median")["Whole period"][acknowledgement] == "—"
    escalations.incident_acknowledge(incident=incident, actor=manager, route="manager")
    tasks.refresh_dashboard()
    after_ack = table(page(client, manager), "durations-median")["Whole period"][acknowledgement]
    assert after_ack.startswith("about ") and "min" in after_ack
    assert "Figures brought up to date at" in page(client, manager)


def test_reviews_count_by_cause_and_habit_as_review_counts_does(client, world, manager, employee):
    incident = world["incidents"]["erin_high"]
    escalations.incident_resolve(
        incident=incident,
        actor=manager,
        note="Called them.",
        review=Review.of(cause="autocomplete", habits=["send_delay", "pause_checklist"]),
    )
    tasks.refresh_dashboard()
    html = page(client, manager)
    causes, habits = table(html, "causes")["Whole period"], table(html, "habits")["Whole period"]
    now = timezone.now()
    expected = review_counts(manager, now - timedelta(days=1), now + timedelta(minutes=1))
    assert causes["Autocomplete"] == str(expected["causes"]["autocomplete"]) == "1"
    assert habits["Send delay"] == str(expected["habits"]["send_delay"]) == "1"
    assert habits["None adopted"] == "0"
    # A deleted incident leaves the figures at the next refresh, though nothing records deletions.
    Incident.objects.filter(pk=incident.pk).delete()
    assert not PostIncidentReview.objects.exists()
    tasks.refresh_dashboard()
    html = page(client, manager)
    assert total(html) == 1 and table(html, "causes")["Whole period"]["Autocomplete"] == "0"


def test_the_rebuild_command_says_what_it_built(world):
    from io import StringIO

    out = StringIO()
    call_command("dashboard_rollups", "--rebuild", stdout=out)
    assert re.match(
        r"Rebuilt the dashboard: 1 days, \d+ team rows, \d+ reporter rows, \d+ open escalation rows", out.getvalue()
    )


def queries_of_page(client, user, query) -> int:
    cache.clear()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["manager", "superuser", "legal"])
def test_the_page_costs_the_same_queries_whatever_the_incidents_and_weeks(
    client, world, who, request, employee, other_employee
):
    user = request.getfixturevalue(who)
    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    few = queries_of_page(client, user, f"?since={today - timedelta(weeks=2)}")
    for weeks_ago in range(1, 40, 3):
        for reporter, kind in ((employee, "high_manager"), (other_employee, "medium_legal"), (employee, "low")):
            moved = filed(reporter, kind)
            Incident.objects.filter(pk=moved.pk).update(created_at=moved.created_at - timedelta(weeks=weeks_ago))
    store.rebuild()
    many = queries_of_page(client, user, f"?since={today - timedelta(weeks=52)}")
    assert many == few
    assert total(page(client, user, f"?since={today - timedelta(weeks=52)}")) == incidents_visible_to(user).count()


@pytest.mark.usefixtures("zh_catalogue")
@pytest.mark.parametrize(
    "language, period",
    [("en", "from 2026-11-01 to 2026-11-30."), ("zh-hans", "2026年11月1日至2026年11月30日共上报")],
)
def test_the_period_reads_in_the_readers_language(client, world, manager, language, period):
    Profile.objects.update_or_create(user=manager, defaults={"language": language})
    html = page(client, manager, "?since=2026-11-01&until=2026-11-30")
    assert period in BeautifulSoup(html, "html.parser").find(id="dashboard-total").get_text()
