from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from incidents.accounts.views import language_choice
from incidents.escalation.views import acknowledge_link


@never_cache
@login_not_required
def health(request):
    """For load balancers and the page benchmark's trivial view: the process answers (no database)."""
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path("health/", health, name="health"),
    path("", RedirectView.as_view(pattern_name="incidents:list", permanent=False)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's set_language view (cookie and redirect to `next`), which also remembers a signed-in user's choice.
    path("i18n/setlang/", language_choice, name="set_language"),
    path("incidents/", include("incidents.urls")),
    path("ack/<str:token>/", acknowledge_link, name="acknowledge_link"),
    path("api/", include("incidents.api_urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("admin/", admin.site.urls),
]
