"""What a person sends about a draft: its wording, legal's decision, and the language and tone asked for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from incidents.vocabulary import DraftDecision, DraftLanguage, Tone


class DraftEditForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    text = forms.CharField(label=gettext_lazy("Text"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 16}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DraftDecision.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comment"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def draft_choice(request) -> tuple[str | None, str]:
    """The language and tone asked for in the query string; unknown values fall back to the defaults."""
    language = request.GET.get("language")
    tone = request.GET.get("tone", Tone.POLITE)
    return (language if language in DraftLanguage else None), (tone if tone in Tone else Tone.POLITE)
