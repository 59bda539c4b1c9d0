"""One incident's rows, made by the services' own builders and dated when each step happened.

Each step calls the builder its service calls (filing_rows for incident_report, escalation_rows and
escalation_next_level for escalations_sync and escalation_advance, claim_rows and the claim outcomes for
create_claims and deliver, escalation_acknowledged, escalation_closed, incident_resolved and review_rows,
draft_record_row, draft_marked_sent and draft_decided), so a change to what a service writes changes the
seeded rows too. The chronicle only dates the rows and collects them in a Batch for seeding/services.py
to insert; what happens, when and by whom is chosen by the caller (history.Story).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from incidents.drafts.services import draft_decided, draft_marked_sent, draft_record_row
from incidents.escalation.steps import (
    escalation_acknowledged,
    escalation_closed,
    escalation_next_level,
    escalation_rows,
    incident_resolved,
    review_rows,
)
from incidents.models import DraftRecord, Escalation, EscalationPolicy, Notification, Team
from incidents.notifications.services import DELIVERED_BY_TASK, claim_failed, claim_rows, claim_sent, claim_taken
from incidents.reports.services import Filing, filing_rows
from incidents.review.rules import Review
from incidents.seeding.services import Batch
from incidents.timeline import events
from incidents.vocabulary import IncidentStatus, Tone


@dataclass(frozen=True)
class Level:
    """An escalation level with the people it always names read once (policy.level_targets, in memory)."""

    delay_minutes: Decimal
    people: tuple  # active users the level names: chosen users, managers of chosen teams, groups
    team_managers: bool  # and the reporter's team's managers


@dataclass(frozen=True)
class Policy:
    row: EscalationPolicy
    levels: tuple[Level, ...]


def read_policies() -> dict[str, Policy]:
    """Each route's policy with the people its levels name, read once."""
    found = {}
    for policy in EscalationPolicy.objects.prefetch_related(
        "levels__users", "levels__teams__managers", "levels__groups__user_set"
    ):
        levels = []
        for level in sorted(policy.levels.all(), key=lambda lv: lv.position):
            people = {u.pk: u for u in level.users.all()}
            people.update((u.pk, u) for t in level.teams.all() for u in t.managers.all())
            people.update((u.pk, u) for g in level.groups.all() for u in g.user_set.all())
            levels.append(
                Level(
                    level.delay_minutes,
                    tuple(u for u in people.values() if u.is_active),
                    level.notify_reporter_team_managers,
                )
            )
        found[policy.route] = Policy(policy, tuple(levels))
    return found


def read_team_managers() -> dict[int, list]:
    """Each team's active managers by team id, in id order."""
    return {
        team.pk: sorted((u for u in team.managers.all() if u.is_active), key=lambda u: u.pk)
        for team in Team.objects.prefetch_related("managers")
    }


def _given(claim: Notification, fields: dict) -> None:
    for name, value in fields.items():
        setattr(claim, name, value)


