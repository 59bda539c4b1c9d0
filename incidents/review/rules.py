"""The post-incident review: causes, prevention habits, how each mail system delays sending, and the rules.

Plain data and a pure check, no database: the page's form, the API and the resolve service read the
same rules. Codes are stable (stored, counted by the dashboard); labels are the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from incidents.vocabulary import Cause, Habit, MailSystem, Severity

# Severities whose resolution needs a review; below them it is optional.
REVIEW_REQUIRED_FOR = (Severity.HIGH, Severity.CRITICAL)

CAUSE_OTHER_MAX, DAMAGE_MAX, NO_HABIT_REASON_MAX = 300, 2000, 1000

# How to hold mail back after Send, per mail system. Outlook's rule holds up to two hours;
# the webmail "undo" buttons only seconds, which is why a rule or scheduled send is named first where one exists.
SEND_DELAY_STEPS = {
    MailSystem.MICROSOFT365: (
        _(
            "Outlook for Windows: File > Manage Rules & Alerts > New Rule > Apply rule on messages I send > "
            "defer delivery by a number of minutes; choose 2 to 5."
        ),
        _(
            "Outlook on the web and the new Outlook: Settings > Mail > Compose and reply > Undo send; it holds "
            "a message back for up to 10 seconds."
        ),
    ),
    MailSystem.EXCHANGE: (
        _(
            "Outlook: a client rule (File > Manage Rules & Alerts > New Rule > Apply rule on messages I send > "
            "defer delivery by a number of minutes); it works while Outlook is open."
        ),
        _("For one message: Options > Delay Delivery > Do not deliver before."),
    ),
    MailSystem.GMAIL: (
        _(
            "Gmail: Settings > See all settings > General > Undo Send; choose a cancellation period of up to 30 "
            "seconds and save."
        ),
        _("For a longer hold, use Schedule send (the arrow next to Send) a few minutes ahead."),
    ),
    MailSystem.QQ: (
        _(
            "QQ Mail: when writing, choose Scheduled send and set a time a few minutes ahead; until then the "
            "message can be changed or cancelled."
        ),
    ),
    MailSystem.NETEASE: (
        _(
            "NetEase 163/126: when writing, choose Scheduled send and set a time a few minutes ahead; until then "
            "the message can be changed or cancelled."
        ),
    ),
    MailSystem.ALIYUN: (_("Alibaba Mail: when writing, choose Scheduled send and set a time a few minutes ahead."),),
    MailSystem.LOTUS_NOTES: (
        _("HCL Notes: a mail rule, or for one message Delivery Options > Delay delivery until a few minutes ahead."),
    ),
}
SEND_DELAY_OTHER = (
    _(
        "Look in the mail program's settings for Delay delivery, Undo send or Scheduled send; where there is "
        "none, send complex quotes to yourself first."
    ),
)


def send_delay_steps(mail_system: str) -> tuple:
    """How to turn on a delayed or undoable send in this mail system, in the reader's language."""
    return SEND_DELAY_STEPS.get(mail_system, SEND_DELAY_OTHER)


def cause_label(code: str) -> str:
    return str(dict(Cause.choices).get(code, code))


def habit_label(code: str) -> str:
    return str(dict(Habit.choices).get(code, code))


def review_required(severity: str) -> bool:
    return severity in REVIEW_REQUIRED_FOR


@dataclass(frozen=True)
class Review:
    """What a person says after the incident; empty strings and an empty tuple where nothing was said."""

    cause: str = ""
    cause_other: str = ""
    damage_limited_by: str = ""
    habits: tuple[str, ...] = ()
    no_habit_reason: str = ""

    @classmethod
    def of(cls, *, cause="", cause_other="", damage_limited_by="", habits=(), no_habit_reason="") -> Review:
        """Trimmed and in a stable order; the "other" text is kept only with the cause "other"."""
        cause = (cause or "").strip()
        codes = set(habits or ())
        ordered = tuple(code for code in Habit.values if code in codes) + tuple(sorted(codes - set(Habit.values)))
        return cls(
            cause=cause,
            cause_other=(cause_other or "").strip() if cause == Cause.OTHER else "",
            damage_limited_by=(damage_limited_by or "").strip(),
            habits=ordered,
            no_habit_reason=(no_habit_reason or "").strip(),
        )

    def is_blank(self) -> bool:
        return not (self.cause or self.cause_other or self.damage_limited_by or self.habits or self.no_habit_reason)


def review_errors(review: Review, *, required: bool) -> dict[str, list[str]]:
    """Field errors of a review ({} when it may be saved). A review given where optional follows the same rules."""
    if review.is_blank() and not required:
        return {}
    errors: dict[str, list] = {}
    if not review.cause:
        errors["cause"] = [
            _("A high or critical incident needs its review: choose what caused it.")
            if required
            else _("Choose what caused it, or leave the review empty.")
        ]
    elif review.cause not in Cause:
        errors["cause"] = [_("Choose one of the causes listed.")]
    elif review.cause == Cause.OTHER and not review.cause_other:
        errors["cause_other"] = [_("Say in a few words what caused it.")]
    if len(review.cause_other) > CAUSE_OTHER_MAX:
        errors["cause_other"] = [_("Keep it under %(limit)s characters.") % {"limit": CAUSE_OTHER_MAX}]
    if len(review.damage_limited_by) > DAMAGE_MAX:
        errors["damage_limited_by"] = [_("Keep it under %(limit)s characters.") % {"limit": DAMAGE_MAX}]
    unknown = [code for code in review.habits if code not in Habit]
    if unknown:
        errors["habits"] = [_("Unknown prevention step: %(codes)s") % {"codes": ", ".join(unknown)}]
    elif not review.habits and not review.no_habit_reason:
        errors["habits"] = [_("Choose at least one prevention step, or say why none was adopted.")]
    if review.habits and review.no_habit_reason:
        errors["no_habit_reason"] = [_('Steps were chosen: leave "none adopted" empty.')]
    if len(review.no_habit_reason) > NO_HABIT_REASON_MAX:
        errors["no_habit_reason"] = [_("Keep it under %(limit)s characters.") % {"limit": NO_HABIT_REASON_MAX}]
    return {field: [str(m) for m in messages] for field, messages in errors.items()}
