"""File incident reports from sent messages, for back-office use: one report per .eml or .msg file."""

from __future__ import annotations

import io
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from incidents.message import MessageError
from incidents.models import Evidence
from incidents.reports.report import message_max_bytes, read_message
from incidents.reports.serializers import IncidentInSerializer, message_payload
from incidents.reports.services import KeptMessage, incident_file, incident_try
from incidents.vocabulary import Problem


def _first_error(errors) -> str:
    """One readable reason from a serializer's nested errors, naming the field."""
    if isinstance(errors, dict):
        field, detail = next(iter(errors.items()))
        reason = _first_error(detail)
        return reason if field == "non_field_errors" else f"{field}: {reason}"
    if isinstance(errors, list) and errors:
        return _first_error(next((e for e in errors if e), errors[0]))
    return str(errors)


class Command(BaseCommand):
    help = "File an incident report from each sent message (.eml or .msg), owned by the given reporter."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Sent messages, .eml or .msg.")
        parser.add_argument("--reporter", required=True, metavar="USER", help="Username (or email) of the reporter.")
        parser.add_argument(
            "--intended",
            action="extend",
            nargs="+",
            default=[],
            metavar="ADDR",
            help="Who the messages were meant for.",
        )
        parser.add_argument(
            "--problem",
            action="extend",
            nargs="+",
            default=[],
            metavar="CODE",
            help="What went wrong: " + ", ".join(Problem.values) + ".",
        )
        parser.add_argument(
            "--keep-evidence",
            action="store_true",
            help="Keep each message as evidence with its incident (stored with its SHA-256).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Assess each message but file nothing.")

    def handle(
        self,
        *args,
        files: list[str],
        reporter: str,
        intended: list[str],
        problem: list[str],
        dry_run: bool,
        keep_evidence: bool = False,
        **options,
    ):
        user = self._reporter(reporter)
        unknown = [code for code in problem if code not in Problem.values]
        if unknown:
            raise CommandError(
                _("Unknown problem code: %(codes)s (known: %(known)s).")
                % {"codes": ", ".join(unknown), "known": ", ".join(Problem.values)}
            )
        extra = {"intended_recipients": intended, "problems": problem}
        failed = 0
        # The bar goes to the raw stream: Django's wrapper would end each redraw with a new line.
        progress = tqdm(files, file=getattr(self.stderr, "_out", self.stderr), unit=_("file"), disable=len(files) < 2)
        for path in progress:
            ok, outcome = self._import(path, user, extra, dry_run, keep_evidence)
            failed += not ok
            with tqdm.external_write_mode(file=getattr(self.stdout, "_out", None)):
                self.stdout.write(f"{path}: {outcome}")
        progress.close()
        if failed:
            raise CommandError(_("%(failed)d of %(total)d files failed.") % {"failed": failed, "total": len(files)})

    def _reporter(self, name: str):
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=name).first() or users.filter(email__iexact=name).order_by("pk").first()
        if user is None:
            raise CommandError(_("Unknown reporter: %(name)s.") % {"name": name})
        return user

    def _import(self, path: str, user, extra: dict, dry_run: bool, keep: bool) -> tuple[bool, str]:
        """(succeeded, the result to print) for one file."""
        try:
            with open(path, "rb") as stream:
                data = stream.read(message_max_bytes() + 1)
            parsed = read_message(io.BytesIO(data), filename=os.path.basename(path))
        except FileNotFoundError:
            return False, _("failed: no such file")
        except IsADirectoryError:
            return False, _("failed: a folder, not a file")
        except OSError as error:
            return False, _("failed: cannot be read (%(error)s)") % {"error": error.strerror or error}
        except MessageError as error:
            return False, _("failed: %(reason)s") % {"reason": error.message}
        intake = IncidentInSerializer(data={**message_payload(parsed), **extra})
        if not intake.is_valid():
            return False, _("failed: %(reason)s") % {"reason": _first_error(intake.errors)}
        report = intake.to_report(intake.validated_data)
        if not dry_run:
            kept_message = KeptMessage(data, os.path.basename(path), Evidence.Source.COMMAND) if keep else None
            incident, kept = incident_file(reporter=user, report=report, keep=kept_message)
            outcome = _("filed #%(id)d (%(severity)s)") % {"id": incident.pk, "severity": incident.severity}
            if keep:
                outcome += ", " + _("kept as evidence (SHA-256 %(sha256)s)") % {"sha256": kept.sha256}
            return True, outcome
        severity = incident_try(reporter=user, report=report).severity
        outcome = _("would file (%(severity)s)") % {"severity": severity}
        return True, outcome + (", " + _("would keep it as evidence") if keep else "")
