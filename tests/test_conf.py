"""incidents/conf/: every MISSEND_* setting declared once, read from the environment by its type (a bad value
stops start-up, naming the variable), read by the app through `missend` (an undeclared name is refused),
checked by `manage.py check` (missend.E020) and listed in the README's configuration table."""

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from incidents.conf import DECLARED, SETTINGS, missend, read_environment
from incidents.conf.checks import declared_settings

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("MISSEND_HOLD_SECONDS", "60", 60),  # int
        ("MISSEND_PROXY_COUNT", " 2 ", 2),
        ("MISSEND_RELAY_MAX_BYTES", "1000", 1000),  # bytes
        ("MISSEND_SWEEP_SECONDS", "2.5", 2.5),  # float
        ("MISSEND_WEBHOOK_TIMEOUT", "7", 7.0),
        ("MISSEND_LOW_QUOTE_HIGH_GAP", "0.25", Decimal("0.25")),  # decimal
        ("MISSEND_MAILIN_REQUIRE_AUTH", "1", True),  # booleans
        ("MISSEND_MAILIN_REQUIRE_AUTH", "yes", True),
        ("MISSEND_MAILIN_REQUIRE_AUTH", "ON", True),
        ("MISSEND_MAILIN_REQUIRE_AUTH", "0", False),
        ("MISSEND_MAILIN_REQUIRE_AUTH", "", False),
        ("MISSEND_DRAFT_SENDING", "off", False),
        ("MISSEND_API_USER_RATE", "5/hour", "5/hour"),  # rate
        ("MISSEND_API_ANON_RATE", "100/sec", "100/sec"),
        ("MISSEND_MAILIN_ADDRESSES", "Desk@OurCo.com, , missend@ourco.com,", ["desk@ourco.com", "missend@ourco.com"]),
        ("MISSEND_MAILIN_AUTH_METHODS", "DMARC", ["dmarc"]),
        ("MISSEND_FAULTS", "", []),  # comma lists
        ("MISSEND_FAULTS", "enqueue_lost,redrive_off", ["enqueue_lost", "redrive_off"]),
        ("MISSEND_RELAY_NETWORKS", "10.1.2.3/8, ::1/128", ["10.1.2.3/8", "::1/128"]),  # CIDR list
        ("MISSEND_RELAY_UPSTREAM_TLS", " STARTTLS ", "starttls"),  # choice
        ("MISSEND_RELAY_UPSTREAM_TLS", "", ""),
        ("MISSEND_MAILIN_AUTHSERV_ID", " mx.ourco.com ", "mx.ourco.com"),  # text
        ("MISSEND_RELAY_HOSTNAME", "relay.ourco.com", "relay.ourco.com"),
        ("MISSEND_EVIDENCE_ROOT", "/srv/evidence", "/srv/evidence"),  # folder
    ],
)
def test_each_type_is_read_from_its_environment_variable(name, text, value):
    assert read_environment({name: text})[name] == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("MISSEND_HOLD_SECONDS", "3 minutes"),
        ("MISSEND_HOLD_SECONDS", "2.5"),
        ("MISSEND_HOLD_SECONDS", ""),
        ("MISSEND_MESSAGE_MAX_BYTES", "25MB"),
        ("MISSEND_SWEEP_SECONDS", "fast"),
        ("MISSEND_SWEEP_SECONDS", "nan"),
        ("MISSEND_LOW_QUOTE_HIGH_GAP", "10%"),
        ("MISSEND_LOW_QUOTE_HIGH_GAP", "Infinity"),
        ("MISSEND_DRAFT_SENDING", "maybe"),  # once read as off without a word
        ("MISSEND_MAILIN_REQUIRE_AUTH", "2"),
        ("MISSEND_API_USER_RATE", "600"),
        ("MISSEND_API_USER_RATE", "600/fortnight"),
        ("MISSEND_RELAY_NETWORKS", "10.0.0.0/33"),
        ("MISSEND_RELAY_NETWORKS", "127.0.0.1/32,localhost"),
        ("MISSEND_RELAY_UPSTREAM_TLS", "tls"),  # once a plain connection without a word
        ("MISSEND_VAR_DIR", " "),
        ("MISSEND_EVIDENCE_ROOT", ""),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable_and_its_type(name, text):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}=.*must be {re.escape(DECLARED[name].kind.name)}"):
        read_environment({name: text})


