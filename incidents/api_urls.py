from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import DefaultRouter

from .api import IncidentViewSet

router = DefaultRouter()
router.include_format_suffixes = False  # no ".json" twins of every route: one URL per resource
router.register("incidents", IncidentViewSet, basename="api-incident")

# DRF authenticates API calls itself (token or session); the site-wide login redirect must not.
urlpatterns = router.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)
