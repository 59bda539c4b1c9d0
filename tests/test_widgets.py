"""QuickSelect renders what Django's Select renders (compared as HTML), only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from incidents.web.widgets import QuickSelect, quick

CHOICES = [
    ("", "Any"),
    (1, "Acme <Trading> & Co"),
    (2, '环球 "Globex"'),
    ("x", "Other"),
    ("y", "Other again"),
    ("Group <1>", [(3, "Three"), ("x", "Other, grouped")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", 2, 3, "x", "missing"])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select is-invalid", "aria-invalid": "true", "id": "id_o"}])
def test_quick_select_matches_djangos_select(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("organisation", value, attrs=attrs)
    quick_html = QuickSelect(choices=CHOICES).render("organisation", value, attrs=attrs)
    assert parse_html(quick_html) == parse_html(django_html)


def test_only_plain_single_selects_become_quick_selects():
    assert isinstance(quick(forms.Select(choices=CHOICES)), QuickSelect)
    for widget in (
        forms.SelectMultiple(choices=CHOICES),
        forms.CheckboxSelectMultiple(choices=CHOICES),
        forms.TextInput(),
        forms.RadioSelect(choices=CHOICES),
    ):
        fast = quick(widget)
        assert fast is widget and not isinstance(fast, QuickSelect)


WIDGETS = [
    ("text", forms.TextInput(), ["", 'Acme <&> "q"', None]),
    ("search", forms.TextInput(attrs={"placeholder": 'Subject, "address"'}), ["报价"]),
    ("date", forms.DateInput(), ["2026-11-30", "2026-13-45", None]),
    ("number", forms.NumberInput(), [3, None]),
    ("several", forms.SelectMultiple(choices=CHOICES), [["1", "x"], [], None]),
    ("radio", forms.RadioSelect(choices=CHOICES[:3]), ["1", None]),
]


@pytest.mark.parametrize("name, widget, values", WIDGETS)
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "form-control is-invalid", "aria-invalid": "true", "id": "id_x", "required": True, "disabled": False},
    ],
)
def test_quick_rendering_matches_djangos_templates(name, widget, values, attrs):
    import copy

    for value in values:
        django_html = copy.deepcopy(widget).render(name, value, attrs=attrs)
        fast = quick(copy.deepcopy(widget))
        assert type(fast) is not type(widget)
        assert parse_html(fast.render(name, value, attrs=attrs)) == parse_html(django_html)


@pytest.mark.parametrize("value", [[], ["high"], ["high", "critical"], ["nope"]])
def test_quick_checkboxes_match_djangos_option_tags(value):
    """The list filters render each checkbox's tag (and, wrapped in its label, the whole widget)."""
    choices = [("low", "Low"), ("high", "High <!>"), ("critical", "Critical")]

    class Form(forms.Form):
        severity = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), required=False
        )

    plain, fast = Form({"severity": value}), Form({"severity": value})
    fast.fields["severity"].widget = quick(fast.fields["severity"].widget)
    for django_choice, quick_choice in zip(plain["severity"], fast["severity"], strict=True):
        assert parse_html(quick_choice.tag()) == parse_html(django_choice.tag())
        assert parse_html(str(quick_choice)) == parse_html(str(django_choice))
    assert parse_html(str(fast["severity"])) == parse_html(str(plain["severity"]))
    assert fast["severity"].widget_type == plain["severity"].widget_type == "checkboxselectmultiple"


def test_widgets_with_their_own_templates_are_left_alone():
    class Custom(forms.TextInput):
        template_name = "incidents/custom_input.html"

    widget = Custom()
    assert quick(widget) is widget and type(widget) is Custom
