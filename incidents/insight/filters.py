"""Find and filter: the filters of the incident list, the managers' triage, the legal queue and the API list.

One FilterSet per list shape, all from URL parameters (a link to a filtered list is the filtered
list):

    q             search words (incidents/insight/search.py)
    severity      low, medium, high, critical (repeatable: any of them)
    status        open, acknowledged, resolved (repeatable)
    route         manager, legal, none (triage: the escalation's route, manager or legal)
    team          a team's id
    organisation  an organisation's id (on the To/Cc/Bcc or intended lines)
    factor        a factor code (e.g. wrong_client, personal_data_external)
    mail_system   exchange, microsoft365, gmail, qq, netease, aliyun, lotus_notes, other
    reported_from, reported_to   dates (YYYY-MM-DD, both included, in the user's time zone)
    sort          -reported (default), reported, -sent, sent, -severity, severity
                  (triage: queue, its default; legal: deadline, its default)

The filters only narrow the visibility-scoped querysets of incidents/access.py and
incidents/escalation/selectors.py: nothing here widens what a user sees. Factor and organisation filters read the
list keys each assessment writes (incidents/insight/finding.py), not the JSON or the recipients.
"""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta
from functools import cache
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from incidents.insight import finding, search
from incidents.models import DirectoryStamp, Organisation, Team
from incidents.models.expressions import SeverityRank
from incidents.vocabulary import FactorCode, IncidentStatus, MailSystem, Route, Severity
from incidents.web.widgets import quick

NO_ROUTE = "none"  # the route filter's third option: routed to neither
ROUTE_CHOICES = [*Route.choices, (NO_ROUTE, _("Neither"))]
ESCALATION_ROUTE_CHOICES = Route.choices

SORT_CHOICES = [
    ("-reported", _("Newest reported first")),
    ("reported", _("Oldest reported first")),
    ("-sent", _("Newest sent first")),
    ("sent", _("Oldest sent first")),
    ("-severity", _("Most severe first")),
    ("severity", _("Least severe first")),
]
TRIAGE_DEFAULT_SORT = ("queue", _("Unacknowledged, then most severe"))
LEGAL_DEFAULT_SORT = ("deadline", _("Nearest deadline first (resolved: newest first)"))


def severity_order(through: str = ""):
    """The severity as its rank, for sorting by severity."""
    return SeverityRank(f"{through}severity")


class TypedDateField(forms.DateField):
    """A date that names what was typed when it is not one ("2026-13-45" is not a date)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD."),
                code="invalid",
                params={"value": value},
            ) from None


class TypedDateFilter(django_filters.DateFilter):
    field_class = TypedDateField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """A team or an organisation by its id (documented as an integer in the API schema)."""


_directory_choices: tuple[str, dict[str, list]] | None = None


def directory_choices() -> dict[str, list]:
    """The team and organisation filters' options, (id, name) by name: one copy per process and
    per change of the directory or the teams (its DirectoryStamp), instead of reading and building
    every organisation for each list page."""
    global _directory_choices
    token = DirectoryStamp.current()
    if token is not None and _directory_choices is not None and _directory_choices[0] == token:
        return _directory_choices[1]
    choices = {
        "team": list(Team.objects.order_by("name", "pk").values_list("pk", "name")),
        "organisation": list(Organisation.objects.order_by("name", "pk").values_list("pk", "name")),
    }
    _directory_choices = (token, choices) if token is not None else None
    return choices


class DirectoryOptions(BaseChoiceIterator):
    """A team or organisation select's options, read from directory_choices() when it renders
    (Django passes a choice iterator through untouched, where a callable's list is re-checked
    option by option on every render)."""

    def __init__(self, name: str, empty: list, read):
        self.name, self.empty, self.read = name, empty, read

    def __iter__(self):
        yield from self.empty
        yield from self.read()[self.name]


class IncidentFilterForm(forms.Form):
    """The filters as a form: Bootstrap 5 classes on the inputs, fields in error marked invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        read = cache(directory_choices)  # both selects of this form from one read of the stamp
        for name in ("team", "organisation"):
            if name in self.fields:
                # The select's options, read when the page renders it (the API and the CSV export
                # never do); a chosen id is still checked against the table.
                field = self.fields[name]
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                field.widget.choices = DirectoryOptions(name, empty, read)
        for field in self.fields.values():
            field.widget = widget = quick(field.widget)
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Subject, address, name or organisation")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("reported_from"), cleaned.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", _("The end date is before the start date."))
        return cleaned


