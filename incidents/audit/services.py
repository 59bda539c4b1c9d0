"""The audit trail: who changed which incident, escalation, policy, template, directory entry or role,
when, and each field before and after.

django-auditlog writes an entry from the model signals of the models registered here. Writes that send
no signal (a conditional queryset ``update()``, ``bulk_create``) record theirs with ``record_change``
and ``record_created``; group, team and level memberships are recorded here too, as the names before
and after, in either direction of the relation. Whoever is signed in is the actor (AuditMiddleware);
outside a request (the sweeper, a command) the actor is the service's ``actor`` argument or nobody, the
system. Notifications are not audited: their delivery state is on the incident's timeline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, pre_save
from django.utils.encoding import smart_str

from incidents.platform.requests import client_address

# Derived copies (list keys, the triage sort key) and stamps that change with every save say nothing
# a person changed; the email text may hold personal data, so only its length and digest are kept.
_INCIDENT_DERIVED = ["updated_at", "assessed_at", "factor_codes", "organisation_names", "search_text"]
DIGEST = "incidents.audit.services.digest"


def digest(value: str) -> str:
    """What the trail keeps of a text it must not copy: its length and the start of its SHA-256."""
    if value in ("", "None"):
        return value
    return f"[{len(value)} characters, sha256 {hashlib.sha256(value.encode()).hexdigest()[:12]}]"


def _audited():
    """(model, auditlog's registration options, many-to-many fields recorded as names before and after)."""
    from incidents.models import (
        Contact,
        DraftTemplate,
        Escalation,
        EscalationLevel,
        EscalationPolicy,
        Incident,
        MailDomain,
        Organisation,
        PriceFloor,
        Profile,
        Team,
    )

    return [
        (Incident, {"exclude_fields": _INCIDENT_DERIVED, "mask_fields": ["body"], "mask_callable": DIGEST}, []),
        (Escalation, {"exclude_fields": ["severity_rank"]}, []),
        (EscalationPolicy, {}, []),
        (EscalationLevel, {}, ["users", "teams", "groups"]),
        (DraftTemplate, {"exclude_fields": ["updated_at", "updated_by"]}, []),
        (Organisation, {}, []),
        (Contact, {}, []),
        (MailDomain, {}, []),
        (PriceFloor, {}, []),
        (Team, {}, ["members", "managers"]),
        # Passwords are never written to the trail; a sign-in is no change of role.
        (get_user_model(), {"exclude_fields": ["password", "last_login"]}, ["groups", "user_permissions"]),
        # What an admin sets for a user; their own time zone and language are preferences, not roles.
        (Profile, {"include_fields": ["sending_address", "hold_seconds"]}, []),
    ]


def register() -> None:
    """Register the audited models with auditlog and record their memberships (AppConfig.ready)."""
    pre_save.connect(_complete_entry, sender=LogEntry, dispatch_uid="audit:complete")
    for model, options, relations in _audited():
        # A create would otherwise list the reverse relations too, reading each reverse one-to-one.
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        auditlog.register(model, **{**options, "exclude_fields": [*options.get("exclude_fields", []), *reverse]})
        for name in relations:
            through = model._meta.get_field(name).remote_field.through
            m2m_changed.connect(
                partial(_membership_changed, owner=model, name=name),
                sender=through,
                weak=False,
                dispatch_uid=f"audit:{model._meta.label}.{name}",
            )


# The request being served, set by AuditMiddleware for its duration. auditlog's own context variable
# is never reset after a request (its receiver is disconnected instead), so it cannot tell this.
current_request: ContextVar = ContextVar("audit_request", default=None)
_acting: ContextVar = ContextVar("audit_acting", default=None)


@contextmanager
def acting(actor):
    """Entries written inside are the actor's, whoever is signed in (nobody, for an emailed link)."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def _without_non_changes(changes):
    """auditlog writes a null foreign key of a new row as "None" -> "None": no change, left out."""
    if not isinstance(changes, dict):
        return changes
    return {
        name: values
        for name, values in changes.items()
        if not (isinstance(values, (list, tuple)) and len(values) == 2 and values[0] == values[1])
    }


def _complete_entry(sender, instance, **kwargs) -> None:
    # Connected at start-up, so it runs before the receiver auditlog connects for each request.
    actor = _acting.get()
    if actor is not None and instance.actor_id is None:
        instance.actor, instance.actor_email = actor, actor.email
    instance.changes = _without_non_changes(instance.changes)


def _requester() -> tuple:
    """(who is signed in, their address) for the request being served; (None, None) outside one."""
    request = current_request.get()
    if request is None:
        return None, None
    user = getattr(request, "user", None)
    return (user if user is not None and user.is_authenticated else None), client_address(request)


def _text(value) -> str:
    return smart_str(value)


def record_change(instance: models.Model, changes: dict[str, tuple], *, actor=None) -> None:
    """An update entry for a write that sends no signal; changes: field name -> (before, after)."""
    changed = {name: [_text(before), _text(after)] for name, (before, after) in changes.items() if before != after}
    if changed and not auditlog_disabled.get():
        LogEntry.objects.log_create(
            instance,
            action=LogEntry.Action.UPDATE,
            changes=changed,
            actor=actor,
            actor_email=getattr(actor, "email", None),
        )


def _created_values(instance: models.Model) -> dict | None:
    """A new row's own columns as auditlog writes a create (not its reverse relations, which would be read)."""
    return _without_non_changes(
        model_instance_diff(None, instance, fields_to_check=[f.name for f in instance._meta.concrete_fields])
    )


def record_created(objects: Iterable[models.Model], *, actor=None) -> None:
    """One insert for the create entries of rows written without signals (bulk_create, a batched filing)."""
    objects = [o for o in objects if auditlog.contains(type(o))]
    if not objects or auditlog_disabled.get():
        return
    types = ContentType.objects.get_for_models(*{type(o) for o in objects})
    signed_in, address = _requester()
    actor = actor or _acting.get() or signed_in
    cid = get_cid()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=types[type(o)],
                object_pk=_text(o.pk),
                object_id=o.pk if isinstance(o.pk, int) else None,
                object_repr=_text(o),
                action=LogEntry.Action.CREATE,
                changes=_created_values(o),
                actor=actor,
                actor_email=getattr(actor, "email", None),
                cid=cid,
                remote_addr=address,
            )
            for o in objects
        ]
    )


