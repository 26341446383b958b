"""Play the planned history through the portal's own services, on a simulated clock.

Every case is submitted, routed, dispatched, signed for, returned, replied to,
rated and reopened by the same service functions the pages, the API and
Open311 call, each given the simulated moment as ``now``; the deadline sweep
and the surge scan run at simulated times too. Nothing here writes a status,
an event or an escalation itself, so the history obeys the transition table
exactly as live data does.
"""

from __future__ import annotations

import heapq
import logging
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from deadlines.escalation import deadlines_sweep
from demo import texts
from demo.cast import Cast
from demo.plan import CasePlan
from demo.simulation.office import BACKLOG, OfficeSteps
from demo.texts import PLACES
from feedback.models import Submission
from feedback.services import (
    case_reopen,
    material_answer,
    rating_submit,
    submission_create,
    submission_received_react,
)
from maps.demo import demo_point
from open311.services import service_request_create
from portal.errors import DomainError
from routing.services import submission_route
from surges.handling import surge_alert_merge
from surges.models import AlertStatus, SurgeAlert
from surges.services import surge_scan

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=2)
SCAN_EVERY = timedelta(minutes=30)
SCAN_HOURS = 7  # scans after a burst starts
MERGE_AFTER = timedelta(days=7)


class Simulation(OfficeSteps):
    def __init__(self, *, plans: list[CasePlan], start: datetime, end: datetime, seed: int) -> None:
        self.plans = plans
        self.start, self.end = start, end
        self.rng = random.Random(seed + 1)
        self.place_rng = random.Random(seed + 7)  # its own stream: pins leave the rest of the history as it was
        self.cast = Cast()
        self.queue: list = []
        self.sequence = 0
        self.case_ids: dict[int, int] = {}
        self.rounds: Counter = Counter()
        self.co_ready: dict[int, datetime] = {}
        self.refused: Counter = Counter()

    # --- the clock ---------------------------------------------------------------------------------------------------

    def at(self, moment: datetime, handler: Callable, plan: CasePlan | None = None) -> None:
        if moment <= self.end:
            self.sequence += 1
            heapq.heappush(self.queue, (moment, self.sequence, handler, plan))

    def run(self) -> Counter:
        for plan in self.plans:
            self.at(plan.at, self.submit, plan)
        moment = self.start + SWEEP_EVERY
        while moment <= self.end:
            self.at(moment, self.sweep)
            moment += SWEEP_EVERY
        bursts = {p.burst: p for p in reversed(self.plans) if p.burst is not None}
        for first in bursts.values():
            for step in range(1, int(SCAN_HOURS * 60 / (SCAN_EVERY.total_seconds() / 60)) + 1):
                self.at(first.at + SCAN_EVERY * step, self.scan)
            # A supervisor merges an older surge into one incident; the latest one is still open on the surge page.
            if first.at < self.end - MERGE_AFTER:
                self.at(first.at + timedelta(hours=SCAN_HOURS + 1), self.merge_surge, first)
        while self.queue:
            moment, _seq, handler, plan = heapq.heappop(self.queue)
            try:
                handler(moment, plan)
            except DomainError as error:
                # A step the portal refuses is a step that did not happen; the case stays where it is.
                self.refused[handler.__name__] += 1
                log.debug("%s refused for plan %s: %s", handler.__name__, getattr(plan, "index", "-"), error)
        self.sweep(self.end, None)
        return self.refused

    def later(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        return moment + timedelta(hours=self.rng.uniform(low_hours, high_hours))

    def desk(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        """When a desk (dispatch, returns, extensions) gets to it. What reached it in the history's last
        hours is still waiting at the end, so the queues have something true on them."""
        when = self.later(self.office_hours(moment), low_hours, high_hours)
        return when + BACKLOG if moment > self.end - BACKLOG else when

    def office_hours(self, moment: datetime) -> datetime:
        """The next moment a desk is staffed (08:30–20:00 local), every day: the hotline never closes for long."""
        local = timezone.localtime(moment)
        if 8 <= local.hour < 20:
            return moment
        morning = local.replace(hour=8, minute=30, second=0, microsecond=0)
        if local.hour >= 20:
            morning += timedelta(days=1)
        return morning + timedelta(minutes=self.rng.randint(0, 90))

    # --- recurring jobs ----------------------------------------------------------------------------------------------

    def sweep(self, moment: datetime, _plan) -> None:

        deadlines_sweep(now=moment)

    def scan(self, moment: datetime, _plan) -> None:

        surge_scan(now=moment)

    def merge_surge(self, moment: datetime, first: CasePlan) -> None:

        ids = [self.case_ids[p.index] for p in self.plans if p.burst == first.burst and p.index in self.case_ids]
        alert = SurgeAlert.objects.filter(members__submission_id__in=ids, status=AlertStatus.OPEN).first()
        if alert is not None:
            department = self.cast.departments[first.true_department]
            surge_alert_merge(
                alert_id=alert.pk, lead_department_id=department.pk, actor=self.cast.supervisor, now=moment
            )

    # --- a case's life -----------------------------------------------------------------------------------------------

    def case(self, plan: CasePlan):

        return Submission.objects.select_related("lead_department").get(pk=self.case_ids[plan.index])

    def point(self, plan: CasePlan) -> dict:
        """The case's map pin near the place its text names (``maps.demo``), or nothing without outlines."""
        told = f"{plan.title} {plan.text}"
        place = next((zh for zh, en in PLACES.get(plan.district, []) if zh in told or en in told), "")
        found = demo_point(district_code=plan.district, place=place, rng=self.place_rng)
        return {"latitude": Decimal(str(found[0])), "longitude": Decimal(str(found[1]))} if found else {}

    def submit(self, moment: datetime, plan: CasePlan) -> None:

        language = "en" if plan.language == "en" else "zh-hans"
        if plan.channel == "open311":
            attributes = {"size": [self.rng.choice(["small", "medium", "large"])]}
            pin = self.point(plan)
            record, _secret = service_request_create(
                lat=pin.get("latitude"),
                long=pin.get("longitude"),
                api_key=self.cast.api_key,
                service_code=plan.true_category,
                description=plan.text,
                first_name=plan.name,
                phone=plan.phone,
                email=plan.email,
                address_string=plan.title,
                attributes=attributes if plan.true_category == "transport.road" else None,
                language=language,
                now=moment,
            )
            submission = record.submission
        else:
            data = {
                **self.point(plan),
                "kind": plan.kind,
                "title": plan.title,
                "text": plan.text,
                "category": self.cast.categories.get(plan.category) if plan.category else None,
                "district": self.cast.districts[plan.district],
                "name": plan.name,
                "phone": plan.phone,
                "email": plan.email,
                "is_anonymous": plan.is_anonymous,
                "may_publish": plan.may_publish,
            }
            submission, _secret, _created = submission_create(
                data=data, client_token=plan.client_token, channel=plan.channel, language=language, now=moment
            )
        self.case_ids[plan.index] = submission.pk
        # A worker records the confirmation e-mail and routes it within a minute or two (routing.tasks).
        submission_received_react(submission_id=submission.pk)
        routed_at = moment + timedelta(seconds=self.rng.randint(20, 150))
        routed = submission_route(submission_id=submission.pk, now=routed_at)
        if routed is None:
            return
        if routed.status == "triage":
            self.at(self.desk(routed_at, 0.2, 2.5), self.dispatch, plan)
        else:
            self.assigned(routed_at, plan)

    def provide_material(self, moment: datetime, plan: CasePlan) -> None:

        answer = texts.MATERIAL_ANSWERS["en" if plan.language == "en" else "zh"]
        material_answer(submission_id=self.case_ids[plan.index], answer=answer, now=moment)
        self.plan_reply(moment, plan)

    def rate(self, moment: datetime, plan: CasePlan) -> None:

        second = self.rounds[plan.index] > 1
        satisfaction = self.rng.choice(["satisfied", "basically"]) if second else plan.fate.rating
        language = "en" if plan.language == "en" else "zh"
        rating_submit(
            submission_id=self.case_ids[plan.index],
            satisfaction=satisfaction,
            is_resolved=True if second else plan.fate.resolved,
            comment=self.rng.choice(texts.RATING_COMMENTS[satisfaction][language]),
            rated_by=self.cast.dispatcher if plan.fate.rated_by_phone else None,
            now=moment,
        )
        if satisfaction == "unsatisfied" and plan.fate.reopen and not second:
            self.at(self.later(moment, 1, 30), self.reopen, plan)

    def reopen(self, moment: datetime, plan: CasePlan) -> None:

        case_reopen(
            submission_id=self.case_ids[plan.index],
            reason=texts.REOPEN_REASONS["en" if plan.language == "en" else "zh"],
            now=moment,
        )
        self.plan_reply(moment, plan, on_time=True)
