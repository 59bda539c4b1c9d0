from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.directory import Team
from incidents.models.expressions import SeverityRank
from incidents.models.labels import ChoiceLabels
from incidents.vocabulary import (
    IncidentStatus,
    MailSystem,
    Problem,
    RecipientField,
    RecipientRole,
    RecipientStatus,
    Severity,
    TimelineEventType,
)


class Incident(ChoiceLabels, models.Model):
    """One mis-sent email and everything done about it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_incidents",
        verbose_name=_("reporter"),
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents", verbose_name=_("team")
    )
    subject = models.CharField(_("subject"), max_length=998)
    sent_at = models.DateTimeField(_("sent at"))
    mail_system = models.CharField(_("mail system"), max_length=20, choices=MailSystem.choices)
    sender = models.EmailField(_("sender"), max_length=254)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # What the reporter says the text does NOT contain although it was detected: {"personal_data": reason}.
    dismissed_signals = models.JSONField(_("dismissed signals"), default=dict, blank=True)
    quoted_price = models.DecimalField(_("quoted price"), max_digits=18, decimal_places=4, null=True, blank=True)
    correct_price = models.DecimalField(_("correct price"), max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    firm_offer = models.BooleanField(_("firm offer or validity period stated"), default=False)
    recipient_status = models.CharField(
        _("recipient status"), max_length=20, choices=RecipientStatus.choices, default=RecipientStatus.UNKNOWN
    )
    body = models.TextField(_("body"), blank=True)
    attachments = models.JSONField(_("attachment names"), default=list, blank=True)
    message_id = models.CharField(_("original Message-ID"), max_length=998, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_incidents",
        verbose_name=_("handled by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)
    # The first correction, deletion request or withdrawal marked sent: the time-to-correction metric.
    first_correction_at = models.DateTimeField(_("first correction sent at"), null=True, blank=True)
    # Set by the filing service, so the assessment's breach clock and the row agree to the microsecond.
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # The latest assessment, kept on the row so lists and access rules filter without joins.
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.LOW)
    factors = models.JSONField(_("assessment factors"), default=list, blank=True)
    route_manager = models.BooleanField(_("routed to managers"), default=False)
    route_legal = models.BooleanField(_("routed to legal"), default=False)
    # Who may see it beyond the reporter and the team's managers: set when the assessment routes it to
    # managers or legal, or when it is escalated to them, and never cleared (a later edit that lowers
    # the route must not hide an escalation or its history from them). Lists filter on these columns
    # instead of asking, row by row, whether an escalation exists.
    manager_audience = models.BooleanField(_("visible to managers"), default=False, editable=False)
    legal_audience = models.BooleanField(_("visible to legal"), default=False, editable=False)
    regulatory_deadline = models.DateTimeField(_("regulatory deadline"), null=True, blank=True)
    recall = models.JSONField(_("recall assessment"), default=dict, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Keys the lists filter and search by, written with each assessment (incidents/insight/finding.py).
    factor_codes = models.CharField(max_length=1000, blank=True, default="", editable=False)
    organisation_names = models.TextField(blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # An employee's own incidents, newest first (the id settles equal times without a sort).
            models.Index(fields=["reporter", "-created_at", "-id"], name="incident_reporter_newest"),
            # Work still open (the legal queue, open-only filters): a small part of years of history.
            models.Index(
                fields=["-created_at", "-id"],
                name="incident_unresolved_newest",
                condition=~models.Q(status=IncidentStatus.RESOLVED.value),
            ),
            # Legal's queue: their open incidents, nearest deadline first (PostgreSQL keeps NULLs last
            # in an ascending index, as the queue wants them).
            models.Index(
                fields=["regulatory_deadline", "-created_at", "-id"],
                name="incident_legal_open",
                condition=models.Q(legal_audience=True) & ~models.Q(status=IncidentStatus.RESOLVED.value),
            ),
            # Lists that see more than one reporter's incidents read newest first along this one.
            models.Index(fields=["-created_at", "-id"], name="incident_newest"),
            models.Index(fields=["team", "-created_at", "-id"], name="incident_team_newest"),
            models.Index(fields=["route_manager", "-created_at"]),
            models.Index(fields=["route_legal", "-created_at"]),
            # The severity filter, newest first (find and filter). Full-text search has a GIN index on
            # PostgreSQL only, made in migration 0016 (incidents/insight/search.py).
            models.Index(fields=["severity", "-created_at", "-id"], name="incident_severity_newest"),
            # Sorting by severity (most severe first, then newest) and by sent date read an index range too.
            models.Index(
                SeverityRank().desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="incident_severity_rank_newest",
            ),
            models.Index(fields=["-sent_at", "-id"], name="incident_sent_newest"),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.pk])

    def get_problems_display(self) -> list[str]:
        labels = dict(Problem.choices)
        return [str(labels.get(code, code)) for code in self.problems]


class Recipient(ChoiceLabels, models.Model):
    """An address on an incident: an actual recipient (with its header field) or an intended one."""

    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    ACTUAL, INTENDED = RecipientRole.ACTUAL, RecipientRole.INTENDED

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="recipients")
    role = models.CharField(max_length=10, choices=RecipientRole.choices)
    field = models.CharField(max_length=3, choices=RecipientField.choices, blank=True)
    address = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


class TimelineEvent(ChoiceLabels, models.Model):
    """A typed record of something that happened to an incident; parameters hold the facts."""

    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Type = TimelineEventType

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} at {self.created_at:%Y-%m-%d %H:%M}"
