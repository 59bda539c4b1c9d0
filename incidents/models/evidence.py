"""The sent message, kept as evidence only when the user asks: stored with its SHA-256.

A kept file is visible only to those who may see its incident and is deleted with it. A file
kept on the report page before the incident exists is "held" (no incident yet) and visible to
its uploader alone; held files the report never claimed are deleted after a day.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from incidents.conf import missend
from incidents.models.incident import Incident
from incidents.models.labels import ChoiceLabels
from incidents.vocabulary import EvidenceSource


class EvidenceStorage(FileSystemStorage):
    """Files under MISSEND_EVIDENCE_ROOT, private to this process's user, never given a URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, missend.EVIDENCE_ROOT)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Evidence has no public URL: it is served by the incident's evidence view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "MISSEND_EVIDENCE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def evidence_storage():
    """A storage of its own, never served as static or media: files leave only through the checked view."""
    return storages["evidence"]


def evidence_file_name(instance: "Evidence", filename: str) -> str:
    # Never the user's file name on disk (it is kept in original_name): a random name under the month.
    suffix = PurePath(filename).suffix.lower()[:8]
    if suffix not in (".eml", ".msg"):
        suffix = ".bin"
    return timezone.now().strftime("%Y/%m/") + uuid.uuid4().hex + suffix


class Evidence(ChoiceLabels, models.Model):
    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Source = EvidenceSource

    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("incident"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kept by"),
    )
    uploaded_at = models.DateTimeField(_("kept at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    file = models.FileField(_("file"), storage=evidence_storage, upload_to=evidence_file_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["incident", "uploaded_at"], name="evidence_incident_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence_file_delete")
def evidence_file_delete(sender, instance: Evidence, **kwargs) -> None:
    """The file goes with its row (also when its incident is deleted), once the deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