def _names(owner: type[models.Model], name: str, owner_ids: Iterable) -> dict:
    """Each owner's related objects as one sorted line of names (one query)."""
    field = owner._meta.get_field(name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    names: dict = {pk: [] for pk in owner_ids}
    rows = field.remote_field.through.objects.filter(**{f"{source}__in": list(names)}).select_related(target)
    for row in rows:
        names[getattr(row, f"{source}_id")].append(str(getattr(row, target)))
    return {pk: ", ".join(sorted(found)) for pk, found in names.items()}


def _membership_changed(sender, instance, action, reverse, pk_set, *, owner, name, **kwargs) -> None:
    """Group, team and level memberships: one entry per owner whose set changed, names before and after."""
    phase, _sep, operation = action.partition("_")
    if operation not in ("add", "remove", "clear") or auditlog_disabled.get():
        return
    pending = instance.__dict__.setdefault("_audit_memberships", {})
    if phase == "pre":
        if not reverse:
            owners = [instance.pk]
        elif pk_set is not None:
            owners = list(pk_set)
        else:  # clearing from the other side: every owner linked to it loses it
            field = owner._meta.get_field(name)
            owners = list(
                field.remote_field.through.objects.filter(**{field.m2m_reverse_field_name(): instance}).values_list(
                    f"{field.m2m_field_name()}_id", flat=True
                )
            )
        pending[(name, operation)] = _names(owner, name, owners)
        return
    before = pending.pop((name, operation), None)
    if not before:
        return
    after = _names(owner, name, before)
    changed = [pk for pk in before if before[pk] != after[pk]]
    if not changed:
        return
    owners = {instance.pk: instance} if not reverse else owner._default_manager.in_bulk(changed)
    for pk in changed:
        if pk in owners:
            record_change(owners[pk], {name: (before[pk], after[pk])})