class Chronicle:
    """The rows of one incident's life, collected in `batch`; `escalations` and `drafts` are its own."""

    def __init__(self, batch: Batch, policies: dict[str, Policy], team_managers: dict[int, list]):
        self.batch, self.policies, self.team_managers = batch, policies, team_managers
        self.incident = None
        self.escalations: list[Escalation] = []
        self.drafts: dict[str, DraftRecord] = {}  # those waiting for (or decided by) legal, by key

    def event(self, row, at: datetime) -> None:
        row.created_at = at
        row.incident = self.incident  # its id once the batch's incidents are inserted
        self.batch.events.append(row)

    def file(self, *, reporter, team, report, directory, at: datetime) -> Filing:
        """incident_report: the incident, its recipients, reported and assessed; the drafts waiting for legal."""
        filing = filing_rows(reporter=reporter, team=team, report=report, directory=directory, at=at)
        self.incident = filing.incident
        filing.incident.updated_at = at  # saved once, when filed
        self.batch.incidents.append(filing.incident)
        self.batch.recipients.extend(filing.recipients)
        for row in filing.events:
            self.event(row, at)
        return filing

    def start(self, route: str, at: datetime) -> list[Notification]:
        """escalations_sync on filing: the route's escalation notifies its first level; answers the claims a
        worker delivers."""
        policy = self.policies.get(route)
        escalation, started = escalation_rows(
            incident=self.incident, route=route, policy=policy and policy.row, actor=self.incident.reporter, now=at
        )
        self.event(started, at)
        if escalation is None:
            return []
        escalation.started_at = at
        self.batch.escalations.append(escalation)
        self.escalations.append(escalation)
        return self.advance(escalation, at)

    def waiting_for_legal(self, specs) -> None:
        """drafts_sync_approvals on filing: a record for each draft that needs legal's approval."""
        self.drafts = {spec.key: draft_record_row(self.incident, spec) for spec in specs if spec.needs_legal_approval}
        self.batch.drafts.extend(self.drafts.values())

    def targets(self, level: Level) -> list:
        people = {u.pk: u for u in level.people}
        if level.team_managers and self.incident.team_id:
            people.update((u.pk, u) for u in self.team_managers.get(self.incident.team_id, []))
        people.pop(self.incident.reporter_id, None)  # never asked to acknowledge their own incident
        return [people[pk] for pk in sorted(people)]

    def advance(self, escalation: Escalation, at: datetime) -> list[Notification]:
        """escalation_advance: the next level that names someone is told (its claims, from create_claims);
        answers the claims a worker delivers. A used-up policy leaves next_action_at None."""
        levels = self.policies[escalation.route].levels
        targets, steps = escalation_next_level(escalation, levels=levels, now=at, targets_of=self.targets)
        claims = (
            claim_rows(escalation, level=escalation.level, loop=escalation.loop, users=targets, now=at)
            if targets
            else []
        )
        for claim in claims:
            claim.created_at = at
            claim.incident = self.incident
        self.batch.notifications.extend(claims)
        for row in steps:
            self.event(row, at)
        return [c for c in claims if c.channel in DELIVERED_BY_TASK]

    def delivered(self, claim: Notification, at: datetime) -> None:
        """deliver: a worker takes the claim and sends it at `at`."""
        _given(claim, claim_taken(at))
        claim.attempts += 1
        _given(claim, claim_sent(at))
        self.event(events.NOTIFIED.row(notification=claim), at)

    def failed(self, claim: Notification, at: datetime, error: str, *, jitter: float = 1.0) -> datetime | None:
        """deliver, failing at `at`: answers when it is tried again, None once it failed for good."""
        _given(claim, claim_taken(at))
        claim.attempts += 1
        fields, entry = claim_failed(error, attempts=claim.attempts, now=at, jitter=jitter)
        _given(claim, fields)
        self.event(entry.row(notification=claim, error=error), at)
        return claim.next_attempt_at if entry is events.NOTIFICATION_RETRY else None

    def acknowledge(self, escalation: Escalation, actor, at: datetime, via: str) -> None:
        """escalation_acknowledge."""
        self.event(escalation_acknowledged(escalation, actor=actor, now=at, via=via), at)
        if self.incident.status == IncidentStatus.OPEN:
            self.incident.status = IncidentStatus.ACKNOWLEDGED

    def take_over(self, actor, at: datetime, routes: list[str]) -> None:
        """incident_take_over, after acknowledging the routes."""
        self.incident.assignee = actor
        self.event(events.TAKEN_OVER.row(incident=self.incident, actor=actor, routes=routes), at)

    def decide(self, record: DraftRecord, actor, at: datetime, *, approve: bool = True, comment: str = "") -> None:
        """draft_decide in the draft's own language and the polite tone (its escalation_acknowledge is the
        caller's). The digest of what was approved is filled in once the incident has its id."""
        row = draft_decided(
            record,
            self.incident,
            actor=actor,
            approve=approve,
            comment=comment,
            digest="",
            language=record.language,
            tone=Tone.POLITE,
            now=at,
        )
        self.event(row, at)

    def mark_sent(self, spec, actor, via: str, at: datetime) -> None:
        """draft_mark_sent for a draft no record was kept of yet."""
        record = draft_record_row(self.incident, spec)
        self.event(draft_marked_sent(record, self.incident, actor=actor, via=via, now=at), at)
        self.batch.drafts.append(record)

    def close(self, escalation: Escalation, actor, reason: str, at: datetime) -> None:
        """escalation_close."""
        self.event(escalation_closed(escalation, actor=actor, reason=reason), at)

    def resolve(self, actor, note: str, at: datetime, review: Review | None = None) -> None:
        """incident_resolve: each route still open closed in the actor's name, then resolved (and reviewed)."""
        closed = []
        for escalation in self.escalations:
            if escalation.status != Escalation.Status.CLOSED:
                self.close(escalation, actor, note, at)
                closed.append(escalation.route)
        self.event(incident_resolved(self.incident, actor=actor, note=note, routes=closed, now=at), at)
        if review is not None and not review.is_blank():
            row, reviewed = review_rows(self.incident, review, actor=actor)
            self.batch.reviews.append(row)
            self.event(reviewed, at)
