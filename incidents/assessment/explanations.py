"""Human text for factors and recall advice, rendered from plain params in the reader's language.

Only stored params are used (never the directory or the facts), so an explanation rendered
months later from the JSONField reads the same as on the day of the assessment.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.vocabulary import (
    RECALL_SYSTEMS,
    FactorCode,
    MailSystem,
    OrganisationKind,
    Problem,
    RecallVerdict,
    RecipientStatus,
)

if TYPE_CHECKING:  # types.py asks this module for its sentences
    from incidents.assessment.types import Factor, Recall

NO_OUTSIDE_RECALL_SYSTEMS = (MailSystem.QQ, MailSystem.NETEASE, MailSystem.ALIYUN)


def _join(items) -> str:
    # Translators: separates items of a list inside a sentence (Chinese uses 、 or ，).
    return _(", ").join(str(item) for item in items if str(item))


def _organisation(name: str, kind: str) -> str:
    labels = {
        OrganisationKind.COMPETITOR: _("%(name)s, a competitor"),
        OrganisationKind.CLIENT: _("%(name)s, a client"),
        OrganisationKind.INTERNAL: _("%(name)s, internal"),
    }
    return labels.get(kind, _("%(name)s, not in the directory")) % {"name": name}


def _who(params: dict) -> str:
    """ "bob@rival.com (Rival Ltd, a competitor), ..." from the parallel lists of a factor."""
    addresses = list(params.get("recipients") or [])
    names = list(params.get("organisations") or [])
    kinds = list(params.get("kinds") or [])
    described = []
    for index, address in enumerate(addresses):
        if index < len(names):
            kind = kinds[index] if index < len(kinds) else ""
            described.append(
                _("%(address)s (%(organisation)s)")
                % {"address": address, "organisation": _organisation(names[index], kind)}
            )
        else:
            described.append(address)
    return _join(described)


def _count(params: dict) -> int:
    return len(params.get("recipients") or [])


def _money(amount: str, currency: str) -> str:
    return f"{amount} {currency}".strip()


def percent(gap: str) -> str:
    """A stored gap such as "0.1000" as "10.0"; cut, not rounded, so 9.99% never shows as 10.0%."""
    try:
        return format((Decimal(gap) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN), "f")
    except (InvalidOperation, TypeError, ValueError):
        return "?"


def _quote(params: dict) -> str:
    currency = params.get("currency", "")
    return _("Quoted %(quoted)s against a correct %(correct)s: %(percent)s%% too low.") % {
        "quoted": _money(params.get("quoted", "?"), currency),
        "correct": _money(params.get("correct", "?"), currency),
        "percent": percent(params.get("gap", "")),
    }


def _problem_label(problem: str) -> str:
    return {
        Problem.WRONG_ATTACHMENT: _("a wrong or outdated attachment"),
        Problem.WRONG_CONTENT: _("wrong content"),
        Problem.WRONG_PRICE: _("a wrong price"),
    }.get(problem, problem)


def _internal_only(p: dict) -> str:
    # Two messages, not ngettext: the singular names no count, and a language with one plural form
    # (Chinese) could not write one sentence that both pybabel and msgfmt accept for both.
    values = {"who": _join(p.get("recipients") or []), "count": _count(p)}
    if _count(p) == 1:
        return _("The only recipient, %(who)s, is internal.") % values
    return _("All %(count)d recipients are internal: %(who)s.") % values


def _unintended_external(p: dict) -> str:
    return ngettext(
        "%(who)s received it unintentionally and is outside the company.",
        "%(who)s received it unintentionally and are outside the company.",
        _count(p),
    ) % {"who": _who(p)}


def _wrong_client(p: dict) -> str:
    intended = _join(p.get("intended_organisations") or [])
    if not intended:
        return _("It went to %(who)s, and no intended recipient was given, so that counts as the wrong client.") % {
            "who": _who(p)
        }
    return _("It went to %(who)s, not to the intended organisation (%(intended)s).") % {
        "who": _who(p),
        "intended": intended,
    }


def _competitor_exposure(p: dict) -> str:
    return ngettext(
        "A competitor received it: %(who)s.",
        "Competitors received it: %(who)s.",
        _count(p),
    ) % {"who": _who(p)}


def _evidence(p: dict) -> list[str]:
    """The signals a factor found, saying which were in the subject and which file names carried any.

    Params stored before subjects were scanned have no subject_signals and read as they did.
    """
    in_subject = list(p.get("subject_signals") or [])
    evidence = [signal for signal in p.get("signals") or [] if signal not in in_subject]
    if in_subject:
        evidence.append(_("%(signals)s in the subject") % {"signals": _join(in_subject)})
    evidence += [_("attachment %(name)s") % {"name": name} for name in p.get("attachments") or []]
    return evidence


def _leaked_pricing(p: dict) -> str:
    evidence = _evidence(p)
    if p.get("quoted"):
        evidence.append(_("a quoted price of %(price)s") % {"price": _money(p["quoted"], p.get("currency", ""))})
    if Problem.WRONG_PRICE in (p.get("problems") or []):
        evidence.append(_("a reported wrong price"))
    return _("Pricing (%(evidence)s) reached the wrong organisation: %(who)s.") % {
        "evidence": _join(evidence) or _("pricing content"),
        "who": _who(p),
    }


def _internal_info_external(p: dict) -> str:
    evidence = _evidence(p)
    if Problem.INTERNAL_INFO in (p.get("problems") or []):
        evidence.append(_("reported as internal information"))
    return _("Internal-only content (%(evidence)s) went outside the company, to %(who)s.") % {
        "evidence": _join(evidence) or _("internal information"),
        "who": _who(p),
    }


def _low_quote(p: dict) -> str:
    return _("%(quote)s It went to %(who)s.") % {"quote": _quote(p), "who": _who(p)}


def _low_quote_answered(p: dict) -> str:
    if p.get("status") == RecipientStatus.ACCEPTED:
        text = _("The recipient has already accepted the low quote; a contract may have been formed on it.")
    else:
        text = _("The recipient has already replied to the low quote; an acceptance may be on its way.")
    # Translators: two sentences in a row (Chinese writes them without a space).
    return _("%(sentence)s %(next)s") % {"sentence": text, "next": _quote(p)}


def _firm_offer(p: dict) -> str:
    return _("The low quote of %(quoted)s was a firm offer, which may not be revocable once it reaches %(who)s.") % {
        "quoted": _money(p.get("quoted", "?"), p.get("currency", "")),
        "who": _who(p),
    }


# Found items shown in a sentence; the rest are counted ("and 3 more").
FINDINGS_SHOWN = 5


def _finding(item: dict) -> str:
    """ "ID number ending 0013", "payroll in the subject", "身份证号 in the attachment name hr.xlsx"."""
    numbers = {
        "id_number": _("ID number ending %(ending)s"),
        "mobile_number": _("mobile number ending %(ending)s"),
        "bank_card": _("bank card number ending %(ending)s"),
    }
    value = str(item.get("value", ""))
    what = numbers[item.get("kind")] % {"ending": value} if item.get("kind") in numbers else value
    if item.get("where") == "subject":
        return _("%(what)s in the subject") % {"what": what}
    if item.get("where") == "attachment":
        return _("%(what)s in the attachment name %(name)s") % {"what": what, "name": item.get("name", "")}
    return what


def _findings(p: dict) -> str:
    items = [item for item in p.get("found") or [] if isinstance(item, dict)]
    shown = [_finding(item) for item in items[:FINDINGS_SHOWN]]
    try:
        total = max(int(p.get("found_total") or 0), len(items))
    except (TypeError, ValueError):
        total = len(items)
    more = total - len(shown)
    if more > 0:
        shown.append(ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more})
    return _join(shown)


def _personal_data_external(p: dict) -> str:
    values = {"who": _who(p), "hours": p.get("hours", "72"), "found": _findings(p)}
    if values["found"]:
        return (
            _(
                "Personal data (%(found)s) reached %(who)s, outside the company and not intended: a personal-data "
                "breach. The notification clock (%(hours)s hours) runs from the report."
            )
            % values
        )
    return (
        _(
            "Personal data reached %(who)s, outside the company and not intended: a personal-data breach. "
            "The notification clock (%(hours)s hours) runs from the report."
        )
        % values
    )


def _personal_data_dismissed(p: dict) -> str:
    values = {"found": _findings(p), "reason": p.get("reason", "")}
    if values["found"]:
        return _("Personal data detected (%(found)s) but dismissed by the reporter: %(reason)s") % values
    return _("Personal data detected but dismissed by the reporter: %(reason)s") % values


def _content_error(p: dict) -> str:
    return _("It carried %(problems)s and went outside the company, to %(who)s.") % {
        "problems": _join(_problem_label(x) for x in p.get("problems") or []),
        "who": _who(p),
    }


def _harsh_tone(p: dict) -> str:
    return _("Its tone was harsh or inappropriate, and %(who)s received it: an apology is due.") % {"who": _who(p)}


DESCRIBERS: dict[str, Callable[[dict], str]] = {
    FactorCode.INTERNAL_ONLY: _internal_only,
    FactorCode.UNINTENDED_EXTERNAL: _unintended_external,
    FactorCode.WRONG_CLIENT: _wrong_client,
    FactorCode.COMPETITOR_EXPOSURE: _competitor_exposure,
    FactorCode.LEAKED_PRICING: _leaked_pricing,
    FactorCode.INTERNAL_INFO_EXTERNAL: _internal_info_external,
    FactorCode.LOW_QUOTE: _low_quote,
    FactorCode.LOW_QUOTE_ANSWERED: _low_quote_answered,
    FactorCode.FIRM_OFFER: _firm_offer,
    FactorCode.PERSONAL_DATA_EXTERNAL: _personal_data_external,
    FactorCode.PERSONAL_DATA_DISMISSED: _personal_data_dismissed,
    FactorCode.CONTENT_ERROR: _content_error,
    FactorCode.HARSH_TONE: _harsh_tone,
}


def describe_factor(factor: Factor) -> str:
    describer = DESCRIBERS.get(factor.code)
    return describer(factor.params or {}) if describer else factor.code


def mail_system_name(mail_system: str) -> str:
    return {
        MailSystem.EXCHANGE: _("Microsoft Exchange"),
        MailSystem.MICROSOFT365: _("Microsoft 365"),
        MailSystem.GMAIL: _("Gmail"),
        MailSystem.QQ: _("QQ Mail"),
        MailSystem.NETEASE: _("NetEase Mail"),
        MailSystem.ALIYUN: _("Aliyun Mail"),
        MailSystem.LOTUS_NOTES: _("Lotus Notes"),
    }.get(mail_system, _("Your mail system"))


def recall_advice(recall: Recall) -> str:
    """What to do now, given the mail system, each recipient's recall verdict and whether a
    correction is needed at all (when it is not, the advice says whom to tell instead)."""
    maybe = [r.address for r in recall.recipients if r.verdict == RecallVerdict.MAYBE]
    others = [r.address for r in recall.recipients if r.verdict != RecallVerdict.MAYBE]
    system = mail_system_name(recall.mail_system)
    correct = recall.correction_needed
    values = {"system": system, "maybe": _join(maybe), "others": _join(others) or _("the recipients")}
    if recall.mail_system == MailSystem.GMAIL:
        if correct:
            return _(
                "Gmail has no recall: Undo send only works for a few seconds after sending. Send a correction now."
            )
        return (
            _(
                "Gmail has no recall: Undo send only works for a few seconds after sending. "
                "Tell %(others)s in person or by phone."
            )
            % values
        )
    if recall.mail_system in RECALL_SYSTEMS:
        if maybe and others:
            # Status and system are the same for everyone, so the others (verdict no) are the external ones.
            if correct:
                return (
                    _(
                        "Recall in %(system)s may work for %(maybe)s while unread; try it at once. "
                        "External recipients (%(others)s): send a correction now, and phone them."
                    )
                    % values
                )
            return (
                _(
                    "Recall in %(system)s may work for %(maybe)s while unread; try it at once. "
                    "External recipients (%(others)s): phone them."
                )
                % values
            )
        if maybe:
            if correct:
                return (
                    _(
                        "Recall in %(system)s may work for %(maybe)s while unread; try it at once, and send a correction "
                        "anyway: a preview pane or a phone notification counts as read."
                    )
                    % values
                )
            return (
                _(
                    "Recall in %(system)s may work for %(maybe)s while unread; try it at once, and tell them in person "
                    "too: a preview pane or a phone notification counts as read."
                )
                % values
            )
        if correct:
            return (
                _(
                    "Recall in %(system)s only reaches internal recipients who have not read the message, so it cannot "
                    "help here. Send a correction now to %(others)s, and phone them."
                )
                % values
            )
        return (
            _(
                "Recall in %(system)s only reaches internal recipients who have not read the message, so it cannot "
                "help here. Tell %(others)s in person or by phone."
            )
            % values
        )
    if recall.mail_system in NO_OUTSIDE_RECALL_SYSTEMS:
        if correct:
            return (
                _(
                    "%(system)s cannot recall a message sent outside, and recall inside is unreliable. "
                    "Phone %(others)s now and send a correction."
                )
                % values
            )
        return (
            _(
                "%(system)s cannot recall a message sent outside, and recall inside is unreliable. "
                "Tell %(others)s in person or by phone."
            )
            % values
        )
    if correct:
        return _("Do not count on recall. Send a correction now to %(others)s, and phone them.") % values
    return _("Do not count on recall. Tell %(others)s in person or by phone.") % values


# For the pre-send warnings, which list addresses and findings the same way.
join_items = _join
describe_findings = _findings
