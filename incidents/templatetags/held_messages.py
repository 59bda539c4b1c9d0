"""The navigation's link to the held messages, with how many are waiting; nothing where no relay is set up."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from incidents.conf import missend
from incidents.relay import selectors

register = template.Library()
SHOWN_UP_TO = selectors.WAITING_SHOWN_UP_TO


@register.simple_tag(takes_context=True)
def held_messages_link(context) -> str:
    """One indexed count per page, and none at all while MISSEND_RELAY_UPSTREAM is unset (no relay)."""
    user = getattr(context.get("request"), "user", None)
    if not missend.RELAY_UPSTREAM or user is None or not user.is_authenticated:
        return ""
    waiting = selectors.waiting_count(user)
    badge = ""
    if waiting:
        shown = f"{SHOWN_UP_TO}+" if waiting > SHOWN_UP_TO else str(waiting)
        badge = format_html(' <span class="badge text-bg-warning" aria-label="{}">{}</span>', _("waiting"), shown)
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}{}</a></li>',
        reverse("incidents:held_list"),
        _("Held messages"),
        badge,
    )
