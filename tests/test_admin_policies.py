"""Escalation policies in the admin: levels inline, refused when they could never page anyone, with history."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from incidents.models import EscalationLevel, EscalationPolicy
from tests.support_admin import ADD_URL, free_route, level, policy_form

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def errors_of(response) -> str:
    texts = []
    if response.context and response.context.get("errors"):
        texts += [str(e) for e in response.context["errors"]]
    for formset in (response.context or {}).get("inline_admin_formsets", []):
        texts += [str(e) for e in formset.formset.non_form_errors()]
        for form in formset.formset.forms:
            texts += [str(e) for e in form.errors.values()]
    return " ".join(texts)


def test_policy_with_levels_is_created_through_the_admin(admin_client, manager):
    free_route()
    managers = Group.objects.get(name="Manager")
    response = admin_client.post(
        ADD_URL,
        policy_form(
            [
                level(0, "10", reporter_team_managers="on"),
                level(1, "20", users=[manager.pk], groups=[managers.pk]),
            ],
            reminder="4",
        ),
    )
    assert response.status_code == 302, errors_of(response)
    policy = EscalationPolicy.objects.get(route="manager")
    assert policy.unresolved_reminder_hours == Decimal("4")
    first, second = policy.levels.order_by("position")
    assert (first.delay_minutes, first.notify_reporter_team_managers) == (Decimal("10"), True)
    assert list(second.users.all()) == [manager] and list(second.groups.all()) == [managers]


@pytest.mark.parametrize(
    "levels, reminder, message",
    [
        ([level(0)], "", "Choose who this level tells"),
        ([level(0, "0", reporter_team_managers="on")], "", "Wait more than 0 minutes"),
        ([level(0, "-5", reporter_team_managers="on")], "", "Wait more than 0 minutes"),
        ([], "", "A policy needs at least one level."),
        ([level(0, reporter_team_managers="on")], "0", "Remind after more than 0 hours"),
        ([level(0, reporter_team_managers="on")], "-1", "Remind after more than 0 hours"),
    ],
    ids=["no-target", "zero-delay", "negative-delay", "no-levels", "zero-reminder", "negative-reminder"],
)
def test_policies_that_could_never_page_anyone_are_refused(admin_client, levels, reminder, message):
    free_route()
    response = admin_client.post(ADD_URL, policy_form(levels, reminder=reminder))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not EscalationPolicy.objects.filter(route="manager").exists()


def test_removing_every_level_of_a_policy_is_refused(admin_client):
    policy = EscalationPolicy.objects.get(route="legal")
    levels = [
        level(
            lv.position,
            str(lv.delay_minutes),
            groups=[g.pk for g in lv.groups.all()],
            reporter_team_managers="on" if lv.notify_reporter_team_managers else "",
            pk=lv.pk,
            delete="on",
        )
        for lv in policy.levels.order_by("position")
    ]
    url = reverse("admin:incidents_escalationpolicy_change", args=[policy.pk])
    response = admin_client.post(
        url, policy_form(levels, name=policy.name, route="legal", repeat="1", initial=len(levels), policy_pk=policy.pk)
    )
    assert response.status_code == 200
    assert "A policy needs at least one level." in errors_of(response)
    assert policy.levels.count() == 2


@pytest.mark.parametrize("field, value", [("delay_minutes", Decimal(0)), ("delay_minutes", Decimal(-1))])
def test_the_database_refuses_a_level_that_does_not_wait(db, field, value):
    policy = EscalationPolicy.objects.get(route="manager")
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationLevel.objects.create(policy=policy, position=9, **{field: value})


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(-2)])
def test_the_database_refuses_a_reminder_that_is_not_positive(db, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationPolicy.objects.filter(route="manager").update(unresolved_reminder_hours=hours)


def test_history_records_a_level_change(admin_client):
    policy = EscalationPolicy.objects.get(route="manager")
    first, second = policy.levels.order_by("position")
    managers = Group.objects.get(name="Manager")
    url = reverse("admin:incidents_escalationpolicy_change", args=[policy.pk])
    response = admin_client.post(
        url,
        policy_form(
            [
                level(0, "45", reporter_team_managers="on", pk=first.pk),
                level(1, str(second.delay_minutes), groups=[managers.pk], pk=second.pk),
            ],
            name=policy.name,
            repeat=str(policy.repeat),
            initial=2,
            policy_pk=policy.pk,
        ),
    )
    assert response.status_code == 302, errors_of(response)
    first.refresh_from_db()
    assert first.delay_minutes == Decimal("45")

    entry = LogEntry.objects.get(object_id=str(policy.pk), content_type__model="escalationpolicy")
    assert "escalation level" in entry.get_change_message()
    history = admin_client.get(reverse("admin:incidents_escalationpolicy_history", args=[policy.pk]))
    assert history.status_code == 200
    page = history.content.decode()
    assert "Changed Minutes before the next level for escalation level" in page, page[-3000:]
    assert str(first) in page.replace("&nbsp;", " ")


def test_the_policy_page_shows_its_levels_with_pickers_for_people_teams_and_groups(admin_client):
    policy = EscalationPolicy.objects.get(route="legal")
    page = admin_client.get(reverse("admin:incidents_escalationpolicy_change", args=[policy.pk])).content.decode()
    for field in ("users", "teams", "groups"):
        assert f'name="levels-1-{field}"' in page
    assert "selectfilter" in page.lower()  # filter_horizontal's two-list picker
    listing = admin_client.get(reverse("admin:incidents_escalationpolicy_changelist")).content.decode()
    assert "Legal" in listing and "Managers" in listing
