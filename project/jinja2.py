"""The Jinja2 environments for emails we generate from our own template files (templates/emails/).

Templates call `_("... %(name)s ...")|format(name=...)`: a plain `_()` call with one string literal,
which Django's makemessages extracts into the catalogue like any Django template's strings.
Callers choose the language (translation.override) before rendering: the recipient's, not the
request's.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext
from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=2)
def email_environment(html: bool) -> SandboxedEnvironment:
    """HTML parts autoescaped, text parts and subjects not; a missing variable fails loudly."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(settings.BASE_DIR / "templates" / "emails"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False) if html else False,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Old-style callables: _() only translates and |format fills in, so a call makemessages can read
    # (one literal, no keyword arguments) still takes values; the filled-in text is then autoescaped.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    return env


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Render <name>.subject.txt, <name>.txt and <name>.html; the subject is one clean line."""
    context = {"html_lang": translation.to_locale(translation.get_language() or "en").replace("_", "-"), **context}
    subject = email_environment(False).get_template(f"{name}.subject.txt").render(context)
    text = email_environment(False).get_template(f"{name}.txt").render(context)
    html = email_environment(True).get_template(f"{name}.html").render(context)
    return " ".join(subject.split())[:250], text, html
