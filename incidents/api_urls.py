"""The API's routes. /api/incidents/ is one resource whose actions come from each feature's api module."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import DefaultRouter

from incidents.drafts.api import DraftActions
from incidents.escalation.api import EscalationActions
from incidents.evidence.api import EvidenceActions
from incidents.insight.api import IncidentReads
from incidents.prevention.api import PrecheckView
from incidents.reports.api import ReportActions


class IncidentViewSet(ReportActions, EvidenceActions, EscalationActions, DraftActions, IncidentReads):
    """Incidents the caller may see; POST files a new report and answers with its assessment."""


router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" twins of every route: one URL per resource
router.register("incidents", IncidentViewSet, basename="api-incident")

# DRF authenticates API calls itself (token or session); the site-wide login redirect must not.
urlpatterns = router.urls
urlpatterns += [path("precheck/", PrecheckView.as_view(), name="api-precheck")]
for pattern in urlpatterns:
    login_not_required(pattern.callback)
