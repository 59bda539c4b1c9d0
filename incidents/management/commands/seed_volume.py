"""Fill the database with years of realistic incidents to measure pages and queries with."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from incidents.insight.dashboard.services import rebuild as rebuild_dashboard
from incidents.seeding.volume import VolumeRefused, seed_volume


class Command(BaseCommand):
    help = "Fill the database with years of realistic incidents (people, directory, escalations, timelines)."

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, required=True, help="How many incidents to make.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same data (default 1).")
        parser.add_argument("--employees", type=int, default=50)
        parser.add_argument("--teams", type=int, default=5)
        parser.add_argument("--organisations", type=int, default=200)
        parser.add_argument("--batch", type=int, default=2000, help="Incidents written per transaction.")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="Processes making batches (default: the cores, at most 4).",
        )
        parser.add_argument("--append", action="store_true", help="Add to a database that already has incidents.")

    def handle(
        self,
        *args,
        incidents: int,
        seed: int,
        employees: int,
        teams: int,
        organisations: int,
        batch: int,
        workers: int,
        append: bool,
        **options,
    ):
        for name, value in (
            ("incidents", incidents),
            ("employees", employees),
            ("teams", teams),
            ("organisations", organisations),
            ("batch", batch),
            ("workers", workers),
        ):
            if value < 1:
                raise CommandError(_("--%(name)s must be at least 1.") % {"name": name})
        # The bar goes to the raw stream: Django's wrapper would end each redraw with a new line.
        with tqdm(
            total=incidents,
            file=getattr(self.stderr, "_out", self.stderr),
            unit=_("incident"),
            disable=options.get("verbosity", 1) < 1,
        ) as bar:
            try:
                summary = seed_volume(
                    incidents=incidents,
                    seed=seed,
                    employees=employees,
                    teams=teams,
                    organisations=organisations,
                    append=append,
                    batch_size=batch,
                    workers=workers,
                    progress=bar.update,
                )
            except VolumeRefused as refusal:
                raise CommandError(str(refusal)) from refusal
        made = _(", ").join(f"{count} {name}" for name, count in summary.counts.items())
        self.stdout.write(_("Made %(made)s in %(seconds).1f s.") % {"made": made, "seconds": summary.seconds})
        rebuild_dashboard()
