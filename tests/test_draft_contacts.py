"""Drafts through the app use the directory's contacts and languages: the greeting names the contact
whose address got the email (else the organisation's only contact), in that person's language; call
scripts give the number; Taiwan and Hong Kong get Traditional Chinese; the internal note is written in
the language its readers chose, with every sentence in that language."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.accounts.services import profile_for
from incidents.core.addresses import Address
from incidents.models import Contact, MailDomain, Organisation
from tests.factories import file_incident

WRONG_CLIENT = {"to": ["wang.wei@globex.com.cn"], "attachments": ["Quotation_Q-1.pdf"]}
LOW_FIRM_QUOTE = {
    "to": ["chan@acme.com.tw"],
    "intended": ["chan@acme.com.tw"],
    "problems": ["wrong_price"],
    "quoted_price": Decimal("82"),
    "correct_price": Decimal("100"),
    "currency": "USD",
    "firm_offer": True,
}


@pytest.fixture
def contacts(directory):
    globex = Organisation.objects.get(name="Globex China")
    Contact.objects.create(
        organisation=globex, name="王伟", title="采购经理", email="wang.wei@globex.com.cn", phone="+86 21 5555 0100"
    )
    Contact.objects.create(organisation=globex, name="李强", title="总监", email="li.qiang@globex.com.cn")
    rival = Organisation.objects.get(name="Rival Exports")
    Contact.objects.create(organisation=rival, name="Eve Rivers", title="Sales Director", phone="+44 20 5555 0199")
    taiwan = Organisation.objects.create(name="台灣精密", kind="client")
    MailDomain.objects.create(organisation=taiwan, domain="acme.com.tw")
    Contact.objects.create(
        organisation=taiwan, name="陳大文", title="業務經理", email="chan@acme.com.tw", phone="+886 2 2555 0100"
    )


def drafts_on_page(client, incident, **query):
    url = incident.get_absolute_url() + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return {item.draft.key: item.draft for item, _ in client.get(url).context["draft_items"]}


def test_the_greeting_names_the_contact_whose_address_got_it(client, contacts, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    drafts = drafts_on_page(client, incident)
    deletion = drafts["deletion_request:globex.com.cn"]
    assert deletion.language == "zh-hans" and deletion.text.startswith("王经理，您好！")
    assert deletion.to[0].name == "王伟", "the .eml addresses the person by the directory's name"
    formal = drafts_on_page(client, incident, tone="formal")["deletion_request:globex.com.cn"]
    assert formal.text.startswith("尊敬的王经理：")
    english = drafts_on_page(client, incident, language="en")["deletion_request:globex.com.cn"]
    assert english.text.startswith("Dear 王伟,")


def test_the_contacts_language_beats_the_organisations(client, contacts, employee):
    globex = Organisation.objects.get(name="Globex China")
    globex.language = "en"
    globex.save()  # as the admin saves it (a queryset update would skip the directory stamp)
    wang = Contact.objects.get(email="wang.wei@globex.com.cn")
    wang.language = "zh-hant"
    wang.save()
    incident = file_incident(employee, to=["wang.wei@globex.com.cn", "li.qiang@globex.com.cn"])
    client.force_login(employee)
    assert drafts_on_page(client, incident)["deletion_request:globex.com.cn"].language == "zh-hant"
    incident = file_incident(employee, to=["li.qiang@globex.com.cn"])
    assert drafts_on_page(client, incident)["deletion_request:globex.com.cn"].language == "en"


def test_an_unlisted_address_is_greeted_as_the_organisations_only_contact(client, contacts, employee):
    incident = file_incident(employee, to=["sales@rival-exports.com"], problems=["wrong_recipient"])
    client.force_login(employee)
    drafts = drafts_on_page(client, incident)
    assert drafts["deletion_request:rival-exports.com"].text.startswith("Dear Eve Rivers,")
    call = drafts["call_script:rival-exports.com"].text
    assert "Ask for Eve Rivers, Sales Director: +44 20 5555 0199" in call
    page = client.get(reverse("incidents:draft", args=[incident.pk, "call_script:rival-exports.com"])).content.decode()
    assert "+44 20 5555 0199" in page and 'href="tel:+442055550199"' in page


def test_a_name_given_in_the_report_wins_over_the_only_contact_and_two_contacts_greet_nobody(
    client, contacts, employee
):
    incident = file_incident(employee, recipients=[(Address("sales@rival-exports.com", "Sam Hill"), "to")])
    client.force_login(employee)
    assert drafts_on_page(client, incident)["deletion_request:rival-exports.com"].text.startswith("Dear Sam Hill,")
    incident = file_incident(employee, to=["info@globex.com.cn"])
    assert drafts_on_page(client, incident)["deletion_request:globex.com.cn"].text.startswith("您好！")


def test_a_taiwan_client_gets_traditional_chinese_and_the_legal_gate_holds(client, contacts, employee, legal):
    incident = file_incident(employee, **LOW_FIRM_QUOTE)
    client.force_login(employee)
    drafts = drafts_on_page(client, incident)
    withdrawal = drafts["offer_withdrawal:acme.com.tw"]
    assert withdrawal.language == "zh-hant" and withdrawal.text.startswith("陳經理 您好：")
    assert "撤回該報價" in withdrawal.text and "敬祝\n商祺" in withdrawal.text
    assert drafts["internal_summary"].language == "en"
    eml = reverse("incidents:draft_eml", args=[incident.pk, "offer_withdrawal:acme.com.tw"])
    assert client.get(eml).status_code == 409, "no path out before legal approves, in Traditional Chinese too"
    client.force_login(legal)
    client.post(
        reverse("incidents:draft_decision", args=[incident.pk, "offer_withdrawal:acme.com.tw"]), {"decision": "approve"}
    )
    client.force_login(employee)
    assert client.get(eml).status_code == 200
    assert client.get(eml + "?language=zh-hans").status_code == 409, "the approval covers the language approved"


def test_the_api_accepts_traditional_chinese_and_keeps_the_internal_note_simplified(contacts, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=employee).key}")
    drafts = {d["key"]: d for d in api.get(f"/api/incidents/{incident.pk}/drafts/?language=zh-hant").json()}
    assert drafts["deletion_request:globex.com.cn"]["language"] == "zh-hant"
    assert drafts["deletion_request:globex.com.cn"]["text"].startswith("王经理 您好：")
    assert drafts["internal_summary"]["language"] == "zh-hans"
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    language = next(
        p for p in schema["paths"]["/api/incidents/{id}/drafts/"]["get"]["parameters"] if p["name"] == "language"
    )
    assert language["schema"]["enum"] == ["en", "zh-hans", "zh-hant"]


def test_the_draft_pages_offer_all_three_languages(client, contacts, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    panel = client.get(incident.get_absolute_url()).content.decode()
    assert "?language=zh-hant" in panel and "繁體中文" in panel and "简体中文" in panel
    page = client.get(
        reverse("incidents:draft", args=[incident.pk, "deletion_request:globex.com.cn"]) + "?language=zh-hant"
    )
    assert page.context["draft"].language == "zh-hant" and "繁體中文" in page.content.decode()


def test_the_internal_note_follows_its_readers_chosen_language(client, directory, employee, manager):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    assert drafts_on_page(client, incident)["internal_summary"].language == "en"
    profile = profile_for(manager)
    profile.language = "zh-hans"
    profile.save()
    note = drafts_on_page(client, incident)["internal_summary"]
    assert note.language == "zh-hans" and note.subject.startswith("误发邮件")


class MarkedTranslation(trans_real.DjangoTranslation):
    """The real zh-hans catalogue, with every message it gives marked, so a test can see which
    sentences were written in Chinese whatever the catalogue holds today."""

    def gettext(self, message):
        return "〔中〕" + super().gettext(message)

    def ngettext(self, singular, plural, number):
        return "〔中〕" + super().ngettext(singular, plural, number)


@pytest.fixture
def marked_chinese():
    saved = trans_real._translations.get("zh-hans")
    trans_real._translations["zh-hans"] = MarkedTranslation("zh-hans")
    yield
    if saved is None:
        trans_real._translations.pop("zh-hans", None)
    else:
        trans_real._translations["zh-hans"] = saved


def test_factor_sentences_and_recall_advice_are_written_in_the_notes_language_not_the_pages(
    client, directory, employee, manager, marked_chinese
):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    with translation.override("en"):
        english = drafts_on_page(client, incident, language="en")["internal_summary"].text
        chinese = drafts_on_page(client, incident, language="zh-hans")["internal_summary"].text
    assert "〔中〕" not in english and "Why it matters" in english and "Recall" in english
    sections = chinese.split("\n\n")
    risks = next(s for s in sections if s.startswith("风险说明"))
    recall = next(s for s in sections if s.startswith("能否撤回"))
    assert all(line.startswith("- 〔中〕") for line in risks.splitlines()[1:]), risks
    assert recall.splitlines()[1].startswith("〔中〕"), recall


def test_times_in_drafts_are_the_reporters_local_time_with_the_zone_named(client, directory, employee, manager):
    profile = profile_for(employee)
    profile.time_zone = "Asia/Shanghai"
    profile.save()
    incident = file_incident(employee, sent_at=datetime(2026, 11, 30, 17, 30, tzinfo=UTC), **WRONG_CLIENT)
    client.force_login(employee)
    drafts = drafts_on_page(client, incident)
    assert "2026年12月1日" in drafts["deletion_request:globex.com.cn"].text, "the date the Chinese client saw"
    note = drafts_on_page(client, incident, language="zh-hans")["internal_summary"].text
    assert "发送时间：2026年12月1日 星期二 01:30（北京时间）" in note


def organisation_form(organisation, **contact):
    domains = list(organisation.domains.all())
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "language": organisation.language,
        "domains-TOTAL_FORMS": str(len(domains)),
        "domains-INITIAL_FORMS": str(len(domains)),
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
    }
    for index, domain in enumerate(domains):
        data.update(
            {
                f"domains-{index}-id": str(domain.pk),
                f"domains-{index}-domain": domain.domain,
                f"domains-{index}-organisation": str(organisation.pk),
            }
        )
    data.update({f"contacts-0-{field}": value for field, value in contact.items()})
    return data


def test_contacts_are_edited_inline_on_their_organisation_and_an_email_names_one_person(client, superuser, contacts):
    client.force_login(superuser)
    rival = Organisation.objects.get(name="Rival Exports")
    url = reverse("admin:incidents_organisation_change", args=[rival.pk])
    assert "Eve Rivers" in client.get(url).content.decode()
    taken = client.post(url, organisation_form(rival, name="Wang Two", email="Wang.Wei@globex.com.cn"))
    assert taken.status_code == 200 and "already a contact of Globex China" in taken.content.decode()
    added = client.post(
        url,
        organisation_form(
            rival,
            name="Rita Vale",
            title="Buyer",
            email="rita@rival-exports.com",
            phone="+44 20 5555 0100",
            language="zh-hant",
        ),
    )
    assert added.status_code == 302
    assert Contact.objects.get(email="rita@rival-exports.com").language == "zh-hant"


def test_the_template_admin_takes_traditional_chinese_but_not_for_the_internal_note(client, superuser):
    from incidents.models import DraftTemplate

    client.force_login(superuser)
    add = reverse("admin:incidents_drafttemplate_add")
    base = {"part": "text", "active": "on", "source": "", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    refused = client.post(add, {**base, "kind": "internal_summary", "language": "zh-hant"})
    assert refused.status_code == 200
    assert "English or Simplified Chinese only" in str(refused.context["adminform"].form.errors)
    client.post(add, {**base, "kind": "correction", "language": "zh-hant"})
    template = DraftTemplate.objects.get()
    assert (template.kind, template.language) == ("correction", "zh-hant") and "敬請見諒" in template.source
