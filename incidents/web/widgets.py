"""Form widgets that render in Python where Django's template-per-option rendering is too slow."""

from __future__ import annotations

from functools import cache
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: True bare, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """As django/forms/widgets/input.html (and input_option.html, for a checkbox's tag) write it."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    html = f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    if widget.get("wrap_label"):
        label_for = f' for="{escape(str(widget["attrs"]["id"]))}"' if widget["attrs"].get("id") else ""
        html = f"<label{label_for}>{html} {escape(str(widget['label']))}</label>"
    return html


def _select(widget: dict) -> str:
    """As django/forms/widgets/select.html writes it (without its whitespace)."""
    parts = []
    for group, options, _index in widget["optgroups"]:
        inner = "".join(
            f'<option value="{escape(str(o["value"]))}"{_attrs(o["attrs"])}>{escape(str(o["label"]))}</option>'
            for o in options
        )
        parts.append(f'<optgroup label="{escape(str(group))}">{inner}</optgroup>' if group else inner)
    return f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(parts)}</select>'


QUICK_TEMPLATES = {
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/search.html": _input,
    "django/forms/widgets/date.html": _input,
    "django/forms/widgets/number.html": _input,
    "django/forms/widgets/checkbox_option.html": _input,
    "django/forms/widgets/radio_option.html": _input,
    "django/forms/widgets/select.html": _select,
}


class QuickRendering:
    """Mixed into a widget: Django's own widget templates written by the functions above (same
    context, same markup), one template render saved per input and per checkbox. A filter form
    has a dozen of them on every list page."""

    def _render(self, template_name, context, renderer=None):
        write = QUICK_TEMPLATES.get(template_name)
        if write is None:
            return super()._render(template_name, context, renderer)
        return mark_safe(write(context["widget"]))


def _option(value, label, selected: bool) -> str:
    value = "" if value is None else str(value)
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(str(label))}</option>'


class QuickSelect(forms.Select):
    """A <select> built from plain strings: the same markup as Django's Select, without rendering a
    template (or building a dict) for every option. A list's filter form offers every organisation
    (hundreds), and the per-option templates cost more than the list's rows."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        found = False  # like Select, only the first option with the chosen value is selected

        def option(choice_value, label) -> str:
            nonlocal found
            selected = not found and str("" if choice_value is None else choice_value) in chosen
            found |= selected
            return _option(choice_value, label, selected)

        parts = []
        for choice_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(option(v, text) for v, text in label)
                parts.append(f'<optgroup label="{escape(str(choice_value))}">{inner}</optgroup>')
            else:
                parts.append(option(choice_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(parts)}</select>')


@cache
def _quick_class(cls: type) -> type:
    # The same name: a bound field's widget_type ("checkboxselectmultiple") comes from it, and
    # templates choose their markup by it.
    return type(cls.__name__, (QuickRendering, cls), {"__module__": __name__, "__qualname__": cls.__qualname__})


def quick(widget: forms.Widget) -> forms.Widget:
    """The widget rendered in Python: a plain single Select becomes a QuickSelect (which never
    builds its options' dicts); any other widget whose template or option template QUICK_TEMPLATES
    knows gets QuickRendering (templates it does not know still render as templates)."""
    if type(widget) is forms.Select:
        fast = QuickSelect(attrs=widget.attrs, choices=widget.choices)
        fast.is_required = widget.is_required
        return fast
    if isinstance(widget, QuickRendering) or not _known(widget):
        return widget
    widget.__class__ = _quick_class(type(widget))
    return widget


def _known(widget: forms.Widget) -> bool:
    option_template = getattr(widget, "option_template_name", None)
    if widget.template_name == "django/forms/widgets/select.html":  # _select writes its options itself
        return option_template == "django/forms/widgets/select_option.html"
    return widget.template_name in QUICK_TEMPLATES or option_template in QUICK_TEMPLATES
