"""The zh-hans catalogue is complete and current, and nothing a person sees escapes it.

When a check here fails after you add or change a message: run `make messages` (needs xgettext, from
Debian's gettext), translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po following
docs/glossary-zh.md, and run the tests again. The failure lists exactly which messages are missing.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.i18n_support import (
    CATALOGUE,
    chinese_text,
    english_words,
    read_catalogue,
    visible_text,
)
from tests.language_world import PAGES, build_world, open_page

BASE = Path(settings.BASE_DIR)
pytestmark = pytest.mark.usefixtures("zh_catalogue")


def _key(message) -> tuple:
    return (message.context or "", message.id if isinstance(message.id, str) else tuple(message.id))


def _ignore_patterns() -> list[str]:
    """The same --ignore options `make messages` uses (one line of the Makefile says them)."""
    line = re.search(r"^MESSAGES_IGNORE\s*:?=\s*(.*)$", (BASE / "Makefile").read_text(), re.MULTILINE)
    return [option.split("=", 1)[1] for option in shlex.split(line.group(1))]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, service_missing):
    """What Django's makemessages extracts now, from a copy of the code and templates (the real catalogue is left alone)."""
    if not shutil.which("xgettext"):
        service_missing("xgettext", "install Debian's gettext (apt-get install gettext)")
    root = tmp_path_factory.mktemp("messages")
    for folder in ("incidents", "project", "templates"):
        shutil.copytree(BASE / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (root / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setattr(settings, "LOCALE_PATHS", [root / "locale"])
        call_command("makemessages", locale=["zh_Hans"], ignore_patterns=_ignore_patterns(), verbosity=0)
    return read_catalogue(root / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")


def test_every_message_in_the_code_and_templates_is_in_the_catalogue(extracted):
    committed = {_key(m) for m in read_catalogue() if m.id}
    missing = sorted(
        repr(k[1]) + (f" (context {k[0]!r})" if k[0] else "") for k in {_key(m) for m in extracted if m.id} - committed
    )
    assert not missing, (
        f"{len(missing)} messages are not in {CATALOGUE.relative_to(BASE)}; run `make messages` and translate them:\n"
        + "\n".join(missing)
    )


TRANSLATION_IN_FSTRING = re.compile(r"\{[^{}]*\b(?:n?p?gettext(?:_lazy)?|_)\(")


def test_no_message_hides_inside_an_f_string_where_makemessages_cannot_see_it():
    """xgettext reads an f-string as one string: gettext("...") inside its braces is never extracted,
    so the words stay English on a Chinese page. Translate into a variable first."""
    import tokenize

    hidden = []
    for path in sorted((BASE / "incidents").rglob("*.py")) + sorted((BASE / "project").rglob("*.py")):
        with tokenize.open(path) as source:
            for token in tokenize.generate_tokens(source.readline):
                prefix = re.match(r"[A-Za-z]*", token.string).group().lower()
                if token.type == tokenize.STRING and "f" in prefix and TRANSLATION_IN_FSTRING.search(token.string):
                    hidden.append(f"{path.relative_to(BASE)}:{token.start[0]}")
    assert not hidden, "gettext inside an f-string (not extracted):\n" + "\n".join(hidden)


def test_the_catalogue_holds_no_message_the_code_no_longer_has(extracted):
    current = {_key(m) for m in extracted if m.id}
    stale = sorted(repr(k[1]) for k in {_key(m) for m in read_catalogue() if m.id} - current)
    assert not stale, f"{len(stale)} messages are no longer used; run `make messages` to drop them:\n" + "\n".join(
        stale
    )


def test_every_message_has_a_chinese_translation_that_is_not_fuzzy():
    catalogue = read_catalogue()
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy"
    assert not problems, f"{len(problems)} messages need a translation:\n" + "\n".join(problems)


PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?([sdifrxXeEgGcoa%])")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^}]*)?\}(?!\})")


def placeholders(text: str) -> tuple[list, list, list]:
    """Named %-placeholders with their conversion (any order), positional ones (in order), {name} ones."""
    named, positional = [], []
    for match in PYTHON_FORMAT.finditer(text):
        name, conversion = match.groups()
        if conversion == "%":
            continue
        (named.append((name, conversion)) if name else positional.append(conversion))
    return sorted(named), positional, sorted(BRACE_FORMAT.findall(text))


@pytest.mark.parametrize(
    "msgid, msgstr, ok",
    [
        ("Hello %(name)s,", "%(name)s，您好：", True),
        ("Hello %(name)s,", "您好：", False),
        ("%(a)s of %(b)s", "%(b)s 中的 %(a)s", True),
        ("%(count)d rows", "%(count)s 行", False),
        ("Done {when}.", "已于 {when} 完成。", True),
        ("Done {when}.", "已完成。", False),
        ("100%% sure", "百分之百", True),
    ],
)
def test_the_placeholder_check_compares_names_and_conversions(msgid, msgstr, ok):
    assert (placeholders(msgid) == placeholders(msgstr)) is ok


def test_every_translation_keeps_the_placeholders_of_its_message():
    problems = []
    for message in read_catalogue():
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Chinese has one plural form, used for every count: pybabel (which compiles the catalogue) checks
        # it against the singular, msgfmt -c against the plural. A plural message whose two forms differ
        # in placeholders cannot satisfy both: write two messages instead of ngettext.
        if len(sources) > 1 and placeholders(sources[0]) != placeholders(sources[-1]):
            problems.append(f"{message.id!r}\n    singular and plural differ in placeholders")
        for string in strings:
            if string and all(placeholders(string) != placeholders(source) for source in sources):
                problems.append(f"{message.id!r}\n    -> {string!r}")
    assert not problems, "placeholders differ between message and translation:\n" + "\n".join(problems)


@pytest.fixture
def chinese_world(db):
    return build_world("zh-hans")


@pytest.fixture
def english_world(db):
    return build_world("en")


# Unmarked text in files that other work was changing when this check was written: mark it there
# (with gettext or {% translate %}), then take it out of this set.
NOT_YET_MARKED: set[str] = set()


@pytest.mark.parametrize("page_name", PAGES)
def test_a_chinese_user_sees_no_english_on_any_page(chinese_world, page_name):
    headers = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"} if page_name == "login" else {}
    usernames = {user.username for user in chinese_world.users.values()}
    found = []
    for html in open_page(chinese_world, page_name, **headers):
        assert '<html lang="zh-Hans">' in html
        pieces = [p for p in visible_text(html, page_language="zh") if p not in NOT_YET_MARKED]
        found += english_words(pieces, allowed=usernames)
    assert not found, f"English on the {page_name!r} page of a zh-hans user (mark it for translation):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("page_name", PAGES)
def test_an_english_user_with_a_chinese_browser_sees_no_chinese_on_any_page(english_world, page_name):
    """The issue: Django's own strings (注销, 未知, 27 分钟) in Chinese on English pages."""
    headers = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"} if page_name != "login" else {"HTTP_ACCEPT_LANGUAGE": "en"}
    found = []
    for html in open_page(english_world, page_name, **headers):
        assert '<html lang="en">' in html
        found += chinese_text(visible_text(html, page_language="en"), allowed={"中文"})
    assert not found, f"Chinese on the {page_name!r} page of an English user:\n" + "\n".join(found)


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except Exception as error:
        err.write(str(error))
    return out.getvalue(), err.getvalue()


def test_management_commands_speak_chinese_when_the_site_does(db, tmp_path, employee, directory):
    csv = tmp_path / "directory.csv"
    csv.write_text(
        "name,kind,domains\n华信贸易,client,huaxin.com.cn\n,client,x.com\n远东,nonsense,yd.com.cn\n", encoding="utf-8"
    )
    message = tmp_path / "sent.eml"
    message.write_bytes(
        b"From: erin@ourco.com\r\nTo: li@globex.com.cn\r\nSubject: Q\r\n"
        b"Date: Tue, 04 Mar 2025 09:30:00 +0800\r\n\r\nHi\r\n"
    )
    with translation.override("zh-hans"):
        outputs = [
            _run("import_directory", str(csv)),
            _run("import_directory", str(tmp_path / "missing.csv")),
            _run(
                "import_message",
                str(message),
                str(tmp_path / "missing.eml"),
                "--reporter",
                "erin",
                "--intended",
                "buyer@acme-trading.com",
                "--problem",
                "wrong_recipient",
                "--dry-run",
            ),
            _run("import_message", str(message), "--reporter", "nobody"),
            _run("import_message", str(message), "--reporter", "erin", "--problem", "nonsense"),
            _run("seed_demo"),
        ]
    text = [line for out, err in outputs for line in (out + err).splitlines() if line.strip()]
    # The demo's own data (names, passwords) and the problem and severity codes the command takes and prints.
    codes = {
        "employee",
        "manager",
        "legal",
        "admin",
        "demo",
        "pass",
        "nonsense",
        "nobody",
        "erin",
        "low",
        "medium",
        "high",
        "critical",
        "internal",
        "client",
        "competitor",
        "tone",
    }
    assert text and not english_words(text, allowed=codes), "\n".join(english_words(text, allowed=codes))
    assert any("已登记" in line or "将登记" in line for line in text)
