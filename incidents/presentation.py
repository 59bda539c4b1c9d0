"""Turning a stored assessment back into explained factors and recall advice, in the reader's language."""
from __future__ import annotations

from .assessment import Factor, Recall, RecipientRecall
from .models import Incident


def stored_factors(incident: Incident) -> list[Factor]:
    return [Factor(item["code"], item.get("params") or {}) for item in incident.factors]


def stored_recall(incident: Incident) -> Recall:
    data = incident.recall or {}
    return Recall(
        verdict=data.get("verdict", "no"),
        mail_system=data.get("mail_system", incident.mail_system),
        recipients=tuple(RecipientRecall(r["address"], r["verdict"]) for r in data.get("recipients", [])),
        # Assessments stored before this key existed advised a correction, so that stays the default.
        correction_needed=bool(data.get("correction_needed", True)),
    )


def _route_name(code: str) -> str:
    from .models.escalation import Route

    return str(dict(Route.choices).get(code, code))


def describe_event(event) -> str:
    """One sentence for a timeline event, in the reader's language, from its stored parameters."""
    from django.utils.translation import gettext as _

    p = dict(event.parameters or {})
    if isinstance(p.get("route"), str):
        p["route"] = _route_name(p["route"])
    t = event.type
    if t == "assessed":
        if p.get("previous_severity") and p["previous_severity"] != p.get("severity"):
            return _("Assessed: %(severity)s (was %(previous_severity)s)") % p
        return _("Assessed: %(severity)s") % p
    if t == "edited":
        return _("Edited: %(fields)s") % {"fields": ", ".join(p.get("changed", []))}
    if t == "escalation_started":
        text = _("Escalation to %(route)s started") % p
        return f"{text}: {p['reason']}" if p.get("reason") else text
    if t == "level_reached":
        return _("%(route)s level %(level)s notified: %(targets)s") % {**p, "targets": ", ".join(p.get("targets", []))}
    if t == "level_empty":
        return _("%(route)s level %(level)s names nobody; moved on") % p
    if t == "escalation_exhausted":
        return _("%(route)s: every level has been told and nobody has acknowledged") % p
    if t == "notified":
        return _("%(channel)s to %(target)s delivered (%(route)s level %(level)s)") % p
    if t == "notification_retry":
        return _("%(channel)s to %(target)s failed (attempt %(attempt)s), will retry: %(error)s") % p
    if t == "notification_failed":
        return _("%(channel)s to %(target)s FAILED after %(attempt)s attempts: %(error)s") % p
    if t == "notification_uncertain":
        return _("%(channel)s to %(target)s: the worker was lost while sending; sent again, it may arrive twice") % p
    if t == "acknowledged":
        return _("Acknowledged for %(route)s") % p
    if t == "reminded":
        return _("Reminder sent (acknowledged but not resolved): %(targets)s") % {"targets": ", ".join(p.get("targets", []))}
    if t == "escalation_closed":
        return _("Escalation to %(route)s closed: %(reason)s") % p
    if t == "draft_edited":
        return _("Draft edited: %(key)s") % p
    if t == "draft_sent":
        return _("Draft sent (%(via)s): %(key)s, %(minutes_from_mistake)s min after the mis-send, %(minutes_from_report)s min after the report") % p
    if t == "draft_approved":
        return _("Legal approved the draft %(key)s. %(comment)s") % p
    if t == "draft_rejected":
        return _("Legal rejected the draft %(key)s: %(comment)s") % p
    if t == "resolved":
        return _("Resolved: %(note)s") % p
    return event.get_type_display()
