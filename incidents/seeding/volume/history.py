"""What happened to a filed incident afterwards: who answered, when, and how.

Every choice here is random, from the batch's stream (the reviews from their own); every row comes from the Chronicle, which builds it
with the service's own builder (escalations_sync and escalation_advance, deliver, escalation_acknowledge,
incident_take_over, escalation_close, incident_resolve with the review a high or critical incident needs,
draft_decide, draft_mark_sent) and dates it when it happened. Nothing is enqueued and no email is sent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from incidents.drafts.selectors import CORRECTING_KINDS
from incidents.escalation.services import routes_of
from incidents.models import DraftRecord, Escalation
from incidents.review.rules import Review, review_required
from incidents.seeding.volume.chronicle import Chronicle
from incidents.vocabulary import AcknowledgedVia, Cause, Habit, IncidentStatus, Route, SentVia

Approval = DraftRecord.Approval
RESOLUTION_NOTES = [
    "Correction sent and confirmed by the client.",
    "Client deleted the email and confirmed.",
    "Called the client; no further action.",
    "已电话说明，客户已删除邮件。",
    "已发更正邮件，客户确认。",
]
ERRORS = "SMTPServerDisconnected: Connection unexpectedly closed"
CAUSES = [
    (Cause.AUTOCOMPLETE, 40),
    (Cause.WRONG_ATTACHMENT, 20),
    (Cause.COPY_PASTE, 20),
    (Cause.HASTE, 15),
    (Cause.OTHER, 5),
]
CAUSES_OTHER = ["Outlook suggested an old contact.", "邮件模板里还留着上一位客户的地址。"]
DAMAGE_LIMITED_BY = ["", "", "Called the client within the hour.", "客户配合删除了邮件。"]
NO_HABIT_REASON = "A send delay is already on; this was a one-off."


def review_for(rng: random.Random) -> Review:
    """What the resolver says after a high or critical incident (resolving one needs its review)."""
    cause = rng.choices([c for c, _w in CAUSES], weights=[w for _c, w in CAUSES])[0]
    habits = tuple(code for code in Habit.values if rng.random() < 0.4)
    return Review.of(
        cause=cause,
        cause_other=rng.choice(CAUSES_OTHER) if cause == Cause.OTHER else "",
        damage_limited_by=rng.choice(DAMAGE_LIMITED_BY),
        habits=habits,
        no_habit_reason="" if habits else NO_HABIT_REASON,
    )


@dataclass
class Cast:
    """Who answers: team managers by team id, the Manager group's head of sales, legal reviewers."""

    team_managers: dict[int, list]
    head_of_sales: object
    legal: list
    legal_readers: list


class Story:
    """One incident's life from its filing until now, written down by `chronicle`."""

    def __init__(self, rng: random.Random, chronicle: Chronicle, cast: Cast, now: datetime, reviews: random.Random):
        """reviews: the stream the post-incident reviews are drawn from (its own, so they change nothing else)."""
        self.rng, self.chronicle, self.cast, self.now, self.reviews = rng, chronicle, cast, now, reviews
        self.incident = chronicle.incident

    @property
    def escalations(self) -> list[Escalation]:
        return self.chronicle.escalations

    @property
    def drafts(self) -> dict[str, DraftRecord]:
        return self.chronicle.drafts

    # Filing: each route's escalation started at its first level; drafts that need legal wait for them.
    def filed(self, specs) -> None:
        at = self.incident.created_at
        for route in routes_of(self.incident):
            self.deliver(self.chronicle.start(route, at), at)
        self.chronicle.waiting_for_legal(specs)

    def deliver(self, claims: list, at: datetime) -> None:
        """Each email (and webhook) delivered by the worker seconds later; about one in a hundred fails every
        attempt, retried as the worker retries."""
        for claim in claims:
            sent = at + timedelta(seconds=self.rng.uniform(1, 20))
            if self.rng.random() < 0.01:
                attempt_at = sent
                while attempt_at is not None:
                    attempt_at = self.chronicle.failed(claim, attempt_at, ERRORS)
            else:
                self.chronicle.delivered(claim, sent)

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
            until = horizon or ack_at
            while escalation.next_action_at is not None and escalation.next_action_at <= until:
                at = escalation.next_action_at
                self.deliver(self.chronicle.advance(escalation, at), at)
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
        """escalation_acknowledge (by button, emailed link or take-over), or legal's decision on a draft
        (draft_decide: deciding the first draft acknowledges the legal route)."""
        for escalation in self.escalations:
            actor = self.answerer(escalation.route)
            via = self.rng.choice(
                [AcknowledgedVia.BUTTON, AcknowledgedVia.BUTTON, AcknowledgedVia.EMAIL_LINK, AcknowledgedVia.TAKE_OVER]
            )
            waiting = [d for d in self.drafts.values() if d.approval == Approval.PENDING]
            decided = escalation.route == Route.LEGAL and bool(waiting)
            if decided:
                via = AcknowledgedVia.LEGAL_DECISION
                self.chronicle.decide(waiting[0], actor, at)
            self.chronicle.acknowledge(escalation, actor, at, via)
            if escalation.next_action_at is not None:
                # The unresolved reminder is not played out: due after now, the sweeper sends these later.
                escalation.next_action_at = max(
                    escalation.next_action_at, self.now + timedelta(minutes=self.rng.uniform(1, 60))
                )
            for record in waiting[1:] if decided else []:
                self.chronicle.decide(record, actor, at)
            if via == AcknowledgedVia.TAKE_OVER:
                self.chronicle.take_over(actor, at, [escalation.route])
            at += timedelta(seconds=self.rng.uniform(5, 60))

    def corrections(self, specs) -> None:
        """draft_mark_sent for most incidents whose drafts correct something (after legal, when needed)."""
        incident = self.incident
        correcting = [s for s in specs if s.kind in CORRECTING_KINDS and not s.needs_legal_approval]
        if not correcting or self.rng.random() < 0.3:
            return
        at = incident.created_at + timedelta(minutes=self.rng.uniform(2, 45))
        if at >= self.now:
            return
        via = self.rng.choice([SentVia.EML, SentVia.CLIPBOARD, SentVia.MAILTO, SentVia.APP])
        self.chronicle.mark_sent(correcting[0], incident.reporter, via, at)

    def resolved(self, at: datetime) -> None:
        """incident_resolve; with both routes open, legal first close theirs (escalation_close)."""
        incident, note = self.incident, self.rng.choice(RESOLUTION_NOTES)
        open_routes = [e for e in self.escalations if e.status != Escalation.Status.CLOSED]
        if len(open_routes) > 1:
            legal = next(e for e in open_routes if e.route == Route.LEGAL)
            self.chronicle.close(legal, legal.acknowledged_by or self.cast.legal[0], note, at - timedelta(seconds=30))
            open_routes.remove(legal)
        resolver = self.answerer(open_routes[0].route) if open_routes else incident.reporter
        review = review_for(self.reviews) if review_required(incident.severity) else None
        self.chronicle.resolve(resolver, note, at, review)


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
