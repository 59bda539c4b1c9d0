from .selectors import can_open_legal_queue, can_open_triage, unread_inbox_count


def navigation(request) -> dict:
    """The navigation shows a queue exactly when its URL would open for this user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_manager": can_open_triage(user),
        "is_legal": can_open_legal_queue(user),
        "inbox_unread": unread_inbox_count(user),
    }
