"""What happened to a filed incident afterwards, as the services would have written it.

Each step mirrors a service (escalations_sync and escalation_advance, deliver, escalation_acknowledge,
incident_take_over, escalation_close, incident_resolve, draft_decide, draft_mark_sent): same rows, same
timeline events built with the events registry, but with the time it happened instead of now, collected
in lists for bulk inserts. Nothing is enqueued and no email is sent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from incidents.drafts.selectors import CORRECTING_KINDS
from incidents.models import DraftRecord, Escalation, Incident, Notification, TimelineEvent
from incidents.timeline import events
from incidents.vocabulary import SEVERITY_RANK, AcknowledgedVia, IncidentStatus, Route, SentVia, Tone

Approval = DraftRecord.Approval
RESOLUTION_NOTES = [
    "Correction sent and confirmed by the client.",
    "Client deleted the email and confirmed.",
    "Called the client; no further action.",
    "已电话说明，客户已删除邮件。",
    "已发更正邮件，客户确认。",
]
ERRORS = "SMTPServerDisconnected: Connection unexpectedly closed"


@dataclass
class Rows:
    """Everything one batch writes besides the incidents; in insert order."""

    escalations: list[Escalation] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    drafts: list[DraftRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Level:
    delay: timedelta
    people: tuple  # users the level always names
    team_managers: bool  # and the reporter's team's managers


@dataclass(frozen=True)
class Policy:
    row: object
    levels: tuple[Level, ...]


@dataclass
class Cast:
    """Who answers: team managers by team id, the Manager group's head of sales, legal reviewers."""

    team_managers: dict[int, list]
    head_of_sales: object
    legal: list
    legal_readers: list


