"""Receive messages forwarded to the desk address over SMTP (or LMTP) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.conf import missend
from incidents.desk.server import DeskController
from incidents.platform.smtp import serve_until_stopped


class Command(BaseCommand):
    help = "Accept mis-sent emails forwarded (as attachments) to the desk address; each becomes a pending report."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8025, help="Port to listen on (default 8025).")
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP instead of SMTP (for a local MTA).")

    def handle(self, *args, host: str, port: int, lmtp: bool, **options):
        if missend.MAILIN_REQUIRE_AUTH and not missend.MAILIN_AUTHSERV_ID:
            raise CommandError(
                _(
                    "MISSEND_MAILIN_REQUIRE_AUTH is on but MISSEND_MAILIN_AUTHSERV_ID is empty: "
                    "name the mail server whose Authentication-Results header is trusted."
                )
            )
        if not missend.MAILIN_ADDRESSES:
            raise CommandError(_("MISSEND_MAILIN_ADDRESSES is empty: name the desk address(es) to accept."))
        if options["verbosity"] < 2:
            # aiosmtpd logs every command of every session at INFO; our own log lines say what was decided.
            logging.getLogger("mail.log").setLevel(logging.WARNING)
        controller = DeskController(host=host, port=port, lmtp=lmtp)
        try:
            controller.start()
        except OSError as error:
            raise CommandError(
                _("Cannot listen on %(host)s:%(port)s: %(error)s") % {"host": host, "port": port, "error": error}
            ) from None
        self.stdout.write(
            _("Receiving mail for %(addresses)s on %(host)s:%(port)s (%(protocol)s); Ctrl-C stops.")
            % {
                "addresses": ", ".join(missend.MAILIN_ADDRESSES),
                "host": host,
                "port": port,
                "protocol": "LMTP" if lmtp else "SMTP",
            },
            ending="\n",
        )
        self.stdout.flush()
        serve_until_stopped(controller)
        self.stdout.write(_("Mail receiver stopped."))
