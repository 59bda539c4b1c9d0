from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    IncidentStatus,
    MailSystem,
    OrganisationKind,
    RecipientField,
    RecipientStatus,
    Severity,
)


class Organisation(models.Model):
    """A directory entry: our own company, a client or a competitor, known by its mail domains."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class MailDomain(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("mail domain")
        verbose_name_plural = _("mail domains")

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.domain


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    """One mis-sent email and everything done about it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_incidents"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    subject = models.CharField(_("subject"), max_length=998)
    sent_at = models.DateTimeField(_("sent at"))
    mail_system = models.CharField(_("mail system"), max_length=20, choices=MailSystem.choices)
    sender = models.EmailField(_("sender"), max_length=254)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    quoted_price = models.DecimalField(_("quoted price"), max_digits=18, decimal_places=4, null=True, blank=True)
    correct_price = models.DecimalField(_("correct price"), max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    firm_offer = models.BooleanField(_("firm offer or validity period stated"), default=False)
    recipient_status = models.CharField(
        _("recipient status"), max_length=20, choices=RecipientStatus.choices, default=RecipientStatus.UNKNOWN
    )
    body = models.TextField(_("body"), blank=True)
    attachments = models.JSONField(_("attachment names"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The latest assessment, kept on the row so lists and access rules filter without joins.
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.LOW)
    factors = models.JSONField(default=list, blank=True)
    route_manager = models.BooleanField(_("routed to managers"), default=False)
    route_legal = models.BooleanField(_("routed to legal"), default=False)
    regulatory_deadline = models.DateTimeField(_("regulatory deadline"), null=True, blank=True)
    recall = models.JSONField(default=dict, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["route_manager", "-created_at"]),
            models.Index(fields=["route_legal", "-created_at"]),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.pk])


class Recipient(models.Model):
    """An address on an incident: an actual recipient (with its header field) or an intended one."""

    ACTUAL = "actual"
    INTENDED = "intended"
    ROLE_CHOICES = [(ACTUAL, _("Actual")), (INTENDED, _("Intended"))]

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="recipients")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    field = models.CharField(max_length=3, choices=RecipientField.choices, blank=True)
    address = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


class TimelineEvent(models.Model):
    """A typed record of something that happened to an incident; parameters hold the facts."""

    class Type(models.TextChoices):
        REPORTED = "reported", _("Reported")
        EDITED = "edited", _("Edited")
        ASSESSED = "assessed", _("Assessed")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40, choices=Type.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} at {self.created_at:%Y-%m-%d %H:%M}"
