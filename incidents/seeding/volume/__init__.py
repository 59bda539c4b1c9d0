"""Years of realistic data to measure with (`manage.py seed_volume`), written as the app writes it.

Each incident is filed with the filing service's own builder (its report copied on, its recipient rows,
the assessment engine run on the same inputs), then its later life (escalation levels, deliveries,
acknowledgements, drafts sent or approved, resolution) is built by the services' own builders
(chronicle.py), dated when it happened, and inserted in batches by seeding/services.py. Nothing is
enqueued and no email is sent.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.correspondence import choose_drafts, render_draft
from incidents.correspondence.approval import approval_digest
from incidents.directory import selectors as directory_selectors
from incidents.drafts.selectors import build_draft_facts, template_overrides
from incidents.models import DraftRecord, Incident, Recipient
from incidents.seeding import services
from incidents.seeding.services import Batch
from incidents.seeding.volume.chronicle import Chronicle, read_policies, read_team_managers
from incidents.seeding.volume.history import Cast, Story, status_for
from incidents.seeding.volume.people import World, build_world
from incidents.seeding.volume.stories import delay_before_report, report_for
from incidents.vocabulary import Role

HANDFUL = 10  # incidents a database may hold (the demo's, a few tries) before seeding needs --append
YEARS = 3


class VolumeRefused(Exception):
    """The database already holds real-looking data and --append was not given."""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _cast(world: World, team_managers: dict[int, list]) -> Cast:
    legal = list(User.objects.filter(groups__name=Role.LEGAL, is_active=True).order_by("pk"))
    return Cast(team_managers, world.head_of_sales, world.legal, legal)


def _creation_times(rng: random.Random, count: int, now) -> list:
    """Spread over three years, busier lately (the company grew), oldest first so ids follow time.

    A few were filed in the last half hour: their escalations are still running, due at their next level.
    """
    span = YEARS * 365 * 24 * 3600
    recent = min(count, max(5, count // 1000))
    ages = [span * rng.random() ** 1.3 + 1800 for _ in range(count - recent)]
    ages += [rng.uniform(30, 1800) for _ in range(recent)]
    return [now - timedelta(seconds=age) for age in sorted(ages, reverse=True)]


class Seeder:
    """Makes and writes batches; each batch has its own random stream, so workers may take them in any order."""

    def __init__(self, *, seed: int, world: World, now, times: list, batch_size: int, first_number: int):
        self.seed, self.world, self.now = seed, world, now
        self.times, self.batch_size, self.first_number = times, batch_size, first_number
        self.directory = directory_selectors.load_directory()
        self.policies = read_policies()
        self.cast = _cast(world, read_team_managers())
        self.overrides = template_overrides()
        weights = random.Random(seed)
        self.weights = [weights.paretovariate(1.5) for _ in world.employees]  # some people slip more often

    def incident(self, rng: random.Random, created_at, number: int, batch: Batch) -> tuple[Story, list[Recipient]]:
        """One incident filed as the filing service files it, then its life until now."""
        reporter = rng.choices(self.world.employees, weights=self.weights)[0]
        report = report_for(rng, self.world, reporter, created_at - delay_before_report(rng), number)
        chronicle = Chronicle(batch, self.policies, self.cast.team_managers)
        filing = chronicle.file(
            reporter=reporter,
            team=self.world.team_of.get(reporter.pk),
            report=report,
            directory=self.directory,
            at=created_at,
        )
        story = Story(rng, chronicle, self.cast, self.now, random.Random(f"reviews {self.seed} {number}"))
        story.filed(filing.specs)
        story.unfolds(status_for(rng, self.now - created_at), filing.specs)
        incident = filing.incident
        incident.updated_at = incident.resolved_at or created_at
        return story, filing.recipients

    def readers(self, incident: Incident) -> list:
        """directory_selectors.internal_readers, from the people read once."""
        people = {}
        if incident.route_manager and incident.team_id:
            people.update((u.pk, u) for u in self.cast.team_managers.get(incident.team_id, []))
        if incident.route_legal:
            people.update((u.pk, u) for u in self.cast.legal_readers)
        return [people[pk] for pk in sorted(people) if people[pk].email]

    def approve(self, incident: Incident, recipients: list[Recipient], drafts: dict[str, DraftRecord]) -> None:
        """What legal approved, exactly: the digest of the draft as incident_drafts renders it."""
        approved = {k: d for k, d in drafts.items() if d.approval == DraftRecord.Approval.APPROVED}
        if not approved:
            return
        facts = build_draft_facts(incident, recipients, self.directory, readers=self.readers(incident))
        for spec in choose_drafts(facts):
            if spec.key in approved:
                approved[spec.key].approved_fingerprint = approval_digest(
                    render_draft(spec, facts, overrides=self.overrides), facts
                )

    def batch(self, index: int) -> dict[str, int]:
        """Make batch `index` in memory, then write it in one transaction; answers what it wrote."""
        rng = random.Random(self.seed * 1_000_003 + index)
        start = index * self.batch_size
        batch = Batch()
        made = [
            self.incident(rng, at, self.first_number + start + i, batch)
            for i, at in enumerate(self.times[start : start + self.batch_size])
        ]

        def digests() -> None:
            for story, recipients in made:
                self.approve(story.incident, recipients, story.drafts)

        services.batch_write(batch, digests=digests)
        return {
            "incidents": len(batch.incidents),
            "recipients": len(batch.recipients),
            "escalations": len(batch.escalations),
            "notifications": len(batch.notifications),
            "timeline events": len(batch.events),
            "draft records": len(batch.drafts),
            "reviews": len(batch.reviews),
        }


_SEEDER: Seeder | None = None  # the forked workers' copy


def _run_batch(index: int) -> dict[str, int]:
    return _SEEDER.batch(index)


def _batches(seeder: Seeder, count: int, workers: int):
    """Each batch's counts as it is written: in this process, or by forked workers (2 cores: 2 workers)."""
    global _SEEDER
    connection = connections["default"]
    # Forked workers cannot see an open transaction's rows (a test's) nor another process's in-memory database.
    alone = connection.in_atomic_block or (connection.vendor == "sqlite" and connection.is_in_memory_db())
    if workers <= 1 or count <= 1 or alone:
        yield from (seeder.batch(index) for index in range(count))
        return
    _SEEDER = seeder
    connections.close_all()  # each worker opens its own connection
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap_unordered(_run_batch, range(count))
    finally:
        _SEEDER = None


