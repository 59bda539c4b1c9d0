"""Drafts rendered from the file templates or admin-edited sources, and checks for those sources.

Templates live in templates/emails/drafts/<kind>/<language>.subject.txt|.txt|.html; tone is
a variable inside them. Every render, default or edited, goes through the same sandbox.

An admin-edited template is checked once, against sample facts, when it is saved; real
incidents can still make it fail (no attachments, an empty price). Then that part falls back to
the shipped template, so the sender always gets a draft, and the failure is logged for admins.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from jinja2 import Template, meta, nodes
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from incidents.correspondence.context import TEMPLATE_VARIABLES, build_context, one_line, variables_for
from incidents.correspondence.facts import Draft, DraftFacts, DraftSpec
from incidents.correspondence.limits import MAX_OUTPUT_CHARS, MAX_SOURCE_CHARS, TemplateProblem, budget_scope
from incidents.correspondence.notes import notes_for
from incidents.correspondence.sandbox import TEMPLATE_DIR, environment_for
from incidents.vocabulary import INTERNAL_NOTE_LANGUAGES, DraftKind, DraftLanguage, TemplatePart, Tone

PART_SUFFIXES = {TemplatePart.SUBJECT: ".subject.txt", TemplatePart.TEXT: ".txt", TemplatePart.HTML: ".html"}
SUBJECT_LIMIT = 250
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,500}\]|【[^【】\n]{1,500}】")
Overrides = Mapping[tuple[str, str, str], str]
log = logging.getLogger("incidents.templates")


def parts_of(kind: str) -> tuple[str, ...]:
    """Call scripts are read aloud, not sent: they have no HTML part."""
    if kind == DraftKind.CALL_SCRIPT:
        return (TemplatePart.SUBJECT, TemplatePart.TEXT)
    return tuple(TemplatePart)


def template_name(kind: str, language: str, part: str) -> str:
    return f"{kind}/{language}{PART_SUFFIXES[part]}"


def default_source(kind: str, language: str, part: str) -> str:
    """The shipped template, for the admin page to start an edit from; "" where none is shipped
    (the internal summary in Traditional Chinese), which the save check then explains."""
    path = Path(TEMPLATE_DIR) / template_name(kind, language, part)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def clean_subject(text: str) -> str:
    """One line: CR, LF and every other control character become spaces; at most 250 characters."""
    return one_line(text, SUBJECT_LIMIT).strip()


def tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def placeholders_in(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(PLACEHOLDER.findall(text)))


def _check_spec(spec: DraftSpec) -> None:
    if spec.kind not in DraftKind:
        raise ValueError(f"Unknown draft kind {spec.kind!r}.")
    if spec.language not in DraftLanguage:
        raise ValueError(f"Unknown language {spec.language!r}.")
    if spec.tone not in Tone:
        raise ValueError(f"Unknown tone {spec.tone!r}.")
    if spec.kind == DraftKind.INTERNAL_SUMMARY and spec.language not in INTERNAL_NOTE_LANGUAGES:
        raise ValueError(f"The internal summary is written in {' or '.join(INTERNAL_NOTE_LANGUAGES)} only.")


def _context_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        yield repr(value)[1:-1]  # as exception messages quote it
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _context_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _context_strings(item)


def _without_incident_text(message: str, context: Mapping[str, object]) -> str:
    """message with every value of the incident blanked: the log is read by people who may not see it."""
    for value in sorted({v for v in _context_strings(context) if len(v) >= 4}, key=len, reverse=True):
        message = message.replace(value, "[...]")
    return message


def _admin_template_failed(spec: DraftSpec, part: str, problem: TemplateProblem, context: Mapping[str, object]) -> str:
    """Log the failure for admins; the warning sentence for the sender."""
    log.error(
        "An administrator's draft template failed on an incident; the shipped template was used. "
        "kind=%s language=%s part=%s problem=%s",
        spec.kind,
        spec.language,
        part,
        _without_incident_text(problem.message, context),
    )
    return (
        f"An administrator's template ({spec.kind}, {spec.language}, {part}) failed on this incident: "
        f"{problem.message}; the standard text is shown."
    )


def render_draft(spec: DraftSpec, facts: DraftFacts, *, overrides: Overrides | None = None) -> Draft:
    """The draft for one spec; overrides maps (kind, language, part) to an admin-edited source.

    An override that fails on these facts is replaced, for that part only, by the shipped
    template, and named in template_warnings. Raises TemplateProblem when a shipped template
    fails: that is a bug in Missend Desk, not an administrator's mistake.
    """
    _check_spec(spec)
    context = build_context(spec, facts)
    sources = overrides or {}
    warnings: list[str] = []

    def render(part: str) -> str:
        source = sources.get((spec.kind, spec.language, part))
        if source is not None:
            try:
                return render_part(spec.kind, spec.language, part, context, source=source)
            except TemplateProblem as problem:
                warnings.append(_admin_template_failed(spec, part, problem, context))
        return render_part(spec.kind, spec.language, part, context)

    subject = clean_subject(render(TemplatePart.SUBJECT))
    text = tidy_text(render(TemplatePart.TEXT))
    html = render(TemplatePart.HTML).strip() if TemplatePart.HTML in parts_of(spec.kind) else None
    return Draft(
        kind=spec.kind,
        key=spec.key,
        language=spec.language,
        tone=spec.tone,
        to=spec.to,
        cc=spec.cc,
        subject=subject,
        text=text,
        html=html,
        needs_legal_approval=spec.needs_legal_approval,
        organisation=spec.organisation,
        placeholders=placeholders_in(text),
        notes_for_sender=notes_for(spec, facts),
        template_warnings=tuple(warnings),
    )


@lru_cache(maxsize=128)
def _compiled(part: str, source: str) -> Template:
    return environment_for(part).from_string(source)


def _line_of(error: BaseException, filename: str) -> str:
    """ "Line 3: " from the template frame of a traceback Jinja has rewritten, if there is one."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return f"Line {line}: " if line else ""


