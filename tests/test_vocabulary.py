"""One vocabulary: every list of Django choices, template folder and engine list matches vocabulary.py."""

import subprocess
import sys
from pathlib import Path

import pytest

from incidents import vocabulary
from incidents.choices import DRAFT_LANGUAGES, Severity
from incidents.correspondence import KINDS, LANGUAGES, TONES
from incidents.correspondence.choosing import KIND_ORDER
from incidents.models import DraftRecord, DraftTemplate, Escalation, EscalationPolicy

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "values,words",
    [
        (Severity.values, vocabulary.SEVERITIES),
        ([code for code, _ in DRAFT_LANGUAGES], vocabulary.DRAFT_LANGUAGES),
        ([code for code, _ in DraftRecord._meta.get_field("kind").choices], vocabulary.DRAFT_KINDS),
        ([code for code, _ in DraftTemplate._meta.get_field("kind").choices], vocabulary.DRAFT_KINDS),
        ([code for code, _ in DraftTemplate._meta.get_field("part").choices], vocabulary.TEMPLATE_PARTS),
        ([code for code, _ in Escalation._meta.get_field("route").choices], vocabulary.ROUTES),
        ([code for code, _ in EscalationPolicy._meta.get_field("route").choices], vocabulary.ROUTES),
        (KINDS, vocabulary.DRAFT_KINDS),
        (list(KIND_ORDER), vocabulary.DRAFT_KINDS),
        (LANGUAGES, vocabulary.DRAFT_LANGUAGES),
        (TONES, vocabulary.TONES),
    ],
)
def test_every_list_of_choices_is_the_vocabulary(values, words):
    assert set(values) == set(words)


def test_every_draft_kind_has_templates_in_every_language_it_is_written_in():
    folder = ROOT / "templates" / "emails" / "drafts"
    assert {p.name for p in folder.iterdir() if p.is_dir()} == set(vocabulary.DRAFT_KINDS)
    for kind in vocabulary.DRAFT_KINDS:
        # The internal note is for our own staff, who read English or Simplified Chinese.
        languages = vocabulary.INTERNAL_NOTE_LANGUAGES if kind == "internal_summary" else vocabulary.DRAFT_LANGUAGES
        for language in vocabulary.DRAFT_LANGUAGES:
            assert (folder / kind / f"{language}.txt").exists() is (language in languages), (kind, language)


def test_the_vocabulary_and_the_pure_engines_import_without_django():
    code = "import sys; import incidents.vocabulary, incidents.assessment.engine; assert 'django.db' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
