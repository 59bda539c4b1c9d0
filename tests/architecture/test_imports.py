"""No import cycle in the app, module-level or function-level; the layers import-linter checks are
declared in pyproject.toml ([tool.importlinter]) and run by `make test`."""

from __future__ import annotations

import grimp
import pytest


def cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Every group of modules that import each other, directly or through others (Tarjan's strongly
    connected components), each group sorted; imports only under TYPE_CHECKING do not count."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(modules):
        if start in index:
            continue
        # Iterative Tarjan: (module, position in its edge list).
        work = [(start, 0)]
        while work:
            module, position = work.pop()
            if position == 0:
                index[module] = low[module] = counter
                counter += 1
                stack.append(module)
                on_stack.add(module)
            descended = False
            for i in range(position, len(edges[module])):
                target = edges[module][i]
                if target not in index:
                    work.append((module, i + 1))
                    work.append((target, 0))
                    descended = True
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            if descended:
                continue
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in edges[module]:
                    found.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(
        "incidents", "project", include_external_packages=False, exclude_type_checking_imports=True
    )


def test_no_module_of_the_app_takes_part_in_an_import_cycle(graph):
    modules = {m for m in graph.modules if ".migrations" not in m}
    assert cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    graph = grimp.ImportGraph()
    for module in ("app.tasks", "app.services", "app.models", "app.views"):
        graph.add_module(module)
    graph.add_import(importer="app.tasks", imported="app.services")
    graph.add_import(importer="app.services", imported="app.tasks")  # e.g. inside a function
    graph.add_import(importer="app.services", imported="app.models")
    graph.add_import(importer="app.views", imported="app.services")
    assert cycles(graph, set(graph.modules)) == [["app.services", "app.tasks"]]
