"""Which mail system sent a message, read from the headers it left (first matching rule wins).

The rules are ordered from the strongest evidence (the provider's own servers in Received or
Message-ID) to the weakest (the desktop program's X-Mailer). Received headers are read from
the oldest hop, the sender's side, towards the recipient's.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from incidents.vocabulary import MailSystem


@dataclass(frozen=True)
class Rule:
    system: str
    sources: tuple[str, ...]  # header names, plus "from-domain" for the sender's address domain
    needles: tuple[str, ...]  # lower-case substrings


SERVER = ("received", "message-id")
RULES: tuple[Rule, ...] = (
    Rule(MailSystem.MICROSOFT365, SERVER, ("protection.outlook.com", "prod.outlook.com", ".outlook.com")),
    Rule(MailSystem.EXCHANGE, ("x-mimeole",), ("microsoft exchange",)),
    Rule(MailSystem.EXCHANGE, ("received", "x-mailer"), ("microsoft exchange", "microsoft smtp server")),
    Rule(MailSystem.LOTUS_NOTES, ("x-mailer", "received", "x-mimetrack"), ("lotus notes", "domino")),
    Rule(MailSystem.QQ, (*SERVER, "x-mailer", "from-domain"), ("qq.com", "foxmail")),
    Rule(MailSystem.NETEASE, (*SERVER, "x-mailer", "from-domain"), ("163.com", "126.com", "yeah.net", "netease")),
    Rule(MailSystem.ALIYUN, (*SERVER, "x-mailer", "from-domain"), ("aliyun", "alimail", "alibaba")),
    Rule(MailSystem.GMAIL, (*SERVER, "from-domain"), ("google.com", "gmail.com", "googlemail.com")),
    Rule(MailSystem.GMAIL, ("x-gm-message-state", "x-google-smtp-source"), ("",)),
    Rule(MailSystem.MICROSOFT365, ("x-mailer", "user-agent"), ("microsoft outlook", "microsoft-macoutlook")),
)


def header_values(message: Message, sender_domain: str = "") -> dict[str, list[str]]:
    """The headers the rules read, lower-cased; Received oldest first."""
    values: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        key = name.strip().lower()
        if any(key in rule.sources for rule in RULES):
            values.setdefault(key, []).append(" ".join(str(value).lower().split()))
    values["received"] = list(reversed(values.get("received", [])))
    if sender_domain:
        values["from-domain"] = [sender_domain.lower()]
    return values


def guess_mail_system(values: dict[str, list[str]]) -> str | None:
    for rule in RULES:
        for source in rule.sources:
            for value in values.get(source, ()):
                if any(needle in value for needle in rule.needles):
                    return str(rule.system)
    return None
