"""surges.services never imports surges.tasks: the tasks register how notices leave."""

from __future__ import annotations

import ast
from pathlib import Path

import surges

SURGES = Path(surges.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_services_do_not_import_the_tasks_anywhere_in_the_module():
    assert not {name for name in _imports(SURGES / "services.py") if name.startswith("surges.tasks")}


def test_the_tasks_register_the_notice_sender_when_django_starts():
    from surges import services

    assert services._notices_enqueue is not None
