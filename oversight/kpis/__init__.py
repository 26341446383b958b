"""KPIs per department and period, computed with set-based queries.

Every rate is ``numerator ÷ denominator`` over *facts* dated in the period:

- response rate (响应率) = sign-for deadlines met by a sign-for
  ÷ (sign-for deadlines closed in the period + sign-for deadlines open and overdue).
  A case still inside its sign-for window is not yet decided and is left out;
  once its window passes unsigned it counts against the department.
- on-time reply rate (按期办结率) = replied in time
  ÷ (replied + closed late without a reply + open and overdue). Open overdue
  cases count in the period their deadline fell in, so a recent period cannot
  look perfect just because its late cases are not answered yet.
- resolution rate (解决率) = ratings "resolved" ÷ ratings.
- satisfaction rate (满意率) = (satisfied + basically satisfied) ÷ ratings.
- return rate (退单率) = returns requested by the department ÷ lead assignments made.
- extension rate (延期率) = extension requests ÷ lead assignments made.
- handling time = working time from submission to the (latest) reply, less the
  working time the case waited for the citizen's material
  (``Submission.handling_seconds``, see ``deadlines.services.handling_record``);
  median and 90th percentile in working hours, read from hourly histograms
  (``HandlingDay``), so within one bucket width (1 h below 48 working hours)
  of ``percentile_cont`` on the cases themselves.

Closed past days come from ``DepartmentDay`` (kept current by the workers);
today and open overdue deadlines are always read live. The same fact queries
fill both, so the two can never disagree.
"""

from __future__ import annotations

from oversight.kpis.facts import (  # noqa: F401
    FACT_FIELDS,
    INVERSE_RATES,
    LIVE_FIELDS,
    RATE_KEYS,
    RATES,
    _event_at_completion,
    _group,
    _keys,
    collect_facts,
    fact_queries,
    local_midnight,
    min_sample,
    open_overdue,
    period_facts,
    rolled_up_facts,
    rollup_split,
)
from oversight.kpis.handling import (  # noqa: F401
    OPEN_BUCKET,
    _bucket_sql,
    _percentile,
    bucket_of,
    bucket_width,
    handling_backfill,
    handling_hours_qs,
    handling_missing,
    handling_percentiles,
    histogram_live,
    histogram_percentile,
    histogram_summary,
    period_histograms,
    period_volumes,
    volume_live,
)
from oversight.kpis.rates import (  # noqa: F401
    KpiRow,
    Rate,
    department_kpis,
    ranking,
    rates_from,
)
