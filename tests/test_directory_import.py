"""`manage.py import_directory FILE.csv`: good rows saved, bad rows named by row number and reason."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from incidents.assessment import DirectoryEntry
from incidents.directory.selectors import directory_snapshot
from incidents.models import MailDomain, Organisation
from tests import factories

HEADER = "name,kind,domains\n"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, encoding: str = "utf-8"):
        path = tmp_path / "directory.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return write


def import_directory(path) -> tuple[str, str]:
    """Run the command; returns what it printed to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_directory", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_with_rejections(path) -> tuple[str, str, str]:
    """Run a command expected to reject rows; returns stdout, stderr and the final error."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_directory", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


def directory_in_database() -> dict[str, tuple[str, list[str]]]:
    return {
        org.name: (org.kind, sorted(org.domains.values_list("domain", flat=True))) for org in Organisation.objects.all()
    }


def test_import_creates_organisations_with_domains_separated_by_spaces_or_semicolons(db, csv_file):
    path = csv_file(
        HEADER
        + "Acme Trading,client,acme-trading.com acme.cn\n"
        + "Rival Exports,Competitor,rival-exports.com;rival.cn; @Rival.HK.\n"
        + "OurCo,internal,ourco.com\n"
    )

    out, err = import_directory(path)

    assert out.strip() == "Created 3, updated 0, unchanged 0, rejected 0."
    assert err == ""
    assert directory_in_database() == {
        "Acme Trading": ("client", ["acme-trading.com", "acme.cn"]),
        "OurCo": ("internal", ["ourco.com"]),
        "Rival Exports": ("competitor", ["rival-exports.com", "rival.cn", "rival.hk"]),
    }


def test_a_second_run_of_the_same_file_creates_and_updates_nothing(db, csv_file):
    path = csv_file(HEADER + "Acme Trading,client,acme-trading.com;acme.cn\nRival Exports,competitor,rival.cn\n")
    import_directory(path)

    out, _ = import_directory(path)

    assert out.strip() == "Created 0, updated 0, unchanged 2, rejected 0."
    assert MailDomain.objects.count() == 3


def test_a_known_organisation_is_updated_and_its_domains_become_the_rows(directory, csv_file):
    path = csv_file(HEADER + "acme trading,competitor,acme-trading.com;acme.cn\nGlobex China,client,globex.com.cn\n")

    out, _ = import_directory(path)

    assert out.strip() == "Created 0, updated 1, unchanged 1, rejected 0."
    assert directory_in_database()["Acme Trading"] == ("competitor", ["acme-trading.com", "acme.cn"])
    assert Organisation.objects.count() == 4


def test_a_domain_dropped_from_a_row_leaves_the_organisation(directory, csv_file):
    import_directory(csv_file(HEADER + "Acme Trading,client,acme.cn\n"))

    assert directory_in_database()["Acme Trading"] == ("client", ["acme.cn"])
    assert not MailDomain.objects.filter(domain="acme-trading.com").exists()


BAD_ROWS = [
    # (case, row 3 of the file, words of the reason)
    ("unknown kind", "Foo Ltd,supplier,foo.com", "unknown kind “supplier”"),
    ("empty name", " ,client,foo.com", "the name is empty"),
    ("name over 200 characters", "F" * 201 + ",client,foo.com", "longer than 200 characters"),
    ("no domains", "Foo Ltd,client, ; ", "no mail domain given"),
    ("a domain without a dot", "Foo Ltd,client,foo", "not a mail domain: foo"),
    (
        "one invalid domain among good ones",
        "Foo Ltd,client,foo.com;foo_bar.com;-foo.cn",
        "not a mail domain: foo_bar.com, -foo.cn",
    ),
    ("an email address instead of a domain", "Foo Ltd,client,sales@foo.com", "not a mail domain: sales@foo.com"),
    (
        "a domain repeated from an earlier row",
        "Foo Ltd,client,foo.com;Alpha.com",
        "domain already belongs to another organisation: alpha.com (Alpha Ltd)",
    ),
    ("an organisation named again", "alpha ltd,client,alpha.cn", "“alpha ltd” is already in row 2"),
]


@pytest.mark.parametrize(("row", "reason"), [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_rejected_with_its_number_and_reason_and_the_good_rows_are_imported(db, csv_file, row, reason):
    path = csv_file(HEADER + "Alpha Ltd,client,alpha.com\n" + row + "\nBeta Ltd,competitor,beta.com\n")

    out, err, failure = import_with_rejections(path)

    [rejection] = err.splitlines()
    assert rejection.startswith("Row 3 rejected: ")
    assert reason in rejection
    assert out.strip() == "Created 2, updated 0, unchanged 0, rejected 1."
    assert "1 row(s) rejected" in failure
    assert directory_in_database() == {
        "Alpha Ltd": ("client", ["alpha.com"]),
        "Beta Ltd": ("competitor", ["beta.com"]),
    }


def test_a_domain_of_an_organisation_already_in_the_directory_is_rejected(directory, csv_file):
    path = csv_file(HEADER + "Acme Imports,client,acme-imports.com acme-trading.com\n")

    _, err, _ = import_with_rejections(path)

    assert err.strip() == (
        "Row 2 rejected: domain already belongs to another organisation: acme-trading.com (Acme Trading)"
    )
    assert not Organisation.objects.filter(name="Acme Imports").exists()
    assert not MailDomain.objects.filter(domain="acme-imports.com").exists()


def test_a_file_naming_an_organisation_twice_stays_idempotent(db, csv_file):
    path = csv_file(HEADER + "Acme Trading,client,acme-trading.com\nAcme Trading,client,acme.cn\n")
    import_with_rejections(path)

    out, _, _ = import_with_rejections(path)

    assert out.strip() == "Created 0, updated 0, unchanged 1, rejected 1."
    assert directory_in_database() == {"Acme Trading": ("client", ["acme-trading.com"])}


def test_rows_are_numbered_as_in_a_spreadsheet_counting_blank_lines(db, csv_file):
    path = csv_file(HEADER + "Alpha Ltd,client,alpha.com\n\n,,\nFoo,vendor,foo.com\n")

    _, err, _ = import_with_rejections(path)

    assert err.startswith("Row 5 rejected: unknown kind")


def test_a_utf8_bom_and_chinese_names_are_read(db, csv_file):
    path = csv_file("\ufeff" + HEADER + "环球贸易有限公司,client,globaltrade.cn\n竞争者 出口,competitor,rival.com.cn\n")

    out, _ = import_directory(path)

    assert out.strip() == "Created 2, updated 0, unchanged 0, rejected 0."
    assert directory_in_database() == {
        "环球贸易有限公司": ("client", ["globaltrade.cn"]),
        "竞争者 出口": ("competitor", ["rival.com.cn"]),
    }


def test_header_names_are_read_whatever_their_case_order_or_spaces(db, csv_file):
    import_directory(csv_file(" Domains ,NAME,Kind\nacme-trading.com,Acme Trading,client\n"))

    assert directory_in_database() == {"Acme Trading": ("client", ["acme-trading.com"])}


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("name,domains\nAcme,acme.com\n", "missing: kind"),
        ("organisation;kind;domains\n", "missing: name"),
        ("", "missing: name, kind, domains"),
    ],
    ids=["no kind column", "semicolon separated header", "empty file"],
)
def test_a_file_without_the_required_columns_stops_with_a_clear_error(db, csv_file, text, missing):
    with pytest.raises(CommandError, match="header must name the columns name,kind,domains") as failure:
        import_directory(csv_file(text))

    assert missing in str(failure.value)
    assert not Organisation.objects.exists()


def test_a_missing_file_stops_with_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"No such file: .*nowhere\.csv"):
        import_directory(tmp_path / "nowhere.csv")


def test_a_folder_instead_of_a_file_stops_with_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        import_directory(tmp_path)


@pytest.mark.parametrize(
    ("row", "encoding"),
    [("环球贸易有限公司,client,globaltrade.cn", "gbk"), ("Müller GmbH,client,mueller.de", "latin-1")],
)
def test_a_file_not_in_utf8_stops_with_a_clear_error_and_imports_nothing(db, csv_file, row, encoding):
    path = csv_file(HEADER + "Acme Trading,client,acme-trading.com\n" + row + "\n", encoding=encoding)

    with pytest.raises(CommandError, match="cannot be read as UTF-8"):
        import_directory(path)

    assert not Organisation.objects.exists()


def test_an_imported_domain_also_covers_its_subdomains_in_the_assessment(db, csv_file, employee):
    import_directory(csv_file(HEADER + "Acme Trading,client,acme-trading.com\nGlobex China,client,globex.com.cn\n"))

    assert directory_snapshot().entry_for("Sales <sales@mail.acme-trading.com>") == DirectoryEntry(
        "Acme Trading", "client"
    )
    incident = factories.file_incident(employee, to=["sales@mail.acme-trading.com"])
    assert "wrong_client" not in {f["code"] for f in incident.factors}
    incident = factories.file_incident(employee, to=["li.wei@sh.globex.com.cn"])
    assert "wrong_client" in {f["code"] for f in incident.factors}


CONTACTS = "organisation,name,title,email,phone,language\n"


def contacts_in_database() -> dict[str, tuple[str, str, str, str, str]]:
    from incidents.models import Contact

    return {
        c.email or c.name: (c.organisation.name, c.name, c.title, c.phone, c.language)
        for c in Contact.objects.select_related("organisation")
    }


def test_a_contacts_file_adds_people_to_the_organisations_it_names(directory, csv_file):
    path = csv_file(
        CONTACTS
        + "Globex China,王伟,采购经理,Wang.Wei@globex.com.cn,+86 21 5555 0100,\n"
        + "globex china,李强,总监,li.qiang@163.com,021-5555 0101转8001,zh-hans\n"
        + "Rival Exports,Eve Rivers,Sales Director,,+44 20 5555 0199,en\n"
        + "Acme Trading,陳大文,業務經理,chan@acme-trading.com,,繁體中文\n"
    )

    out, err = import_directory(path)

    assert (out.strip(), err) == ("Created 4, updated 0, unchanged 0, rejected 0.", "")
    assert contacts_in_database() == {
        "wang.wei@globex.com.cn": ("Globex China", "王伟", "采购经理", "+86 21 5555 0100", ""),
        "li.qiang@163.com": ("Globex China", "李强", "总监", "021-5555 0101转8001", "zh-hans"),
        "Eve Rivers": ("Rival Exports", "Eve Rivers", "Sales Director", "+44 20 5555 0199", "en"),
        "chan@acme-trading.com": ("Acme Trading", "陳大文", "業務經理", "", "zh-hant"),
    }


def test_a_contacts_file_updates_people_by_email_or_by_name_and_a_second_run_changes_nothing(directory, csv_file):
    import_directory(
        csv_file(CONTACTS + "Globex China,王伟,经理,wang.wei@globex.com.cn,,\nRival Exports,Eve Rivers,,,,\n")
    )
    path = csv_file(
        "organisation,name,title,email,phone\n"
        "Globex China,王伟,采购经理,wang.wei@globex.com.cn,+86 21 5555 0100\n"
        "Rival Exports,Eve Rivers,Sales Director,eve@rival-exports.com,\n"
    )

    out, _ = import_directory(path)
    again, _ = import_directory(path)

    assert out.strip() == "Created 0, updated 2, unchanged 0, rejected 0."
    assert again.strip() == "Created 0, updated 0, unchanged 2, rejected 0."
    assert contacts_in_database() == {
        "wang.wei@globex.com.cn": ("Globex China", "王伟", "采购经理", "+86 21 5555 0100", ""),
        "eve@rival-exports.com": ("Rival Exports", "Eve Rivers", "Sales Director", "", ""),
    }


BAD_CONTACT_ROWS = [
    # (case, row 3 of the file, words of the reason)
    (
        "unknown organisation",
        "Nowhere Ltd,王伟,,w@nowhere.cn,,",
        "no organisation named “Nowhere Ltd” in the directory",
    ),
    ("empty organisation", ",王伟,,w@globex.com.cn,,", "the organisation is empty"),
    ("empty name", "Globex China, ,,w@globex.com.cn,,", "the name is empty"),
    (
        "a title over 100 characters",
        "Globex China,王伟," + "长" * 101 + ",,,",
        "the title is longer than 100 characters",
    ),
    ("not an email", "Globex China,王伟,,wang at globex,,", "not an email address: wang at globex"),
    ("not a phone number", "Globex China,王伟,,,call me,", "not a phone number: call me"),
    ("unknown language", "Globex China,王伟,,,,klingon", "unknown language “klingon” (use en, zh-hans or zh-hant"),
    ("a person named again", "Alpha Ltd,Ann Lee,,ANN@alpha.com,,", "“ann@alpha.com” is already in row 2"),
    (
        "another organisation's contact",
        "Globex China,Ann Lee,,ann@alpha.com,,",
        "ann@alpha.com is already a contact of Alpha Ltd",
    ),
]


@pytest.mark.parametrize(("row", "reason"), [c[1:] for c in BAD_CONTACT_ROWS], ids=[c[0] for c in BAD_CONTACT_ROWS])
def test_a_bad_contact_row_is_rejected_with_its_number_and_reason_and_the_good_rows_are_imported(
    directory, csv_file, row, reason
):
    import_directory(csv_file(HEADER + "Alpha Ltd,client,alpha.com\n"))
    path = csv_file(CONTACTS + "Alpha Ltd,Ann Lee,,ann@alpha.com,,\n" + row + "\nGlobex China,李强,总监,,,\n")

    out, err, failure = import_with_rejections(path)

    [rejection] = err.splitlines()
    assert rejection.startswith("Row 3 rejected: ")
    assert reason in rejection
    assert out.strip() == "Created 2, updated 0, unchanged 0, rejected 1."
    assert "1 row(s) rejected" in failure
    assert set(contacts_in_database()) == {"ann@alpha.com", "李强"}


def test_an_organisation_row_takes_traditional_chinese(db, csv_file):
    import_directory(
        csv_file("name,kind,domains,language\n台灣精密,client,acme.com.tw,zh-TW\n港丰,client,gangfeng.hk,zh-hant\n")
    )

    assert dict(Organisation.objects.values_list("name", "language")) == {"台灣精密": "zh-hant", "港丰": "zh-hant"}


def test_a_contact_imported_from_csv_is_greeted_in_the_drafts(directory, csv_file, employee):
    from incidents.drafts import selectors as drafting

    import_directory(csv_file(CONTACTS + "Globex China,王伟,采购经理,wang.wei@globex.com.cn,+86 21 5555 0100,\n"))
    incident = factories.file_incident(
        employee, to=["wang.wei@globex.com.cn"], problems=["wrong_recipient", "personal_data"]
    )

    drafts = {item.draft.key: item.draft for item in drafting.incident_drafts(incident)}
    assert drafts["deletion_request:globex.com.cn"].text.startswith("王经理，您好！")
    assert "电话 +86 21 5555 0100" in drafts["call_script:globex.com.cn"].text
