"""The escalation policy's admin form as a browser posts it: the policy's fields and its inline levels."""

from django.urls import reverse

from incidents.models import EscalationPolicy

ADD_URL = reverse("admin:incidents_escalationpolicy_add")


def level(position=0, delay="15", reporter_team_managers="", users=(), teams=(), groups=(), pk="", delete=""):
    return {
        "id": pk,
        "position": str(position),
        "delay_minutes": delay,
        "notify_reporter_team_managers": reporter_team_managers,
        "users": [str(u) for u in users],
        "teams": [str(t) for t in teams],
        "groups": [str(g) for g in groups],
        "DELETE": delete,
    }


def policy_form(levels, *, name="Night shift", route="manager", repeat="0", reminder="", initial=0, policy_pk=None):
    data = {
        "name": name,
        "route": route,
        "repeat": repeat,
        "unresolved_reminder_hours": reminder,
        "webhook_url": "",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": str(initial),
        "levels-MIN_NUM_FORMS": "1",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(levels):
        for key, value in values.items():
            if value in ("", [], ()):
                continue
            data[f"levels-{index}-{key}"] = value
        if policy_pk:
            data[f"levels-{index}-policy"] = str(policy_pk)
    return data


def free_route():
    """The data migration creates both routes' policies; the add form needs one of them gone."""
    EscalationPolicy.objects.filter(route="manager").delete()
