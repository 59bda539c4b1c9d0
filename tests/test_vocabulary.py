"""One vocabulary: each closed list of the domain is defined once, in incidents/vocabulary, and everything
else derives from it. There are no copies left to agree, so these tests check that nothing grew one again:
every model field's choices are a vocabulary's, the engines answer in its members, their tables cover it,
no other module defines a list of choices, and no class name is defined twice."""

import ast
import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.enums import ChoicesType

from incidents import vocabulary
from incidents.assessment import (
    FACTOR_CODES,
    Directory,
    DirectoryEntry,
    IncidentFacts,
    Party,
    Signals,
    Thresholds,
    assess,
)
from incidents.assessment.explanations import DESCRIBERS as FACTOR_SENTENCES
from incidents.correspondence import DraftFacts, Mailbox, choose_drafts
from incidents.correspondence.choosing import KIND_ORDER
from incidents.precheck import CheckContext, OutgoingDraft, check_draft
from incidents.precheck.sentences import DESCRIBERS as WARNING_SENTENCES
from incidents.review.rules import SEND_DELAY_STEPS
from incidents.vocabulary import (
    CAUSE_SHORT_LABELS,
    DRAFT_ORDER,
    HABIT_SHORT_LABELS,
    INTERNAL_NOTE_LANGUAGES,
    Cause,
    DraftKind,
    DraftLanguage,
    FactorCode,
    Habit,
    MailSystem,
    RecallVerdict,
    Role,
    Severity,
    Tone,
    WarningCode,
)

ROOT = Path(__file__).resolve().parent.parent
VOCABULARIES = [item for item in vars(vocabulary).values() if isinstance(item, ChoicesType)]


def _model_fields_with_choices():
    for model in apps.get_app_config("incidents").get_models():
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and field.model is model:
                yield f"{model.__name__}.{field.name}", field


@pytest.mark.parametrize("name, field", list(_model_fields_with_choices()), ids=lambda value: str(value)[:40])
def test_every_model_field_s_choices_are_a_vocabulary_s(name, field, settings):
    if name == "Profile.language":  # the pages' languages: Django's LANGUAGES setting, not a word of the domain
        assert list(field.choices) == list(settings.LANGUAGES)
        return
    assert [list(v.choices) for v in VOCABULARIES].count(list(field.choices)) >= 1, name


