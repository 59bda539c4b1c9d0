"""The aiosmtpd handler and server for the desk address, over SMTP or LMTP.

The database and the parser are synchronous: each step runs in a worker thread (smtp_serving.in_worker).
"""

from __future__ import annotations

import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP

from incidents.conf import missend
from incidents.desk import receiver as desk
from incidents.platform.smtp import in_worker, size_option

log = logging.getLogger(__name__)


class DeskHandler:
    """aiosmtpd hooks: refuse early (MAIL, RCPT) what would bounce anyway, decide at DATA."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        refusal = await in_worker(desk.check_sender, address, size_option(mail_options))
        if refusal:
            log.info("Refused MAIL FROM <%s>: %s", address, refusal)
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return desk.OK_SENDER

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = desk.check_recipient(address)
        if reply == desk.OK_RECIPIENT:
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
        else:
            log.info("Refused RCPT TO <%s>", address)
        return reply

    async def handle_DATA(self, server, session, envelope):
        try:
            reply = await in_worker(desk.receive, envelope.mail_from, bytes(envelope.original_content or b""))
        except Exception:  # the sending server keeps the message and retries after a 451
            log.exception("Could not take the forward from <%s>", envelope.mail_from)
            reply = desk.TRY_LATER
        if isinstance(server, LMTP):
            # LMTP answers DATA once per accepted recipient; the desk addresses all share one outcome.
            return "\r\n".join([reply] * max(len(envelope.rcpt_tos), 1))
        return reply

    async def handle_exception(self, error: Exception) -> str:
        log.error("Mail session failed: %s", error, exc_info=error)
        return desk.TRY_LATER


class _DeskReplies:
    """aiosmtpd's own size refusals carry no enhanced status code; the employee sees ours in the bounce."""

    async def push(self, status):
        if isinstance(status, str) and status.startswith("552 Error:"):
            status = desk.TOO_BIG
        await super().push(status)


class DeskSMTP(_DeskReplies, SMTP):
    pass


class DeskLMTP(_DeskReplies, LMTP):
    pass


class DeskController(Controller):
    """The receiver in a thread of its own; start() returns once it accepts connections."""

    def __init__(self, *, host: str, port: int, lmtp: bool = False, handler: DeskHandler | None = None):
        super().__init__(handler or DeskHandler(), hostname=host, port=port)
        self.lmtp = lmtp

    def factory(self):
        server_class = DeskLMTP if self.lmtp else DeskSMTP
        return server_class(
            self.handler,
            hostname=missend.MAILIN_HOSTNAME,
            ident="Missend Desk",
            data_size_limit=missend.MAILIN_MAX_BYTES,
            enable_SMTPUTF8=True,
            loop=self.loop,
        )
