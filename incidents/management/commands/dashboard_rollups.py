"""Bring the dashboard's rollups up to date, or rebuild them from every incident and review."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from incidents.insight.dashboard import services


class Command(BaseCommand):
    help = "Bring the dashboard's daily rollups up to date (--rebuild: recompute them all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Recompute every day from every incident and review (else only the days touched).",
        )

    def handle(self, *args, rebuild: bool, **options):
        summary = services.rebuild() if rebuild else services.refresh()
        message = (
            _(
                "Rebuilt the dashboard: %(days)s days, %(teams)s team rows, %(reporters)s reporter rows, "
                "%(open)s open escalation rows in %(seconds).1f s."
            )
            if summary.rebuilt
            else _(
                "Brought the dashboard up to date: %(days)s days recomputed, %(open)s open escalation rows in "
                "%(seconds).1f s."
            )
        )
        self.stdout.write(
            message
            % {
                "days": summary.days,
                "teams": summary.team_rows,
                "reporters": summary.reporter_rows,
                "open": summary.open_escalation_rows,
                "seconds": summary.seconds,
            }
        )
