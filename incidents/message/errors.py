"""The one error the intake package lets out, with a sentence the user can act on."""

from __future__ import annotations

import contextlib


def translate(text: str) -> str:
    """gettext when Django is set up; the English text as is when the parser runs on its own."""
    # A missing translation must never hide the real error.
    with contextlib.suppress(Exception):
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(text)
    return text


# makemessages finds user sentences by these names.
_ = translate


def gettext_noop(text: str) -> str:
    """Marks a sentence for translation where it is defined; translated where it is used."""
    return text


class MessageError(Exception):
    """The file cannot be read as an email; .message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
