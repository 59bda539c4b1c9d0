"""The sent message kept as evidence: only when asked, with its SHA-256, seen only by those who see the
incident, deleted with the incident.

Paths that keep a message: report page (tick "keep", read, file), incident page ("Keep the sent
message"), API (import with keep=true and file=true; POST /api/incidents/{id}/evidence/), command
(import_message --keep-evidence). Paths that hand it out: the download URL, the API file URL, the
admin (links to the download URL). Paths that delete it: the incident's deletion (ORM, admin),
the sweep of held files nobody filed.
"""

import base64
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.escalation import sweeper
from incidents.models import Evidence, Incident, TimelineEvent
from tests.support_access import EDITABLE, MATRIX, VISIBLE
from tests.support_intake import REPORT_URL
from tests.support_messages import sent_message

MESSAGE = sent_message()
SHA = hashlib.sha256(MESSAGE).hexdigest()
REPORT = {
    "problems": ["wrong_recipient"],
    "intended_recipients": "buyer@acme-trading.com",
    "mail_system": "other",
    "recipient_status": "unknown",
}


pytestmark = pytest.mark.usefixtures("in_english")


def upload(data: bytes = MESSAGE, name="Q-77 sent copy.eml"):
    return SimpleUploadedFile(name, data, content_type="message/rfc822")


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def read_page(client, *, keep: bool, **extra):
    data = {"action": "read", "message": upload(), **extra}
    if keep:
        data["keep"] = "on"
    return client.post(REPORT_URL, data)


def file_from_page(client, read_response, **changes):
    """Submit the form the read step rendered, as the browser would (the held ids ride along)."""
    form = read_response.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["sent_at"] = form.initial["sent_at"].strftime("%Y-%m-%d %H:%M")
    data.update(REPORT, submit="save", evidence=[e.pk for e in read_response.context["held_evidence"]])
    data.update(changes)
    return client.post(REPORT_URL, data)


# Report page.
def test_reading_a_message_without_keep_stores_nothing(client, employee, directory, evidence_root):
    client.force_login(employee)
    response = read_page(client, keep=False)
    assert response.status_code == 200 and response.context["message_read"]
    assert Evidence.objects.count() == 0 and stored_files(evidence_root) == []
    assert "The file is not kept unless you tick the box below." in response.content.decode()


def test_keep_holds_the_file_for_the_report_and_filing_attaches_it_with_its_sha256(
    client, employee, directory, evidence_root
):
    client.force_login(employee)
    read = read_page(client, keep=True)
    held = Evidence.objects.get()
    assert held.incident is None and held.uploaded_by == employee and held.sha256 == SHA
    html = read.content.decode()
    assert f'name="evidence" value="{held.pk}"' in html and SHA in html
    assert 'name="keep" id="id_keep" aria-describedby="keep_help" checked' in html

    filed = file_from_page(client, read)

    incident = Incident.objects.get()
    assert filed.status_code == 302 and filed.url == incident.get_absolute_url()
    held.refresh_from_db()
    assert held.incident == incident and held.original_name == "Q-77 sent copy.eml" and held.size == len(MESSAGE)
    [path] = stored_files(evidence_root)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA
    assert path.name != held.original_name  # the user's file name never reaches the disk
    event = incident.events.get(type=TimelineEvent.Type.EVIDENCE_KEPT)
    assert event.actor == employee and event.parameters["sha256"] == SHA

    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Q-77 sent copy.eml" in page and SHA in page
    assert f"The sent message Q-77 sent copy.eml was kept as evidence (SHA-256 {SHA})" in page


def test_a_form_error_after_keep_keeps_the_held_file_in_the_form(client, employee, directory):
    client.force_login(employee)
    read = read_page(client, keep=True)
    held = Evidence.objects.get()
    again = file_from_page(client, read, intended_recipients="buyer at acme")
    assert again.status_code == 200 and again.context["form"].errors["intended_recipients"]
    assert f'name="evidence" value="{held.pk}"' in again.content.decode()
    file_from_page(client, read)
    held.refresh_from_db()
    assert held.incident == Incident.objects.get()


