"""What a process routes with: the compiled rules and the newest model.

Both are kept in memory and refreshed cheaply: the rules when their
signature in the database (count, last change) moves, the model when a newer
file appears in the model directory. Each is checked at most once every
``ROUTER_RELOAD_SECONDS``, never per decision on disk.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from city.models import Category
from portal.geo import area_from_geojson, prepared
from routing.models import RoutingRule
from routing.rules import RuleMatcher, RuleSpec, keywords_parse
from routing.suggester import Suggester, catalogue_only

log = logging.getLogger(__name__)
MODEL_FILE = re.compile(r"^router-(\d{8}T\d{6}\d*)\.joblib$")
_lock = threading.Lock()


def model_dir() -> Path:
    return Path(getattr(settings, "ROUTER_MODEL_DIR", settings.VAR_DIR / "models"))


def reload_seconds() -> float:
    return float(getattr(settings, "ROUTER_RELOAD_SECONDS", 30))


@dataclass
class RuleSet:
    matcher: RuleMatcher
    specs: list[RuleSpec]
    category_parents: dict[int, int | None]
    signature: tuple
    checked_at: float

    def category_path(self, category_id: int | None) -> frozenset[int]:
        """The category and its ancestors (a rule on a parent covers the subtree)."""
        path: set[int] = set()
        while category_id is not None and category_id not in path:
            path.add(category_id)
            category_id = self.category_parents.get(category_id)
        return frozenset(path)


def rule_spec(rule) -> RuleSpec:
    """The matcher's view of a ``RoutingRule``; an unsaved one (the admin's preview) has no co-handlers yet."""
    return RuleSpec(
        id=rule.pk,
        name=rule.name,
        order=rule.order,
        lead=rule.lead_department.code if rule.lead_department_id else "",
        any=keywords_parse(rule.keywords_any),
        all=keywords_parse(rule.keywords_all),
        none=keywords_parse(rule.keywords_none),
        category_id=rule.category_id,
        district=rule.district.code if rule.district_id else None,
        kind=rule.kind or None,
        co=tuple(d.code for d in rule.co_departments.all()) if rule.pk is not None else (),
        priority=rule.priority,
        deadline_policy=rule.deadline_policy,
        area=prepared(area_from_geojson(rule.area)) if rule.area else None,
    )


def _rules_signature() -> tuple:

    rules = RoutingRule.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return rules["n"], rules["last"], Category.objects.count()


def _rules_load(signature: tuple) -> RuleSet:

    rows = (
        RoutingRule.objects.filter(is_active=True, lead_department__is_active=True)
        .select_related("lead_department", "district")
        .prefetch_related("co_departments")
    )
    specs = [rule_spec(r) for r in rows]
    parents = dict(Category.objects.values_list("id", "parent_id"))
    return RuleSet(RuleMatcher(specs), specs, parents, signature, time.monotonic())


_rules: RuleSet | None = None


def current_rules(*, force: bool = False) -> RuleSet:
    global _rules
    rules = _rules
    if rules is not None and not force and time.monotonic() - rules.checked_at < reload_seconds():
        return rules
    signature = _rules_signature()
    with _lock:
        if _rules is None or force or _rules.signature != signature:
            _rules = _rules_load(signature)
        else:
            _rules.checked_at = time.monotonic()
        return _rules


# Models -------------------------------------------------------------------------


def model_files() -> list[Path]:
    directory = model_dir()
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if MODEL_FILE.match(p.name))


def model_save(suggester: Suggester) -> Path:
    """Write a new model version; readers see the whole file or none (atomic rename)."""
    import joblib

    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    suggester.version = stamp
    path = directory / f"router-{stamp}.joblib"
    temporary = directory / f".{path.name}.tmp"
    joblib.dump(suggester, temporary)
    os.replace(temporary, path)
    for old in model_files()[:-5]:  # keep the last five versions
        old.unlink(missing_ok=True)
    return path


def model_load(path: Path) -> Suggester:
    import joblib

    return joblib.load(path)


@dataclass
class _ModelState:
    suggester: Suggester | None
    path: Path | None
    checked_at: float


_model: _ModelState | None = None


def catalogue_model() -> Suggester:
    """A model learned from the duty catalogue alone, for a portal with no trained model yet."""

    return catalogue_only()


def current_suggester(*, force: bool = False) -> Suggester:
    """The newest trained model; reloaded when a newer file appears."""
    global _model
    state = _model
    if state is not None and not force and time.monotonic() - state.checked_at < reload_seconds():
        return state.suggester or catalogue_model()
    files = model_files()
    newest = files[-1] if files else None
    with _lock:
        if _model is None or force or _model.path != newest:
            suggester = None
            if newest is not None:
                try:
                    suggester = model_load(newest)
                except Exception:  # noqa: BLE001 - a damaged file must not stop routing
                    log.exception("could not load routing model %s; keeping the previous one", newest)
                    suggester = _model.suggester if _model else None
            _model = _ModelState(suggester, newest, time.monotonic())
        else:
            _model.checked_at = time.monotonic()
        return _model.suggester or catalogue_model()


def reset() -> None:
    """Forget what is cached (tests, and after training in this process)."""
    global _rules, _model
    _rules = None
    _model = None
