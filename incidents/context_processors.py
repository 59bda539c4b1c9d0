from .selectors import LEGAL, MANAGER, unread_inbox_count, user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "is_manager": MANAGER in roles or user.is_superuser,
        "is_legal": LEGAL in roles or user.is_superuser,
        "inbox_unread": unread_inbox_count(user),
    }