def test_nobody_can_claim_another_users_held_file(client, employee, other_employee, directory):
    client.force_login(other_employee)
    read_page(client, keep=True)
    theirs = Evidence.objects.get()
    client.force_login(employee)
    read = read_page(client, keep=False)
    file_from_page(client, read, evidence=[theirs.pk])
    theirs.refresh_from_db()
    assert theirs.incident is None and not Incident.objects.get().evidence.exists()


def test_held_files_nobody_filed_are_deleted_by_the_sweep_after_a_day(
    client, employee, directory, evidence_root, django_capture_on_commit_callbacks
):
    client.force_login(employee)
    read_page(client, keep=True)
    read_page(client, keep=True)
    old, fresh = Evidence.objects.order_by("pk")
    Evidence.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweeper.sweep()
    assert result.held_evidence_purged == 1
    assert list(Evidence.objects.all()) == [fresh] and len(stored_files(evidence_root)) == 1


# Who may download and who may add: the same matrix as the incident itself.
@pytest.fixture
def kept(incidents):
    from incidents.evidence.services import evidence_keep

    return {
        name: evidence_keep(
            data=MESSAGE, filename="sent.eml", user=incident.reporter, source="command", incident=incident
        )
        for name, incident in incidents.items()
    }


@pytest.mark.parametrize("role,name", MATRIX, ids=[f"{r}-{n}" for r, n in MATRIX])
def test_the_file_goes_only_to_those_who_may_see_the_incident_page_api_and_admin_link(client, users, kept, role, name):
    evidence = kept[name]
    client.force_login(users[role])
    page = client.get(reverse("incidents:evidence", args=[evidence.incident_id, evidence.pk]))
    by_api = api(users[role]).get(f"/api/incidents/{evidence.incident_id}/evidence/{evidence.pk}/")
    listing = api(users[role]).get(f"/api/incidents/{evidence.incident_id}/evidence/")
    if name in VISIBLE[role]:
        for response in (page, by_api):
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == MESSAGE
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Repr-Digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(SHA)).decode()}:"
        assert listing.status_code == 200 and [row["sha256"] for row in listing.json()] == [SHA]
    else:
        assert (page.status_code, by_api.status_code, listing.status_code) == (404, 404, 404)


def test_a_file_is_reached_only_through_its_own_incident(client, users, kept):
    client.force_login(users["employee"])
    theirs = kept["stranger_low"]
    own = kept["own_low"]
    assert client.get(reverse("incidents:evidence", args=[own.incident_id, theirs.pk])).status_code == 404
    assert api(users["employee"]).get(f"/api/incidents/{own.incident_id}/evidence/{theirs.pk}/").status_code == 404


def test_anonymous_visitors_get_nothing(client, kept):
    evidence = kept["own_low"]
    response = client.get(reverse("incidents:evidence", args=[evidence.incident_id, evidence.pk]))
    assert response.status_code == 302 and "/login" in response.url
    assert APIClient().get(f"/api/incidents/{evidence.incident_id}/evidence/{evidence.pk}/").status_code in (401, 403)


@pytest.mark.parametrize("role,name", MATRIX, ids=[f"{r}-{n}" for r, n in MATRIX])
def test_only_those_who_may_edit_add_evidence_on_the_page_and_by_api(client, users, incidents, role, name):
    incident = incidents[name]
    client.force_login(users[role])
    page = client.post(reverse("incidents:evidence_add", args=[incident.pk]), {"message": upload()})
    by_api = api(users[role]).post(f"/api/incidents/{incident.pk}/evidence/", {"file": upload()}, format="multipart")
    if name in EDITABLE[role]:
        assert page.status_code == 302 and page.url.endswith("#evidence")
        assert by_api.status_code == 201 and by_api.json()["sha256"] == SHA
        assert incident.evidence.count() == 2
    else:
        expected = 403 if name in VISIBLE[role] else 404
        assert (page.status_code, by_api.status_code) == (expected, expected)
        assert not incident.evidence.exists()