class IncidentOrdering(django_filters.OrderingFilter):
    """``sort``: each choice is a list of columns, ending in a unique one so pages never overlap."""

    def __init__(self, *args, orders: dict, default: tuple | None = None, **kwargs):
        self.orders = orders
        choices = ([default] if default else []) + SORT_CHOICES
        kwargs.setdefault("label", _("Sort"))
        kwargs.setdefault("empty_label", None)  # the first choice is the list's default order
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        columns = []
        for param in value or ():
            columns += [c for c in self.orders.get(param, ()) if c not in columns]
        return qs.order_by(*columns) if columns else qs


def _orders(through: str, most_severe_first: tuple, least_severe_first: tuple) -> dict:
    created, sent, pk = f"{through}created_at", f"{through}sent_at", f"{through}id"
    return {
        "-reported": (f"-{created}", f"-{pk}"),
        "reported": (created, pk),
        "-sent": (f"-{sent}", f"-{pk}"),
        "sent": (sent, pk),
        "-severity": most_severe_first,
        "severity": least_severe_first,
    }


INCIDENT_ORDERS = _orders(
    "",
    (severity_order().desc(), "-created_at", "-id"),
    (severity_order().asc(), "created_at", "id"),
)
# An escalation keeps its own copy of the incident's severity rank (indexed for the triage queue).
TRIAGE_ORDERS = _orders(
    "incident__",
    ("-severity_rank", "-incident__created_at", "-id"),
    ("severity_rank", "incident__created_at", "id"),
)


class _CopiedShallowly(dict):
    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            copies[name] = filter_ = copy.copy(filter_)
            if filter_.method is not None:
                filter_.method = filter_.method  # a filter method bound to this copy, not the class's filter
        return copies


