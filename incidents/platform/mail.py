"""The one way an email leaves Missend Desk: escalation notifications, the pending-report link, the
held-message notices and a draft sent from the user's own address all go through send().

send() writes the message in its reader's language (their chosen one, never the request's or the
worker's), makes site links absolute from SITE_URL, refuses a subject over several lines and a
recipient field naming more than one address, sends through Django's mail backend with EMAIL_TIMEOUT,
and logs one line per message on the "incidents.mail" logger: the template, how many recipients, and
the outcome (never the body). A failure is raised to the caller, who records it.
"""

from __future__ import annotations

import email.utils
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.utils import translation

from incidents.accounts.selectors import recipient_language
from project.jinja2 import render_email

log = logging.getLogger("incidents.mail")

# Headers a caller may set: our own markers, and those that thread a message.
HEADERS = re.compile(r"^(X-Missend-[A-Za-z-]+|Message-ID|In-Reply-To|References|Sender)$")
NOT_ONE_ADDRESS = re.compile(r"[\r\n,;]")
Context = Mapping | Callable[[], Mapping] | None


class MailRefused(BadHeaderError):
    """What the mail layer will not send: a header over several lines, a field naming several addresses."""


@dataclass(frozen=True)
class MailReader:
    """A recipient: one address and the language its reader reads ("" for the site's)."""

    address: str
    language: str = ""


def reader(user, address: str | None = None) -> MailReader:
    """A user as the recipient: their account email (or the address given), in the language they chose."""
    return MailReader(user.email if address is None else address, recipient_language(user))


@dataclass(frozen=True)
class Written:
    """An email already in words (a draft its sender wrote or approved): sent as it is, not rendered.

    name says what it is in the log line, as a template name does.
    """

    name: str
    subject: str
    text: str
    html: str = ""


def site_link(path: str) -> str:
    """The absolute address of a page of this site, for links in emails and webhooks."""
    return settings.SITE_URL.rstrip("/") + path


def render(
    template: str, context: Context = None, *, language: str = "", links: Mapping[str, str] | None = None
) -> Written:
    """templates/emails/<template>.subject.txt, .txt and .html in the given language (the site's for "").

    context is a plain mapping, or a function answering one: it is then built in that language too, for
    values holding translated words. links maps context names to site paths, made absolute here.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        values = dict((context() if callable(context) else context) or {})
        values.update({name: site_link(path) for name, path in (links or {}).items()})
        subject, text, html = render_email(template, values)
    return Written(template, subject, text, html)


def _one_address(address: str, field: str) -> str:
    if not isinstance(address, str) or NOT_ONE_ADDRESS.search(address):
        raise MailRefused(f"{field} must name one address: {address!r}")
    found = [a for _name, a in email.utils.getaddresses([address]) if a]
    if len(found) != 1 or "@" not in found[0]:
        raise MailRefused(f"{field} must name one address: {address!r}")
    return address


def _checked(message: Written, to, cc, sender, headers) -> None:
    if "\r" in message.subject or "\n" in message.subject:
        raise MailRefused("The subject must be one line")
    for field, recipients in (("To", to), ("Cc", cc)):
        for recipient in recipients:
            _one_address(recipient.address, field)
    if sender is not None:
        _one_address(sender, "From")
    for name, value in headers.items():
        if not HEADERS.match(name):
            raise MailRefused(f"The mail layer does not set the {name} header")
        if "\r" in str(value) or "\n" in str(value):
            raise MailRefused(f"The {name} header must be one line")


def _recipients(value: MailReader | Sequence[MailReader]) -> list[MailReader]:
    return [value] if isinstance(value, MailReader) else list(value)


def send(
    message: str | Written,
    *,
    to: MailReader | Sequence[MailReader],
    context: Context = None,
    links: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    sender: str | None = None,
    cc: Sequence[MailReader] = (),
) -> None:
    """Send one email; raises on any failure (MailRefused for what is never sent), the caller records it.

    message: a template set's name, rendered in the language of the "to" recipients (one language per
    message), or a Written email. sender: the From address; None for DEFAULT_FROM_EMAIL.
    """
    to, cc, headers = _recipients(to), list(cc), dict(headers or {})
    name = message.name if isinstance(message, Written) else message
    count = len(to) + len(cc)
    try:
        if not isinstance(message, Written):
            languages = {r.language for r in to}
            if len(languages) != 1:
                raise MailRefused("One email is written in one language: send one to each reader")
            message = render(message, context, language=languages.pop(), links=links)
        _checked(message, to, cc, sender, headers)
        email_message = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=sender,
            to=[r.address for r in to],
            cc=[r.address for r in cc],
            headers=headers,
            connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
        )
        if message.html:
            email_message.attach_alternative(message.html, "text/html")
        email_message.send(fail_silently=False)
    except Exception as error:
        outcome = "refused" if isinstance(error, MailRefused) else "failed"
        log.warning("email %s to %s recipient(s): %s (%s: %s)", name, count, outcome, type(error).__name__, error)
        raise
    log.info("email %s to %s recipient(s): sent", name, count)
