"""The app's own source, read as the architecture tests see it: modules, their syntax trees, their imports."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP = ROOT / "incidents"


def module_name(path: Path) -> str:
    """incidents/assessment/engine.py -> incidents.assessment.engine (a file elsewhere: from its "incidents" folder)."""
    parts = path.with_suffix("").parts
    parts = parts[parts.index("incidents") :] if "incidents" in parts else path.relative_to(ROOT).with_suffix("").parts
    return ".".join(part for part in parts if part != "__init__")


def python_files(*folders: str, migrations: bool = False) -> list[Path]:
    files = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not migrations and "migrations" in path.parts:
                continue
            files.append(path)
    return files


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, function-level ones included (``from a import b`` gives
    "a.b" as well as "a", since b may be a module)."""
    found = []
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found
