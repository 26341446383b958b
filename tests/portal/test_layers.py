"""Imports flow one way: no module of the project imports itself back, through any chain of imports.

import-linter (``lint-imports``, contracts in pyproject.toml) checks the app order and the layers inside each app;
it has no contract for "no cycle at all", so this test builds the same import graph (grimp, which also sees the
imports written inside functions) and looks for strongly connected components.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

from casework.models import AssignmentRole
from deadlines.models import Step
from feedback import citizen_actions
from feedback import selectors as feedback_selectors
from feedback import services as feedback_services

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "city", "feedback", "deadlines", "casework", "routing", "surges", "oversight", "open311",
        "consultations", "demo", "portal"]  # fmt: skip


def import_cycles(graph) -> list[list[str]]:
    """Every set of modules that import each other (directly or through others), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return cycles


def test_no_module_of_the_project_is_part_of_an_import_cycle():
    graph = grimp.build_graph(*APPS)
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert import_cycles(graph) == [["a.x", "a.y"]]


def test_intake_reads_the_apps_above_with_their_own_values():
    """Intake reads assignments and deadlines through the case's reverse relations, without importing their apps:
    the values it filters on must still be those apps' own."""
    assert feedback_selectors.LEAD_ROLE == AssignmentRole.LEAD
    assert feedback_selectors.REPLY_STEP == Step.REPLY
    assert feedback_services.RATING_STEP == Step.RATING
    assert set(citizen_actions.URGED_STEPS) == {Step.SIGN_FOR, Step.REPLY}
