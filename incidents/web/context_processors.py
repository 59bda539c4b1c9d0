from incidents.access import can_open_legal_queue, can_open_triage
from incidents.notifications.selectors import UNREAD_SHOWN_UP_TO, unread_inbox_count


def navigation(request) -> dict:
    """The navigation shows a queue exactly when its URL would open for this user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = unread_inbox_count(user)
    return {
        "is_manager": can_open_triage(user),
        "is_legal": can_open_legal_queue(user),
        "inbox_unread": unread,
        "inbox_unread_shown": f"{UNREAD_SHOWN_UP_TO}+" if unread > UNREAD_SHOWN_UP_TO else str(unread),
    }