def test_a_file_that_is_not_an_email_is_refused_with_its_reason_on_page_and_api(client, employee, directory):
    from tests.factories import file_incident

    incident = file_incident(employee)
    client.force_login(employee)
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    page = client.post(reverse("incidents:evidence_add", args=[incident.pk]), {"message": upload(pdf, "scan.pdf")})
    by_api = api(employee).post(
        f"/api/incidents/{incident.pk}/evidence/", {"file": upload(pdf, "scan.pdf")}, format="multipart"
    )
    assert page.status_code == 200 and "PDF" in page.context["form"].errors["message"][0]
    assert by_api.status_code == 400 and "PDF" in by_api.json()["file"][0]
    assert not Evidence.objects.exists()


# API import and the command.
def test_api_import_keeps_the_message_only_when_filing_and_asked(employee, directory, evidence_root):
    client = api(employee)
    report = '{"problems": ["wrong_recipient"], "intended_recipients": ["buyer@acme-trading.com"]}'
    refused = client.post("/api/incidents/import/", {"file": upload(), "keep": "true"}, format="multipart")
    assert refused.status_code == 400 and "file=true" in refused.json()["keep"][0]
    plain = client.post("/api/incidents/import/?file=true", {"file": upload(), "report": report}, format="multipart")
    assert plain.status_code == 201 and not Evidence.objects.exists()
    kept = client.post(
        "/api/incidents/import/?file=true", {"file": upload(), "report": report, "keep": "true"}, format="multipart"
    )
    assert kept.status_code == 201
    [row] = client.get(f"/api/incidents/{kept.json()['id']}/evidence/").json()
    assert row["sha256"] == SHA and row["size"] == len(MESSAGE) and row["kept_by"] == employee.username
    assert client.get(row["download_url"]).status_code == 200
    assert len(stored_files(evidence_root)) == 1


def test_the_command_keeps_evidence_when_asked_and_a_dry_run_keeps_nothing(
    employee, directory, tmp_path, evidence_root
):
    path = tmp_path / "q77.eml"
    path.write_bytes(MESSAGE)
    out = io.StringIO()
    call_command(
        "import_message",
        str(path),
        "--reporter",
        "erin",
        "--intended",
        "buyer@acme-trading.com",
        "--problem",
        "wrong_recipient",
        "--keep-evidence",
        "--dry-run",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "would keep it as evidence" in out.getvalue()
    assert not Evidence.objects.exists() and stored_files(evidence_root) == []
    out = io.StringIO()
    call_command(
        "import_message",
        str(path),
        "--reporter",
        "erin",
        "--intended",
        "buyer@acme-trading.com",
        "--problem",
        "wrong_recipient",
        "--keep-evidence",
        stdout=out,
        stderr=io.StringIO(),
    )
    evidence = Evidence.objects.get()
    assert f"kept as evidence (SHA-256 {SHA})" in out.getvalue()
    assert evidence.incident == Incident.objects.get() and evidence.source == "command"


# Deleted with the incident.
def test_deleting_the_incident_deletes_its_files(
    employee, directory, evidence_root, django_capture_on_commit_callbacks
):
    from incidents.evidence.services import evidence_keep
    from tests.factories import file_incident

    incident, other = file_incident(employee), file_incident(employee)
    evidence_keep(data=MESSAGE, filename="a.eml", user=employee, source="command", incident=incident)
    evidence_keep(data=MESSAGE, filename="a.eml", user=employee, source="command", incident=other)
    assert len(stored_files(evidence_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        incident.delete()
    assert Evidence.objects.count() == 1 and len(stored_files(evidence_root)) == 1  # the same bytes, kept twice


def test_the_admin_shows_evidence_read_only_and_deleting_the_incident_there_deletes_the_file(
    client, superuser, employee, directory, evidence_root, django_capture_on_commit_callbacks
):
    from incidents.evidence.services import evidence_keep
    from tests.factories import file_incident

    incident = file_incident(employee)
    evidence = evidence_keep(data=MESSAGE, filename="a.eml", user=employee, source="command", incident=incident)
    client.force_login(superuser)
    change = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert reverse("incidents:evidence", args=[incident.pk, evidence.pk]) in change and SHA in change
    assert 'name="evidence-0-sha256"' not in change  # shown, not editable
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:incidents_incident_delete", args=[incident.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Evidence.objects.exists() and stored_files(evidence_root) == []