def _stream(template: Template, context: Mapping[str, object]) -> str:
    """The output, refused as soon as it passes the limit rather than after it is all built."""
    chunks, size = [], 0
    for chunk in template.generate(dict(context)):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateProblem(f"The draft would be longer than {MAX_OUTPUT_CHARS:,} characters.")
        chunks.append(chunk)
    return "".join(chunks)


def render_part(
    kind: str, language: str, part: str, context: Mapping[str, object], *, source: str | None = None
) -> str:
    """One part rendered with a fresh step budget, from source when given, else from the file."""
    if source is not None and len(source) > MAX_SOURCE_CHARS:
        raise TemplateProblem(f"The template is longer than {MAX_SOURCE_CHARS:,} characters.")
    filename = "<template>"
    with budget_scope():
        try:
            if source is None:
                template = environment_for(part).get_template(template_name(kind, language, part))
            else:
                template = _compiled(part, source)
            filename = template.filename or filename
            return _stream(template, context)
        except TemplateProblem:
            raise
        except TemplateNotFound as error:
            raise TemplateProblem(f"There is no template {error.name}.") from None
        except TemplateSyntaxError as error:
            raise TemplateProblem(f"Line {error.lineno}: {error.message}") from None
        except SecurityError as error:
            raise TemplateProblem(f"{_line_of(error, filename)}Not allowed in a template: {error}") from None
        except UndefinedError as error:
            raise TemplateProblem(f"{_line_of(error, filename)}{error.message}") from None
        except RecursionError:
            raise TemplateProblem("The template calls itself too deeply.") from None
        except MemoryError:
            raise TemplateProblem("The template needs too much memory.") from None
        except Exception as error:  # an admin's template may raise anything; report it, never crash
            raise TemplateProblem(f"{_line_of(error, filename)}{type(error).__name__}: {error}") from None


def _unknown_variables(tree: nodes.Template, part: str, kind: str | None) -> list[str]:
    allowed = variables_for(kind) | set(environment_for(part).globals)
    problems = []
    for name in sorted(meta.find_undeclared_variables(tree) - allowed):
        line = min((n.lineno for n in tree.find_all(nodes.Name) if n.name == name), default=1)
        if name in TEMPLATE_VARIABLES:
            problems.append(f"Line {line}: '{name}' is only available in the internal note.")
        else:
            problems.append(f"Line {line}: unknown variable '{name}'.")
    return problems


def validate_template_source(
    source: str, part: str, *, kind: str | None = None, language: str = DraftLanguage.EN
) -> list[str]:
    """Problems with an admin-edited template, each a sentence ("Line 3: ..."); [] when usable.

    Checks size, syntax, refused tags, unknown filters and variables (for kind's variable set,
    or all variables when kind is None), then renders it once with sample facts.
    """
    if part not in TemplatePart:
        return [f"Unknown template part {part!r}; expected one of {', '.join(TemplatePart)}."]
    if kind is not None and part not in parts_of(kind):
        return [f"A {kind} has no {part} part."]
    if kind == DraftKind.INTERNAL_SUMMARY and language not in INTERNAL_NOTE_LANGUAGES:
        return [
            "The internal summary is for our own staff and is written in English or Simplified Chinese "
            "only; there is no Traditional Chinese version."
        ]
    if len(source) > MAX_SOURCE_CHARS:
        return [f"The template is longer than {MAX_SOURCE_CHARS:,} characters ({len(source):,})."]
    env = environment_for(part)
    try:
        tree = env.parse(source)
        problems = _unknown_variables(tree, part, kind)
        env.compile(source)  # unknown filters and tests are found when compiling
    except TemplateSyntaxError as error:
        return [f"Line {error.lineno}: {error.message}"]
    if problems:
        return problems
    from incidents.correspondence.samples import sample_context

    try:
        render_part(kind or DraftKind.INTERNAL_SUMMARY, language, part, sample_context(kind, language), source=source)
    except TemplateProblem as problem:
        return [problem.message]
    return []


__all__ = [
    "clean_subject",
    "default_source",
    "parts_of",
    "placeholders_in",
    "render_draft",
    "render_part",
    "template_name",
    "tidy_text",
    "validate_template_source",
]
