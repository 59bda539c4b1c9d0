"""What people did with the generated drafts, and admin-edited draft templates with their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident
from incidents.models.labels import ChoiceLabels
from incidents.vocabulary import DraftApproval, DraftKind, DraftLanguage, SentVia, TemplatePart


class DraftRecord(ChoiceLabels, models.Model):
    """One generated draft of one incident, once someone has edited, approved or sent it."""

    # The vocabulary's lists (incidents/vocabulary), also reachable from the model.
    Approval = DraftApproval
    SentVia = SentVia

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="draft_records")
    key = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    language = models.CharField(max_length=10, choices=DraftLanguage.choices, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    text = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approval = models.CharField(max_length=20, choices=Approval.choices, default=Approval.NOT_NEEDED)
    approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)
    # What legal approved, exactly: a digest of the text, its recipients and the incident's offer facts.
    # Any difference between this and the draft as it stands now means the approval no longer holds.
    approved_fingerprint = models.CharField(max_length=64, blank=True)
    approved_language = models.CharField(max_length=10, choices=DraftLanguage.choices, blank=True)
    approved_tone = models.CharField(max_length=10, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_via = models.CharField(max_length=20, choices=SentVia.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "key"], name="one_record_per_draft")]

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.key}"


class DraftTemplate(models.Model):
    """An admin's replacement for one part of one draft kind in one language."""

    kind = models.CharField(_("draft"), max_length=30, choices=DraftKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=DraftLanguage.choices)
    part = models.CharField(_("part"), max_length=10, choices=TemplatePart.choices)
    source = models.TextField(_("template"))
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "language", "part"], name="one_template_per_part")]
        verbose_name = _("draft template")
        verbose_name_plural = _("draft templates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.language} · {self.get_part_display()}"


class DraftTemplateVersion(models.Model):
    """Every saved source, so an admin can see what changed and go back."""

    template = models.ForeignKey(DraftTemplate, on_delete=models.CASCADE, related_name="versions")
    source = models.TextField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template} · {self.saved_at:%Y-%m-%d %H:%M}"
