"""The surge detector kept between beats: how it is configured, fingerprinted and read back.

Shared by the scan (``surges.services``, which writes it) and by same-incident
proposals (``surges.incidents``, which only read it), so an alert and a
proposal come from the very same groups.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from datetime import datetime, timedelta

from django.conf import settings

from surges.detector import DetectorConfig, SurgeDetector
from surges.text import FEATURES_VERSION

log = logging.getLogger(__name__)


def surge_settings() -> dict:
    # LOOKBACK_HOURS: what a rebuild replays. Every beat replayed 48 hours when nothing was kept; with the
    # state kept, a rebuild only needs the groups someone can still join (8 hours) and a margin: alerts
    # raised before are stored already.
    defaults = {"LOOKBACK_HOURS": 12, "HISTORY_DAYS": 14, "BEAT_SECONDS": 300}
    return {**defaults, **getattr(settings, "MINSHENG", {}).get("SURGES", {})}


def scan_config(conf: dict) -> DetectorConfig:
    return DetectorConfig(history=timedelta(days=conf["HISTORY_DAYS"]))


def fingerprint(conf: dict) -> str:
    return f"features={FEATURES_VERSION};{scan_config(conf)!r};lookback={conf['LOOKBACK_HOURS']}"[:200]


def state_decode(row, conf: dict) -> tuple[SurgeDetector | None, datetime | None, dict[str, datetime]]:
    """The stored detector, when it last scanned, and the reports fed in the settling margin (id -> time).

    (None, None, {}) when there is no state, it is from other settings, or it cannot be read.
    """
    if row is None or row.fingerprint != fingerprint(conf) or not row.state:
        return None, None, {}
    try:
        detector, scanned_at, fed = pickle.loads(zlib.decompress(bytes(row.state)))  # written only by state_encode
    except Exception:  # noqa: BLE001 - a damaged or outdated state is rebuilt, never trusted
        log.warning("surge scan state unreadable; it will be rebuilt from the database")
        return None, None, {}
    return detector, scanned_at, fed


def state_encode(detector: SurgeDetector, scanned_at: datetime, fed: dict[str, datetime]) -> bytes:
    return zlib.compress(pickle.dumps((detector, scanned_at, fed), protocol=pickle.HIGHEST_PROTOCOL), 1)
