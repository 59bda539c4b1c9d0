"""Every timeline event type has one registry entry with a writer and a sentence."""

import pytest
from django.utils import translation

from incidents.models import TimelineEvent
from incidents.timeline import events

SAMPLE = {
    "changed": ["subject"],
    "severity": "high",
    "previous_severity": "medium",
    "route": "legal",
    "reason": "why",
    "targets": ["Max"],
    "level": 1,
    "loop": 0,
    "channel": "email",
    "target": "Max",
    "attempt": 2,
    "error": "timeout",
    "key": "offer_withdrawal:acme.com",
    "kind": "offer_withdrawal",
    "via": "eml",
    "minutes_from_mistake": 3.0,
    "minutes_from_report": 1.0,
    "comment": "ok",
    "note": "done",
    "routes": ["manager", "legal"],
    "name": "sent.eml",
    "sha256": "ab" * 32,
}


def test_every_event_type_has_a_registry_entry_and_nothing_else_is_registered():
    assert set(events.REGISTRY) == set(TimelineEvent.Type.values)


@pytest.mark.parametrize("code", TimelineEvent.Type.values)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_event_type_reads_as_a_sentence(code, language):
    event = TimelineEvent(type=code, parameters=SAMPLE)
    with translation.override(language):
        sentence = events.describe_event(event)
    assert sentence and "%(" not in sentence and sentence != code


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_edit_of_the_recipients_reads_as_a_sentence(language):
    event = TimelineEvent(type="edited", parameters={"changed": ["subject", "recipients"]})
    with translation.override(language):
        sentence = events.describe_event(event)
        assert translation.gettext("recipients") in sentence
