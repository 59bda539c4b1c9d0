"""What the desk answers at each SMTP step, as plain synchronous functions (the ORM and the parser).

The answers are SMTP replies with enhanced status codes, in English: they reach the employee in a
bounce, so each says what was wrong in words they can act on.
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation

from incidents.accounts.selectors import recipient_language
from incidents.conf import missend
from incidents.desk import services as pending
from incidents.desk.auth import sender_authenticated, trusted_results
from incidents.message import MessageError, forwarded_message, report_fields

log = logging.getLogger(__name__)

OK_SENDER = "250 2.1.0 Sender OK"
OK_RECIPIENT = "250 2.1.5 Recipient OK"
NO_MAILBOX = "550 5.1.1 no such mailbox here"
NOT_A_USER = "550 5.7.1 Sender is not a Missend Desk user"
AMBIGUOUS_USER = "550 5.7.1 Sender address belongs to more than one Missend Desk user; ask an administrator"
FROM_NOT_SENDER = "550 5.7.1 The From header is not the same Missend Desk user as the envelope sender"
NOT_AUTHENTICATED = "550 5.7.1 Sender not authenticated: the mail server did not report a dmarc or spf pass"
TOO_BIG = "552 5.3.4 Message too big"
NO_FORWARD = "554 5.6.0 No forwarded message found: forward the mis-sent email as an attachment"
TRY_LATER = "451 4.3.0 Temporary failure on the desk, please try again later"
MAX_REPLY_TEXT = 400


def accepted(pending_id: int) -> str:
    return f"250 2.0.0 Received as pending report {pending_id}: a link to complete it is on its way"


def unreadable_forward(sentence: str) -> str:
    """554 with the parser's sentence, made one ASCII line (a reply may not carry anything else)."""
    detail = " ".join(sentence.split()).encode("ascii", "replace").decode()[:MAX_REPLY_TEXT]
    return f"{NO_FORWARD} ({detail})" if detail else NO_FORWARD


def users_for_address(address: str) -> list:
    """Active users whose account email or bound sending address is this one, case-insensitively."""
    address = (address or "").strip()
    if not address or "@" not in address:
        return []
    User = get_user_model()
    query = Q(email__iexact=address) | Q(profile__sending_address__iexact=address)
    return list(User.objects.filter(query, is_active=True).distinct().order_by("pk")[:2])


def check_sender(envelope_from: str, size: int | None = None) -> str | None:
    """At MAIL FROM: a refusal, or None to go on. Refusing here spares the upload of a message we would bounce."""
    if size is not None and size > missend.MAILIN_MAX_BYTES:
        return TOO_BIG
    users = users_for_address(envelope_from)
    if not users:
        return NOT_A_USER
    if len(users) > 1:
        return AMBIGUOUS_USER
    return None


def check_recipient(address: str) -> str:
    if (address or "").strip().lower() in missend.MAILIN_ADDRESSES:
        return OK_RECIPIENT
    return NO_MAILBOX


def _outer_headers(content: bytes):
    # compat32 hands back raw header strings and never raises on odd ones; addresses are parsed below.
    return email.parser.BytesParser(policy=email.policy.compat32).parsebytes(content, headersonly=True)


def _header_from(headers) -> str | None:
    """The single address of the From header, or None when it names none or several."""
    values = [str(v) for v in headers.get_all("From", [])]
    found = [addr for _name, addr in email.utils.getaddresses(values) if addr and "@" in addr]
    return found[0] if len(found) == 1 else None


def receive(envelope_from: str, content: bytes) -> str:
    """At the end of DATA: who sent it, may they, and what they forwarded; stores a PendingReport on success."""
    if len(content) > missend.MAILIN_MAX_BYTES:
        return TOO_BIG
    refusal = check_sender(envelope_from)
    if refusal:
        return refusal
    [owner] = users_for_address(envelope_from)
    headers = _outer_headers(content)
    header_from = _header_from(headers)
    if header_from is None or [u.pk for u in users_for_address(header_from)] != [owner.pk]:
        return FROM_NOT_SENDER
    if missend.MAILIN_REQUIRE_AUTH:
        results = trusted_results(
            [str(v) for v in headers.get_all("Authentication-Results", [])], missend.MAILIN_AUTHSERV_ID
        )
        if not sender_authenticated(
            results, methods=missend.MAILIN_AUTH_METHODS, header_from=header_from, envelope_from=envelope_from
        ):
            log.info("Refused a forward from %s: no trusted authentication pass", envelope_from)
            return NOT_AUTHENTICATED
    try:
        # Warnings are kept for the owner to read: in their language.
        with translation.override(recipient_language(owner)):
            parsed = forwarded_message(content)
    except MessageError:
        # The reply goes back over SMTP, which carries ASCII only: the parser's sentence in English.
        with translation.override("en"):
            try:
                forwarded_message(content)
            except MessageError as error:
                return unreadable_forward(error.message)
        raise
    report = pending.pending_report_receive(
        owner=owner,
        fields=report_fields(parsed),
        warnings=list(getattr(parsed, "warnings", ())),
        notify_address=owner.email or header_from,
    )
    log.info("Forward from %s stored as pending report %s", envelope_from, report.pk)
    return accepted(report.pk)
