"""Held messages in the admin: to look at, not to edit (the sender's page has the buttons)."""

from django.contrib import admin

from incidents.models import HeldMessage


@admin.register(HeldMessage)
class HeldMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "sender", "status", "created_at", "due_at", "attempts", "resent_after_lost_worker"]
    list_filter = ["status", "resent_after_lost_worker"]
    search_fields = ["subject", "message_id", "envelope_from", "sender__username"]
    exclude = ["raw", "claim_token"]
    readonly_fields = [f.name for f in HeldMessage._meta.fields if f.name not in ("raw", "claim_token")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
