"""The dashboard page: thin. Who may open it, the filters from the URL, the cached figures section."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from incidents import access
from incidents.insight.dashboard import page, selectors
from incidents.insight.dashboard.forms import DashboardFilterForm
from incidents.models import Team
from incidents.web.security import allow_style_blocks


def dashboard(request):
    if not access.may_open_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for managers, legal and administrators."))
    viewer = selectors.viewer_of(request.user)
    teams = list(Team.objects.order_by("name").values_list("pk", "name"))
    form = DashboardFilterForm(request.GET, teams=teams)
    state = selectors.refresh_state()
    figures_html = ""
    if form.is_valid():
        figures_html = page.figures_section(viewer, form.filters(), state.generation, teams)
    response = render(
        request,
        "incidents/dashboard.html",
        {
            "form": form,
            "refreshed_at": state.refreshed_at,
            "figures_html": figures_html,
            "filters": form.filters() if form.is_valid() else None,
        },
    )
    return allow_style_blocks(response, figures_html)  # the charts' shared style, cached with them
