"""Reads for the supervisors' pages: overdue dashboard, buck-passing, digest, public scoreboard."""

from __future__ import annotations

from oversight.selectors.buck_passing import (  # noqa: F401
    _last_tenth,
    _last_tenth_live,
    buck_passing,
)
from oversight.selectors.digest import (  # noqa: F401
    _category_roots,
    _change,
    _counts,
    _roll_to_roots,
    digest_build,
    place_counts,
    surge_alerts,
    topic_counts,
)
from oversight.selectors.overdue import (  # noqa: F401
    CaseLine,
    _escalation_model,
    attach_escalation_levels,
    case_lines,
    escalation_level_subquery,
    hours_late,
    near_window,
    open_deadlines,
    overdue_cases,
    overdue_summary,
    public_criticism_level,
    work_calendar,
    working_hours_between,
)
from oversight.selectors.scoreboard import (  # noqa: F401
    criticised_cases,
    criticised_submission_ids,
)
