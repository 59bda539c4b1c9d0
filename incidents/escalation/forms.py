from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.review.rules import (
    CAUSE_OTHER_MAX,
    DAMAGE_MAX,
    NO_HABIT_REASON_MAX,
    Review,
    review_errors,
    review_required,
    send_delay_steps,
)
from incidents.vocabulary import Cause, Habit, Route


class ResolveForm(forms.Form):
    """The resolution note and the post-incident review (required for high and critical incidents)."""

    note = forms.CharField(
        label=_("Resolution"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done: correction sent, client called, legal's decision."),
    )
    cause = forms.ChoiceField(
        label=_("What caused it"),
        choices=Cause.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    cause_other = forms.CharField(label=_("If other: what"), max_length=CAUSE_OTHER_MAX, required=False)
    damage_limited_by = forms.CharField(
        label=_("What limited the damage (optional)"),
        max_length=DAMAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a phone call within minutes, the client deleted it unread, a send delay caught it."),
    )
    habits = forms.MultipleChoiceField(
        label=_("Prevention steps adopted"),
        choices=Habit.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    no_habit_reason = forms.CharField(
        label=_("None adopted, because"),
        max_length=NO_HABIT_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.review_required = incident is not None and review_required(incident.severity)
        self.send_delay_steps = send_delay_steps(incident.mail_system) if incident is not None else ()

    def clean(self):
        cleaned = super().clean()
        for field, messages in review_errors(self.review(), required=self.review_required).items():
            if field not in self.errors:
                self.add_error(field, messages)
        return cleaned

    def review(self) -> Review:
        data = self.cleaned_data
        return Review.of(
            cause=data.get("cause", ""),
            cause_other=data.get("cause_other", ""),
            damage_limited_by=data.get("damage_limited_by", ""),
            habits=data.get("habits", ()),
            no_habit_reason=data.get("no_habit_reason", ""),
        )


class EscalateForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Escalate to"),
        choices=Route.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseEscalationForm(forms.Form):
    route = forms.ChoiceField(choices=Route.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why close it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
