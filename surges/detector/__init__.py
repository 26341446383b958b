"""Surge detection: plain reports in, alerts out. No Django here.

``records`` holds what the detector reads and keeps (``Report``, ``DetectorConfig``, ``Group``, ``Alert``),
``matching`` which group a report joins, ``bursts`` when a group is a surge, and ``core`` the detector that
ties them together and ``replay``. The names stay importable from ``surges.detector`` (saved detector states
are pickles that name them there).
"""

from surges.detector.core import SurgeDetector, replay  # noqa: F401
from surges.detector.records import (  # noqa: F401
    TOPIC_FEATURES,
    Alert,
    DayCounts,
    DetectorConfig,
    Group,
    Report,
    poisson_tail,
)