def test_the_role_groups_made_by_the_migrations_are_the_roles(db):
    assert sorted(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == sorted(Role.values)


def test_the_severities_rank_in_their_order():
    assert [severity.rank for severity in Severity] == [0, 1, 2, 3]
    assert vocabulary.SEVERITY_RANK["critical"] > vocabulary.SEVERITY_RANK["low"]


def test_the_assessment_answers_in_the_vocabulary():
    directory = Directory(
        {"ourco.com": DirectoryEntry("OurCo", "internal"), "rival.com": DirectoryEntry("Rival", "competitor")}
    )
    facts = IncidentFacts(
        recipients=(Party("bob@rival.com"), Party("sam@ourco.com", "cc")),
        filed_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
        problems=frozenset({"wrong_recipient", "wrong_price", "personal_data", "tone"}),
        mail_system="exchange",
        quoted_price=Decimal("8"),
        correct_price=Decimal("10"),
        currency="USD",
        firm_offer=True,
        body="Our cost is USD 6; ID 110101199003077777",
    )
    signals = Signals(("price",), ("USD",), ("cost",), ("ID",))
    result = assess(facts, directory, signals=signals, thresholds=Thresholds())
    assert isinstance(result.severity, Severity)
    assert result.factors and all(isinstance(f.code, FactorCode) for f in result.factors)
    assert isinstance(result.recall.verdict, RecallVerdict)
    assert all(r.verdict in vocabulary.RECIPIENT_RECALL_VERDICTS for r in result.recall.recipients)
    # The rules run in the vocabulary's order, and each factor has its sentence.
    assert tuple(FactorCode) == FACTOR_CODES
    assert set(FACTOR_SENTENCES) == set(FactorCode)


def test_the_drafts_chosen_are_in_the_vocabulary():
    sender = Mailbox("li.na@ourco.com", "Li Na", "OurCo", "internal")
    rival = Mailbox("bob@rival.com.cn", "Bob", "Rival", "competitor")
    facts = DraftFacts(
        subject="Quotation",
        sent_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
        sender=sender,
        factor_codes=frozenset(FactorCode),
        severity="critical",
        route_manager=True,
        actual=(rival,),
        unintended=(rival,),
        internal_recipients=(sender,),
    )
    specs = choose_drafts(facts)
    assert specs
    for spec in specs:
        assert isinstance(spec.kind, DraftKind) and spec.language in DraftLanguage and spec.tone in Tone
    assert sorted(DRAFT_ORDER) == sorted(DraftKind) and set(KIND_ORDER) == set(DraftKind)
    assert set(INTERNAL_NOTE_LANGUAGES) < set(DraftLanguage)


def test_the_pre_send_check_warns_in_the_vocabulary():
    directory = Directory({"rival.com": DirectoryEntry("Rival", "competitor")})
    context = CheckContext(directory=directory, signals=Signals((), ("USD",), ("cost",)))
    warnings = check_draft(OutgoingDraft((Party("bob@rival.com"),), "Price", "Our cost: USD 5"), context)
    assert warnings and all(isinstance(w.code, WarningCode) for w in warnings)
    assert set(WARNING_SENTENCES) == set(WarningCode)


def test_the_tables_keyed_by_a_vocabulary_cover_it():
    assert set(CAUSE_SHORT_LABELS) == set(Cause)
    assert set(HABIT_SHORT_LABELS) == set(Habit)
    assert set(SEND_DELAY_STEPS) == set(MailSystem) - {MailSystem.OTHER}


def test_every_draft_kind_has_templates_in_every_language_it_is_written_in():
    folder = ROOT / "templates" / "emails" / "drafts"
    assert {p.name for p in folder.iterdir() if p.is_dir()} == set(DraftKind.values)
    for kind in DraftKind:
        # The internal note is for our own staff, who read English or Simplified Chinese.
        languages = INTERNAL_NOTE_LANGUAGES if kind == DraftKind.INTERNAL_SUMMARY else tuple(DraftLanguage)
        for language in DraftLanguage:
            assert (folder / kind / f"{language}.txt").exists() is (language in languages), (kind, language)


def test_the_vocabulary_and_the_pure_engines_import_without_settings_or_models():
    code = (
        "import sys; import incidents.vocabulary, incidents.assessment, incidents.correspondence, incidents.precheck; "
        "from django.conf import settings; assert not settings.configured; "
        "assert 'incidents.models' not in sys.modules and 'django.contrib' not in sys.modules"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True)


def _classes(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]


def _sources():
    return [p for p in sorted((ROOT / "incidents").rglob("*.py")) if "migrations" not in p.parts]


def test_no_list_of_choices_is_defined_outside_the_vocabulary():
    outside = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for path in _sources()
        if "vocabulary" not in path.parts
        for node in _classes(path)
        if any(ast.unparse(base).endswith(("TextChoices", "IntegerChoices", "Choices")) for base in node.bases)
    ]
    assert not outside, "define it in incidents/vocabulary:\n" + "\n".join(outside)


# Django's own conventions: every model has its Meta, every command is Command, every migration Migration.
CONVENTIONAL_NAMES = {"Meta", "Command", "Migration"}


def test_no_class_name_is_defined_twice():
    where: dict[str, list[str]] = {}
    for path in _sources():
        for node in _classes(path):
            where.setdefault(node.name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    twice = {name: places for name, places in where.items() if len(places) > 1 and name not in CONVENTIONAL_NAMES}
    assert not twice, "\n".join(f"{name}: {', '.join(places)}" for name, places in sorted(twice.items()))
