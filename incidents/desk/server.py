"""The aiosmtpd handler and server for the desk address, over SMTP or LMTP: the desk's own MAIL, RCPT and
DATA rules on the shared base (incidents/platform/smtp.py).

The database and the parser are synchronous: each step runs in a worker thread (smtp.in_worker).
"""

from __future__ import annotations

import logging

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP

from incidents.conf import missend
from incidents.desk import receiver as desk
from incidents.platform.smtp import AsciiReplies, ServerController, StepHandler, in_worker, size_option

log = logging.getLogger(__name__)


class DeskHandler(StepHandler):
    """aiosmtpd hooks: refuse early (MAIL, RCPT) what would bounce anyway, decide at DATA."""

    TRY_LATER = desk.TRY_LATER
    log = log  # "Mail session failed" and "Could not take the forward" under this module's name

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
        reply = await self.reply_from(
            f"take the forward from <{envelope.mail_from}>",
            desk.receive,
            envelope.mail_from,
            bytes(envelope.original_content or b""),
        )
        if isinstance(server, LMTP):
            # LMTP answers DATA once per accepted recipient; the desk addresses all share one outcome.
            return "\r\n".join([reply] * max(len(envelope.rcpt_tos), 1))
        return reply


class _DeskReplies(AsciiReplies):
    TOO_BIG = desk.TOO_BIG  # the employee reads it in the bounce


class DeskSMTP(_DeskReplies, SMTP):
    pass


class DeskLMTP(_DeskReplies, LMTP):
    pass


class DeskController(ServerController):
    def __init__(self, *, host: str, port: int, lmtp: bool = False, handler: DeskHandler | None = None):
        super().__init__(handler or DeskHandler(), host=host, port=port)
        self.lmtp = lmtp
        self.server_class = DeskLMTP if lmtp else DeskSMTP

    def options(self) -> dict:
        return {
            "hostname": missend.MAILIN_HOSTNAME,
            "ident": "Missend Desk",
            "data_size_limit": missend.MAILIN_MAX_BYTES,
        }
