"""A draft as a ready-to-send .eml (X-Unsent) in the original thread, or as a mailto: link.

Nothing a user typed can add or split a header: addresses with CR, LF, commas or anything
beyond one plain mailbox are refused; names and the subject lose their control characters.
A display name goes out as plain words only when it is nothing but atoms; anything else
becomes RFC 2047 encoded words, so no quote, comma or angle bracket in it is ever header
syntax. The address headers are folded here rather than by the email package, whose folder
drops the quotes around a long quoted name and so let a name swallow or add mailboxes.
"""

from __future__ import annotations

import re
from email import base64mime, policy
from email.message import EmailMessage
from urllib.parse import quote

from incidents.correspondence.context import one_line
from incidents.correspondence.facts import Draft, Mailbox
from incidents.correspondence.rendering import clean_subject
from incidents.vocabulary import DraftKind, DraftLanguage, TemplatePart

MAILTO_LIMIT = 2_000
# Quoted-printable or base64 bodies: safe for any relay or mail client opening the file.
# refold_source="none": the address headers below are already folded and must be kept as built.
EML_POLICY = policy.SMTP.clone(cte_type="7bit", refold_source="none")
HEADER_WIDTH = 78  # RFC 5322's recommended line length
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,75}")  # RFC 5322 atext, short enough for a line
NAME_LIMIT = 200
ENCODED_CHUNK_BYTES = 45  # 60 base64 characters: each encoded word stays within RFC 2047's 75
_MAILBOX = re.compile(r"^[^\s@,;:<>()\[\]\"\\]+@[^\s@,;:<>()\[\]\"\\]+$")
_MESSAGE_ID = re.compile(r"<?([^<>\s@]+@[^<>\s@]+)>?")  # RFC 5322: id-left "@" id-right
SHORTENED_NOTE = {
    DraftLanguage.EN: "[Shortened: copy the full text from Missend Desk.]",
    DraftLanguage.ZH_HANS: "[内容过长，已截断：请从 Missend Desk 复制全文。]",
    DraftLanguage.ZH_HANT: "[內容過長，已截斷：請從 Missend Desk 複製全文。]",
}


def check_address(address: str) -> str:
    """One bare mailbox (local@domain), trimmed; ValueError for anything else."""
    if not isinstance(address, str) or re.search(r"[\x00-\x1f\x7f,;]", address):
        raise ValueError(f"Not a single email address: {address!r}")
    address = address.strip()
    if not _MAILBOX.match(address) or address.startswith(".") or address.endswith("."):
        raise ValueError(f"Not a single email address: {address!r}")
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValueError(f"Non-ASCII mailbox names are not supported: {address!r}")
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")  # internationalised domains go as punycode
    return f"{local}@{domain}"


def _encoded_words(text: str) -> list[str]:
    """text as RFC 2047 encoded words, split between characters, never inside one."""
    chunks, chunk = [], b""
    for char in text:
        data = char.encode("utf-8", "replace")
        if chunk and len(chunk) + len(data) > ENCODED_CHUNK_BYTES:
            chunks.append(chunk)
            chunk = b""
        chunk += data
    chunks.append(chunk)
    return [base64mime.header_encode(c, "utf-8") for c in chunks]


def _name_words(name: str) -> list[str]:
    """The display name as header words: atoms stay readable, every other run of words is encoded.

    Mail clients drop the space between two adjacent encoded words but keep it between an
    encoded word and an atom, so a run of non-atoms is encoded with its own spaces inside.
    """
    words: list[str] = []
    run: list[str] = []
    for word in one_line(name, NAME_LIMIT).split():
        if _ATOM.fullmatch(word) and "=?" not in word:
            if run:
                words += _encoded_words(" ".join(run))
                run = []
            words.append(word)
        else:
            run.append(word)
    if run:
        words += _encoded_words(" ".join(run))
    return words


def _mailbox_words(contact: Mailbox) -> list[str]:
    address = check_address(contact.address)
    words = _name_words(contact.name)
    return [*words, f"<{address}>"] if words else [address]


