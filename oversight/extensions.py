"""Sections that higher apps add to the leaders' digest and the public scoreboard.

Oversight never imports those apps: they register a function here (in their
``AppConfig.ready``), and the digest, its PDF and the scoreboard show what it
returns. A section is a dict: ``id``, ``title``, ``header`` (column names),
``rows`` (lists of display values) and optionally ``note``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

log = logging.getLogger(__name__)

_digest: dict[str, Callable[..., dict | None]] = {}
_scoreboard: dict[str, Callable[..., dict | None]] = {}


def register_digest_section(name: str, build: Callable[..., dict | None]) -> None:
    """``build(first_day=, last_day=, now=)`` returns a section or None (nothing to show)."""
    _digest[name] = build


def register_scoreboard_section(name: str, build: Callable[..., dict | None]) -> None:
    """``build(first_day=, last_day=)`` returns a section or None."""
    _scoreboard[name] = build


def _collect(builders: dict, **kwargs) -> list[dict]:
    sections = []
    for name, build in builders.items():
        try:
            section = build(**kwargs)
        except Exception:  # noqa: BLE001 - one app's section must not take the digest down
            log.exception("digest/scoreboard section %s failed", name)
            continue
        if section:
            sections.append(section)
    return sections


def digest_sections(*, first_day: date, last_day: date, now) -> list[dict]:
    return _collect(_digest, first_day=first_day, last_day=last_day, now=now)


def scoreboard_sections(*, first_day: date, last_day: date) -> list[dict]:
    return _collect(_scoreboard, first_day=first_day, last_day=last_day)
