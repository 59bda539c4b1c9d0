"""Admin-edited templates can neither escape the sandbox nor tie up the server, and are checked."""

import time

import pytest

from incidents.correspondence import (
    TemplateProblem,
    build_context,
    default_source,
    parts_of,
    render_draft,
    sample_facts,
    validate_template_source,
)
from incidents.correspondence.rendering import render_part
from incidents.correspondence.samples import sample_spec
from tests.correspondence.builders import KIND_LANGUAGES

PAYLOADS = {
    "class": "{{ ''.__class__ }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__ }}",
    "dunder by subscript": "{{ recipients['__class__'] }}",
    "attr filter": "{{ original_subject|attr('__class__') }}",
    "str.format padding": "{{ '{:>999999999}'.format(1) }}",
    "percent padding": "{{ '%999999999d' % 1 }}",
    "huge range": "{% for i in range(10000000) %}{% endfor %}",
    "huge output": "{{ 'x' * 10000000 }}",
    "huge output from a loop": "{% for i in range(1000) %}{% for j in range(1000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
    "9-million-step loop": (
        "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(9) %}{% endfor %}{% endfor %}{% endfor %}"
    ),
    "doubling with ~": "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s|length }}",
    "doubling with +": "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s + s %}" * 40 + "{{ s|length }}",
    "doubling in a block set": "{% set s = 'xxxxxxxxxx' %}" + "{% set s %}{{ s }}{{ s }}{% endset %}" * 40,
    "growing replace": "{% set s = 'xxxxxxxxxx' %}" + "{% set s = s|replace('x', 'xxxxxxxxxx') %}" * 10,
    "huge join": "{{ range(1000)|join('x' * 50000) }}",
    "exponential macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "endless recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "huge number": "{% set n = 99 %}" + "{% set n = n * n %}" * 30 + "{{ n }}",
    "include": "{% include 'correction/en.txt' %}",
    "autoescape off": "{% autoescape false %}{{ original_subject }}{% endautoescape %}",
    "lipsum": "{{ lipsum(100000) }}",
}


@pytest.mark.parametrize("part", ["text", "html"])
@pytest.mark.parametrize("source", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_templates_fail_quickly_and_the_shipped_template_stands_in(source, part):
    started = time.monotonic()
    with pytest.raises(TemplateProblem):
        render_part("correction", "en", part, build_context(sample_spec("correction"), sample_facts()), source=source)
    draft = render_draft(sample_spec("correction"), sample_facts(), overrides={("correction", "en", part): source})
    assert time.monotonic() - started < 2
    assert getattr(draft, part) == getattr(render_draft(sample_spec("correction"), sample_facts()), part)
    [warning] = draft.template_warnings
    assert f"(correction, en, {part}) failed on this incident" in warning


@pytest.mark.parametrize("source", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_validation_rejects_every_hostile_template(source):
    started = time.monotonic()
    assert validate_template_source(source, "text", kind="correction")
    assert time.monotonic() - started < 2


def test_reasonable_templates_still_work():
    source = (
        "{% for person in recipients %}{{ loop.index }}. {{ person.display|upper }}{% endfor %}"
        "{{ ' / ' ~ attachments|join(', ') }}{{ (original_subject|length > 5) }}{{ range(3)|list }}"
    )
    draft = render_draft(sample_spec("correction"), sample_facts(), overrides={("correction", "en", "text"): source})
    assert draft.text == "1. ANNA SCHMIDT / Q-2026-118.pdfTrue[0, 1, 2]"


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_the_shipped_templates_pass_validation(kind, language):
    for part in parts_of(kind):
        assert validate_template_source(default_source(kind, language, part), part, kind=kind, language=language) == []


@pytest.mark.parametrize("part", ["subject", "text", "html"])
def test_there_is_no_traditional_chinese_internal_summary_and_an_edit_of_one_is_refused(part):
    assert default_source("internal_summary", "zh-hant", part) == ""
    [problem] = validate_template_source("{{ severity }}", part, kind="internal_summary", language="zh-hant")
    assert "English or Simplified Chinese only" in problem


def test_validation_names_unknown_variables_with_their_line():
    problems = validate_template_source("Dear {{ greeting_name }},\n\n{{ client_nam }}\n", "text", kind="correction")
    assert problems == ["Line 3: unknown variable 'client_nam'."]


def test_validation_keeps_internal_variables_out_of_external_drafts():
    source = "{% for p in unintended_recipients %}{{ p.address }}{% endfor %}"
    assert validate_template_source(source, "text", kind="deletion_request") == [
        "Line 1: 'unintended_recipients' is only available in the internal note."
    ]
    assert validate_template_source(source, "text", kind="internal_summary") == []


def test_validation_reports_syntax_errors_with_their_line():
    [problem] = validate_template_source("Hello\n{% if tone %}\npolite\n{% endfor %}\n", "text")
    assert problem.startswith("Line 4: ")
    [problem] = validate_template_source("Hello\n\n{{ original_subject|center(80) }}", "subject")
    assert problem == "Line 3: No filter named 'center'."


def test_validation_limits_the_source_size_and_knows_the_parts():
    assert "longer than 20,000" in validate_template_source("x" * 20_001, "text")[0]
    assert "Unknown template part" in validate_template_source("x", "body")[0]
    assert validate_template_source("x", "html", kind="call_script") == ["A call_script has no html part."]


def test_validation_renders_the_template_once_to_catch_runtime_problems():
    [problem] = validate_template_source("{{ 1 // 0 }}", "text", kind="correction")
    assert "ZeroDivisionError" in problem
