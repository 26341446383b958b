"""The duty catalogue (派单目录) of the demo city of Qinghe.

Written from what each office is responsible for under the usual division of
duties in a Chinese city government (the "three determinations" of each
bureau: its functions, bodies and staffing), NOT from any labelled
submissions. It serves three purposes:

* ``RULES`` become the demo routing rules (``seed_demo`` writes them): only
  anchors that belong to one office whatever the context, with "none of"
  keywords for the well-known borderline cases (wages owed on a building site
  go to human resources, not housing; a factory's noise goes to ecology, a
  building site's to housing, a vendor's loudspeaker to city management);
* ``TERMS`` are the phrases each office's dispatch catalogue lists; the
  suggester uses hits on them as features and learns from them before it has
  seen a single case (so a fresh portal routes well from its first submission);
* ``DUTIES`` are short descriptions of each office's duties, used as the
  suggester's first training documents.

The catalogue is data: ``city/data/catalogue.json`` (keys ``terms``, ``duties``, ``rules``),
read once when this module is imported and never changed afterwards. Edit the file, not the code;
``tests/routing/test_catalogue_data.py`` checks its shape.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


@cache
def catalogue_data() -> dict[str, Any]:
    """The parsed catalogue file (read once per process)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


# Read-only views: nothing may add to the catalogue at run time.
TERMS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {office: tuple(terms) for office, terms in catalogue_data()["terms"].items()}
)
DUTIES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {office: tuple(duties) for office, duties in catalogue_data()["duties"].items()}
)
RULES: tuple[MappingProxyType[str, Any], ...] = tuple(MappingProxyType(rule) for rule in catalogue_data()["rules"])

# The five districts of the demo city: code, Chinese, English (``seed_demo`` writes them; the routing
# evaluation reads district names in a labelled file with them).
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("dongcheng", "东城区", "Dongcheng District"),
    ("xicheng", "西城区", "Xicheng District"),
    ("nanhu", "南湖区", "Nanhu District"),
    ("beishan", "北山区", "Beishan District"),
    ("gaoxin", "高新区", "High-tech Zone"),
)
