"""Every static file that names a source map names one that ships: collectstatic's manifest storage
refuses a missing one, and production could not build its static files (chart.js, then Leaflet)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAP_REFERENCE = re.compile(rb"sourceMappingURL=([^\s*'\"]+)")


def test_every_source_map_a_static_file_names_is_shipped_beside_it():
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css", ".mjs"}:
            continue
        for reference in MAP_REFERENCE.findall(path.read_bytes()):
            name = reference.decode("utf-8", "replace")
            if name.startswith("data:"):
                continue
            if not (path.parent / name).exists():
                missing.append(f"{path.relative_to(ROOT)} -> {name}")
    assert missing == [], missing
