"""Refusals the write paths raise, so every path (page, API, command) answers them the same way.

PermissionDenied (Django's) means "you may see this but not do that" (403); StateConflict means
"nobody may do that right now" (409): a withdrawal waiting for legal, an incident already resolved.
"""

from django.core.exceptions import PermissionDenied

__all__ = ["PermissionDenied", "StateConflict"]


class StateConflict(Exception):
    """The action is refused because of the state things are in, with a sentence saying why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
