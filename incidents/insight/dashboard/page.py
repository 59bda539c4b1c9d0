"""The dashboard's figures section: rollups summed for the viewer, turned into charts and tables, cached.

The section depends only on the rollups' generation, what the viewer may see, the filters and the
language, so it is kept in the cache under exactly those and rendered again only when one changes (the
beat task moves the generation on every few minutes). A miss costs a handful of summing queries over
the rollups and the chart rendering; a hit costs one cache read.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incidents.insight.dashboard import charts, labels, selectors
from incidents.insight.dashboard.figures import Figures, build_figures
from incidents.insight.dashboard.rollup import weeks_between
from incidents.models.rollup_layout import CAUSES, DURATIONS, FACTORS, HABITS, MAIL_SYSTEMS, SEVERITIES
from incidents.vocabulary import Duration

CACHE_SECONDS = 15 * 60


@dataclass
class Table:
    caption: str
    corner: str  # the heading over the row headings
    columns: list[str]
    rows: list[tuple[str, list]]  # (row heading, cells)
    footer: list[tuple[str, list]] = field(default_factory=list)


@dataclass
class Panel:
    key: str
    title: str
    svg: str
    table: Table
    note: str = ""


def _week_rows(figures: Figures, series: list[list]) -> list[tuple[str, list]]:
    return [(week.isoformat(), [values[i] for values in series]) for i, week in enumerate(figures.weeks)]


def _counts_panel(
    key: str,
    title: str,
    caption: str,
    figures: Figures,
    named: list[tuple[str, list[int]]],
    *,
    stacked: bool = True,
    total: list[int] | None = None,
    y_title: str = "",
) -> Panel:
    svg = charts.weekly_bars(
        title,
        figures.weeks,
        [charts.Series(name, values) for name, values in named],
        y_title=y_title or _("incidents"),
        stacked=stacked,
    )
    columns = [name for name, _values in named]
    series = [values for _name, values in named]
    footer_cells = [sum(values) for values in series]
    if total is not None:
        columns.append(_("Total"))
        series.append(total)
        footer_cells.append(sum(total))
    table = Table(caption, _("Week of"), columns, _week_rows(figures, series), [(_("Whole period"), footer_cells)])
    return Panel(key, title, svg, table)


def _duration_panels(figures: Figures) -> list[Panel]:
    panels = []
    for which, title in (("median", _("Median time, per week")), ("p90", _("90th percentile time, per week"))):
        series = [
            charts.Series(
                str(labels.DURATION_LABELS[d]),
                [charts.hours(e) for e in getattr(figures.durations[d], f"weekly_{which}")],
            )
            for d in DURATIONS
        ]
        svg = charts.weekly_lines(
            title, figures.weeks, series, y_title=_("hours (logarithmic scale)"), logarithmic=True
        )
        columns = [str(labels.DURATION_LABELS[d]) for d in DURATIONS]
        rows = [
            (
                week.isoformat(),
                [labels.estimate_short(getattr(figures.durations[d], f"weekly_{which}")[i]) for d in DURATIONS],
            )
            for i, week in enumerate(figures.weeks)
        ]
        footer = [(_("Whole period"), [labels.estimate_text(getattr(figures.durations[d], which)) for d in DURATIONS])]
        panels.append(Panel(f"durations-{which}", title, svg, Table(title, _("Week of"), columns, rows, footer)))
    return panels


def _breakdown_table(caption: str, corner: str, lines, names: dict) -> Table:
    columns = (
        [_("Incidents")]
        + [labels.severity_label(s) for s in SEVERITIES]
        + [
            _("Median: %(what)s") % {"what": labels.DURATION_LABELS[Duration.REPORT]},
            _("Median: %(what)s") % {"what": labels.DURATION_LABELS[Duration.CORRECTION]},
        ]
    )
    rows = [
        (
            names.get(line.key, _("No team")),
            [line.incidents]
            + [line.by_severity[s] for s in SEVERITIES]
            + [labels.estimate_text(line.report_median), labels.estimate_text(line.correction_median)],
        )
        for line in lines
    ]
    return Table(caption, corner, columns, rows)


def build_panels(figures: Figures, team_names: dict) -> list[Panel]:
    panels = [
        _counts_panel(
            "severity",
            _("Incidents reported per week, by severity"),
            _("Incidents reported per week, by severity"),
            figures,
            [(labels.severity_label(s), figures.by_severity[s]) for s in SEVERITIES],
            total=figures.incidents,
        ),
        _counts_panel(
            "mail",
            _("Incidents per week, by mail system"),
            _("Incidents per week, by mail system"),
            figures,
            [(labels.mail_system_label(m), figures.by_mail_system[m]) for m in MAIL_SYSTEMS],
            total=figures.incidents,
        ),
        _counts_panel(
            "factors",
            _("Incidents per week, by factor"),
            _("Incidents per week, by factor"),
            figures,
            [(labels.factor_label(f), figures.by_factor[f]) for f in FACTORS],
            stacked=False,
        ),
    ]
    panels[2].note = _("An incident can have several factors: it counts once under each.")
    panels += _duration_panels(figures)
    # Running escalations, now.
    categories = [
        f"{labels.ROUTE_LABELS.get(line.route, line.route)} · {labels.level_label(line.level)}"
        for line in figures.open_escalations
    ]
    open_svg = charts.category_bars(
        _("Open escalations, by route and level reached"),
        categories,
        [
            charts.Series(_("Waiting for acknowledgement"), [line.waiting for line in figures.open_escalations]),
            charts.Series(_("Acknowledged"), [line.acknowledged for line in figures.open_escalations]),
        ],
        y_title=_("escalations"),
    )
    open_table = Table(
        _("Open escalations, by route and level reached"),
        _("Route and level"),
        [_("Waiting for acknowledgement"), _("Acknowledged"), _("Total")],
        [
            (category, [line.waiting, line.acknowledged, line.waiting + line.acknowledged])
            for category, line in zip(categories, figures.open_escalations)
        ],
    )
    panels.append(
        Panel(
            "open",
            _("Open escalations, by route and level reached"),
            open_svg,
            open_table,
            _("As of the last update; the date range does not apply, the team and severity do."),
        )
    )
    panels.append(
        _counts_panel(
            "causes",
            _("Post-incident reviews per week, by cause"),
            _("Post-incident reviews per week, by cause"),
            figures,
            [(labels.cause_label(c), figures.by_cause[c]) for c in CAUSES],
            total=figures.reviews,
            y_title=_("reviews"),
        )
    )
    habits = _counts_panel(
        "habits",
        _("Prevention steps adopted per week"),
        _("Prevention steps adopted per week"),
        figures,
        [(labels.habit_label(h), figures.by_habit[h]) for h in HABITS] + [(_("None adopted"), figures.no_habit)],
        stacked=False,
        y_title=_("reviews"),
    )
    habits.note = _("A review can adopt several steps: it counts once under each.")
    panels.append(habits)
    team_lines = figures.teams
    team_svg = charts.category_bars(
        _("Incidents by team"),
        [team_names.get(line.key, _("No team")) for line in team_lines],
        [charts.Series(labels.severity_label(s), [line.by_severity[s] for line in team_lines]) for s in SEVERITIES],
        y_title=_("incidents"),
    )
    panels.append(
        Panel(
            "teams",
            _("Incidents by team"),
            team_svg,
            _breakdown_table(_("Incidents by team"), _("Team"), team_lines, team_names),
        )
    )
    return panels


def _person_names(ids) -> dict:
    users = get_user_model().objects.filter(pk__in=sorted(ids)).only("username", "first_name", "last_name")
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def figures_section(
    viewer: selectors.Viewer, filters: selectors.Filters, generation: int, teams: list[tuple[int, str]]
) -> str:
    """The rendered figures (charts and tables) for this viewer and these filters, from the cache when it can.

    Two keys: the rollups' generation with the viewer and filters (a hit costs no query), and else the
    figures themselves (summing the rollups again is cheap; drawing the charts is not, and after a refresh
    most viewers' figures have not changed, and viewers who see the same rows share them).
    """
    language = get_language()
    key = f"missend:dashboard:{generation}:{viewer.cache_key}:{filters.cache_key}:{language}"
    drawn_key = cache.get(key)
    html = cache.get(drawn_key) if drawn_key else None
    if html is None:
        figures, people_table, team_names = _figures(viewer, filters, teams)
        digest = hashlib.sha256(pickle.dumps((figures, people_table, team_names, filters))).hexdigest()
        drawn_key = f"missend:dashboard:drawn:{digest}:{language}"
        html = cache.get(drawn_key)
        if html is None:
            html = _render(figures, people_table, team_names, filters)
        # The section is stored once, under its figures; the viewer's key only names it.
        cache.set(drawn_key, html, CACHE_SECONDS)
        cache.set(key, drawn_key, CACHE_SECONDS)
    return html


def _figures(viewer: selectors.Viewer, filters: selectors.Filters, teams: list[tuple[int, str]]):
    weeks = weeks_between(filters.since, filters.until)
    people_rows = selectors.visible_person_rows(viewer, filters)
    figures = build_figures(
        weeks,
        selectors.visible_week_rows(viewer, filters),
        people_rows,
        selectors.visible_open_escalations(viewer, filters),
    )
    people_table = None
    if viewer.managed_team_ids:
        person_names = _person_names({row.reporter_id for row in people_rows}) if people_rows else {}
        people_table = _breakdown_table(
            _("Incidents per person in the teams you manage"), _("Reporter"), figures.people, person_names
        )
    return figures, people_table, dict(teams)


def _render(figures: Figures, people_table: Table | None, team_names: dict, filters: selectors.Filters) -> str:
    panels = build_panels(figures, team_names)
    style, svgs = charts.shared_style([panel.svg for panel in panels])
    for panel, svg in zip(panels, svgs):
        panel.svg = svg
    return render_to_string(
        "incidents/_dashboard_figures.html",
        {
            "figures": figures,
            "panels": panels,
            "people_table": people_table,
            "filters": filters,
            "chart_style": style,
        },
    )


def render_figures(viewer: selectors.Viewer, filters: selectors.Filters, teams: list[tuple[int, str]]) -> str:
    """The figures section without any cache."""
    return _render(*_figures(viewer, filters, teams), filters)
