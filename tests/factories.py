from datetime import timedelta

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from incidents.core.addresses import Address
from incidents.models import HeldMessage
from incidents.relay.services import hold
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report
from tests.support_messages import outgoing

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ourco.com")
    password = factory.django.Password(PASSWORD)


def report(**overrides) -> IncidentReport:
    """A report with sensible defaults: an email for Acme sent to Globex instead, with no pricing in it
    (subjects are scanned too, so tests that want pricing add it themselves)."""
    to = overrides.pop("to", ["li.wei@globex.com.cn"])
    intended = overrides.pop("intended", ["buyer@acme-trading.com"])
    values = {
        "subject": "Order Q-1 for Acme",
        "sent_at": timezone.now() - timedelta(minutes=5),
        "mail_system": "microsoft365",
        "sender": "erin@ourco.com",
        "recipients": [(Address(a), "to") for a in to],
        "intended": [Address(a) for a in intended],
        "problems": ["wrong_recipient"],
    }
    values.update(overrides)
    return IncidentReport(**values)


def file_incident(reporter, **overrides):
    return incident_report(reporter=reporter, report=report(**overrides))


def held_message(*, envelope_from="erin@ourco.com", recipients=("li.wei@globex.com.cn",), **message) -> HeldMessage:
    """A message held by the relay, as if sent through it (outgoing()'s fields may be overridden)."""
    result = hold.message_hold(
        envelope_from=envelope_from, envelope_recipients=list(recipients), raw=outgoing(sender=envelope_from, **message)
    )
    return HeldMessage.objects.get(pk=result.held_id)
