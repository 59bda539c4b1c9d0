"""The incident page: its queries do not grow with the timeline, the evidence or a review; the factor
sentences and recall advice (written once per process for each language and assessment) follow a
re-assessment and the reader's language."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from incidents.assessment.explanations import describe_factor
from incidents.escalation import services as flow
from incidents.evidence.services import evidence_keep
from incidents.models import Incident
from incidents.reports.presentation import stored_factors, stored_recall
from incidents.reports.services import incident_update
from incidents.review.rules import Review
from tests.factories import file_incident, report
from tests.support_messages import sent_message


def page_queries(user, incident) -> list[str]:
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))  # nothing kept from the last request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(incident.get_absolute_url()).status_code == 200
    return [query["sql"] for query in captured]


def test_the_page_costs_the_same_queries_with_a_long_timeline_evidence_and_a_review(
    directory, employee, manager, superuser
):
    quote = dict(quoted_price=Decimal("80"), correct_price=Decimal("100"), currency="USD")
    few, many = file_incident(employee, **quote), file_incident(employee, **quote)
    for n, person in enumerate((employee, manager, superuser)):
        evidence_keep(data=sent_message(), filename=f"copy-{n}.eml", user=person, source="command", incident=many)
    flow.incident_acknowledge(incident=many, actor=manager, route="manager")
    for incident in (few, many):
        flow.incident_resolve(
            incident=incident,
            actor=superuser,
            note="Withdrawn by phone.",
            review=Review(cause="haste", habits=("send_delay",)),
        )
    assert many.events.values("actor").distinct().count() >= 3 and many.evidence.count() == 3
    for user in (employee, manager):
        queries = page_queries(user, many)
        assert len(queries) == len(page_queries(user, few))
        # The review and the people on the timeline and evidence come with their rows.
        assert not any(query.startswith('SELECT "incidents_postincidentreview"') for query in queries)
        assert not any(query.startswith('SELECT "auth_user"') for query in queries[2:])


def test_the_page_says_the_sentences_of_the_current_assessment_in_the_readers_language(
    client, directory, employee, zh_catalogue
):
    incident = file_incident(employee, to=["li.wei@globex.com.cn"])
    client.force_login(employee)

    def written(language: str) -> list[str]:
        stored = Incident.objects.get(pk=incident.pk)
        with translation.override(language):
            return [describe_factor(f) for f in stored_factors(stored)] + [stored_recall(stored).advice]

    def shows(language: str) -> str:
        return client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for language in ("en", "zh-hans", "en"):
        page = shows(language)
        assert all(escape(sentence) in page for sentence in written(language))
    assert written("en") != written("zh-hans")

    before = written("en")
    incident_update(
        incident=Incident.objects.get(pk=incident.pk),
        actor=employee,
        report=report(to=["bob@rival-exports.com"], mail_system="gmail"),
    )
    after = written("en")
    assert after != before
    page = shows("en")
    assert all(escape(sentence) in page for sentence in after)
    assert not any(escape(sentence) in page for sentence in set(before) - set(after))


def test_the_page_asks_each_question_once(directory, employee, manager):
    """The resolve rule reads the escalations the page shows, the edit check is asked once, and the
    reporter reading their own incident does not have their settings read twice."""
    incident = file_incident(
        employee, to=["li.wei@globex.com.cn"], quoted_price=Decimal("80"), correct_price=Decimal("100"), currency="USD"
    )
    assert incident.escalations.exists()
    for user in (employee, manager):
        queries = page_queries(user, incident)
        repeated = sorted({q for q in queries if queries.count(q) > 1})
        assert not repeated, repeated
        assert not any(q.startswith('SELECT "incidents_escalation"."route"') for q in queries)
