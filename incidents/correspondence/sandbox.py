"""A Jinja2 sandbox that templates (ours and admin-edited ones) can neither escape nor use to
exhaust the server.

Jinja2's SandboxedEnvironment blocks dunder access but happily runs a 9-million-step loop or
builds a 50 MB string (measured on Python 3.11), so on top of it: the step budget and size checks of
limits.py are wired into every loop, call, lookup, operator, ~, filter and output; only a
short list of filters, globals and str/dict methods exists; include, import, extends,
{% autoescape %} and private names are refused when the template is parsed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from incidents.correspondence.limits import (
    CALL_STEPS,
    CHARS_PER_STEP,
    check_operands,
    concat,
    counted,
    finalize,
    guard,
    join,
    replace,
    safe_range,
    spend,
)
from incidents.vocabulary import TemplatePart

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "emails" / "drafts"


SAFE_FILTERS = (
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "e",
    "escape",
    "first",
    "float",
    "int",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "reject",
    "rejectattr",
    "reverse",
    "round",
    "select",
    "selectattr",
    "sort",
    "string",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "wordcount",
)  # plus join and replace, which are size-checked before they run
SAFE_METHODS = {
    str: frozenset(
        {
            "upper",
            "lower",
            "title",
            "capitalize",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "split",
            "count",
            "find",
        }
    ),
    dict: frozenset({"get", "items", "keys", "values"}),
}
REFUSED_NODES = {
    nodes.Extends: "{% extends %} is not available in draft templates",
    nodes.Include: "{% include %} is not available in draft templates",
    nodes.Import: "{% import %} is not available in draft templates",
    nodes.FromImport: "{% from ... import %} is not available in draft templates",
    nodes.EvalContextModifier: "{% autoescape %} is not available in draft templates",
}


class _Guards(NodeTransformer):
    """Counts loop iterations, size-checks ~ and refuses tags and names that can escape."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        # An iteration costs more when its body writes much literal text (see limits._check_size).
        text = sum(len(data.data) for data in node.find_all(nodes.TemplateData))
        weight = nodes.Const(1 + text // CHARS_PER_STEP, lineno=node.lineno)
        node.iter = nodes.Filter(node.iter, "_counted", [weight], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        parts = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(parts, "_concat", [], [], None, None, lineno=node.lineno)

    def visit_Getattr(self, node: nodes.Getattr) -> nodes.Node:
        if node.attr.startswith("_"):
            raise TemplateSyntaxError(f"'{node.attr}' is private and cannot be used in a template", node.lineno)
        return self.generic_visit(node)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        if isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
            raise TemplateSyntaxError(f"'{node.arg.value}' is private and cannot be used in a template", node.lineno)
        return self.generic_visit(node)

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        for node_type, message in REFUSED_NODES.items():
            if isinstance(node, node_type):
                raise TemplateSyntaxError(message, node.lineno)
        return super().generic_visit(node, *args, **kwargs)


class DraftEnvironment(SandboxedEnvironment):
    """SandboxedEnvironment with a step budget, size checks and short allow-lists."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, *, html: bool) -> None:
        super().__init__(
            loader=FileSystemLoader(str(TEMPLATE_DIR)),
            autoescape=html,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=finalize,
        )
        # Only range: lipsum, cycler, joiner, namespace and dict are gone, so payloads such as
        # {{ cycler.__init__.__globals__ }} meet an undefined name.
        self.globals.clear()
        self.globals["range"] = safe_range
        defaults = self.filters
        self.filters = {name: guard(name, defaults[name]) for name in SAFE_FILTERS}
        self.filters.update(join=join, replace=replace, _counted=counted, _concat=concat)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        try:
            tree = _Guards().visit(tree)
        except TemplateSyntaxError as error:
            error.name, error.filename, error.source = name, filename, source
            raise
        tree.set_environment(self)
        return tree

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value) or isinstance(obj, (LoopContext, Macro)):
            return True
        return any(isinstance(obj, kind) and attr in names for kind, names in SAFE_METHODS.items())

    def wrap_str_format(self, value: Any) -> None:
        # str.format can pad to any width ("{:>999999999}"); it is not on SAFE_METHODS, and
        # returning None here makes is_safe_attribute refuse it.
        return None

    def getattr(self, obj: Any, attribute: str) -> Any:
        spend()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        spend()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        spend(CALL_STEPS)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        spend()
        check_operands(operator, left, right)
        return super().call_binop(context, operator, left, right)


_environments: dict[bool, DraftEnvironment] = {}


def environment_for(part: str) -> DraftEnvironment:
    """HTML is autoescaped; subject and text are not (zulip's two-environment pattern)."""
    html = part == TemplatePart.HTML
    if html not in _environments:
        _environments[html] = DraftEnvironment(html=html)
    return _environments[html]


__all__ = ["TEMPLATE_DIR", "DraftEnvironment", "environment_for"]
