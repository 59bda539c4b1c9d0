"""The seeders' writes: the demo's users and team, and the volume seeder's batches, people and directory.

What is written is chosen elsewhere in seeding/ (demo.py, volume/), and every incident row is built by the
services' own builders there; this module only stores them: the demo through the real services, the volume
data in batches (bulk_create, and one executemany for the rows nothing points at), dated when each step
happened, with nothing enqueued and no email sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import connections, models, transaction

from incidents.directory.services import (
    contact_row,
    contact_save,
    directory_stamp_renew,
    domain_rows,
    organisation_ensure,
    organisation_row,
)
from incidents.models import (
    Contact,
    DraftRecord,
    Escalation,
    Incident,
    MailDomain,
    Notification,
    Organisation,
    PostIncidentReview,
    Profile,
    Recipient,
    Team,
    TimelineEvent,
)
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report


# The demo (`make run`): safe to run again, nothing is duplicated.
def user_ensure(username: str, password: str, first: str, last: str, group: str | None, superuser: bool) -> User:
    """The user, created with this password when missing (an existing one keeps theirs), in the group."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@ourco.com",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(password)
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@transaction.atomic
def demo_write(
    *,
    users: list[tuple],
    directory: list[tuple[str, str, list[str]]],
    contacts: list[tuple[str, str, str, str, str]],
    team: tuple[str, str, str],
    reporter: str,
    reports: list[IncidentReport],
) -> None:
    """The demo's users (username, password, first, last, group, superuser), directory (name, kind, domains),
    contacts (organisation, name, title, email, phone), team (name, member, manager), and the reports the
    reporter files unless they already filed one with that subject."""
    made = {row[0]: user_ensure(*row) for row in users}
    for name, kind, domains in directory:
        organisation_ensure(name=name, kind=kind, domains=domains)
    for organisation, name, title, email, phone in contacts:
        contact_save(organisation=organisation, name=name, title=title, email=email, phone=phone, language=None)
    name, member, manager = team
    team_row, _ = Team.objects.get_or_create(name=name)
    team_row.members.add(made[member])
    team_row.managers.add(made[manager])
    for report in reports:
        if not Incident.objects.filter(reporter=made[reporter], subject=report.subject).exists():
            incident_report(reporter=made[reporter], report=report)


# Volume data (`manage.py seed_volume`).
@dataclass
class Batch:
    """Everything one batch writes, in insert order; each row built by a service's builder."""

    incidents: list[Incident] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    drafts: list[DraftRecord] = field(default_factory=list)
    reviews: list[PostIncidentReview] = field(default_factory=list)


@contextlib.contextmanager
def dated_as_given():
    """Keep the historic times set on the rows instead of the time of the insert."""
    fields = [
        Incident._meta.get_field("updated_at"),
        TimelineEvent._meta.get_field("created_at"),
        Escalation._meta.get_field("started_at"),
        Notification._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def insert_rows(model, objs: list) -> None:
    """bulk_create without returning ids, for the rows nothing points at: each value prepared by its own
    field exactly as the ORM prepares it, sent with one executemany instead of many compiled INSERTs."""
    if not objs:
        return
    connection = connections["default"]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )

    # Fields that send an int, a str or a bool as it is: their values skip the preparation, which
    # was a sixth of the seeding time (times, decimals and JSON still go through their field).
    plain = {f.attname for f in fields if isinstance(f, PLAIN_FIELDS)}

    def value(obj, f):
        found = getattr(obj, f.attname)
        if found is None:
            if f.is_relation:
                # A row built before its incident or escalation was inserted: the id it has now.
                related = obj._state.fields_cache.get(f.name)
                return None if related is None else related.pk
            return None
        if f.attname in plain and type(found) in (int, str, bool):
            return found
        return f.get_db_prep_save(found, connection)

    values = [tuple(value(obj, f) for f in fields) for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def batch_write(batch: Batch, *, digests: Callable[[], None] = lambda: None) -> None:
    """One batch in one transaction, dated as given: the incidents and their recipients first, then
    `digests()` (legal's approvals: the drafts they approved name the incident, so need its id), then
    everything that points at them."""
    with dated_as_given(), transaction.atomic():
        Incident.objects.bulk_create(batch.incidents)
        insert_rows(Recipient, batch.recipients)
        digests()
        Escalation.objects.bulk_create(batch.escalations)
        for model, objs in (
            (Notification, batch.notifications),
            (TimelineEvent, batch.events),
            (DraftRecord, batch.drafts),
            (PostIncidentReview, batch.reviews),
        ):
            insert_rows(model, objs)


@transaction.atomic
def people_write(
    *,
    users: list[tuple[str, str, str, str, str]],
    password: str,
    profiles: list[tuple[str, str, str]],
    teams: list[str],
    members: list[tuple[int, str]],
    managers: list[tuple[int, str]],
) -> tuple[dict[str, User], list[Team]]:
    """Users (username, first, last, email, group) with this password hash and their groups, profiles (username, time
    zone, language), teams by name with members and managers (team index, username); existing users,
    profiles and teams are kept as they are. Answers the users by username and the teams in order."""
    names = [u[0] for u in users]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, first_name=first, last_name=last, email=email, password=password)
            for name, first, last, email, _group in users
            if name not in existing
        ]
    )
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    groups = {g.name: g for g in Group.objects.filter(name__in={u[4] for u in users})}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=found[name].pk, group_id=groups[group].pk) for name, _f, _l, _e, group in users],
        ignore_conflicts=True,
    )
    have = set(Profile.objects.filter(user__in=found.values()).values_list("user_id", flat=True))
    Profile.objects.bulk_create(
        [
            Profile(user=found[name], time_zone=zone, language=language)
            for name, zone, language in profiles
            if found[name].pk not in have
        ]
    )
    rows = [Team.objects.get_or_create(name=name)[0] for name in teams]
    for index, name in members:
        rows[index].members.add(found[name])
    for index, name in managers:
        rows[index].managers.add(found[name])
    return found, rows


@transaction.atomic
def directory_write(
    *, organisations: list[tuple[str, str, str, list[str]]], contacts: list[tuple[str, str, str, str]]
) -> None:
    """Organisations (name, kind, language, domains) and contacts (organisation, name, email, title), each
    created where missing: an existing organisation, domain or contact email is left as it is."""
    names = [o[0] for o in organisations]
    existing = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    Organisation.objects.bulk_create(
        [
            organisation_row(name=name, kind=kind, language=language)
            for name, kind, language, _domains in organisations
            if name not in existing
        ]
    )
    found = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    taken = set(MailDomain.objects.values_list("domain", flat=True))
    MailDomain.objects.bulk_create(
        [
            row
            for name, _kind, _language, domains in organisations
            for row in domain_rows(found[name], [d for d in domains if d not in taken])
        ]
    )
    known = set(Contact.objects.filter(organisation__in=found.values()).values_list("email", flat=True))
    Contact.objects.bulk_create(
        [
            contact_row(organisation=found[owner], name=name, title=title, email=email, phone="", language="")
            for owner, name, email, title in contacts
            if email not in known
        ]
    )
    directory_stamp_renew()  # bulk_create sends no signal
