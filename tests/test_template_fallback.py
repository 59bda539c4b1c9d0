"""An administrator's template that passes the save check but fails on a real incident never
costs the sender their draft: that part falls back to the shipped template, the sender sees a
warning and admins find an ERROR on the "incidents.templates" log."""

import logging
from email import policy
from email.parser import BytesParser

import pytest
from django.urls import reverse
from jinja2 import FileSystemLoader
from rest_framework.test import APIClient

from incidents.correspondence import (
    TemplateProblem,
    choose_drafts,
    default_source,
    render_draft,
    validate_template_source,
)
from incidents.correspondence.sandbox import environment_for
from incidents.models import DraftTemplate
from tests.correspondence.builders import RIVAL, facts
from tests.factories import file_incident

# The save check renders with a sample incident that has an attachment; real incidents may have none.
FAILS_WITHOUT_ATTACHMENTS = {
    "subject": "{% if not attachments %}{{ 1 // 0 }}{% endif %}ADMIN SUBJECT {{ original_subject }}",
    "text": "{% if not attachments %}{{ 1 // 0 }}{% endif %}ADMIN TEXT {{ greeting_name }}",
    "html": "{% if not attachments %}{{ 1 // 0 }}{% endif %}<p>ADMIN HTML {{ greeting_name }}</p>",
}
KEY = "deletion_request:rival-exports.com"


def rival_got_it(**changes):
    """The quote meant for Acme also went to Rival; no attachment."""
    return facts(
        actual=(RIVAL,),
        unintended=(RIVAL,),
        problems=frozenset({"wrong_recipient"}),
        factor_codes=frozenset({"unintended_external"}),
        **changes,
    )


def deletion_request(incident):
    [spec] = [s for s in choose_drafts(incident, language="en") if s.kind == "deletion_request"]
    return spec


def template_errors(caplog):
    return [r for r in caplog.records if r.name == "incidents.templates" and r.levelno == logging.ERROR]


@pytest.mark.parametrize("part", ["subject", "text", "html"])
def test_an_admin_part_that_fails_on_real_data_falls_back_to_the_shipped_part(part, caplog):
    source = FAILS_WITHOUT_ATTACHMENTS[part]
    assert validate_template_source(source, part, kind="deletion_request", language="en") == []
    incident = rival_got_it()
    spec = deletion_request(incident)
    draft = render_draft(spec, incident, overrides={("deletion_request", "en", part): source})
    assert getattr(draft, part) == getattr(render_draft(spec, incident), part)
    assert "ADMIN" not in draft.subject + draft.text + draft.html
    assert draft.template_warnings == (
        f"An administrator's template (deletion_request, en, {part}) failed on this incident: "
        "Line 1: ZeroDivisionError: integer division or modulo by zero; the standard text is shown.",
    )
    [record] = template_errors(caplog)
    assert f"kind=deletion_request language=en part={part}" in record.getMessage()
    assert "ZeroDivisionError" in record.getMessage()


def test_only_the_failing_part_falls_back_and_a_working_template_is_used_as_written(caplog):
    incident = rival_got_it()
    spec = deletion_request(incident)
    overrides = {
        ("deletion_request", "en", "text"): FAILS_WITHOUT_ATTACHMENTS["text"],
        ("deletion_request", "en", "subject"): "PLEASE DELETE: {{ original_subject }}",
    }
    draft = render_draft(spec, incident, overrides=overrides)
    assert draft.subject == f"PLEASE DELETE: {incident.subject}"
    assert draft.text == render_draft(spec, incident).text
    [warning] = draft.template_warnings
    assert warning.startswith("An administrator's template (deletion_request, en, text) failed")

    with_attachment = rival_got_it(attachments=("Q-118.pdf",))
    draft = render_draft(deletion_request(with_attachment), with_attachment, overrides=overrides)
    assert draft.text.startswith("ADMIN TEXT") and draft.template_warnings == ()


def test_the_log_names_the_template_and_the_problem_but_never_the_incident_text(caplog):
    incident = rival_got_it(subject="Payroll November: Eve Rivers salary 9,800")
    source = "{% if not attachments %}{{ {}[original_subject] }}{% endif %}ADMIN TEXT"
    assert validate_template_source(source, "text", kind="deletion_request", language="en") == []
    draft = render_draft(deletion_request(incident), incident, overrides={("deletion_request", "en", "text"): source})
    assert incident.subject in draft.template_warnings[0]  # the sender may see their own incident
    [record] = template_errors(caplog)
    logged = record.getMessage()
    assert "kind=deletion_request language=en part=text" in logged and "has no attribute" in logged
    assert "Payroll" not in logged and "9,800" not in logged and "Eve Rivers" not in logged


def test_a_shipped_template_that_fails_is_our_bug_and_still_raises(monkeypatch, tmp_path):
    shipped = tmp_path / "deletion_request"
    shipped.mkdir()
    (shipped / "en.subject.txt").write_text(default_source("deletion_request", "en", "subject"), encoding="utf-8")
    (shipped / "en.txt").write_text("{{ 1 // 0 }}", encoding="utf-8")
    monkeypatch.setattr(environment_for("text"), "loader", FileSystemLoader(str(tmp_path)))
    incident = rival_got_it()
    with pytest.raises(TemplateProblem, match="ZeroDivisionError"):
        render_draft(deletion_request(incident), incident)
    with pytest.raises(TemplateProblem, match="ZeroDivisionError"):  # an override that fails falls back to it
        render_draft(
            deletion_request(incident),
            incident,
            overrides={("deletion_request", "en", "text"): FAILS_WITHOUT_ATTACHMENTS["text"]},
        )


def save_admin_template(client, superuser, part: str, source: str) -> None:
    client.force_login(superuser)
    response = client.post(
        reverse("admin:incidents_drafttemplate_add"),
        {
            "kind": "deletion_request",
            "language": "en",
            "part": part,
            "active": "on",
            "source": source,
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, "the save check lets it through: the sample incident has an attachment"


def plain_body(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    return BytesParser(policy=policy.default).parsebytes(response.content).get_body(("plain",)).get_content()


def test_pages_eml_and_api_work_with_the_standard_text_and_show_the_warning(
    client, superuser, directory, employee, caplog
):
    save_admin_template(client, superuser, "text", FAILS_WITHOUT_ATTACHMENTS["text"])
    incident = file_incident(employee, to=["eve@rival-exports.com"], attachments=[])
    client.force_login(employee)
    warning = "An administrator&#x27;s template (deletion_request, en, text) failed on this incident"

    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Standard wording shown: an administrator's template failed on this incident." in html
    assert warning in html

    detail = client.get(reverse("incidents:draft", args=[incident.pk, KEY]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "so the standard wording is shown. Please tell an administrator:" in html and warning in html

    eml_url = reverse("incidents:draft_eml", args=[incident.pk, KEY])
    body = plain_body(client.get(eml_url))
    assert "ADMIN TEXT" not in body
    assert template_errors(caplog), "admins find the failure in the log"
    assert all("kind=deletion_request language=en part=text" in r.getMessage() for r in template_errors(caplog))

    api = APIClient()
    api.force_authenticate(employee)
    response = api.get(f"/api/incidents/{incident.pk}/drafts/")
    assert response.status_code == 200
    payload = response.json()
    drafts = payload["results"] if isinstance(payload, dict) else payload
    [deletion] = [d for d in drafts if d["key"] == KEY]
    assert deletion["template_warnings"] and "(deletion_request, en, text)" in deletion["template_warnings"][0]

    DraftTemplate.objects.update(active=False)
    assert plain_body(client.get(eml_url)) == body, "the .eml carried exactly the shipped text"
