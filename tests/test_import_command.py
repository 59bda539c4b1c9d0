"""python manage.py import_message FILE... --reporter USER: one report per sent message, for the back office."""

import io
import re

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from incidents.models import Incident, Notification, Recipient
from tests.support_messages import sent_message

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def messages(tmp_path):
    """Two sent copies for Acme that went to Globex, and a PDF someone mistook for an email."""
    first = tmp_path / "q77.eml"
    first.write_bytes(sent_message())
    second = tmp_path / "q78.eml"
    second.write_bytes(sent_message(subject="Quotation Q-78 for Acme Trading", attachment=""))
    pdf = tmp_path / "scan.eml"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return first, second, pdf


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_message", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_each_file_is_filed_with_a_result_line_and_a_progress_bar_on_stderr(employee, directory, messages):
    first, second, _pdf = messages

    out, err, error = run(first, second, "--reporter", "erin", "--intended", "buyer@acme-trading.com")

    assert error is None
    incidents = list(Incident.objects.order_by("pk"))
    assert [i.subject for i in incidents] == ["Quotation Q-77 for Acme Trading", "Quotation Q-78 for Acme Trading"]
    assert out.splitlines() == [
        f"{first}: filed #{incidents[0].pk} (high)",
        f"{second}: filed #{incidents[1].pk} (high)",
    ]
    assert all(i.reporter == employee and i.message_id == "<q77.1@mail.ourco.com>" for i in incidents)
    assert list(incidents[0].recipients.filter(role=Recipient.INTENDED).values_list("address", flat=True)) == [
        "buyer@acme-trading.com"
    ]
    assert "2/2" in err


def test_one_file_gets_no_progress_bar(employee, directory, messages):
    out, err, error = run(messages[0], "--reporter", "erin", "--problem", "wrong_recipient")
    assert error is None and err == ""
    assert re.fullmatch(rf"{re.escape(str(messages[0]))}: filed #\d+ \((low|medium|high|critical)\)\n", out)


def test_a_dry_run_says_what_would_be_filed_and_writes_nothing(employee, directory, messages):
    out, _err, error = run(messages[0], "--reporter", "erin", "--intended", "buyer@acme-trading.com", "--dry-run")

    assert error is None
    assert out == f"{messages[0]}: would file (high)\n"
    assert Incident.objects.count() == 0 and Notification.objects.count() == 0


def test_a_failed_file_gets_its_reason_the_others_are_filed_and_the_command_fails(
    employee, directory, messages, tmp_path
):
    first, _second, pdf = messages
    missing = tmp_path / "gone.eml"

    out, _err, error = run(first, pdf, missing, "--reporter", "erin", "--problem", "wrong_recipient")

    lines = out.splitlines()
    assert lines[0].startswith(f"{first}: filed #")
    assert lines[1].startswith(f"{pdf}: failed: ") and len(lines[1]) > len(f"{pdf}: failed: ") + 5
    assert lines[2] == f"{missing}: failed: no such file"
    assert str(error) == "2 of 3 files failed."
    assert Incident.objects.count() == 1


def test_a_message_that_says_nothing_of_what_went_wrong_fails_with_the_field_named(employee, directory, messages):
    out, _err, error = run(messages[0], "--reporter", "erin")
    assert out.startswith(f"{messages[0]}: failed: problems: Say what went wrong")
    assert error is not None


@pytest.mark.parametrize(
    "args, named",
    [
        (["--reporter", "nobody"], "nobody"),
        (["--reporter", "erin", "--problem", "wrong_recipient", "typo_problem"], "typo_problem"),
    ],
)
def test_an_unknown_reporter_or_problem_code_is_refused_by_name_before_any_file(
    employee, directory, messages, args, named
):
    out, _err, error = run(messages[0], *args)
    assert isinstance(error, CommandError) and named in str(error)
    assert out == "" and Incident.objects.count() == 0


def test_the_command_line_exits_non_zero_when_a_file_failed(employee, directory, messages, capsys):
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_message", str(messages[2]), "--reporter", "erin"]).execute()
    assert exited.value.code != 0
    assert "1 of 1 files failed." in capsys.readouterr().err