class Story:
    """One incident's life from its filing until now; `rows` collects what it wrote."""

    def __init__(
        self, rng: random.Random, incident: Incident, policies: dict[str, Policy], cast: Cast, rows: Rows, now: datetime
    ):
        self.rng, self.incident, self.policies, self.cast, self.rows, self.now = (
            rng,
            incident,
            policies,
            cast,
            rows,
            now,
        )

    def event(self, entry: events.EventType, at: datetime, actor=None, **facts) -> None:
        row = entry.row(
            incident=None if facts.get("escalation") or facts.get("notification") else self.incident,
            actor=actor,
            **facts,
        )
        row.created_at = at
        row.incident = self.incident  # saved with its incident, which has no id until the batch is inserted
        self.rows.events.append(row)

    # Filing: reported, assessed, each route's escalation started at its first level.
    def filed(self, assessment, specs) -> None:
        incident, at = self.incident, self.incident.created_at
        self.event(events.REPORTED, at, incident.reporter)
        self.event(events.ASSESSED, at, incident.reporter, assessment=assessment, previous=None)
        self.escalations = []
        for route in [
            r for r, on in ((Route.MANAGER, incident.route_manager), (Route.LEGAL, incident.route_legal)) if on
        ]:
            policy = self.policies.get(route)
            self.event(
                events.ESCALATION_STARTED, at, incident.reporter, route=route, policy=policy and policy.row, reason=""
            )
            if policy is None:
                continue
            escalation = Escalation(
                incident=incident,
                route=route,
                policy=policy.row,
                started_by=incident.reporter,
                started_at=at,
                next_action_at=at,
                severity_rank=SEVERITY_RANK[incident.severity],
            )
            self.rows.escalations.append(escalation)
            self.escalations.append(escalation)
            self.advance(escalation, policy, at)
        needed = [spec for spec in specs if spec.needs_legal_approval]
        self.drafts = {
            spec.key: DraftRecord(
                incident=incident, key=spec.key, kind=spec.kind, language=spec.language, approval=Approval.PENDING
            )
            for spec in needed
        }
        self.rows.drafts.extend(self.drafts.values())

    def targets(self, level: Level) -> list:
        people = {u.pk: u for u in level.people}
        if level.team_managers and self.incident.team_id:
            people.update((u.pk, u) for u in self.cast.team_managers.get(self.incident.team_id, []))
        people.pop(self.incident.reporter_id, None)
        return [people[pk] for pk in sorted(people)]

    def advance(self, escalation: Escalation, policy: Policy, at: datetime) -> bool:
        """escalation_advance: the next level that names someone is told; False when the policy is used up."""
        from incidents.escalation.policy import next_position

        levels = policy.levels
        for _attempt in range(max(1, len(levels) * (policy.row.repeat + 1))):
            position = next_position(
                escalation.level,
                escalation.loop,
                level_count=len(levels),
                repeat=policy.row.repeat,
                loop_base=escalation.loop_base,
            )
            if position is None:
                break
            escalation.level, escalation.loop = position
            level = levels[escalation.level]
            escalation.next_action_at = at + level.delay
            targets = self.targets(level)
            if targets:
                self.claims(escalation, targets, at)
                self.event(events.LEVEL_REACHED, at, escalation=escalation, targets=targets, level_count=len(levels))
                return True
            self.event(events.LEVEL_EMPTY, at, escalation=escalation)
        escalation.next_action_at = None
        self.event(events.ESCALATION_EXHAUSTED, at, escalation=escalation)
        return False

    def claims(self, escalation: Escalation, users: list, at: datetime) -> None:
        """create_claims, then each email (and webhook) delivered by the worker seconds later."""
        common = {
            "escalation": escalation,
            "incident": self.incident,
            "route": escalation.route,
            "level": escalation.level,
            "loop": escalation.loop,
            "created_at": at,
        }
        for user in users:
            self.rows.notifications.append(
                Notification(
                    **common,
                    recipient=user,
                    recipient_key=f"user:{user.pk}",
                    channel=Notification.Channel.INBOX,
                    status=Notification.Status.SENT,
                    sent_at=at,
                )
            )
            if user.email:
                self.delivered(
                    Notification(
                        **common, recipient=user, recipient_key=f"user:{user.pk}", channel=Notification.Channel.EMAIL
                    ),
                    at,
                )
        if escalation.policy.webhook_url:
            self.delivered(Notification(**common, recipient_key="webhook", channel=Notification.Channel.WEBHOOK), at)

    def delivered(self, claim: Notification, at: datetime) -> None:
        """deliver: mostly sent at the first attempt; about one in a hundred fails every attempt."""
        self.rows.notifications.append(claim)
        sent = at + timedelta(seconds=self.rng.uniform(1, 20))
        if self.rng.random() < 0.01:
            for attempt in range(1, 6):
                claim.attempts = attempt
                entry = events.NOTIFICATION_FAILED if attempt == 5 else events.NOTIFICATION_RETRY
                self.event(entry, sent + timedelta(seconds=30 * 3**attempt), notification=claim, error=ERRORS)
            claim.status, claim.last_error, claim.sending_since = Notification.Status.FAILED, ERRORS, sent
            return
        claim.attempts, claim.status, claim.sent_at, claim.sending_since = 1, Notification.Status.SENT, sent, sent
        self.event(events.NOTIFIED, sent, notification=claim)

    # Later: levels move on until someone acknowledges; then (maybe) resolved.
    def unfolds(self, status: str, specs) -> None:
        incident, rng = self.incident, self.rng
        horizon = self.now if status == IncidentStatus.OPEN else None
        ack_at = incident.created_at + timedelta(minutes=rng.lognormvariate(2.3, 1.0))
        resolve_at = ack_at + timedelta(hours=rng.lognormvariate(1.5, 1.3))
        if status == IncidentStatus.RESOLVED:
            resolve_at = min(resolve_at, self.now - timedelta(minutes=1))
            ack_at = max(incident.created_at + timedelta(seconds=30), min(ack_at, resolve_at - timedelta(minutes=3)))
        elif ack_at >= self.now:
            ack_at = max(incident.created_at + timedelta(seconds=1), self.now - timedelta(seconds=rng.uniform(1, 60)))
        for escalation in self.escalations:
            policy = self.policies[escalation.route]
            until = horizon or ack_at
            while (
                escalation.next_action_at is not None
                and escalation.next_action_at <= until
                and self.advance(escalation, policy, escalation.next_action_at)
            ):
                pass
            if horizon is not None and escalation.next_action_at is not None and escalation.next_action_at <= self.now:
                # Still waiting now: due in the next half hour, so the sweeper moves these a few at a time.
                escalation.next_action_at = self.now + timedelta(seconds=rng.uniform(60, 1800))
        self.corrections(specs)
        if status == IncidentStatus.OPEN:
            return
        self.acknowledged(ack_at)
        if status == IncidentStatus.RESOLVED:
            self.resolved(resolve_at)

    def answerer(self, route: str):
        if route == Route.LEGAL:
            return self.rng.choice(self.cast.legal)
        managers = self.cast.team_managers.get(self.incident.team_id) or [self.cast.head_of_sales]
        return managers[0] if self.rng.random() < 0.85 else self.cast.head_of_sales

    def acknowledged(self, at: datetime) -> None:
        """escalation_acknowledge (by button, emailed link or take-over), or legal's decision on a draft."""
        incident = self.incident
        for escalation in self.escalations:
            actor = self.answerer(escalation.route)
            via = self.rng.choice(
                [AcknowledgedVia.BUTTON, AcknowledgedVia.BUTTON, AcknowledgedVia.EMAIL_LINK, AcknowledgedVia.TAKE_OVER]
            )
            if escalation.route == Route.LEGAL and self.legal_decided(actor, at):
                via = AcknowledgedVia.LEGAL_DECISION
            escalation.status, escalation.acknowledged_at, escalation.acknowledged_by = (
                Escalation.Status.ACKNOWLEDGED,
                at,
                actor,
            )
            hours = escalation.policy.unresolved_reminder_hours
            escalation.next_action_at = (
                max(at + timedelta(hours=float(hours)), self.now + timedelta(minutes=self.rng.uniform(1, 60)))
                if hours
                else None
            )
            self.event(events.ACKNOWLEDGED, at, actor, escalation=escalation, via=via)
            if via == AcknowledgedVia.TAKE_OVER:
                incident.assignee = actor
                self.event(events.TAKEN_OVER, at, actor, routes=[escalation.route])
            at += timedelta(seconds=self.rng.uniform(5, 60))
        if self.escalations:
            incident.status = IncidentStatus.ACKNOWLEDGED

    def legal_decided(self, actor, at: datetime) -> bool:
        """draft_decide: legal approve the drafts waiting for them (digests are filled in after the batch)."""
        waiting = [d for d in self.drafts.values() if d.approval == Approval.PENDING]
        for record in waiting:
            record.approval, record.approval_by, record.approval_at = Approval.APPROVED, actor, at
            record.approved_language, record.approved_tone = record.language, Tone.POLITE
            self.event(events.DRAFT_APPROVED, at, actor, key=record.key, kind=record.kind, approved=True, comment="")
        return bool(waiting)

    def corrections(self, specs) -> None:
        """draft_mark_sent for most incidents whose drafts correct something (after legal, when needed)."""
        incident = self.incident
        correcting = [s for s in specs if s.kind in CORRECTING_KINDS and not s.needs_legal_approval]
        if not correcting or self.rng.random() < 0.3:
            return
        spec = correcting[0]
        at = incident.created_at + timedelta(minutes=self.rng.uniform(2, 45))
        if at >= self.now:
            return
        self.rows.drafts.append(
            DraftRecord(
                incident=incident,
                key=spec.key,
                kind=spec.kind,
                language=spec.language,
                sent_at=at,
                sent_by=incident.reporter,
                sent_via=self.rng.choice([SentVia.EML, SentVia.CLIPBOARD, SentVia.MAILTO, SentVia.APP]),
            )
        )
        incident.first_correction_at = at
        self.event(
            events.DRAFT_SENT,
            at,
            incident.reporter,
            key=spec.key,
            kind=spec.kind,
            via=SentVia.EML,
            minutes_from_mistake=round((at - incident.sent_at).total_seconds() / 60, 1),
            minutes_from_report=round((at - incident.created_at).total_seconds() / 60, 1),
        )

    def resolved(self, at: datetime) -> None:
        """incident_resolve; with both routes open, legal first close theirs (escalation_close)."""
        incident, note = self.incident, self.rng.choice(RESOLUTION_NOTES)
        open_routes = [e for e in self.escalations if e.status != Escalation.Status.CLOSED]
        if len(open_routes) > 1:
            legal = next(e for e in open_routes if e.route == Route.LEGAL)
            self.closed(legal, legal.acknowledged_by or self.cast.legal[0], note, at - timedelta(seconds=30))
            open_routes.remove(legal)
        resolver = self.answerer(open_routes[0].route) if open_routes else incident.reporter
        for escalation in open_routes:
            self.closed(escalation, resolver, note, at)
        incident.status, incident.resolved_at, incident.resolution_note = IncidentStatus.RESOLVED, at, note
        self.event(events.RESOLVED, at, resolver, note=note, routes=[e.route for e in open_routes])

    def closed(self, escalation: Escalation, actor, reason: str, at: datetime) -> None:
        escalation.status, escalation.next_action_at, escalation.closed_reason = Escalation.Status.CLOSED, None, reason
        self.event(events.ESCALATION_CLOSED, at, actor, escalation=escalation, reason=reason)


def status_for(rng: random.Random, age: timedelta) -> str:
    """Older incidents are nearly all resolved; the last days keep a tail still open."""
    if age < timedelta(hours=1):
        weights = (0, 40, 60)
    elif age < timedelta(days=2):
        weights = (35, 35, 30)
    elif age < timedelta(days=30):
        weights = (75, 17, 8)
    else:
        weights = (97, 2, 1)
    return rng.choices([IncidentStatus.RESOLVED, IncidentStatus.ACKNOWLEDGED, IncidentStatus.OPEN], weights=weights)[0]
