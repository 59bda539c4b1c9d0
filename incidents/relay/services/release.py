"""Sending a held message on, and the sender's two buttons (Send now, Cancel).

The row is the truth. A release claims the row (held -> releasing, with a token) in one conditional
UPDATE, so a cancel racing a release has exactly one winner, and a cancelled message never leaves.
Once the upstream server has answered 250 the row is marked released and its bytes dropped. A worker
killed between the upstream's 250 and that mark leaves the claim in releasing; after the lease the
sweeper puts it back and it is sent again, recorded as `resent_after_lost_worker` (the only way a
message can reach the upstream twice; both copies carry the same Message-ID).
"""

from __future__ import annotations

import enum
import logging
import secrets
import smtplib
import ssl
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access
from incidents.conf import missend
from incidents.errors import PermissionDenied
from incidents.models import HeldMessage
from incidents.platform import jobs
from incidents.relay import policy
from incidents.relay.services import notice

log = logging.getLogger(__name__)
Status = HeldMessage.Status


class Outcome(enum.StrEnum):
    """What a button press did, for the page to say."""

    DONE = "done"
    ALREADY_LEAVING = "already_leaving"  # the release claimed it first: it is on its way
    ALREADY_SENT = "already_sent"
    ALREADY_CANCELLED = "already_cancelled"
    FAILED = "failed"


def _state_outcome(status: str) -> Outcome:
    return {
        Status.RELEASING: Outcome.ALREADY_LEAVING,
        Status.RELEASED: Outcome.ALREADY_SENT,
        Status.CANCELLED: Outcome.ALREADY_CANCELLED,
    }.get(status, Outcome.FAILED)


def _require_may_act(actor, held: HeldMessage) -> None:
    scope = access.held_messages_for(actor)
    if scope is not None and not HeldMessage.objects.filter(scope, pk=held.pk).exists():
        raise PermissionDenied(_("Only its sender can send or cancel a held message."))


def held_cancel(*, held: HeldMessage, actor) -> Outcome:
    """Held -> cancelled in one conditional update: never after a release has claimed it."""
    _require_may_act(actor, held)
    now = timezone.now()
    moved = HeldMessage.objects.filter(pk=held.pk, status=Status.HELD).update(
        status=Status.CANCELLED, cancelled_by=actor, cancelled_at=now
    )
    if moved:
        log.info("Held message %s cancelled by user %s", held.pk, actor.pk)
        return Outcome.DONE
    return _state_outcome(HeldMessage.objects.filter(pk=held.pk).values_list("status", flat=True).first())


def held_send_now(*, held: HeldMessage, actor) -> Outcome:
    """Make it due now and enqueue its release after commit (the sweeper catches it if that is lost)."""
    _require_may_act(actor, held)
    now = timezone.now()
    with transaction.atomic():
        moved = HeldMessage.objects.filter(pk=held.pk, status=Status.HELD).update(
            due_at=now, sent_now_by=actor, sent_now_at=now, enqueued_at=now
        )
        if moved:
            jobs.enqueue_after_commit(jobs.RELEASE_HELD_MESSAGE, [held.pk])
    if moved:
        return Outcome.DONE
    return _state_outcome(HeldMessage.objects.filter(pk=held.pk).values_list("status", flat=True).first())


def _claim(held_id: int, now: datetime) -> HeldMessage | None:
    """Held and due -> releasing; only the one caller that moves it may send it."""
    token = secrets.token_hex(8)
    moved = HeldMessage.objects.filter(pk=held_id, status=Status.HELD, due_at__lte=now).update(
        status=Status.RELEASING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    if not moved:
        return None
    return HeldMessage.objects.get(pk=held_id)


def upstream_send(*, envelope_from: str, recipients: list[str], raw: bytes) -> dict:
    """Pass the message to MISSEND_RELAY_UPSTREAM as received; answers the recipients it refused."""
    host, port = policy.split_host_port(missend.RELAY_UPSTREAM)
    timeout = missend.RELAY_UPSTREAM_TIMEOUT
    mode = missend.RELAY_UPSTREAM_TLS
    if mode == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if mode == "starttls":
            client.starttls(context=ssl.create_default_context())
        if missend.RELAY_UPSTREAM_USER:
            client.login(missend.RELAY_UPSTREAM_USER, missend.RELAY_UPSTREAM_PASSWORD)
        return client.sendmail(envelope_from, recipients, raw)


def _error_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return min(codes) if codes else None  # any 4xx among them: worth retrying
    return getattr(error, "smtp_code", None)


def release(held_id: int) -> str:
    """Send one due held message; answers what happened (for logs and tests)."""
    held = _claim(held_id, timezone.now())
    if held is None:
        return "not due or not held"
    try:
        refused = upstream_send(
            envelope_from=held.envelope_from, recipients=list(held.envelope_recipients), raw=bytes(held.raw)
        )
    except Exception as error:
        return _record_failure(held, error)
    note = "; ".join(
        f"{address}: {code} {message.decode(errors='replace')}" for address, (code, message) in refused.items()
    )
    marked = HeldMessage.objects.filter(pk=held.pk, status=Status.RELEASING, claim_token=held.claim_token).update(
        status=Status.RELEASED, released_at=timezone.now(), raw=b"", upstream_reply=note[:500], last_error=""
    )
    log.info(
        "Held message %s released to the upstream%s", held.pk, "" if marked else " (its claim had been taken over)"
    )
    return Status.RELEASED


def _record_failure(held: HeldMessage, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    permanent = policy.upstream_failure_is_permanent(_error_code(error))
    mine = HeldMessage.objects.filter(pk=held.pk, status=Status.RELEASING, claim_token=held.claim_token)
    if permanent or held.attempts >= missend.RELAY_MAX_ATTEMPTS:
        if mine.update(status=Status.FAILED, last_error=text):
            try:
                notice.notify_failed(held.pk)
            except Exception:
                log.warning("Could not tell the sender that held message %s failed", held.pk, exc_info=True)
        log.warning("Held message %s not sent (attempt %s, given up): %s", held.pk, held.attempts, text)
        return Status.FAILED
    # Back to held: it has not left, so the sender may still cancel it while it waits for the retry.
    mine.update(
        status=Status.HELD,
        last_error=text,
        enqueued_at=None,
        due_at=timezone.now() + policy.retry_delay(held.attempts, missend.RELAY_RETRY_BASE_SECONDS),
    )
    log.warning("Held message %s not sent (attempt %s, will retry): %s", held.pk, held.attempts, text)
    return "retry"