def _address_header(field: str, contacts: list[Mailbox]) -> str:
    """The header value for field, folded only at the spaces between words (never inside one)."""
    words: list[str] = []
    for position, contact in enumerate(contacts):
        mailbox = _mailbox_words(contact)
        if position < len(contacts) - 1:
            mailbox[-1] += ","
        words += mailbox
    lines, used = [""], len(field) + 2  # "To: " starts the first line
    for word in words:
        if lines[-1] and used + len(lines[-1]) + 1 + len(word) > HEADER_WIDTH:
            lines.append("")
            used = 1  # the space that marks a continuation line
        lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return "\n ".join(lines)


def message_id(value: str | None) -> str | None:
    """ "<id@host>" from "id@host", "<id@host>" or with stray spaces; None if it is not one id."""
    value = one_line(value, 998).strip()
    match = _MESSAGE_ID.fullmatch(value) if value else None
    return f"<{match.group(1)}>" if match else None


def _references(references: str | None, in_reply_to: str | None) -> str | None:
    ids = [i for i in (message_id(token) for token in one_line(references, 20_000).split()) if i]
    if in_reply_to and in_reply_to not in ids:
        ids.append(in_reply_to)
    return " ".join(ids) or None


def build_eml(draft: Draft, *, sender: Mailbox, in_reply_to: str | None, references: str | None = None) -> bytes:
    """The draft as an unsent message from the sender's own mailbox, threaded under in_reply_to.

    Raises ValueError for a call script (not an email) or any address that is not one mailbox.
    """
    if draft.kind == DraftKind.CALL_SCRIPT:
        raise ValueError("A call script is read on the phone, not sent: it has no .eml.")
    message = EmailMessage(policy=EML_POLICY)
    message.set_raw("From", _address_header("From", [sender]))
    if draft.to:
        message.set_raw("To", _address_header("To", list(draft.to)))
    if draft.cc:
        message.set_raw("Cc", _address_header("Cc", list(draft.cc)))
    message["Subject"] = clean_subject(draft.subject)
    # Outlook and Thunderbird open a message with X-Unsent: 1 as a draft ready to send.
    message["X-Unsent"] = "1"
    parent = message_id(in_reply_to)
    if parent:
        message["In-Reply-To"] = parent
    thread = _references(references, parent)
    if thread:
        message["References"] = thread
    message.set_content(draft.text, charset="utf-8")
    if draft.html:
        message.add_alternative(draft.html, subtype=TemplatePart.HTML.value, charset="utf-8")
    return message.as_bytes()


def _mailto(to: str, query: list[tuple[str, str]]) -> str:
    encoded = "&".join(f"{name}={quote(value, safe='')}" for name, value in query if value)
    return f"mailto:{to}" + (f"?{encoded}" if encoded else "")


def mailto_url(draft: Draft, *, limit: int = MAILTO_LIMIT) -> str:
    """A mailto: link (RFC 6068) with to, cc, subject and body; the body is cut, with a note,
    so the link stays under limit characters, which old mail clients and browsers need.

    If the addresses and subject alone pass the limit the link is returned longer than it.
    """
    if draft.kind == DraftKind.CALL_SCRIPT:
        raise ValueError("A call script is read on the phone, not sent: it has no mailto: link.")
    to = ",".join(quote(check_address(c.address), safe="@") for c in draft.to)
    cc = ",".join(check_address(c.address) for c in draft.cc)
    subject = clean_subject(draft.subject)
    body = draft.text.replace("\r\n", "\n").replace("\n", "\r\n")  # RFC 6068: CRLF, percent-encoded

    def url(text: str) -> str:
        return _mailto(to, [("cc", cc), ("subject", subject), ("body", text)])

    if len(url(body)) <= limit:
        return url(body)
    note = "\r\n\r\n" + SHORTENED_NOTE.get(draft.language, SHORTENED_NOTE[DraftLanguage.EN])
    low, high = 0, len(body)  # the longest prefix that fits, by bisection over characters
    while low < high:
        middle = (low + high + 1) // 2
        if len(url(body[:middle] + note)) <= limit:
            low = middle
        else:
            high = middle - 1
    return url(body[:low].rstrip() + note)


__all__ = ["build_eml", "check_address", "mailto_url", "message_id"]
