"""The lists' rows (incidents/insight/rows.py) and filter forms, built in Python for speed: what they show
must be what the templates showed, escaped, in the reader's language, with the directory as it is now."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test.html import parse_html
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from incidents.escalation import services as flow
from incidents.models import DraftRecord, Incident, Organisation, Profile, Team
from incidents.platform.formats import QUICK_FORMATS
from tests.factories import file_incident

HOSTILE = '<script>alert("x")</script> & <b>Acme</b>'
LISTS = [
    ("employee", "incidents:list"),
    ("manager", "incidents:triage"),
    ("legal", "incidents:legal"),
    ("manager", "incidents:inbox"),
]
LOW_QUOTE = dict(
    attachments=["Quotation_Q-1.pdf"],
    quoted_price=Decimal("80"),
    correct_price=Decimal("100"),
    currency="USD",
    recipient_status="accepted",
)


def speak(user, language: str, zone: str = "UTC") -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language, "time_zone": zone})


@pytest.fixture
def hostile_incident(directory, employee, manager, legal):
    employee.first_name, employee.last_name = "<i>Erin</i>", "O'Hara & Co"
    employee.save()
    # Quote-related, high: routed to managers and legal, so it is on every list; then a draft awaits legal.
    incident = file_incident(employee, subject=HOSTILE, problems=["wrong_recipient", "personal_data"], **LOW_QUOTE)
    return incident


@pytest.mark.parametrize("who, page", LISTS)
def test_each_lists_rows_escape_what_was_typed(client, request, hostile_incident, who, page):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse(page)).content.decode()
    assert "<script>" not in html and "<b>Acme</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Acme&lt;/b&gt;" in html
    assert f'href="{hostile_incident.get_absolute_url()}"' in html
    if page != "incidents:inbox":
        assert "&lt;i&gt;Erin&lt;/i&gt; O&#x27;Hara &amp; Co" in html


@pytest.mark.usefixtures("zh_catalogue")
@pytest.mark.parametrize(
    "language, words",
    [
        (
            "en",
            {
                "incidents:list": ["High", "Open", "Manager", "Legal"],
                "incidents:triage": ["Not acknowledged", "Managers", "1 / "],
                "incidents:legal": ["quoted 80.00 USD for 100.00", "20.0% too low", "Legal has not acknowledged"],
                "incidents:inbox": ["Escalated to Managers, level 1", "waiting for acknowledgement"],
            },
        ),
        (
            "zh-hans",
            {
                "incidents:list": ["高", "法务"],
                "incidents:triage": ["未确认"],
                "incidents:legal": ["报价 80.00 USD，应为 100.00", "法务尚未确认"],
                "incidents:inbox": ["已升级至", "等待确认"],
            },
        ),
    ],
)
def test_each_lists_rows_read_in_the_readers_language(
    client, request, hostile_incident, employee, manager, legal, language, words
):
    for who, page in LISTS:
        user = request.getfixturevalue(who)
        speak(user, language)
        client.force_login(user)
        html = client.get(reverse(page)).content.decode()
        for word in words[page]:
            assert word in html, (page, word)


def test_a_shanghai_reader_sees_local_times_in_rows_and_machine_times_in_their_zone(client, hostile_incident, employee):
    speak(employee, "en", "Asia/Shanghai")
    client.force_login(employee)
    html = client.get(reverse("incidents:list")).content.decode()
    local = timezone.localtime(hostile_incident.created_at, ZoneInfo("Asia/Shanghai"))
    assert f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M} CST</time>' in html


def test_triage_rows_say_who_acknowledged_and_who_handles_it(client, hostile_incident, manager):
    manager.first_name, manager.last_name = "Mona", "<Manager>"
    manager.save()
    flow.incident_acknowledge(incident=hostile_incident, actor=manager, route="manager")
    client.force_login(manager)
    html = client.get(reverse("incidents:triage")).content.decode()
    assert "Acknowledged by Mona &lt;Manager&gt;" in html
    assert 'class="table-warning"' not in html.split("Acknowledged by Mona")[0].rsplit("<tr", 1)[1]


def test_legal_rows_offer_each_draft_awaiting_approval_with_the_pages_csrf_token(client, hostile_incident, legal):
    DraftRecord.objects.create(
        incident=hostile_incident,
        key="offer_withdrawal",
        kind="offer_withdrawal",
        approval=DraftRecord.Approval.PENDING,
    )
    client.force_login(legal)
    response = client.get(reverse("incidents:legal"))
    html = response.content.decode()
    action = reverse("incidents:draft_decision", args=[hostile_incident.pk, "offer_withdrawal"])
    assert f'<form method="post" action="{action}"' in html
    assert 'name="csrfmiddlewaretoken" value="' in html.split(action, 1)[1]
    assert f'href="{reverse("incidents:draft", args=[hostile_incident.pk, "offer_withdrawal"])}"' in html


def test_the_filter_form_keeps_its_markup(client, hostile_incident, employee):
    """Severity and status as inline checkboxes, the rest as small controls (not Django's default lists)."""
    client.force_login(employee)
    html = client.get(reverse("incidents:list") + "?severity=high&q=acme").content.decode()
    assert parse_html(
        '<div class="form-check form-check-inline"><input type="checkbox" name="severity" value="high" '
        'class="form-check-input" id="id_severity_2" checked><label class="form-check-label small" '
        'for="id_severity_2">High</label></div>'
    ) in parse_html(html)
    assert '<ul id="id_severity"' not in html
    assert parse_html(
        '<input type="search" name="q" value="acme" class="form-control form-control-sm" '
        'placeholder="Subject, address, name or organisation" maxlength="200" id="id_q">'
    ) in parse_html(html)


def options_of(client, name: str) -> list[str]:
    html = client.get(reverse("incidents:list")).content.decode()
    select = html.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]
    return [part.split("</option>", 1)[0] for part in select.split('">')[1:]]


