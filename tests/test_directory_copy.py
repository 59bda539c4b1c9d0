"""Each process keeps the directory it built and rebuilds it only after the directory changed.

Filing and the incident page used to read and build every organisation, domain and contact each
time. Now one small read of the directory's stamp decides; every way the directory changes must
renew it, or an assessment would miss a new competitor domain.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from incidents.directory import selectors as directory_selectors
from incidents.directory.services import contact_save, directory_stamp_renew, organisation_save
from incidents.models import Contact, MailDomain, Organisation
from tests.factories import file_incident

NEW_COMPETITOR_ADDRESS = "sales@newrival.example"


def directory_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "incidents_maildomain" in q["sql"] or "incidents_contact" in q["sql"]]


def test_a_second_filing_does_not_read_the_directory_again(directory, employee):
    file_incident(employee)
    with CaptureQueriesContext(connection) as queries:
        file_incident(employee)
    assert directory_reads(queries.captured_queries) == []


def by_service(_):
    organisation_save(name="New Rival", kind="competitor", domains=["newrival.example"], language=None)


def by_model_save(_):
    organisation = Organisation.objects.create(name="New Rival", kind="competitor")
    MailDomain.objects.create(organisation=organisation, domain="newrival.example")


def by_domain_moved(_):
    MailDomain.objects.create(organisation=Organisation.objects.get(name="Rival Exports"), domain="newrival.example")


def by_admin(admin_client):
    organisation = Organisation.objects.get(name="Rival Exports")
    response = admin_client.post(
        f"/admin/incidents/organisation/{organisation.pk}/change/",
        {
            "name": "Rival Exports",
            "kind": "competitor",
            "language": "",
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "1",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-id": str(organisation.domains.get().pk),
            "domains-0-organisation": str(organisation.pk),
            "domains-0-domain": "rival-exports.com",
            "domains-1-id": "",
            "domains-1-organisation": str(organisation.pk),
            "domains-1-domain": "newrival.example",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def by_another_process(_):
    # Another process writes with SQL of its own and renews the stamp in the same transaction;
    # no signal reaches this process.
    rival = Organisation.objects.get(name="Rival Exports")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO incidents_maildomain (organisation_id, domain) VALUES (%s, %s)", [rival.pk, "newrival.example"]
        )
        directory_stamp_renew()


@pytest.mark.parametrize("change", [by_service, by_model_save, by_domain_moved, by_admin, by_another_process])
def test_every_way_the_directory_changes_reaches_the_next_assessment(change, directory, employee, admin_client):
    before = file_incident(employee, to=[NEW_COMPETITOR_ADDRESS])
    assert "competitor_exposure" not in before.factor_codes
    change(admin_client)
    after = file_incident(employee, to=[NEW_COMPETITOR_ADDRESS])
    assert "competitor_exposure" in after.factor_codes, after.factor_codes


def test_a_new_contact_reaches_the_drafts(directory, employee):
    directory_selectors.load_directory()
    contact_save(
        organisation="Globex China", name="李伟", title="经理", email="li.wei@globex.com.cn", phone="", language=None
    )
    assert "李伟" in [p.name for p in directory_selectors.load_directory().people["Globex China"]]
    Contact.objects.filter(email="li.wei@globex.com.cn").get().delete()
    assert "Globex China" not in directory_selectors.load_directory().people


def test_a_change_rolled_back_is_not_taken_for_a_later_one(directory):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        by_domain_moved(None)
        assert directory_selectors.load_directory().directory.kind_of(NEW_COMPETITOR_ADDRESS) == "competitor"
        raise Undo
    assert directory_selectors.load_directory().directory.kind_of(NEW_COMPETITOR_ADDRESS) == "unknown"
