"""The dashboard's charts as inline SVG from pygal: no JavaScript, no stylesheet or script from elsewhere.

pygal links its tooltip script from a CDN by default (js=[] removes it); the XML declaration, the
comments naming pygal's web site and the namespace URLs (not needed inside an HTML page) are taken
out, so the SVG holds no http(s) address at all. Text is the reader's language; the browser draws
Chinese with its own fonts.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pygal
from django.utils.html import escape
from pygal.style import Style

from incidents.insight.dashboard.figures import Estimate

_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family='system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    colors=(
        "#0d6efd",
        "#fd7e14",
        "#dc3545",
        "#6f42c1",
        "#198754",
        "#20c997",
        "#ffc107",
        "#6c757d",
        "#d63384",
        "#0dcaf0",
        "#495057",
        "#8c564b",
        "#17becf",
        "#bcbd22",
    ),
)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
# pygal writes its configuration into an inline script for its tooltip code; without that code it does nothing.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
# The values pygal writes for its tooltip code, which is not there; the table under the chart has them.
_TOOLTIP = re.compile(r"<desc\b[^>]*>.*?</desc>", re.S)
_CHART_ID = re.compile(r'id="chart-([0-9a-f-]{36})"')
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_RULE = re.compile(r"[^{}]+\{[^{}]*\}")
_ATTRIBUTE = re.compile(r'="[^"]*"')
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
_WHOLE_DECIMAL = re.compile(r"(\d)\.0(?![\d])")
# Attributes only pygal's tooltip script reads, or that say nothing.
_IDLE = (' rx="0" ry="0"', " tooltip-trigger", ' class=""')
_NAMESPACE = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


_SHORT_IDS = itertools.count(1)


def _legend(series) -> dict:
    """As many legend columns as the longest name leaves room for (a CJK character is two wide), and the
    chart taller by the legend's rows, so names never overlap and the plot keeps its height."""
    widest = max((sum(2 if ord(c) > 0x2E80 else 1 for c in item.label) for item in series), default=0)
    columns = 4 if widest <= 22 else 3 if widest <= 30 else 2
    rows = -(-len(series) // columns)
    return {"legend_at_bottom_columns": columns, "height": 320 + 22 * rows}


def _config(**options) -> dict:
    config = dict(
        js=[],
        disable_xml_declaration=True,
        style=_STYLE,
        width=800,
        height=360,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        truncate_legend=-1,
        truncate_label=-1,
        x_label_rotation=30,
        show_minor_x_labels=True,
        print_values=False,
        no_data_text="",
    )
    config.update(options)
    return config


def inline_svg(svg: str, label: str) -> str:
    """pygal's SVG made fit to sit in an HTML page: no comments, script or namespace URLs, named for screen readers
    (the table under it holds the same numbers)."""
    svg = _TOOLTIP.sub("", _SCRIPT.sub("", _COMMENT.sub("", svg)))
    svg = _NAMESPACE.sub("", svg)
    # Coordinates to a tenth of a pixel, not to sixteen digits: a quarter of the size, the same drawing.
    svg = _ATTRIBUTE.sub(lambda value: _WHOLE_DECIMAL.sub(r"\1", _LONG_DECIMAL.sub(r"\1", value.group(0))), svg)
    for idle in _IDLE:
        svg = svg.replace(idle, "")
    found = _CHART_ID.search(svg)
    if found:
        # Its style is scoped by a random id repeated a hundred times; every chart here has the same style,
        # so it is scoped by class instead and shared_style() writes it once for the page.
        svg = svg.replace(f"#chart-{found.group(1)}", ".pygal-chart").replace(found.group(1), f"{next(_SHORT_IDS):x}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def shared_style(svgs: Sequence[str]) -> tuple[str, list[str]]:
    """The charts' style rules, each once, as CSS for an HTML <style>; and the charts without their own."""
    rules: dict[str, None] = {}
    for svg in svgs:
        for block in _STYLE_BLOCK.findall(svg):
            rules.update(dict.fromkeys(rule.strip() for rule in _RULE.findall(html.unescape(block))))
    return "".join(rules), [_STYLE_BLOCK.sub("", svg) for svg in svgs]


def _render(chart, label: str) -> str:
    return inline_svg(chart.render(is_unicode=True), label)


def week_labels(weeks: Sequence[date]) -> list[str]:
    return [week.isoformat() for week in weeks]


def _x_labels(chart, weeks: Sequence[date]) -> None:
    chart.x_labels = week_labels(weeks)
    if len(weeks) > 16:
        # Every label drawn would overlap: show about a dozen, the table has every week.
        step = max(1, len(weeks) // 12)
        chart.x_labels_major = chart.x_labels[::step]
        chart.show_minor_x_labels = False


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def weekly_bars(
    title: str, weeks: Sequence[date], series: Sequence[Series], *, y_title: str, stacked: bool = True
) -> str:
    chart = (pygal.StackedBar if stacked else pygal.Bar)(**_config(title=title, y_title=y_title, **_legend(series)))
    _x_labels(chart, weeks)
    for item in series:
        chart.add(item.label, list(item.values))
    return _render(chart, title)


def weekly_lines(
    title: str, weeks: Sequence[date], series: Sequence[Series], *, y_title: str, logarithmic: bool = False
) -> str:
    chart = pygal.Line(
        **_config(
            title=title,
            y_title=y_title,
            logarithmic=logarithmic,
            allow_interruptions=True,
            show_minor_y_labels=not logarithmic,
            **_legend(series),
        )
    )
    _x_labels(chart, weeks)
    for item in series:
        chart.add(item.label, list(item.values))
    return _render(chart, title)


def category_bars(title: str, categories: Sequence[str], series: Sequence[Series], *, y_title: str) -> str:
    chart = pygal.StackedBar(**_config(title=title, y_title=y_title, x_label_rotation=0, **_legend(series)))
    chart.x_labels = list(categories)
    for item in series:
        chart.add(item.label, list(item.values))
    return _render(chart, title)


def hours(estimate: Estimate | None) -> float | None:
    """An estimate in hours for a chart's y axis; None leaves a gap."""
    return None if estimate is None else round(max(estimate.minutes, 0.5) / 60, 3)
