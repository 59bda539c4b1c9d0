"""POST /api/precheck/: the pre-send check for a mail add-in or gateway."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from incidents.accounts.services import profile_for
from incidents.models import KeptCheck, PriceFloor
from incidents.vocabulary import WarningCode
from tests.assessment.emails import ID_NUMBER

URL = "/api/precheck/"
DRAFT = {
    "to": ["Li Wei <li.wei@globex.com.cn>"],
    "cc": ["sales@rival-exports.com"],
    "bcc": [],
    "subject": "Quotation for Acme Trading",
    "attachments": [],
    "body": "Our cost is USD 0.80 a metre.\nPlease find it attached: PVC pipe USD 1.50 a metre.\n"
    f"身份证号码 {ID_NUMBER}\n> an earlier message quoting USD 0.10 and 附件",
}


@pytest.fixture
def api(api):
    """The employee's API client, with a price floor for PVC pipe."""
    PriceFloor.objects.create(product="PVC pipe", currency="USD", floor=Decimal("2.00"))
    return api


def post(client, headers=None, **changes):
    return client.post(URL, {**DRAFT, **changes}, format="json", **(headers or {}))


def test_every_warning_comes_with_its_stable_code_a_sentence_and_params(api):
    response = post(api)
    assert response.status_code == 200, response.data
    warnings = response.json()["warnings"]
    assert [w["code"] for w in warnings] == list(WarningCode)
    by_code = {w["code"]: w for w in warnings}
    assert by_code["competitor_recipient"]["message"] == "sales@rival-exports.com is at Rival Exports, a competitor."
    assert by_code["competitor_recipient"]["params"] == {
        "address": "sales@rival-exports.com",
        "organisation": "Rival Exports",
    }
    assert by_code["price_below_floor"]["params"]["figure"] == "USD 1.50"
    assert by_code["cost_figures_outside"]["params"]["figures"] == ["USD 0.80"]
    assert (
        "0013" in by_code["personal_data_outside"]["message"]
        and ID_NUMBER not in by_code["personal_data_outside"]["message"]
    )
    assert response.json()["kept"] is None
    assert not KeptCheck.objects.exists()


def test_a_clean_draft_has_no_warnings(api):
    response = post(api, to=["buyer@acme-trading.com"], cc=[], body="PVC pipe USD 2.50", attachments=["q.pdf"])
    assert response.json() == {"warnings": [], "kept": None}


def test_keep_stores_the_check_for_the_caller(api, employee):
    response = post(api, keep=True)
    kept = KeptCheck.objects.get()
    assert response.json()["kept"] == kept.pk and kept.owner == employee
    assert kept.recipients[0] == {"address": "li.wei@globex.com.cn", "field": "to"}
    assert [w["code"] for w in kept.warnings] == list(WarningCode)


def test_messages_follow_the_callers_language(api, employee, zh_catalogue):
    profile = profile_for(employee)
    profile.language = "zh-hans"
    profile.save()
    (warning,) = post(api, to=["sales@rival-exports.com"], cc=[], body="", subject="").json()["warnings"]
    assert "竞争" in warning["message"]


def test_without_a_chosen_language_messages_follow_accept_language(api, zh_catalogue):
    response = post(
        api, to=["sales@rival-exports.com"], cc=[], body="", subject="", headers={"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
    )
    assert "竞争" in response.json()["warnings"][0]["message"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"to": ["not-an-address"]}, "to"),
        ({"cc": ["a@b.com, c@d.com"]}, "cc"),
        ({"to": [], "cc": [], "bcc": []}, "to"),
        ({"to": "buyer@acme-trading.com"}, "to"),
        ({"to": [None]}, "to"),
        ({"body": "x" * 1_000_001}, "body"),
        ({"subject": "x" * 999}, "subject"),
        ({"attachments": ["a.pdf"] * 201}, "attachments"),
        ({"attachments": ["x" * 256]}, "attachments"),
        ({"keep": "perhaps"}, "keep"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, changes, field):
    response = post(api, **changes)
    assert response.status_code == 400
    assert field in response.json()


def test_too_many_recipients_is_a_400(api, settings):
    settings.MISSEND_MAX_ADDRESSES_PER_FIELD = 3
    response = post(api, to=[f"a{n}@acme-trading.com" for n in range(4)])
    assert response.status_code == 400 and "At most 3 addresses" in response.json()["to"][0]


@pytest.mark.parametrize("body", ["[]", "not json", '"text"', "{"])
def test_a_body_that_is_not_a_json_object_is_a_400(api, body):
    assert api.post(URL, body, content_type="application/json").status_code == 400


def test_anonymous_callers_are_refused(db):
    assert APIClient().post(URL, DRAFT, format="json").status_code in (401, 403)


def test_session_callers_are_served(client, employee, directory):
    client.force_login(employee)
    response = client.post(URL, DRAFT, content_type="application/json")
    assert response.status_code == 200 and response.json()["warnings"]


def test_the_check_reads_a_fixed_number_of_queries(api):
    post(api)  # the directory copy is built once per process and directory change
    with CaptureQueriesContext(connection) as captured:
        assert post(api).status_code == 200
    assert len(captured) <= 4, [q["sql"] for q in captured]


def test_the_schema_documents_the_endpoint_and_its_codes(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/precheck/"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "401"}
    for code in WarningCode:
        assert f"`{code}`" in operation["description"]
    assert schema["components"]["schemas"]["PrecheckWarning"]["properties"]["code"]
    assert "keep" in schema["components"]["schemas"]["PrecheckIn"]["properties"]


def test_keeping_a_draft_with_the_longest_subject_allowed_keeps_it_shortened(api):
    response = post(api, subject="报价" * 499, keep=True)
    assert response.status_code == 200
    kept = KeptCheck.objects.get(pk=response.json()["kept"])
    assert len(kept.subject) == 500 and kept.subject.endswith("…")
