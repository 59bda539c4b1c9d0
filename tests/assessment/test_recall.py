"""Recall can only help internal, unread recipients on Exchange, Microsoft 365 or Lotus Notes."""

from dataclasses import replace

import pytest

from incidents.assessment import Party, Recall, RecipientRecall, recall_advice
from tests.assessment.builders import AMY, BOB, COLLEAGUE, ME, facts, run

P = pytest.param
SYSTEMS = ("exchange", "microsoft365", "gmail", "qq", "netease", "aliyun", "lotus_notes", "other")
STATUSES = ("unknown", "unread", "read", "replied", "accepted")
RECALLING = {"exchange", "microsoft365", "lotus_notes"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("system", SYSTEMS)
def test_internal_recipient_recall_depends_on_system_and_status(system, status):
    recall = run(facts(ME, mail_system=system, recipient_status=status)).recall
    expected = "maybe" if system in RECALLING and status in ("unknown", "unread") else "no"
    assert [(r.address, r.verdict) for r in recall.recipients] == [(ME, expected)]
    assert recall.verdict == expected
    assert recall.mail_system == system


@pytest.mark.parametrize("system", SYSTEMS)
def test_external_recipient_is_never_recallable(system):
    recall = run(facts(AMY, mail_system=system, recipient_status="unread")).recall
    assert [r.verdict for r in recall.recipients] == ["no"]


@pytest.mark.parametrize(
    "recipients, verdict",
    [
        P((ME, COLLEAGUE), "maybe", id="all-internal-maybe"),
        P((ME, AMY), "partial", id="internal-and-external-partial"),
        P((AMY, BOB), "no", id="all-external-no"),
        P((), "no", id="no-recipients-no"),
    ],
)
def test_overall_verdict(recipients, verdict):
    assert run(facts(*recipients, mail_system="microsoft365")).recall.verdict == verdict


def test_mail_system_is_case_insensitive():
    assert run(facts(ME, mail_system="Exchange")).recall.verdict == "maybe"


def _recall(system, *pairs):
    recipients = tuple(RecipientRecall(address, verdict) for address, verdict in pairs)
    verdicts = {v for _, v in pairs}
    verdict = "partial" if verdicts == {"maybe", "no"} else ("maybe" if verdicts == {"maybe"} else "no")
    return Recall(verdict=verdict, mail_system=system, recipients=recipients)


@pytest.mark.parametrize(
    "recall, phrases",
    [
        P(
            _recall("gmail", (ME, "no"), (AMY, "no")),
            ["Gmail has no recall", "Undo send", "Send a correction now"],
            id="gmail-undo-send-seconds",
        ),
        P(
            _recall("exchange", (ME, "maybe"), (AMY, "no")),
            ["Microsoft Exchange", f"may work for {ME} while unread", f"External recipients ({AMY})", "correction now"],
            id="exchange-partial",
        ),
        P(
            _recall("microsoft365", (ME, "maybe")),
            ["Microsoft 365", f"may work for {ME}", "counts as read"],
            id="microsoft365-all-internal",
        ),
        P(
            _recall("lotus_notes", (AMY, "no")),
            ["Lotus Notes", "cannot help", f"correction now to {AMY}"],
            id="lotus-notes-external-only",
        ),
        P(_recall("qq", (AMY, "no")), ["QQ Mail cannot recall a message sent outside", f"Phone {AMY}"], id="qq"),
        P(_recall("netease", (BOB, "no")), ["NetEase Mail", f"Phone {BOB}"], id="netease"),
        P(_recall("aliyun", (BOB, "no")), ["Aliyun Mail", "cannot recall"], id="aliyun"),
        P(_recall("other", (BOB, "no")), ["Do not count on recall", f"correction now to {BOB}"], id="other"),
    ],
)
def test_recall_advice_says_what_to_do(recall, phrases):
    advice = recall_advice(recall)
    for phrase in phrases:
        assert phrase in advice
    assert recall.advice == advice


def test_advice_depends_on_verdicts_not_only_the_system():
    partial = recall_advice(_recall("exchange", (ME, "maybe"), (AMY, "no")))
    maybe = recall_advice(_recall("exchange", (ME, "maybe")))
    no = recall_advice(_recall("exchange", (ME, "no")))
    assert len({partial, maybe, no}) == 3


def test_advice_from_a_real_assessment_names_the_recipients():
    advice = run(facts(ME, AMY, mail_system="exchange", recipient_status="unread")).recall.advice
    assert ME in advice and AMY in advice


NO_CORRECTION = [
    P(_recall("gmail", (ME, "no"), (COLLEAGUE, "no")), [f"Tell {ME}, {COLLEAGUE} in person"], id="gmail"),
    P(
        _recall("exchange", (ME, "maybe"), (AMY, "no")),
        [f"may work for {ME}", f"External recipients ({AMY}): phone"],
        id="exchange-partial",
    ),
    P(
        _recall("microsoft365", (ME, "maybe"), (COLLEAGUE, "maybe")),
        ["try it at once, and tell them in person"],
        id="microsoft365-internal-only",
    ),
    P(_recall("lotus_notes", (ME, "no")), ["cannot help", f"Tell {ME} in person or by phone"], id="lotus-notes-read"),
    P(_recall("qq", (ME, "no")), ["QQ Mail cannot recall", f"Tell {ME} in person"], id="qq"),
    P(_recall("netease", (ME, "no")), ["NetEase Mail", f"Tell {ME}"], id="netease"),
    P(_recall("aliyun", (ME, "no")), ["Aliyun Mail", f"Tell {ME}"], id="aliyun"),
    P(_recall("other", (ME, "no")), ["Do not count on recall", f"Tell {ME} in person or by phone"], id="other"),
    P(_recall("other"), ["Tell the recipients in person"], id="nobody-listed"),
]


@pytest.mark.parametrize("recall, phrases", NO_CORRECTION)
def test_without_a_correction_needed_the_advice_says_what_to_do_instead(recall, phrases):
    advice = recall_advice(replace(recall, correction_needed=False))
    assert "correction" not in advice.lower()
    for phrase in phrases:
        assert phrase in advice


@pytest.mark.parametrize("recall, phrases", NO_CORRECTION)
def test_a_correction_is_advised_by_default(recall, phrases):
    assert recall.correction_needed is True
    assert "correction" in recall_advice(recall)


@pytest.mark.parametrize(
    "stored, needed",
    [
        P(
            {"verdict": "maybe", "mail_system": "exchange", "recipients": [{"address": ME, "verdict": "maybe"}]},
            True,
            id="stored-before-the-key-existed",
        ),
        P(
            {
                "verdict": "maybe",
                "mail_system": "exchange",
                "recipients": [{"address": ME, "verdict": "maybe"}],
                "correction_needed": False,
            },
            False,
            id="no-correction-needed",
        ),
        P(
            {
                "verdict": "no",
                "mail_system": "gmail",
                "recipients": [{"address": AMY, "verdict": "no"}],
                "correction_needed": True,
            },
            True,
            id="correction-needed",
        ),
    ],
)
def test_the_incident_page_reads_whether_a_correction_is_needed_from_the_stored_recall(stored, needed):
    from incidents.models import Incident
    from incidents.reports.presentation import stored_recall

    recall = stored_recall(Incident(mail_system="exchange", recall=stored))
    assert recall.correction_needed is needed
    assert ("correction" in recall.advice) is needed


def test_recipient_in_to_and_cc_counts_once():
    incident = replace(facts(), recipients=(Party(BOB, "to"), Party("BOB@ClientB.com", "cc")), problems={"tone"})
    assert [r.address for r in run(incident).recall.recipients] == [BOB]