def test_without_the_environment_every_setting_has_its_declared_default():
    values = read_environment({})
    assert list(values) == list(DECLARED)
    for setting in SETTINGS:
        if not callable(setting.default):
            assert values[setting.name] == setting.default, setting.name
    assert values["MISSEND_HOLD_SECONDS"] == 180
    assert values["MISSEND_RELAY_NETWORKS"] == ["127.0.0.1/32", "::1/128"]


def test_computed_defaults_follow_what_they_depend_on():
    smtp = {"EMAIL_HOST": "smtp.ourco.com"}
    assert read_environment({})["MISSEND_DRAFT_SENDING"] is False
    assert read_environment(smtp)["MISSEND_DRAFT_SENDING"] is True
    assert read_environment({**smtp, "MISSEND_DRAFT_SENDING": "0"})["MISSEND_DRAFT_SENDING"] is False
    assert read_environment({"MISSEND_VAR_DIR": "/srv/missend"})["MISSEND_EVIDENCE_ROOT"] == "/srv/missend/evidence"


def test_a_settings_only_setting_ignores_the_environment_and_a_list_default_is_never_shared():
    assert read_environment({"MISSEND_LIST_COUNT_CAP": "5"})["MISSEND_LIST_COUNT_CAP"] == 1000
    first = read_environment({})["MISSEND_PRICING_WORDS"]
    first.append("angebot")
    assert "angebot" not in read_environment({})["MISSEND_PRICING_WORDS"]


def test_each_declaration_says_in_one_sentence_what_it_does():
    assert len(SETTINGS) == len(DECLARED) == 58
    for setting in SETTINGS:
        assert setting.doc[:1].isupper() and setting.doc.endswith("."), setting.name


def test_manage_py_refuses_to_start_on_a_bad_environment_variable(tmp_path):
    env = {**os.environ, "MISSEND_VAR_DIR": str(tmp_path), "MISSEND_HOLD_SECONDS": "3 minutes"}
    env["DJANGO_SETTINGS_MODULE"] = "project.settings"
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured: MISSEND_HOLD_SECONDS='3 minutes': must be an integer" in done.stderr


# The accessor.


def test_missend_reads_the_settings_at_call_time(settings):
    assert missend.HOLD_SECONDS == 180
    settings.MISSEND_HOLD_SECONDS = 60
    assert missend.HOLD_SECONDS == 60
    with override_settings(MISSEND_HOLD_SECONDS=5):
        assert missend.HOLD_SECONDS == 5


def test_missend_refuses_an_undeclared_name_even_one_that_is_set(settings):
    settings.MISSEND_HOLD_SECS = 60
    with pytest.raises(AttributeError, match=r"MISSEND_HOLD_SECS is not declared in incidents/conf/__init__\.py"):
        missend.HOLD_SECS  # noqa: B018
    with pytest.raises(AttributeError, match="read-only"):
        missend.HOLD_SECONDS = 60


def test_missend_falls_back_to_the_declared_default_when_a_settings_module_leaves_one_out(settings):
    del settings.MISSEND_RELAY_KEEP_DAYS
    assert missend.RELAY_KEEP_DAYS == 30


def test_the_app_reads_missend_settings_only_through_the_accessor_and_only_declared_ones():
    sources = [p for folder in ("incidents", "bench") for p in (ROOT / folder).rglob("*.py")]
    sources = [p for p in sources if "conf" not in p.relative_to(ROOT).parts]  # the accessor itself
    direct = re.compile(r"settings\.MISSEND_|getattr\(\s*settings\s*,\s*[\"']MISSEND_")
    read = re.compile(r"\bmissend\.(?![EW][0-9]{3}\b)([A-Z][A-Z0-9_]*)")  # not a check's id (missend.E020)
    for path in sources:
        text = path.read_text()
        assert not direct.search(text), f"{path} reads a MISSEND_* setting around incidents.conf.missend"
        for short in read.findall(text):
            assert f"MISSEND_{short}" in DECLARED, f"{path} reads missend.{short}, which is not declared"


