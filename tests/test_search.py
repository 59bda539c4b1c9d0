"""The search box (incidents/insight/search.py): subject, addresses, display names, organisations and Chinese
text; full-text with a GIN index on PostgreSQL, every word contained on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from incidents.core.addresses import Address
from incidents.insight import search
from incidents.models import Incident
from incidents.reports import selectors
from tests.factories import file_incident

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's contains search")


@pytest.fixture
def filed(directory, employee):
    return {
        "acme": file_incident(employee, subject="Order Q-1 for Acme"),
        "named": file_incident(
            employee, subject="Samples", to=[], recipients=[(Address("zhang.min@globex.com.cn", "Zhang Min"), "to")]
        ),
        "rival": file_incident(employee, subject="Price list 2026", to=["sales@rival-exports.com"]),
        "chinese": file_incident(
            employee,
            subject="报价单 Q-7：太阳能电池片",
            to=["wang@partner.example"],
            intended=["buyer@acme-trading.com"],
        ),
    }


def found(employee, text, through="") -> set[int]:
    return set(search.incidents_matching(selectors.incident_list(employee), through, text).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("acme", {"acme", "rival", "chinese", "named"}),  # subject word or Acme Trading intended (organisation name)
        ("Q-1", {"acme"}),  # subject, case and punctuation as typed
        ("order acme", {"acme"}),  # every word must occur
        ("sales@rival-exports.com", {"rival"}),  # a whole address
        ("rival-exports.com", {"rival"}),  # a domain
        ("zhang min", {"named"}),  # a display name
        ("ZHANG.MIN@GLOBEX.COM.CN", {"named"}),  # an address in capitals
        ("Rival Exports", {"rival"}),  # an organisation's name
        ("globex china", {"acme", "named"}),  # the organisation of a recipient's domain
        ("太阳能", {"chinese"}),  # Chinese has no spaces: part of a word
        ("报价单 acme", {"chinese"}),  # Chinese and Latin words together
        ("2026", {"rival"}),
        ("nothing-like-this", set()),
        ("", {"acme", "named", "rival", "chinese"}),  # an empty search narrows nothing
        ("   ", {"acme", "named", "rival", "chinese"}),
    ],
)
def test_search_finds_subject_addresses_names_organisations_and_chinese(filed, employee, text, expected):
    assert found(employee, text) == {filed[name].pk for name in expected}


def test_search_is_the_same_through_an_escalation(filed, employee):
    from incidents.models import Escalation

    escalations = Escalation.objects.all()
    matched = search.incidents_matching(escalations, "incident__", "rival exports")
    assert set(matched.values_list("incident_id", flat=True)) <= {filed["rival"].pk}


def test_the_search_box_on_the_page(client, filed, employee):
    client.force_login(employee)
    html = client.get(reverse("incidents:list") + "?q=%E5%A4%AA%E9%98%B3%E8%83%BD").content.decode()
    assert "报价单 Q-7" in html and "Price list 2026" not in html
    assert 'value="太阳能"' in html


def test_search_does_not_reach_other_peoples_incidents(filed, other_employee):
    assert found(other_employee, "acme") == set()


@pytest.mark.parametrize("word,cjk", [("报价", True), ("見積", True), ("견적", True), ("acme", False), ("q-1", False)])
def test_words_with_chinese_japanese_or_korean_take_the_contains_path(word, cjk):
    assert search.has_cjk(word) is cjk


def test_a_query_is_case_folded_and_cut_to_a_few_words():
    assert search.query_words("  Acme   STRASSE  ") == ["acme", "strasse"]
    assert len(search.query_words(" ".join(f"w{i}" for i in range(30)))) == search.MAX_WORDS


@postgresql_only
def test_postgresql_matches_the_start_of_a_word(filed, employee):
    assert found(employee, "glob") == {filed["acme"].pk, filed["named"].pk}


@sqlite_only
def test_sqlite_matches_any_part_of_the_text(filed, employee):
    assert found(employee, "lobe") == {filed["acme"].pk, filed["named"].pk}


@postgresql_only
def test_postgresql_full_text_search_reads_the_gin_index(filed, employee):
    queryset = search.incidents_matching(Incident.objects.all(), "", "acme trading")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incident_search" in plan, plan
