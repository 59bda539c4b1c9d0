"""The sent message kept as evidence, in the API."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers


class EvidenceSerializer(serializers.Serializer):
    """A sent message kept as evidence (download it from download_url)."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="Hex SHA-256 of the file as kept.")
    kept_at = serializers.DateTimeField(source="uploaded_at")
    kept_by = serializers.CharField(source="uploaded_by.username", default=None, allow_null=True)
    source = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, evidence) -> str:
        return reverse("api-incident-evidence-file", args=[evidence.incident_id, evidence.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The sent message, .eml or .msg; it must be readable as an email.")