class IncidentFilterSet(django_filters.FilterSet):
    """Filters of the incident list and the API list (Incident rows)."""

    through = ""  # how the filtered rows reach the incident ("incident__" from an escalation)

    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=search.MAX_QUERY_LENGTH)
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices,
        method="filter_any_of",
        label=_("Severity"),
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=IncidentStatus.choices,
        method="filter_any_of",
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
    )
    route = django_filters.ChoiceFilter(
        choices=ROUTE_CHOICES, method="filter_route", label=_("Routed to"), empty_label=_("Any")
    )
    team = IdFilter(queryset=Team.objects.all(), method="filter_team", label=_("Team"), empty_label=_("Any"))
    organisation = IdFilter(
        queryset=Organisation.objects.all(),
        method="filter_organisation",
        label=_("Organisation"),
        empty_label=_("Any"),
    )
    factor = django_filters.ChoiceFilter(
        choices=FactorCode.choices, method="filter_factor", label=_("Factor"), empty_label=_("Any")
    )
    mail_system = django_filters.ChoiceFilter(
        choices=MailSystem.choices, method="filter_mail_system", label=_("Mail system"), empty_label=_("Any")
    )
    reported_from = TypedDateFilter(method="filter_reported_from", label=_("Reported from"))
    reported_to = TypedDateFilter(method="filter_reported_to", label=_("Reported to"))
    sort = IncidentOrdering(orders=INCIDENT_ORDERS)

    class Meta:
        form = IncidentFilterForm
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter, choices and all, for each page; it then only sets
        # each copy's model and parent, so a shallow copy of each filter is enough.
        self.base_filters = _CopiedShallowly(type(self).base_filters)
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.base_filters

    def get_form_class(self):
        """The form class built once per filter set class, not for every page: its fields do not
        depend on the request (the team and organisation options are read when the form renders)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = cls._form_class = super().get_form_class()
        return form_class

    def _field(self, name: str) -> str:
        return f"{self.through}{name}"

    def filter_search(self, queryset, name, value):
        return search.incidents_matching(queryset, self.through, value)

    def filter_any_of(self, queryset, name, value):
        """Any of the chosen values. One severity reads its own index range newest first; several
        would read several ranges and sort them all, so the list's own order is kept instead (the
        column is wrapped so no index on it is taken). Without "resolved" the condition is repeated
        in the form of the partial index on unresolved incidents, which SQLite needs to see it."""
        if not value:
            return queryset
        column = self._field(name)
        if len(value) == 1:
            queryset = queryset.filter(**{column: value[0]})
        else:
            queryset = queryset.alias(**{f"any_{name}": Coalesce(F(column), Value(""))}).filter(
                **{f"any_{name}__in": value}
            )
        if name == "status" and IncidentStatus.RESOLVED not in value:
            queryset = queryset.exclude(**{column: IncidentStatus.RESOLVED})
        return queryset

    def filter_route(self, queryset, name, value):
        manager, legal = self._field("route_manager"), self._field("route_legal")
        if value == Route.MANAGER:
            return queryset.filter(**{manager: True})
        if value == Route.LEGAL:
            return queryset.filter(**{legal: True})
        if value == NO_ROUTE:
            return queryset.filter(**{manager: False, legal: False})
        return queryset

    def filter_team(self, queryset, name, value):
        return queryset.filter(**{self._field("team"): value})

    def filter_organisation(self, queryset, name, value):
        queryset = search.with_words_of(queryset, self.through, value.name)
        return queryset.filter(
            **{f"{self._field('organisation_names')}__contains": finding.organisation_key(value.name)}
        )

    def filter_factor(self, queryset, name, value):
        return queryset.filter(**{f"{self._field('factor_codes')}__contains": finding.factor_key(value)})

    def filter_mail_system(self, queryset, name, value):
        return queryset.filter(**{self._field("mail_system"): value})

    @staticmethod
    def _local_midnight(day) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    def filter_reported_from(self, queryset, name, value):
        return queryset.filter(**{f"{self._field('created_at')}__gte": self._local_midnight(value)})

    def filter_reported_to(self, queryset, name, value):
        return queryset.filter(**{f"{self._field('created_at')}__lt": self._local_midnight(value + timedelta(days=1))})

    @property
    def fragment_key(self) -> str | None:
        """Everything the rendered filter form depends on, for the template's fragment cache: the
        filter set, the language, the directory's stamp (its team and organisation options) and the
        parameters. None when the form has errors (it renders afresh, with what was typed) or the
        directory has no stamp yet."""
        if self.is_bound and self.form.errors:
            return None
        token = DirectoryStamp.current()
        if token is None:
            return None
        parameters = sorted((name, value) for name, values in self.data.lists() if name != "page" for value in values)
        return f"{type(self).__name__}|{translation.get_language()}|{token}|{urlencode(parameters)}"

    @property
    def active(self) -> bool:
        """Whether any filter or search narrows the list (the sort does not)."""
        return any(self.data.get(name) for name in self.filters if name != "sort")


class TriageFilterSet(IncidentFilterSet):
    """Filters of the managers' triage (Escalation rows; route is the escalation's own)."""

    through = "incident__"
    route = django_filters.ChoiceFilter(
        choices=ESCALATION_ROUTE_CHOICES, method="filter_route", label=_("Route"), empty_label=_("Any")
    )
    sort = IncidentOrdering(orders=TRIAGE_ORDERS, default=TRIAGE_DEFAULT_SORT)

    def filter_route(self, queryset, name, value):
        return queryset.filter(route=value) if value else queryset


class LegalFilterSet(IncidentFilterSet):
    """Filters of the legal review queue (Incident rows; by default in the queue's deadline order)."""

    sort = IncidentOrdering(orders=INCIDENT_ORDERS, default=LEGAL_DEFAULT_SORT)


class IncidentFilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend (400 with field errors on bad values); the browsable API shows no
    filter form (the pages have theirs)."""

    def to_html(self, request, queryset, view):
        return None


def filtered(filterset_class, request, queryset):
    """(filterset, rows) for a page: the rows narrowed by the request's filters, none while a filter
    value is wrong (the page shows the field errors and keeps what was typed)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs
