"""QuickSelect renders what Django's Select renders (compared as HTML), only faster."""
import pytest
from django import forms
from django.test.html import parse_html

from incidents.widgets import QuickSelect, quick

CHOICES = [("", "Any"), (1, "Acme <Trading> & Co"), (2, "环球 \"Globex\""), ("x", "Other")]


@pytest.mark.parametrize("value", [None, "", 1, "1", 2, "x", "missing"])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select is-invalid", "aria-invalid": "true", "id": "id_o"}])
def test_quick_select_matches_djangos_select(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("organisation", value, attrs=attrs)
    quick_html = QuickSelect(choices=CHOICES).render("organisation", value, attrs=attrs)
    assert parse_html(quick_html) == parse_html(django_html)


def test_only_plain_single_selects_are_replaced():
    assert isinstance(quick(forms.Select(choices=CHOICES)), QuickSelect)
    for widget in (forms.SelectMultiple(choices=CHOICES), forms.CheckboxSelectMultiple(choices=CHOICES),
                   forms.TextInput(), forms.RadioSelect(choices=CHOICES)):
        assert quick(widget) is widget
