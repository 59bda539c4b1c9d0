"""The aiosmtpd side of the hold-and-check relay: its own AUTH, trusted networks and TLS on the shared
base (incidents/platform/smtp.py).

Refusals come as early as possible (MAIL, RCPT) so a message that would bounce is never uploaded. The
database, the parser and password checks are synchronous: each runs in one worker thread (asgiref's
thread-sensitive executor), as in the desk's receiver.
"""

from __future__ import annotations

import asyncio
import logging
import ssl

from aiosmtpd.smtp import SMTP, AuthResult

from incidents.conf import missend
from incidents.message import MessageError
from incidents.platform.smtp import AsciiReplies, ServerController, StepHandler, in_worker, size_option
from incidents.relay import policy
from incidents.relay.services import hold

log = logging.getLogger(__name__)
FAILED_AUTH_PAUSE = 1.0  # seconds before answering a wrong password: guessing gets slow


def _peer_host(session) -> str | None:
    peer = session.peer
    return peer[0] if isinstance(peer, tuple) and peer else None


def _hold(envelope_from: str, envelope_recipients: list[str], content: bytes) -> str:
    """At the end of DATA: hold the message; the reply says until when, or why it cannot be checked."""
    try:
        held = hold.message_hold(envelope_from=envelope_from, envelope_recipients=envelope_recipients, raw=content)
    except MessageError as error:
        return policy.unreadable(error.message)
    return policy.accepted(held)


class RelayHandler(StepHandler):
    """aiosmtpd hooks: who may relay (MAIL), how many recipients (RCPT), check and hold (DATA)."""

    TRY_LATER = policy.TRY_LATER
    name = "Relay"
    log = log  # "Relay session failed" and "Could not hold the message" under this module's name

    def __init__(self, networks: tuple):
        self.networks = networks

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        trusted = policy.trusted_peer(_peer_host(session), self.networks)
        user_id = session.auth_data if session.authenticated else None
        if not policy.may_relay(trusted=trusted, authenticated=user_id is not None):
            log.info("Refused MAIL FROM <%s> from %s: not a trusted network, not signed in", address, session.peer)
            return policy.AUTH_REQUIRED
        refusal = policy.size_refusal(size_option(mail_options), missend.RELAY_MAX_BYTES)
        refusal = refusal or await in_worker(hold.sender_refusal, address, user_id)
        if refusal:
            log.info("Refused MAIL FROM <%s>: %s", address, refusal)
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return policy.OK_SENDER

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = policy.recipients_refusal(len(envelope.rcpt_tos), missend.RELAY_MAX_RECIPIENTS)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return policy.OK_RECIPIENT

    async def handle_DATA(self, server, session, envelope):
        content = bytes(envelope.original_content or b"")
        if policy.size_refusal(len(content), missend.RELAY_MAX_BYTES):
            return policy.TOO_BIG
        return await self.reply_from(
            f"hold the message from <{envelope.mail_from}>", _hold, envelope.mail_from, list(envelope.rcpt_tos), content
        )


class RelaySMTP(AsciiReplies, SMTP):
    """AUTH PLAIN/LOGIN against Missend Desk accounts, only over TLS or loopback; our own size reply."""

    TOO_BIG = policy.TOO_BIG

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offered = None

    async def smtp_AUTH(self, arg: str) -> None:
        tls = self._tls_protocol is not None
        if arg and not policy.may_authenticate(tls=tls, loopback=policy.loopback_peer(_peer_host(self.session))):
            await self.push(policy.ENCRYPTION_REQUIRED)
            return
        await super().smtp_AUTH(arg)

    # aiosmtpd calls _authenticate synchronously from its auth_* methods; the password check (a slow
    # hash, and the database) must not block the loop, so it is deferred and awaited here instead.
    _DEFERRED = AuthResult(success=False, handled=True)

    def _authenticate(self, mechanism, auth_data):
        self._offered = auth_data
        return self._DEFERRED

    async def _checked(self, result: AuthResult) -> AuthResult:
        if result is not self._DEFERRED:
            return result
        offered, self._offered = self._offered, None
        login = offered.login.decode("utf-8", "replace")
        try:
            user_id = await in_worker(
                hold.authenticate, login, offered.password.decode("utf-8", "replace"), _peer_host(self.session)
            )
        except hold.LockedOut:
            log.info("Refused AUTH for %r from %s: locked out after too many failures", login, self.session.peer)
            await asyncio.sleep(FAILED_AUTH_PAUSE)
            return AuthResult(success=False, handled=False, message=policy.locked_out(missend.LOGIN_LOCKOUT_MINUTES))
        if user_id is None:
            log.info("Failed AUTH for %r from %s", login, self.session.peer)
            await asyncio.sleep(FAILED_AUTH_PAUSE)
            return AuthResult(success=False, handled=False, message=policy.AUTH_INVALID)
        return AuthResult(success=True, auth_data=user_id)

    async def auth_PLAIN(self, _, args):
        return await self._checked(await super().auth_PLAIN(_, args))

    async def auth_LOGIN(self, _, args):
        return await self._checked(await super().auth_LOGIN(_, args))


def tls_context() -> ssl.SSLContext | None:
    if not (missend.RELAY_TLS_CERT and missend.RELAY_TLS_KEY):
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(missend.RELAY_TLS_CERT, missend.RELAY_TLS_KEY)
    return context


class RelayController(ServerController):
    server_class = RelaySMTP

    def __init__(self, *, host: str, port: int, networks: tuple):
        super().__init__(RelayHandler(networks), host=host, port=port)
        self.tls = tls_context()

    def options(self) -> dict:
        return {
            "hostname": missend.RELAY_HOSTNAME,
            "ident": "Missend Desk hold-and-check relay",
            "data_size_limit": missend.RELAY_MAX_BYTES,
            "tls_context": self.tls,
            "auth_require_tls": False,
            "auth_exclude_mechanism": ["CRAM-MD5"],
        }
