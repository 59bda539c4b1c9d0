"""The signed-in user's own settings (time zone, language), and the language switch in the navigation."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from incidents.accounts.selectors import sending_address_for
from incidents.accounts.services import profile_for, profile_set_language, profile_set_time_zone
from incidents.models import Profile
from incidents.web.middleware import set_language_cookie
from incidents.web.widgets import QuickSelect


@cache
def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name, so anyone can find theirs whatever the page's language.
    return [("", gettext_lazy("The browser's language")), *settings.LANGUAGES]


class LanguageSelect(forms.Select):
    """Each language's option carries its lang, so it reads (and is read aloud) in that language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value:
            option["attrs"]["lang"] = translation.to_locale(value).replace("_", "-")
        return option


class AccountForm(forms.ModelForm):
    """The sending address is left out on purpose: only an admin binds one."""

    class Meta:
        model = Profile
        fields = ["time_zone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list rather than free text, but a stale or typed name still meets the model's validator.
        self.fields["time_zone"].widget = QuickSelect(choices=_zone_choices())  # 600 zones: no template per option
        self.fields["language"].widget = LanguageSelect(choices=_language_choices())


@require_http_methods(["GET", "POST"])
def account(request):
    profile = profile_for(request.user)  # the account page is where a profile comes into being
    previous = profile.language  # validating the form writes the new choice onto the instance
    form = AccountForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        profile_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        profile_set_language(user=request.user, language=language)
        # The confirmation is read on the next page, which is already in the new language.
        translation.activate(language or translation.get_language_from_request(request))
        messages.success(request, _("Time zone saved: %(zone)s.") % {"zone": form.cleaned_data["time_zone"]})
        if language != previous:
            chosen = dict(_language_choices())[language]
            messages.success(request, _("Language saved: %(language)s.") % {"language": chosen})
        response = redirect("incidents:account")
        if language:
            set_language_cookie(response, language)
        else:
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
            )
        return response
    context = {"form": form, "now": timezone.now(), "sending_address": sending_address_for(request.user)}
    return render(request, "incidents/account.html", context)


@login_not_required
@require_POST
def language_choice(request):
    """Django's set_language (cookie, then back to `next`); a signed-in user's choice is also kept in their profile."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_set_language(user=request.user, language=language)
    return response
