"""Run the hold-and-check relay: outgoing mail is checked, held for its sender to cancel, then relayed."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.conf import missend
from incidents.platform.smtp import serve_until_stopped
from incidents.relay import policy
from incidents.relay.server import RelayController


class Command(BaseCommand):
    help = "Check outgoing mail, hold it for a while so its sender can cancel it, then pass it to the upstream server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8587, help="Port to listen on (default 8587).")

    def handle(self, *args, host: str, port: int, **options):
        try:
            policy.split_host_port(missend.RELAY_UPSTREAM)
        except ValueError:
            raise CommandError(
                _(
                    "MISSEND_RELAY_UPSTREAM is not set to host:port: name the outgoing mail server "
                    "held messages are passed to."
                )
            ) from None
        try:
            networks = policy.parse_networks(missend.RELAY_NETWORKS)
        except ValueError as error:
            raise CommandError(_("MISSEND_RELAY_NETWORKS: %(error)s") % {"error": error}) from None
        if options["verbosity"] < 2:
            # aiosmtpd logs every command of every session at INFO; our own log lines say what was decided.
            logging.getLogger("mail.log").setLevel(logging.WARNING)
        try:
            controller = RelayController(host=host, port=port, networks=networks)
            controller.start()
        except (OSError, ValueError) as error:
            raise CommandError(
                _("Cannot listen on %(host)s:%(port)s: %(error)s") % {"host": host, "port": port, "error": error}
            ) from None
        self.stdout.write(
            _(
                "Holding outgoing mail on %(host)s:%(port)s for %(seconds)s s by default, then relaying to "
                "%(upstream)s; Ctrl-C stops."
            )
            % {
                "host": host,
                "port": port,
                "seconds": missend.HOLD_SECONDS,
                "upstream": missend.RELAY_UPSTREAM,
            },
            ending="\n",
        )
        self.stdout.flush()
        serve_until_stopped(controller)
        self.stdout.write(_("Relay stopped; held messages stay held and are released by the worker."))
