"""Addresses belong to the most specific listed domain; unknown domains group by full domain."""

import pytest

from incidents.assessment import Directory, DirectoryEntry, UnknownOrganisation, domain_of
from tests.assessment.builders import CLIENT_A, DIRECTORY, OURCO, RIVAL

P = pytest.param
GROUP = DirectoryEntry("Group Trading", "client")
GROUP_RIVAL = DirectoryEntry("Group Rival Division", "competitor")
NESTED = Directory({"group.com": GROUP, "Rival.Group.com": GROUP_RIVAL, "ourco.com": OURCO})


@pytest.mark.parametrize(
    "directory, address, entry",
    [
        P(DIRECTORY, "amy@clienta.com", CLIENT_A, id="exact-domain"),
        P(DIRECTORY, "me@mail.ourco.com", OURCO, id="subdomain"),
        P(DIRECTORY, "me@a.b.ourco.com", OURCO, id="deep-subdomain"),
        P(DIRECTORY, "EVE@Sales.RIVAL.com", RIVAL, id="case-insensitive"),
        P(DIRECTORY, "Eve <eve@rival.com>", RIVAL, id="display-name"),
        P(DIRECTORY, "x@notourco.com", None, id="suffix-is-not-subdomain"),
        P(DIRECTORY, "x@ourco.com.evil.net", None, id="prefix-is-not-domain"),
        P(DIRECTORY, "x@gmail.com", None, id="unknown"),
        P(NESTED, "a@group.com", GROUP, id="parent-domain"),
        P(NESTED, "a@hk.group.com", GROUP, id="parent-covers-other-subdomains"),
        P(NESTED, "a@rival.group.com", GROUP_RIVAL, id="most-specific-wins"),
        P(NESTED, "a@x.rival.group.com", GROUP_RIVAL, id="most-specific-wins-below"),
    ],
)
def test_entry_for(directory, address, entry):
    assert directory.entry_for(address) == entry


def test_unknown_addresses_on_one_domain_are_one_organisation():
    assert DIRECTORY.organisation_of("a@foo.com") == DIRECTORY.organisation_of("B@FOO.com")
    assert DIRECTORY.organisation_of("a@foo.com") == UnknownOrganisation("foo.com")
    assert DIRECTORY.organisation_of("a@foo.com") != DIRECTORY.organisation_of("a@mail.foo.com")
    assert DIRECTORY.organisation_of("a@foo.com") != DIRECTORY.organisation_of("a@bar.com")


def test_known_organisation_spans_its_domains():
    assert DIRECTORY.organisation_of("me@ourco.com") == DIRECTORY.organisation_of("li@ourco.cn") == OURCO
    assert len({DIRECTORY.organisation_of("me@ourco.com"), DIRECTORY.organisation_of("x@ourco.com")}) == 1


@pytest.mark.parametrize(
    "address, internal, name",
    [
        P("me@ourco.com", True, "OurCo", id="internal"),
        P("me@MAIL.OurCo.com", True, "OurCo", id="internal-subdomain"),
        P("amy@clienta.com", False, "Client A", id="client"),
        P("eve@rival.com", False, "Rival Ltd", id="competitor"),
        P("x@Foo-Trading.com", False, "foo-trading.com", id="unknown-uses-domain"),
    ],
)
def test_is_internal_and_organisation_name(address, internal, name):
    assert DIRECTORY.is_internal(address) is internal
    assert DIRECTORY.organisation_name(address) == name


@pytest.mark.parametrize(
    "address, domain",
    [
        P("Bob@Mail.Example.COM", "mail.example.com", id="lowercased"),
        P("  bob@example.com. ", "example.com", id="trailing-dot-and-spaces"),
        P('"Bob, Sales" <bob@example.com>', "example.com", id="display-name"),
        P("not-an-address", "not-an-address", id="no-at-sign"),
    ],
)
def test_domain_of(address, domain):
    assert domain_of(address) == domain


def test_an_international_domain_matches_whether_typed_in_unicode_or_punycode():
    from incidents.assessment import Directory, DirectoryEntry

    directory = Directory({"xn--fsqu00a.xn--fiqs8s": DirectoryEntry("例子公司", "competitor")})
    assert directory.entry_for("x@例子.中国") == DirectoryEntry("例子公司", "competitor")
    assert directory.entry_for("x@mail.例子.中国") == DirectoryEntry("例子公司", "competitor")
    assert Directory({"例子.中国": DirectoryEntry("例子公司", "competitor")}).entry_for("x@xn--fsqu00a.xn--fiqs8s")
