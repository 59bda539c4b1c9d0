"""Form widgets that render in Python where Django's template-per-option rendering is too slow."""
from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> built with format_html: the same markup as Django's Select, without rendering a
    template for every option. A list's filter form offers every organisation (hundreds), and the
    per-option templates cost more than the list's rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            # Plain string building with escape(): format_html per option cost more than the template it replaces.
            rendered = "".join(
                f'<option value="{escape(str(o["value"]) if o["value"] is not None else "")}"'
                f'{" selected" if o["selected"] else ""}>{escape(str(o["label"]))}</option>'
                for o in options
            )
            parts.append(f'<optgroup label="{escape(str(group))}">{rendered}</optgroup>' if group else rendered)
        return mark_safe(f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>{"".join(parts)}</select>')


def quick(widget: forms.Widget) -> forms.Widget:
    """The same widget as a QuickSelect when it is a plain single Select; anything else unchanged."""
    if type(widget) is not forms.Select:
        return widget
    fast = QuickSelect(attrs=widget.attrs, choices=widget.choices)
    fast.is_required = widget.is_required
    return fast
