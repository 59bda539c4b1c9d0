"""Limits on what one render may spend: a step budget with a deadline, and size checks.

Every loop iteration, call, attribute lookup and intercepted operator spends steps; every
value that can grow (operators, ~, join, replace, filters, {{ output }}) is measured before
it is built, and producing text costs steps too. sandbox.py wires these into Jinja2.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.filters import do_replace, sync_do_join
from jinja2.runtime import markup_join, str_join
from jinja2.utils import pass_context, pass_eval_context

MAX_SOURCE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_RANGE = 1_000
MAX_STEPS = 50_000
MAX_SECONDS = 1.0
MAX_INT_BITS = 4_096
CHARS_PER_STEP = 64
CALL_STEPS = 4  # a call (macro, loop(), method) costs several loop steps


class TemplateProblem(Exception):
    """Any reason a draft template cannot be used: syntax, unknown variable, unsafe, too big, too slow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Budget:
    __slots__ = ("deadline", "steps")

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.deadline = time.monotonic() + MAX_SECONDS


# Per render, so one shared environment serves threads and async tasks alike.
_budget: ContextVar[_Budget | None] = ContextVar("draft_template_budget", default=None)


def spend(steps: int = 1) -> None:
    budget = _budget.get()
    if budget is None:  # compile-time constant folding: bounded by the source size
        return
    budget.steps -= steps
    if budget.steps < 0:
        raise TemplateProblem(f"The template does too much work (over {MAX_STEPS:,} steps); simplify its loops.")
    if time.monotonic() > budget.deadline:
        raise TemplateProblem(f"The template took longer than {MAX_SECONDS:g} s to render; simplify it.")


@contextmanager
def budget_scope() -> Iterator[None]:
    """One render's own step budget and deadline."""
    token = _budget.set(_Budget())
    try:
        yield
    finally:
        _budget.reset(token)


def measure(value: Any, limit: int = MAX_OUTPUT_CHARS, depth: int = 0) -> int:
    """Roughly how many characters value prints as; stops counting once past limit."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, set, frozenset, dict, range)):
        if depth >= 4:  # no draft needs deeper data; refuse rather than walk it
            return limit + 1
        total = 2
        for item in value.items() if isinstance(value, dict) else value:
            total += 2 + measure(item, limit - total, depth + 1)
            if total > limit:
                break
        return total
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    return 16


def _require(size: int, what: str) -> None:
    if size > MAX_OUTPUT_CHARS:
        raise TemplateProblem(f"{what} would be longer than {MAX_OUTPUT_CHARS:,} characters.")


def _check_size(value: Any, what: str) -> Any:
    size = measure(value)
    _require(size, what)
    # Producing text costs steps too, so loops inside macros or {% set %} blocks (which
    # buffer before any output check) cannot pile up gigabytes within the step budget.
    spend(size // CHARS_PER_STEP)
    return value


def finalize(value: Any) -> Any:
    return _check_size(value, "A {{ value }} in the template")


def guard(name: str, func: Any) -> Any:
    # The filtered value follows the context argument of context-taking filters.
    position = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @wraps(func)  # keeps jinja_pass_arg, so eval-context filters still get their context
    def guarded(*args: Any, **kwargs: Any) -> Any:
        spend()
        # Measured before the filter runs: |string or |e of a list nested ten deep would
        # otherwise build the huge text before any check saw it.
        _require(measure(args[position]) if len(args) > position else 0, f"The value given to {name}")
        return _check_size(func(*args, **kwargs), f"The result of the {name} filter")

    return guarded


@pass_eval_context
def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    items = []
    for item in value:
        spend()
        items.append(item)
    _require(len(str(d)) * max(len(items) - 1, 0) + measure(items), "The result of join")
    return sync_do_join(eval_ctx, items, d, attribute)


@pass_eval_context
def replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> str:
    _require(measure(s), "The value given to replace")
    text, old, new = str(s), str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if count is not None:
        hits = min(hits, max(int(count), 0))
    _require(len(text) + hits * max(len(new) - len(old), 0), "The result of replace")
    return do_replace(eval_ctx, s, old, new, count)


@pass_context  # never constant-folded: the generator must be made at render time
def counted(context: Any, iterable: Any, weight: int = 1) -> Any:
    for item in iterable:
        spend(weight)
        yield item


@pass_eval_context
def concat(eval_ctx: Any, parts: list) -> str:
    _require(sum(measure(part) for part in parts), "A ~ joined string")
    return markup_join(parts) if eval_ctx.autoescape else str_join(parts)


def safe_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateProblem(f"range() is limited to {MAX_RANGE:,} numbers in draft templates.")
    return numbers


def check_operands(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing it, any operation whose result would be huge."""
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "%" and isinstance(left, str):
        raise SecurityError("%-formatting of strings is not available in draft templates")
    if operator == "**" and ints and right > 0 and left.bit_length() * right > MAX_INT_BITS:
        raise SecurityError("number too large")
    if operator == "*":
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError("number too large")
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(times, int) and not isinstance(sequence, int):
            _require(measure(sequence) * max(times, 0), "A repeated value")
    if operator == "+" and not ints:
        _require(measure(left) + measure(right), "A + joined value")
