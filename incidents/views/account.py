"""The signed-in user's own settings: for now, the time zone pages and forms use."""
from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..accounts import profile_for, sending_address_for
from ..services.accounts import profile_set_time_zone
from ..models import Profile


@cache
def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class AccountForm(forms.ModelForm):
    """The sending address is left out on purpose: only an admin binds one."""

    class Meta:
        model = Profile
        fields = ["time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list rather than free text, but a stale or typed name still meets the model's validator.
        self.fields["time_zone"].widget = forms.Select(choices=_zone_choices())


@require_http_methods(["GET", "POST"])
def account(request):
    profile = profile_for(request.user)
    form = AccountForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, _("Time zone saved: %(zone)s.") % {"zone": profile.time_zone})
        return redirect("incidents:account")
    context = {"form": form, "now": timezone.now(), "sending_address": sending_address_for(request.user)}
    return render(request, "incidents/account.html", context)
