"""Outgoing messages the hold-and-check relay keeps back for a while before passing them on.

The raw message is kept in the row itself (a BinaryField): the row is the spool, so a held message and
its index are written in one transaction and can never disagree, and backing up the database backs up
the spool. Messages are capped (MISSEND_RELAY_MAX_BYTES, 25 MB by default), and the bytes of a released
message are dropped once it has left.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.pending import PendingReport
from incidents.vocabulary import HeldStatus


class HeldMessage(models.Model):
    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Status = HeldStatus

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_messages", verbose_name=_("sender")
    )
    envelope_from = models.CharField(_("envelope sender"), max_length=320)
    # The SMTP envelope's recipients, as received: Bcc recipients appear only here.
    envelope_recipients = models.JSONField(_("envelope recipients"), default=list)
    # [{"address": ..., "field": "to" | "cc" | "bcc"}, ...] as checked.
    recipients = models.JSONField(_("recipients"), default=list)
    message_id = models.CharField(_("Message-ID"), max_length=998)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    raw = models.BinaryField(_("message"), default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    # [{"code": ..., "params": {...}}, ...]: sentences are written in the reader's language when shown.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(_("held at"), default=timezone.now)
    due_at = models.DateTimeField(_("leaves at"))
    # The sweeper enqueued a release task at this time (re-driven if it never ran).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # A release found its claim abandoned (worker killed mid-send) and sent again: the upstream may have it twice.
    resent_after_lost_worker = models.BooleanField(default=False)
    released_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    upstream_reply = models.CharField(_("upstream reply"), max_length=500, blank=True)
    sent_now_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent now by"),
    )
    sent_now_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    notice_attempts = models.PositiveSmallIntegerField(default=0)
    pending_report = models.OneToOneField(
        PendingReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_message",
        verbose_name=_("report started"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("held message")
        verbose_name_plural = _("held messages")
        constraints = [
            # The same message submitted twice (a client retrying after a lost reply) is held once; a
            # cancelled or failed one may be submitted again.
            models.UniqueConstraint(
                fields=["sender", "message_id"],
                condition=Q(status__in=[HeldStatus.HELD.value, HeldStatus.RELEASING.value, HeldStatus.RELEASED.value]),
                name="held_message_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="held_message_due"),
            models.Index(fields=["sender", "-created_at", "-id"], name="held_message_sender_recent"),
        ]

    def __str__(self) -> str:
        return f"held #{self.pk} {self.subject[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:held", args=[self.pk])
