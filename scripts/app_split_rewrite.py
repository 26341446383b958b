"""Rewrite imports and references after the split of ``routing`` into ``city``, ``casework`` and ``deadlines``.

Run at the root of a tree (``python scripts/app_split_rewrite.py [--dry-run] [paths...]``). It rewrites, in
``*.py``, ``*.html``, ``*.txt``, ``*.md``, ``*.js``, ``*.toml``, ``*.cfg``, ``*.ini`` and ``*.yml`` files:

* ``from routing.models import District, RoutingRule`` → one import per new home (``city.models``, ``routing.models``);
  the same for names that left ``routing.selectors``, ``routing.services``, ``routing.tasks``, ``routing.record_apis``;
* moved modules anywhere, as imports or dotted strings (``routing.casework.services`` → ``casework.services``,
  ``routing.deadlines`` → ``deadlines.services``, ``routing.escalation`` → ``deadlines.escalation``…);
* ``from routing import deadlines, escalation`` → ``from deadlines import services as deadlines`` and so on;
* model labels and permissions (``"routing.District"``, ``routing.department``, ``routing.view_deadline``),
  ``apps.get_model("routing", "Deadline")``, admin URL names and paths (``admin:routing_district_changelist``,
  ``/admin/routing/district/``), template paths, the ``routing:deadline_board`` URL name, ``{% load routing_tags %}``.

The deadline sweep keeps its Celery name (``routing.tasks.deadline_sweep``); the e-mail tasks are renamed with their
module (``casework.tasks.…``; their sweep re-sends whatever a lost message left). What it cannot know it prints: uses
like ``selectors.deadline_counts`` after ``from routing import selectors``. Migrations are never rewritten (history
names the old app); the ones that name a moved model are listed, to be checked by hand (docs/architecture.md,
"The app split").
Run ``ruff check --fix . && ruff format .`` afterwards to sort the imports.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

MODELS = {
    "city.models": [
        "BilingualName",
        "CalendarDay",
        "CalendarSource",
        "Category",
        "Department",
        "District",
        "Priority",
    ],
    "casework.models": [
        "Assignment",
        "AssignmentRole",
        "AssignmentStatus",
        "Decision",
        "DeliveryStatus",
        "EmailDelivery",
        "ExtensionRequest",
        "ReplyTemplate",
        "ReturnReason",
        "ReturnRecord",
    ],
    "deadlines.models": [
        "Deadline",
        "DeadlinePolicy",
        "DurationUnit",
        "Escalation",
        "EscalationLevel",
        "Step",
        "TaskFailure",
    ],
}
MOVED_MODELS = {
    "city": MODELS["city.models"],
    "casework": MODELS["casework.models"],
    "deadlines": MODELS["deadlines.models"],
}
MOVED_MODELS = {app: [n for n in names if n not in {
    "CalendarSource", "Priority", "AssignmentRole", "AssignmentStatus", "Decision", "DeliveryStatus",
    "DurationUnit", "EscalationLevel", "Step",
}] for app, names in MOVED_MODELS.items()}  # fmt: skip

# Names that left a module that still exists: old module -> {name: new module}.
NAMES: dict[str, dict[str, str]] = {
    "routing.models": {name: module for module, names in MODELS.items() for name in names},
    "routing.selectors": {
        **dict.fromkeys(
            [
                "department_scope",
                "deadlines_overdue",
                "deadlines_warning",
                "escalations_for",
                "escalations_recent",
                "public_criticism_cases",
                "task_failures_open",
                "deadline_counts",
            ],
            "deadlines.selectors",
        ),
        "case_get_for_user": "casework.selectors",
        "cases_visible_to": "casework.selectors",
        "inbox_for_user": "casework.filters",
    },
    "routing.services": {"assignment_create": "casework.services", "task_failure_record": "deadlines.failures"},
    "routing.tasks": {
        "ReliableTask": "deadlines.tasks",
        "deadline_sweep": "deadlines.tasks",
        "TRANSIENT_ERRORS": "deadlines.tasks",
    },
    "routing.casework.views": {"unread_count": "casework.selectors"},
    "casework.views": {"unread_count": "casework.selectors"},
    "surges.services": {
        "incident_link": "surges.handling",
        "surge_alert_merge": "surges.handling",
        "surge_alert_dismiss": "surges.handling",
    },
    "routing.record_apis": {
        "EscalationList": "deadlines.apis",
        "EscalationSerializer": "deadlines.apis",
        "EscalationFilter": "deadlines.apis",
    },
}

# Whole modules that moved (longest first when matching).
MODULES = {
    "routing.models.city": "city.models",
    "routing.models.casework": "casework.models",
    "routing.models.deadlines": "deadlines.models",
    "routing.models.rules": "routing.models",
    "routing.calendar": "city.calendar",
    "routing.catalogue": "city.catalogue",
    "routing.catalog_apis": "city.apis",
    "routing.catalog_api_urls": "city.api_urls",
    "routing.templatetags.routing_tags": "city.templatetags.city_tags",
    "routing.templatetags.casework": "casework.templatetags.casework",
    "routing.management.commands.calendar_seed": "city.management.commands.calendar_seed",
    "routing.management.commands.run_deadlines": "deadlines.management.commands.run_deadlines",
    "routing.management.commands.shift_deadlines": "deadlines.management.commands.shift_deadlines",
    "routing.management.commands.seed_deadline_demo": "demo.management.commands.seed_deadline_demo",
    "routing.management.commands.seed_demo": "demo.management.commands.seed_demo",
    "routing.demo": "demo.city",
    "routing.casework": "casework",
    "routing.filters": "casework.filters",
    "routing.forms": "casework.forms",
    "routing.apis": "casework.apis",
    "routing.deadlines": "deadlines.services",
    "routing.escalation": "deadlines.escalation",
    "routing.views": "deadlines.views",
    "routing.urls": "deadlines.urls",
}
# ``from routing import X`` for a moved module X.
FROM_ROUTING = {
    "calendar": "from city import calendar",
    "catalogue": "from city import catalogue",
    "casework": "import casework",
    "filters": "from casework import filters",
    "forms": "from casework import forms",
    "apis": "from casework import apis",
    "deadlines": "from deadlines import services as deadlines",
    "escalation": "from deadlines import escalation",
    "views": "from deadlines import views",
    "demo": "from demo import city as demo",
}

TEXT_RULES: list[tuple[str, str]] = [
    (r"routing/includes/calendar_warning\.html", "city/includes/calendar_warning.html"),
    (r"routing/includes/deadline_", "deadlines/includes/deadline_"),
    (r"routing/deadline_board\.html", "deadlines/deadline_board.html"),
    (r"(?<![\w.])routing:deadline_board\b", "deadlines:deadline_board"),
    (r"\{%\s*load\s+routing_tags\s*%\}", "{% load city_tags %}"),
    (r"(?<=\{% load )routing_tags\b", "city_tags"),
]
for _app, _names in MOVED_MODELS.items():
    for _name in _names:
        _low = _name.lower()
        TEXT_RULES += [
            (rf"(?<![\w.])routing\.{_name}(?![\w.])", f"{_app}.{_name}"),
            (rf"(?<![\w.])routing\.{_low}(?![\w.])", f"{_app}.{_low}"),
            (rf"(?<![\w.])routing\.(add|change|delete|view)_{_low}\b", rf"{_app}.\1_{_low}"),
            (rf"\badmin:routing_{_low}_", f"admin:{_app}_{_low}_"),
            (rf"/admin/routing/{_low}/", f"/admin/{_app}/{_low}/"),
            (rf"(get_model\(\s*[\"'])routing([\"']\s*,\s*[\"']){_name}([\"'])", rf"\g<1>{_app}\g<2>{_name}\g<3>"),
            (rf"(get_model\(\s*[\"'])routing([\"']\s*,\s*[\"']){_low}([\"'])", rf"\g<1>{_app}\g<2>{_low}\g<3>"),
        ]

FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+(?P<module>[\w.]+)[ \t]+import[ \t]+"
    r"(?:\((?P<paren>[^)]*)\)|(?P<plain>[^\n#(]+?))(?P<comment>[ \t]*#[^\n]*)?$",
    re.MULTILINE,
)
MODULE_RE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(m) for m in sorted(MODULES, key=len, reverse=True)) + r")(?![\w])"
)


def _names(body: str) -> list[str]:
    parts = [re.sub(r"#[^\n]*", "", p).strip() for p in re.sub(r"#[^\n]*", "", body).split(",")]
    return [p for p in parts if p]


def _rewrite_from(match: re.Match[str]) -> str:
    indent, module = match["indent"], match["module"]
    body = match["paren"] if match["paren"] is not None else match["plain"]
    comment = match["comment"] or ""
    names = _names(body)
    if module == "routing":
        kept, lines = [], []
        for name in names:
            base = name.split(" as ")[0].strip()
            alias = name.split(" as ")[1].strip() if " as " in name else None
            if base in FROM_ROUTING:
                line = FROM_ROUTING[base]
                if alias and alias != base:
                    line = line.split(" as ")[0] + f" as {alias}"
                lines.append(indent + line + comment)
            else:
                kept.append(name)
        if not lines:
            return match.group(0)
        if kept:
            lines.insert(0, f"{indent}from routing import {', '.join(kept)}{comment}")
        return "\n".join(lines)
    if module not in NAMES:
        return match.group(0)
    moved = NAMES[module]
    groups: dict[str, list[str]] = {}
    for name in names:
        base = name.split(" as ")[0].strip()
        groups.setdefault(moved.get(base, module), []).append(name)
    if list(groups) == [module]:
        return match.group(0)
    return "\n".join(f"{indent}from {target} import {', '.join(items)}{comment}" for target, items in groups.items())


def rewrite(text: str, *, python: bool) -> str:
    if python:
        text = FROM_IMPORT.sub(_rewrite_from, text)
    text = MODULE_RE.sub(lambda m: MODULES[m.group(1)], text)
    for pattern, replacement in TEXT_RULES:
        text = re.sub(pattern, replacement, text)
    return text


WARN = re.compile(
    r"\b(selectors|services|tasks|record_apis)\.("
    + "|".join(
        sorted({n for table in ("routing.selectors", "routing.services", "routing.tasks") for n in NAMES[table]})
    )
    + r")\b"
)
# ``routing_escalation``: the table kept its name, but the admin's URL names (``escalation_add`` after the app label)
# did not; only a reader can tell which one a string means.
TABLE_OR_ADMIN = re.compile(
    r"(?<![\w:/])routing_(" + "|".join(n.lower() for names in MOVED_MODELS.values() for n in names) + r")\b(?!_id)"
)
SUFFIXES = {".py", ".html", ".txt", ".md", ".js", ".toml", ".cfg", ".ini", ".yml", ".yaml"}
SKIP_DIRS = {".venv", ".git", "node_modules", "var", "artifacts", "static", "locale", "__pycache__"}
# Migrations that existed at the split (main, before it): history, never reported.
BEFORE_SPLIT = frozenset(
    {
        "accounts/migrations/0001_initial.py",
        "accounts/migrations/0002_initial.py",
        "accounts/migrations/0003_totp_device.py",
        "accounts/migrations/0004_totp_to_django_otp.py",
        "consultations/migrations/0001_initial.py",
        "consultations/migrations/0002_verbose_names.py",
        "feedback/migrations/0001_initial.py",
        "feedback/migrations/0002_initial.py",
        "feedback/migrations/0003_submission_anonymised_at.py",
        "feedback/migrations/0004_alter_caseevent_kind.py",
        "feedback/migrations/0005_submission_handling_time.py",
        "feedback/migrations/0006_drop_tracking_counter.py",
        "feedback/migrations/0006_reply_attachments.py",
        "feedback/migrations/0007_merge_20261205_1350.py",
        "open311/migrations/0001_initial.py",
        "oversight/migrations/0001_initial.py",
        "oversight/migrations/0002_fact_indexes.py",
        "oversight/migrations/0003_rollup_histograms.py",
        "oversight/migrations/0004_open_deadline_cover.py",
        "oversight/migrations/0005_rollup_state.py",
        "routing/migrations/0001_initial.py",
        "routing/migrations/0002_calendarday_escalation_taskfailure_and_more.py",
        "routing/migrations/0002_routingrule_routingdecision_and_more.py",
        "routing/migrations/0003_merge_20261123_0044.py",
        "routing/migrations/0004_returnreason_assignment_due_at_assignment_opinion_at_and_more.py",
        "routing/migrations/0005_returnrecord_requested_index.py",
        "routing/migrations/0006_extension_withdrawn.py",
        "routing/migrations/0007_assignment_handler.py",
        "routing/migrations/0008_reply_templates.py",
        "surges/migrations/0001_initial.py",
        "surges/migrations/0002_text_features.py",
        "surges/migrations/0003_scan_state.py",
    }
)
KEEP = ("/migrations/",)  # history stays as written; a new migration naming a moved model is listed instead


def files(roots: list[Path]):
    for root in roots:
        if root.is_file():
            yield root
            continue
        for path in root.rglob("*"):
            if path.suffix in SUFFIXES and not (SKIP_DIRS & set(path.parts)) and path.is_file():
                yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["."])
    parser.add_argument("--dry-run", action="store_true", help="list the files that would change")
    args = parser.parse_args(argv)
    changed = 0
    for path in files([Path(p) for p in args.paths]):
        posix = path.as_posix()
        if posix.endswith("app_split_rewrite.py"):
            continue
        if any(k in "/" + posix for k in KEEP):
            if (
                posix.removeprefix("./") not in BEFORE_SPLIT
                and path.suffix == ".py"
                and rewrite(path.read_text(encoding="utf-8"), python=True) != path.read_text(encoding="utf-8")
            ):
                print(f"{posix}: a migration naming moved models or modules: check by hand", file=sys.stderr)
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, python=path.suffix == ".py")
        for hit in TABLE_OR_ADMIN.finditer(new):
            line = new.count("\n", 0, hit.start()) + 1
            what = f"{hit.group(0)} is a table (keep) or an admin name (rename)"
            print(f"{posix}:{line}: check by hand: {what}", file=sys.stderr)
        if path.suffix == ".py" and re.search(r"from routing import [^\n]*\b(selectors|services|tasks)\b", new):
            for hit in WARN.finditer(new):
                line = new.count("\n", 0, hit.start()) + 1
                print(f"{posix}:{line}: check by hand: {hit.group(0)} may have moved", file=sys.stderr)
        if new != text:
            changed += 1
            print(posix)
            if not args.dry_run:
                path.write_text(new, encoding="utf-8")
    print(f"{changed} files {'would change' if args.dry_run else 'changed'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
