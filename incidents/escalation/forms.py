from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.escalation import Route


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Resolution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done: correction sent, client called, legal's decision."),
    )


class EscalateForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Escalate to"), choices=Route.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseEscalationForm(forms.Form):
    route = forms.ChoiceField(choices=Route.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why close it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