def seed_volume(
    *,
    incidents: int,
    seed: int = 1,
    employees: int = 50,
    teams: int = 5,
    organisations: int = 200,
    append: bool = False,
    batch_size: int = 2000,
    workers: int = 1,
    progress=None,
) -> Summary:
    """Fill the database; progress: a callable taking how many incidents were just written.

    workers > 1 forks that many processes (a database file or server, not an in-memory one).
    """
    started = time.monotonic()
    existing = Incident.objects.count()
    if existing > HANDFUL and not append:
        raise VolumeRefused(
            _(
                "The database already has %(count)s incidents; seed_volume fills an empty one. "
                "Pass --append to add to them."
            )
            % {"count": existing}
        )
    rng = random.Random(seed)
    world = build_world(rng, employees=employees, teams=teams, organisations=organisations)
    now = timezone.now()
    seeder = Seeder(
        seed=seed,
        world=world,
        now=now,
        times=_creation_times(random.Random(seed + 1), incidents, now),
        batch_size=batch_size,
        first_number=10_000 + existing,
    )
    counts: dict[str, int] = {}
    for written in _batches(seeder, -(-incidents // batch_size), workers):
        for name, count in written.items():
            counts[name] = counts.get(name, 0) + count
        if progress:
            progress(written["incidents"])
    return Summary(
        {
            "people": len(world.employees) + len(world.managers) + 1 + len(world.legal),
            "organisations": organisations,
            **counts,
        },
        time.monotonic() - started,
    )
