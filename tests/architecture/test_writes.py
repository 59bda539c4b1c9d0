"""Every database write lives in a services module (a module named services.py or inside a services/
package) or a migration: pages, the API, tasks, commands, selectors and the admin call a service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.architecture.code import APP, python_files, tree

# Calls that write whatever they are called on, and ``update`` when it is called on a queryset.
WRITES = {"save", "create", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "save_m2m"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related", "only", "defer"}

# The only writes outside services, each for a reason (file, line text): keep this list short.
ALLOWED = {
    # A model's own save() normalising its field before the ORM stores it.
    ("incidents/models/directory.py", "super().save(*args, **kwargs)"),
    # The kept file leaves storage once the row's deletion commits (a file, not a row).
    ("incidents/models/evidence.py", "transaction.on_commit(lambda: storage.delete(name))"),
}


def is_services_module(path: Path) -> bool:
    return path.name == "services.py" or "services" in path.parts[:-1]


def writes_in(path: Path) -> list[tuple[int, str]]:
    found = []
    source = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(tree(path)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "atomic"
            and isinstance(node.value, ast.Name)
            and node.value.id == "transaction"
        ):
            found.append((node.lineno, source[node.lineno - 1].strip()))  # a transaction is opened for writes
            continue
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        on_queryset = (isinstance(receiver, ast.Attribute) and receiver.attr == "objects") or (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in QUERYSET_STEPS
        )
        if name in WRITES or (name == "update" and on_queryset):
            found.append((node.lineno, source[node.lineno - 1].strip()))
    return found


def writes_outside_services(files) -> list[str]:
    root = APP.parent
    found = []
    for path in files:
        if is_services_module(path):
            continue
        relative = str(path.relative_to(root))
        for line, text in writes_in(path):
            if not any(relative == allowed and snippet in text for allowed, snippet in ALLOWED):
                found.append(f"{relative}:{line}: {text}")
    return found


def test_every_write_of_the_app_is_in_a_services_module():
    assert writes_outside_services(python_files("incidents")) == []


@pytest.mark.parametrize(
    "code",
    [
        "Incident.objects.filter(pk=1).update(status='resolved')",
        "incident.save(update_fields=['status'])",
        "Recipient.objects.bulk_create(rows)",
        "Profile.objects.get_or_create(user=user)",
        "incident.recipients.all().delete()",
        "@transaction.atomic\ndef file(): pass",
    ],
)
def test_a_write_in_a_view_is_found(tmp_path, code):
    view = tmp_path / "incidents" / "reports" / "views.py"
    view.parent.mkdir(parents=True)
    view.write_text(code + "\n")
    assert writes_in(view), code


def test_reads_and_dict_updates_are_not_writes(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("context.update(a=1)\nrows = Incident.objects.filter(pk=1)\nform.cleaned_data.get('x')\n")
    assert writes_in(view) == []