@pytest.mark.parametrize("change", ["create", "rename", "delete"])
@pytest.mark.parametrize("model, name", [(Organisation, "organisation"), (Team, "team")])
def test_the_team_and_organisation_filters_follow_every_change(client, directory, employee, model, name, change):
    client.force_login(employee)
    before = options_of(client, name)
    if change == "create":
        model.objects.create(name="Zeta <Holdings>")
        assert options_of(client, name) == [*before, "Zeta &lt;Holdings&gt;"]
        return
    row = model.objects.order_by("name").first()
    if change == "rename":
        row.name = "Renamed Ltd"
        row.save()
        assert "Renamed Ltd" in options_of(client, name)
    else:
        Incident.objects.all().delete()
        row.delete()
        assert len(options_of(client, name)) == len(before) - 1


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 5, 7, 3),
        datetime(2026, 12, 31, 23, 59),
        datetime(999, 2, 3, 4, 5),
        datetime(2026, 11, 30, 0, 0),
    ],
)
@pytest.mark.parametrize("format_string", sorted(QUICK_FORMATS))
def test_the_rows_quick_time_formats_write_what_dateformat_writes(moment, format_string):
    assert QUICK_FORMATS[format_string](moment) == dateformat.format(moment, format_string)


@pytest.mark.usefixtures("zh_catalogue")
def test_choice_labels_follow_the_active_language(hostile_incident):
    incident = Incident.objects.get(pk=hostile_incident.pk)
    with translation.override("zh-hans"):
        chinese = (incident.get_status_display(), incident.get_severity_display())
    with translation.override("en"):
        english = (incident.get_status_display(), incident.get_severity_display())
    assert english == ("Open", incident.severity.capitalize()) and chinese[0] != english[0] and chinese[1] != english[1]
    incident.status = "not-a-status"
    assert incident.get_status_display() == "not-a-status"


@pytest.mark.usefixtures("zh_catalogue")
def test_the_cached_filter_form_follows_the_language_the_parameters_and_errors(client, hostile_incident, employee):
    """The rendered form is kept in the cache by filter set, language, directory stamp and parameters."""
    from django.core.cache import cache

    cache.clear()
    client.force_login(employee)
    url = reverse("incidents:list")
    assert "Apply filters" in client.get(url).content.decode()
    assert 'value="acme"' in client.get(url + "?q=acme").content.decode()
    globex = client.get(url + "?q=globex").content.decode()
    assert 'value="globex"' in globex and 'value="acme"' not in globex
    bad = client.get(url + "?q=acme&reported_from=2026-13-45").content.decode()
    assert "is not a date" in bad and 'value="2026-13-45"' in bad
    speak(employee, "zh-hans")
    chinese = client.get(url + "?q=acme").content.decode()
    assert "应用筛选" in chinese and "Apply filters" not in chinese


