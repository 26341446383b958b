"""Supervisors' pages and the public scoreboard. Thin: forms in, selectors out."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from city.calendar import WorkCalendar
from city.models import Department, Priority
from deadlines.models import Step
from feedback.models import Status, Submission
from oversight import charts, extensions, pdf, selectors
from oversight.filters import CaseFilterForm, PeriodForm, subtree_ids
from oversight.kpis import RATES, department_kpis, min_sample, ranking
from oversight.masking import mask_text
from oversight.selectors.urges import urges_by_department
from portal.csv_export import csv_view, csv_writer

PAGE_SIZE = 50
CSV_CHUNK = 2000


def supervisor_required(view):
    """Supervisors and administrators only: anonymous users go to the login page, others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_supervisor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def kpi_access(view):
    """Supervisors see every department; a department head sees only their own departments' KPIs."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_supervisor or request.user.is_department_head):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request: HttpRequest) -> tuple[CaseFilterForm, Q, set[int] | None]:
    form = CaseFilterForm(request.GET or None)
    if not form.is_bound:
        return form, Q(), None
    return form, form.submission_q("submission__"), form.department_ids()


@never_cache
@supervisor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form, case_q, departments = _filters(request)
    names = Department.objects.in_bulk()  # once for the three tables below
    summary = selectors.overdue_summary(case_q=case_q, now=now, departments=departments, names=names)
    oldest = selectors.case_lines(selectors.overdue_cases(case_q=case_q, now=now, departments=departments)[:15], now)
    first, last = form.period(timezone.localdate(now))
    bucks = selectors.buck_passing(
        case_q=case_q, first_day=first, last_day=last, now=now, departments=departments, names=names
    )
    urges = urges_by_department(case_q=case_q, first_day=first, last_day=last, departments=departments, names=names)
    context = {
        "urges": urges,
        "form": form,
        "summary": summary,
        "oldest": oldest,
        "bucks": bucks,
        "steps": Step.choices,
        "now": now,
        "period_start": first,
        "period_end": last,
        "query": form.querystring(),
        "totals": {
            "overdue": sum(e["overdue"] for e in summary),
            "near": sum(e["near"] for e in summary),
        },
    }
    return render(request, "oversight/dashboard.html", context)


DRILL_STATES = {"overdue", "near"}


def _drill_down(request: HttpRequest) -> dict[str, str]:
    """The dashboard cell a case list was opened from (department, step, overdue or near), valid parts only."""
    drill = {}
    if _int(request.GET.get("dept")):
        drill["dept"] = str(_int(request.GET.get("dept")))
    if request.GET.get("step") in Step.values:
        drill["step"] = request.GET["step"]
    if request.GET.get("state") in DRILL_STATES:
        drill["state"] = request.GET["state"]
    return drill


@never_cache
@supervisor_required
def cases(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form, case_q, departments = _filters(request)
    drill = _drill_down(request)
    department_id = _int(drill.get("dept"))
    qs = selectors.overdue_cases(
        case_q=case_q,
        now=now,
        departments=departments,
        department_id=department_id,
        step=drill.get("step", ""),
        state=drill.get("state", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "lines": selectors.case_lines(page.object_list, now),
        "department": Department.objects.filter(pk=department_id).first() if department_id else None,
        "step_label": dict(Step.choices).get(drill.get("step")),
        "state": drill.get("state", ""),
        # Filtering again (or clearing the filters) stays inside the cell the list was opened from.
        "keep": list(drill.items()),
        "keep_query": urlencode(drill),
        "query": params.urlencode(),
        "now": now,
    }
    return render(request, "oversight/cases.html", context)


def csv_rows(qs, now):
    """Header, then one row per deadline; free text masked, contact fields never read."""
    writer = csv_writer()
    yield "\ufeff" + writer.writerow(
        [
            _("Tracking number"),
            _("Submitted at"),
            _("Department"),
            _("Step"),
            _("Due at"),
            _("Hours overdue"),
            _("Counted in"),
            _("Escalation level"),
            _("Category"),
            _("District"),
            _("Priority"),
            _("Status"),
            _("Title"),
        ]
    )
    steps = dict(Step.choices)
    # Labels, not codes: a reader of the export sees 普通 / 已派单, not normal / assigned.
    priorities, statuses = dict(Priority.choices), dict(Status.choices)
    rows = qs.values_list(
        "submission__tracking_number",
        "submission__created_at",
        "department__name_zh",
        "step",
        "due_at",
        "in_working_time",
        "escalation_level",
        "submission__category__name_zh",
        "submission__district__name_zh",
        "submission__priority",
        "submission__status",
        "submission__title",
    )
    tz = timezone.get_current_timezone()
    calendar = WorkCalendar()  # one calendar for the whole export: whole days are summed once
    working, clock = _("working hours"), _("clock hours")
    for (
        number,
        created,
        dept,
        step,
        due,
        in_working_time,
        level,
        cat,
        district,
        priority,
        status,
        title,
    ) in rows.iterator(chunk_size=CSV_CHUNK):
        # Clock-hour deadlines (urgent cases) are late in clock hours, like their escalation.
        hours = round(selectors.hours_late(due, now, calendar, in_working_time=in_working_time)[0], 1)
        yield writer.writerow(
            [
                number,
                created.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                dept or "",
                steps.get(step, step),
                due.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                hours,
                working if in_working_time else clock,
                level or 0,
                cat or "",
                district or "",
                priorities.get(priority, priority),
                statuses.get(status, status),
                mask_text(title),
            ]
        )


@csv_view
@supervisor_required
def cases_csv(request: HttpRequest) -> StreamingHttpResponse:
    now = timezone.now()
    form, case_q, departments = _filters(request)
    qs = selectors.overdue_cases(
        case_q=case_q,
        now=now,
        departments=departments,
        department_id=_int(request.GET.get("dept")),
        step=request.GET.get("step", ""),
        state=request.GET.get("state", ""),
        with_levels=True,
    ).select_related(None)
    response = StreamingHttpResponse(csv_rows(qs, now), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-{timezone.localdate(now):%Y%m%d}.csv"'
    return response


@supervisor_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = (
        Submission.objects.select_related("lead_department", "category", "district")
        .annotate(escalation_level=selectors.escalation_level_subquery("pk"))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    context = {
        "case": case,
        "text": mask_text(case.text, names=[case.name], addresses=[case.address]),
        "deadlines": case.deadlines.select_related("department").order_by("started_at"),
        "events": case.events.select_related("actor"),
        "now": timezone.now(),
    }
    return render(request, "oversight/case.html", context)


@kpi_access
def kpis(request: HttpRequest) -> HttpResponse:
    own_only = not request.user.is_supervisor
    allowed = Department.objects.filter(pk__in=request.user.department_ids()) if own_only else Department.objects
    form = PeriodForm(request.GET or {})
    form.fields["department"].queryset = allowed.all()
    if not form.is_valid():
        return render(request, "oversight/kpis.html", {"form": form, "rates": RATES}, status=400)
    first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    dept = form.cleaned_data.get("department")
    # The fields show the period the figures are for, also when it was left to the default.
    form = PeriodForm({**request.GET.dict(), "date_from": first.isoformat(), "date_to": last.isoformat()})
    form.fields["department"].queryset = allowed.all()
    form.is_valid()
    departments = set(request.user.department_ids()) if own_only else None
    if dept:
        departments = subtree_ids(Department, dept.pk) & departments if own_only else subtree_ids(Department, dept.pk)
    rows = department_kpis(first, last, departments=departments)
    by = request.GET.get("rank", "on_time_reply")
    if by not in [r[0] for r in RATES]:
        by = "on_time_reply"
    ranked, apart = ranking(rows, by=by)
    context = {
        "form": form,
        "first": first,
        "last": last,
        "city": rows[None],
        "ranked": ranked,
        "apart": apart,
        "rank_by": by,
        "own_only": own_only,
        "rates": RATES,
        "min_sample": min_sample(),
        "departments": Department.objects.in_bulk(),
        "charts": charts.kpi_charts(first, last, departments=departments, histogram=rows[None].histogram),
    }
    return render(request, "oversight/kpis.html", context)


def _digest_period_form(request: HttpRequest) -> PeriodForm:
    """The digest's period: the query's dates, else the last seven days and today."""
    today = timezone.localdate()
    # Both ends filled, so the page shows the period it covers in its two date fields.
    return PeriodForm(request.GET or {"date_from": today - timedelta(days=7), "date_to": today})


def _digest_for(request: HttpRequest) -> tuple[PeriodForm, dict | None]:
    """The period form and, when it is valid, the digest for its period."""
    form = _digest_period_form(request)
    if not form.is_valid():
        return form, None
    first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    return form, selectors.digest_build(first_day=first, last_day=last, now=timezone.now())


@supervisor_required
def digest(request: HttpRequest) -> HttpResponse:
    form, data = _digest_for(request)
    if data is None:
        return render(request, "oversight/digest.html", {"form": form}, status=400)
    return render(request, "oversight/digest.html", {"form": form, "digest": data})


@never_cache
@supervisor_required
def digest_pdf(request: HttpRequest) -> HttpResponse:
    """The digest page's period and data as a PDF download; a bad period gets the page with its error."""
    form, data = _digest_for(request)
    if data is None:
        return render(request, "oversight/digest.html", {"form": form}, status=400)
    filename = pdf.digest_pdf_filename(data["first_day"], data["last_day"])
    response = HttpResponse(pdf.digest_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# 7: the front door shows this week's figures and links here for the same period.
SCOREBOARD_PERIODS = (7, 30, 90, 365)


def scoreboard(request: HttpRequest) -> HttpResponse:
    """Public: no sign-in; figures per department and the publicly criticised overdue cases."""
    days = _int(request.GET.get("days")) or 30
    if days not in SCOREBOARD_PERIODS:
        days = 30
    today = timezone.localdate()
    rows = department_kpis(today - timedelta(days=days - 1), today)
    ranked, apart = ranking(rows, by="on_time_reply")
    context = {
        "days": days,
        "periods": SCOREBOARD_PERIODS,
        "city": rows[None],
        "ranked": ranked,
        "apart": apart,
        "min_sample": min_sample(),
        "departments": Department.objects.in_bulk(),
        "criticised": selectors.criticised_cases(now=timezone.now()),
        "rates": [r for r in RATES if r[0] in ("response", "on_time_reply", "resolution", "satisfaction")],
        "extra_sections": extensions.scoreboard_sections(first_day=today - timedelta(days=days - 1), last_day=today),
    }
    return render(request, "oversight/scoreboard.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
