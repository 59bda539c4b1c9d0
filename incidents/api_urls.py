from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import DefaultRouter

from incidents.prevention.api import PrecheckView
from incidents.reports.api import IncidentViewSet

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" twins of every route: one URL per resource
router.register("incidents", IncidentViewSet, basename="api-incident")

# DRF authenticates API calls itself (token or session); the site-wide login redirect must not.
urlpatterns = router.urls
urlpatterns += [path("precheck/", PrecheckView.as_view(), name="api-precheck")]
for pattern in urlpatterns:
    login_not_required(pattern.callback)
