"""The Jinja2 environments for emails we generate from our own template files (templates/emails/)."""
from __future__ import annotations

from functools import lru_cache

from django.conf import settings
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
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Render <name>.subject.txt, <name>.txt and <name>.html; the subject is one clean line."""
    subject = email_environment(False).get_template(f"{name}.subject.txt").render(context)
    text = email_environment(False).get_template(f"{name}.txt").render(context)
    html = email_environment(True).get_template(f"{name}.html").render(context)
    return " ".join(subject.split())[:250], text, html
