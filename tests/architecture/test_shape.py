"""The shape of the code: the pure engines import nothing of Django's ORM, views or templates; no module is
over 400 lines."""

from __future__ import annotations

import pytest

from tests.architecture.code import ROOT, imported_modules, module_name, python_files

ENGINES = ("incidents/assessment", "incidents/correspondence", "incidents/message", "incidents/precheck")
# What a pure engine may not import: the database, requests and responses, views, Django's templates
# (Jinja2, which renders drafts in a sandbox, is not Django's), the app's models and its web layer.
FORBIDDEN = (
    "django.db",
    "django.http",
    "django.views",
    "django.shortcuts",
    "django.template",
    "django.urls",
    "rest_framework",
    "incidents.models",
    "incidents.web",
)
# The one exception: the vocabulary's enums come from Django's enum helper, not from its ORM.
ALLOWED = ("django.db.models.enums",)
LONGEST = 400


def forbidden_imports(path) -> list[str]:
    found = []
    for line, module in imported_modules(path):
        if module.startswith(ALLOWED):
            continue
        if any(module == name or module.startswith(name + ".") for name in FORBIDDEN):
            found.append(f"{module_name(path)}:{line} imports {module}")
    return found


def test_the_pure_engines_import_no_orm_view_or_template():
    assert [problem for path in python_files(*ENGINES) for problem in forbidden_imports(path)] == []


@pytest.mark.parametrize(
    "source", ["from django.db import models", "import django.template.loader", "from incidents.models import Incident"]
)
def test_an_engine_importing_the_orm_is_found(tmp_path, source):
    engine = tmp_path / "incidents" / "assessment" / "probe.py"
    engine.parent.mkdir(parents=True)
    engine.write_text(f"def f():\n    {source}\n")
    assert forbidden_imports(engine)


def test_no_module_is_over_400_lines():
    long = []
    for path in python_files("incidents", "project", "tests", "bench"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LONGEST:
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert long == []
