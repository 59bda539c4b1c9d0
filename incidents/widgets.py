"""Form widgets that render in Python where Django's template-per-option rendering is too slow."""
from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> built with format_html: the same markup as Django's Select, without rendering a
    template for every option. A list's filter form offers every organisation (hundreds), and the
    per-option templates cost more than the list's rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            rendered = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
                (option["value"] if option["value"] is not None else "",
                 mark_safe(" selected") if option["selected"] else "", option["label"])
                for option in options
            ))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, rendered) if group else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(parts)))


def quick(widget: forms.Widget) -> forms.Widget:
    """The same widget as a QuickSelect when it is a plain single Select; anything else unchanged."""
    if type(widget) is not forms.Select:
        return widget
    fast = QuickSelect(attrs=widget.attrs, choices=widget.choices)
    fast.is_required = widget.is_required
    return fast