# manage.py check.


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("MISSEND_HOLD_SECONDS", "180", "MISSEND_HOLD_SECONDS must be an integer, not '180' (str)."),
        ("MISSEND_SWEEP_SECONDS", True, "MISSEND_SWEEP_SECONDS must be a number, not True (bool)."),
        ("MISSEND_DRAFT_SENDING", 1, "MISSEND_DRAFT_SENDING must be on or off (1 or 0), not 1 (int)."),
        ("MISSEND_MAILIN_ADDRESSES", "desk@localhost", "MISSEND_MAILIN_ADDRESSES must be a list of strings, not"),
        ("MISSEND_RELAY_NETWORKS", ["10.0.0.0/33"], "must be a list of CIDR networks, not ['10.0.0.0/33'] (list)."),
        ("MISSEND_RELAY_UPSTREAM_TLS", "tls", "must be one of '', 'starttls', 'ssl', not 'tls' (str)."),
        ("MISSEND_API_USER_RATE", 600, "must be a rate such as 600/min"),
        ("MISSEND_LOW_QUOTE_HIGH_GAP", "0.10", "must be a decimal number, not '0.10' (str)."),
    ],
)
def test_the_check_reports_a_setting_of_the_wrong_type(settings, name, value, says):
    setattr(settings, name, value)
    problems = declared_settings()
    assert [p.id for p in problems] == ["missend.E020"]
    assert says in problems[0].msg
    with pytest.raises(SystemCheckError, match=r"missend\.E020"):
        call_command("check")


def test_the_check_warns_of_a_missend_setting_nothing_declares(settings):
    settings.MISSEND_HOLD_SECS = 60
    problems = declared_settings()
    assert [p.id for p in problems] == ["missend.W021"]
    assert "MISSEND_HOLD_SECS is set but not declared" in problems[0].msg


def test_the_fault_checks_still_run(settings):
    settings.MISSEND_FAULTS = ["enqueue_lsot"]
    with pytest.raises(SystemCheckError, match=r"missend\.E010"):
        call_command("check")


def test_the_running_settings_hold_every_declared_setting_of_its_type():
    for name, setting in DECLARED.items():
        assert setting.kind.accepts(getattr(django_settings, name)), name
    assert declared_settings() == []


# The README's configuration table.


def _configuration_rows() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # past the header and its rule
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def _defaults(cell: str) -> list[str]:
    """The defaults of a row, one per name: split at the commas outside `code` and (remarks)."""
    parts, current, depth, code = [], "", 0, False
    for i, char in enumerate(cell):
        code = not code if char == "`" else code
        depth += (char == "(") - (char == ")") if not code else 0
        if char == "," and cell[i + 1 : i + 2] == " " and not code and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def _readme_defaults() -> dict[str, tuple[str, str]]:
    """Each MISSEND_* variable of the table: (its default as written, the row's meaning)."""
    found: dict[str, tuple[str, str]] = {}
    for names_cell, default_cell, meaning in _configuration_rows():
        names = re.findall(r"`([A-Z][A-Z0-9_]*)`", names_cell)
        defaults = _defaults(default_cell)
        if not any(name.startswith("MISSEND_") for name in names):
            continue
        assert len(defaults) in (1, len(names)), f"{names}: {len(defaults)} defaults for {len(names)} names"
        for name, default in zip(names, defaults * len(names) if len(defaults) == 1 else defaults):
            assert name not in found, f"{name} has two rows"
            found[name] = (default, meaning)
    return found


def _written_as(written: str, shown: str) -> bool:
    """The README may follow a default with a remark in parentheses: "empty (no relay)"."""
    return written == shown or (written.startswith(shown + " (") and written.endswith(")"))


def test_the_readme_table_lists_every_declared_setting_with_its_default():
    table = _readme_defaults()
    missing = [name for name in DECLARED if name not in table]
    assert not missing, f"not in the README's configuration table: {missing}"
    wrong = {
        name: (table[name][0], setting.readme_default)
        for name, setting in DECLARED.items()
        if not _written_as(table[name][0], setting.readme_default)
    }
    assert not wrong, f"README default, declared default: {wrong}"
    for name, setting in DECLARED.items():
        assert ("not the environment" in table[name][1]) == (not setting.env), f"{name}: say where it is set"


def test_every_missend_setting_in_the_readme_table_is_declared():
    named = {name for row in _configuration_rows() for name in re.findall(r"MISSEND_[A-Z0-9_]+", " ".join(row))}
    assert named - set(DECLARED) == set()
