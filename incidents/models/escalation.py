"""Escalation policies and the state of each running escalation; the database is the source of truth."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incidents.core.webhook import WebhookTargetRefused, check
from incidents.models.directory import Team
from incidents.models.incident import Incident
from incidents.models.labels import ChoiceLabels
from incidents.vocabulary import EscalationStatus, NotificationChannel, NotificationStatus, Route


def validate_positive_minutes(value: Decimal) -> None:
    # Zero would tell every level at once, which is what escalation exists to avoid.
    if value is not None and value <= 0:
        raise ValidationError(_("Wait more than 0 minutes before the next level."), code="not_positive")


def validate_positive_hours(value: Decimal) -> None:
    if value is not None and value <= 0:
        raise ValidationError(
            _("Remind after more than 0 hours, or leave it empty for no reminder."), code="not_positive"
        )


class EscalationPolicy(models.Model):
    """Ordered levels of people to tell until someone acknowledges (one policy per route)."""

    name = models.CharField(_("name"), max_length=200)
    route = models.CharField(_("route"), max_length=10, choices=Route.choices, unique=True)
    repeat = models.PositiveSmallIntegerField(
        _("repeat"), default=0, help_text=_("How many more times to run through all levels if nobody acknowledges.")
    )
    unresolved_reminder_hours = models.DecimalField(
        _("remind if acknowledged but not resolved after (hours)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_positive_hours],
    )
    webhook_url = models.URLField(
        _("webhook URL"), blank=True, help_text=_("Optional: a JSON POST for each level reached, e.g. for a chat tool.")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unresolved_reminder_hours__isnull=True) | Q(unresolved_reminder_hours__gt=0),
                name="reminder_hours_positive",
                violation_error_message=_("Remind after more than 0 hours, or leave it empty for no reminder."),
            )
        ]
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.webhook_url:
            try:
                check(self.webhook_url, debug=settings.DEBUG)
            except WebhookTargetRefused as refused:
                raise ValidationError({"webhook_url": ValidationError(refused.message, code=refused.code)}) from None


class EscalationLevel(ChoiceLabels, models.Model):
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(_("position"))
    delay_minutes = models.DecimalField(
        _("minutes before the next level"),
        max_digits=7,
        decimal_places=2,
        default=15,
        help_text=_("If nobody has acknowledged by then, the next level is told."),
        validators=[validate_positive_minutes],
    )
    notify_reporter_team_managers = models.BooleanField(_("the reporter's team managers"), default=False)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, verbose_name=_("users"))
    teams = models.ManyToManyField(Team, blank=True, verbose_name=_("managers of these teams"))
    groups = models.ManyToManyField(Group, blank=True, verbose_name=_("everyone in these groups"))

    class Meta:
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="unique_level_position"),
            models.CheckConstraint(
                condition=Q(delay_minutes__gt=0),
                name="level_delay_positive",
                violation_error_message=_("Wait more than 0 minutes before the next level."),
            ),
        ]
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")

    def __str__(self) -> str:
        return f"{self.policy} · {self.position}"


class Escalation(ChoiceLabels, models.Model):
    """One route of one incident being escalated: where it stands and when it next moves."""

    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Status = EscalationStatus

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="escalations")
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.PROTECT, verbose_name=_("policy"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    level = models.SmallIntegerField(
        _("level reached (0 is the first)"),
        default=-1,
        help_text="Index of the level last notified; -1 before the first.",
    )
    loop = models.PositiveSmallIntegerField(_("round"), default=0)
    # A restarted escalation keeps counting loops (claims stay unique) but repeats from here.
    loop_base = models.PositiveSmallIntegerField(default=0)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    next_action_at = models.DateTimeField(_("next step at"), null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    # The incident's severity as a number (0 low .. 3 critical), kept in step by the services, so the
    # triage queue sorts its running escalations along an index instead of joining every incident.
    severity_rank = models.SmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "escalation")
        verbose_name_plural = pgettext_lazy("model", "escalations")
        constraints = [models.UniqueConstraint(fields=["incident", "route"], name="one_escalation_per_route")]
        indexes = [
            # Triage: running escalations, waiting ones first, most severe, oldest.
            models.Index(
                fields=["-status", "-severity_rank", "started_at", "id"],
                name="escalation_triage",
                condition=~Q(status=EscalationStatus.CLOSED.value),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}/{self.route}"


class Notification(ChoiceLabels, models.Model):
    """A claim to tell one person (or a webhook) once about one level of one escalation."""

    # The vocabulary's lists (incidents/vocabulary), also reachable from the model.
    Channel = NotificationChannel
    Status = NotificationStatus

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notifications")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    route = models.CharField(max_length=10, choices=Route.choices)
    level = models.SmallIntegerField(help_text="Level index; -1 for an acknowledged-but-unresolved reminder.")
    loop = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient_key = models.CharField(max_length=40, help_text="user:<id> or webhook; part of the claim's identity.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    ack_link_used_at = models.DateTimeField(null=True, blank=True)
    resent_after_lost_worker = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "route", "level", "loop", "recipient_key", "channel"], name="one_claim_per_target"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "channel", "read_at"]),
            # The inbox: one person's in-app notifications, newest first.
            models.Index(fields=["recipient", "channel", "-created_at", "-id"], name="notification_inbox"),
            # Triage counts each running escalation's failed notifications.
            models.Index(fields=["escalation", "status"], name="notification_escalation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient_key} #{self.incident_id} {self.route} L{self.level}/{self.loop}"
