"""No import cycles between tui's modules, package `__init__` files included.

The `no-cycles` contract in pyproject.toml (import-linter's acyclic_siblings) compares
siblings, so it cannot see a package's `__init__` and one of its own submodules importing
each other (a re-export loop, the classic partially-initialised-module error). This test
walks the module graph itself. It counts what runs: imports under `if TYPE_CHECKING:` are
left out here (the contract counts them).
"""

from __future__ import annotations

from collections.abc import Iterator

import grimp


def _strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        _visit(root, graph, index, low, stack, on_stack, work)
        while work:
            module, successors = work[-1]
            child = next(successors, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = _pop_component(module, stack, on_stack)
                    if len(component) > 1:
                        found.append(component)
            elif child not in index:
                _visit(child, graph, index, low, stack, on_stack, work)
            elif child in on_stack:
                low[module] = min(low[module], index[child])
    return found


def _visit(module: str, graph: grimp.ImportGraph, index: dict[str, int],
           low: dict[str, int], stack: list[str], on_stack: set[str],
           work: list[tuple[str, Iterator[str]]]) -> None:
    index[module] = low[module] = len(index)
    stack.append(module)
    on_stack.add(module)
    work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))


def _pop_component(module: str, stack: list[str], on_stack: set[str]) -> set[str]:
    component: set[str] = set()
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.add(member)
        if member == module:
            return component


def _one_cycle(graph: grimp.ImportGraph, component: set[str]) -> str:
    """A readable cycle through the component: "a -> b -> c -> a"."""
    start = min(component)
    step = min(m for m in graph.find_modules_directly_imported_by(start) if m in component)
    back = graph.find_shortest_chain(importer=step, imported=start) or (step, start)
    return " -> ".join((start, *back))


def import_cycles(graph: grimp.ImportGraph) -> list[str]:
    return sorted(_one_cycle(graph, component) for component in _strongly_connected(graph))


def test_tui_has_no_import_cycle() -> None:
    graph = grimp.build_graph("tui", cache_dir=None, exclude_type_checking_imports=True)
    assert import_cycles(graph) == []


def test_a_cycle_through_a_package_init_is_found_and_named() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.sub", "pkg.sub.a", "pkg.sub.b", "pkg.other"):
        graph.add_module(module)
    graph.add_import(importer="pkg.sub", imported="pkg.sub.a")  # __init__ re-exports a
    graph.add_import(importer="pkg.sub.a", imported="pkg.sub.b")
    graph.add_import(importer="pkg.sub.b", imported="pkg.sub")  # b imports its package
    graph.add_import(importer="pkg.other", imported="pkg.sub")  # not part of the cycle
    assert import_cycles(graph) == ["pkg.sub -> pkg.sub.a -> pkg.sub.b -> pkg.sub"]