def test_the_legal_queues_default_order_says_what_each_part_shows(client, hostile_incident, legal):
    client.force_login(legal)
    for query in ("", "?status=resolved"):
        html = client.get(reverse("incidents:legal") + query).content.decode()
        assert '<option value="deadline">Nearest deadline first (resolved: newest first)</option>' in html


@pytest.mark.usefixtures("zh_catalogue")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_ago_says_what_timesince_says(language):
    """Triage's "ago" keeps its words per minute count under four weeks; they must be timesince's."""
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    from incidents.platform.formats import ago

    now = timezone.now()
    deltas = [timedelta(seconds=s) for s in (59, 60, 61, 119, 3599, 3600, 3661, 86399, 86400, 90061)]
    deltas += [
        timedelta(days=d, hours=h, minutes=m, seconds=7) for d in (1, 6, 7, 13, 20, 27) for h in (0, 5) for m in (0, 59)
    ]
    deltas += [timedelta(days=28), timedelta(days=45), timedelta(days=400)]
    with translation.override(language):
        for delta in deltas:
            moment = now - delta
            expected = (
                gettext("just now")
                if delta.total_seconds() < 60
                else (gettext("%(time)s ago") % {"time": timesince(moment)})
            )
            assert ago(moment) == expected, delta


@pytest.mark.usefixtures("zh_catalogue")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_duration_words_keep_what_timesince_says_across_months(language):
    """Beyond four weeks the words are kept per earlier moment, later date and whole days: sweep later
    moments by the hour and across each day's turns (the earlier moment's time of day, with and without
    its microseconds) over month ends, a leap day and a new year, so that a word kept under a wrong key
    would be given back for a later moment where timesince says otherwise."""
    from datetime import datetime

    from django.utils.timesince import timesince

    from incidents.platform.formats import duration_words

    utc = UTC
    earliers = [
        datetime(2024, 1, 31, 10, 0, 0, 999_999, tzinfo=utc),
        datetime(2024, 1, 29, 23, 59, 59, tzinfo=utc),
        datetime(2023, 12, 31, 0, 0, 0, 1, tzinfo=utc),
        datetime(2024, 3, 31, 12, 30, tzinfo=utc),
        datetime(2022, 8, 31, 18, 45, 30, 500_000, tzinfo=utc),
    ]
    with translation.override(language):
        for earlier in earliers:
            laters = [earlier + timedelta(days=27, hours=h) for h in range(0, 24 * 75, 1)]
            for days in range(27, 800, 3):
                turn = earlier + timedelta(days=days)
                laters += [
                    turn - timedelta(microseconds=earlier.microsecond + 1),
                    turn - timedelta(microseconds=earlier.microsecond),
                    turn - timedelta(microseconds=1),
                    turn,
                    turn + timedelta(microseconds=1),
                ]
                midnight = datetime.combine(turn.date(), datetime.min.time(), tzinfo=utc)
                laters += [midnight - timedelta(microseconds=1), midnight]
            for later in laters:
                if later > earlier:
                    assert duration_words(earlier, later) == timesince(earlier, later), (earlier, later)
                    # Asked twice: the second answer comes from what was kept.
                    assert duration_words(earlier, later) == timesince(earlier, later), (earlier, later)


def test_triage_and_legal_say_how_long_until_next_level_and_deadline(client, employee):
    """The rows' "in ..." and "... left" are timeuntil's words."""
    from django.utils.timesince import timeuntil

    from incidents.insight.rows import _deadline, _triage_next

    now = timezone.now()

    class Running:
        status, next_action_at = "active", now + timedelta(minutes=95, seconds=30)

    class Breach:
        regulatory_deadline = now + timedelta(hours=71, minutes=59)

    words = {"all told": "all levels told", "due now": "due now"}
    assert _triage_next(Running, now, words) == "in " + timeuntil(Running.next_action_at, now)
    assert _deadline(Breach, now).startswith(
        f'<strong class="text-danger">{timeuntil(Breach.regulatory_deadline, now)} left'
    )


def test_the_navigation_reuses_the_teams_a_page_already_read(client, hostile_incident, employee):
    """Whether to show Triage asks for the teams the user manages, which the list's visibility read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(employee)
    client.get(reverse("incidents:list"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("incidents:list")).content.decode()
    assert sum("incidents_team_managers" in q["sql"] for q in captured) == 1
    assert 'href="/incidents/triage/"' not in html
