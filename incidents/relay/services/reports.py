"""A cancelled held message becomes a report its sender completes (a pending report), in one click."""

from __future__ import annotations

import json
from email.utils import getaddresses

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from incidents import access
from incidents.errors import PermissionDenied
from incidents.message import MessageError, report_fields
from incidents.models import HeldMessage, PendingReport
from incidents.relay.selectors import warning_sentences
from incidents.relay.services import hold
from incidents.vocabulary import RecipientField


def _fields(held: HeldMessage) -> dict:
    """The report's fields from the message; envelope-only recipients are its Bcc recipients."""
    try:
        fields = report_fields(hold.read(bytes(held.raw)))
    except MessageError:  # it was read when held; keep what the row knows if it cannot be read now
        fields = {"subject": held.subject, "message_id": held.message_id}
    named = {
        address.lower()
        for _name, address in getaddresses(
            [str(fields.get(key, "")) for key in ("to_recipients", "cc_recipients", "bcc_recipients")]
        )
    }
    extra = [
        r["address"] for r in held.recipients if r["field"] == RecipientField.BCC and r["address"].lower() not in named
    ]
    if extra:
        fields["bcc_recipients"] = ", ".join(filter(None, [fields.get("bcc_recipients", ""), *extra]))
    fields.setdefault("sender", held.envelope_from)
    return json.loads(json.dumps(fields, cls=DjangoJSONEncoder))


@transaction.atomic
def held_report_start(*, held: HeldMessage, actor) -> PendingReport | None:
    """The pending report of a cancelled message, made once (a second click answers the same one);
    None when the message is not cancelled. Only its sender may start it (access.may_report_held)."""
    if not access.may_report_held(actor, held):
        raise PermissionDenied(_("A report is its sender's own: only they can start it."))
    locked = HeldMessage.objects.select_for_update().get(pk=held.pk)
    if locked.status != HeldMessage.Status.CANCELLED:
        return None
    if locked.pending_report_id is not None:
        return locked.pending_report
    report = PendingReport.objects.create(
        owner=locked.sender,
        fields=_fields(locked),
        warnings=warning_sentences(locked),
        source=PendingReport.Source.HELD,
    )
    locked.pending_report = report
    locked.save(update_fields=["pending_report"])
    return report
