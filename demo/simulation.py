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

from demo import texts
from demo.cast import Cast
from demo.plan import NEIGHBOUR, CasePlan
from portal.errors import DomainError

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=2)
SCAN_EVERY = timedelta(minutes=30)
SCAN_HOURS = 7  # scans after a burst starts
BACKLOG = timedelta(hours=20)
MERGE_AFTER = timedelta(days=7)


class Simulation:
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
        from routing.escalation import deadlines_sweep

        deadlines_sweep(now=moment)

    def scan(self, moment: datetime, _plan) -> None:
        from surges.services import surge_scan

        surge_scan(now=moment)

    def merge_surge(self, moment: datetime, first: CasePlan) -> None:
        from surges.models import AlertStatus, SurgeAlert
        from surges.services import surge_alert_merge

        ids = [self.case_ids[p.index] for p in self.plans if p.burst == first.burst and p.index in self.case_ids]
        alert = SurgeAlert.objects.filter(members__submission_id__in=ids, status=AlertStatus.OPEN).first()
        if alert is not None:
            department = self.cast.departments[first.true_department]
            surge_alert_merge(
                alert_id=alert.pk, lead_department_id=department.pk, actor=self.cast.supervisor, now=moment
            )

    # --- a case's life -----------------------------------------------------------------------------------------------

    def case(self, plan: CasePlan):
        from feedback.models import Submission

        return Submission.objects.select_related("lead_department").get(pk=self.case_ids[plan.index])

    def point(self, plan: CasePlan) -> dict:
        """The case's map pin near the place its text names (``maps.demo``), or nothing without outlines."""
        from demo.texts import PLACES
        from maps.demo import demo_point

        told = f"{plan.title} {plan.text}"
        place = next((zh for zh, en in PLACES.get(plan.district, []) if zh in told or en in told), "")
        found = demo_point(district_code=plan.district, place=place, rng=self.place_rng)
        return {"latitude": Decimal(str(found[0])), "longitude": Decimal(str(found[1]))} if found else {}

    def submit(self, moment: datetime, plan: CasePlan) -> None:
        from feedback.services import submission_create
        from routing.services import submission_route

        language = "en" if plan.language == "en" else "zh-hans"
        if plan.channel == "open311":
            from open311.services import service_request_create

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
        # A worker routes it within a minute or two.
        routed_at = moment + timedelta(seconds=self.rng.randint(20, 150))
        routed = submission_route(submission_id=submission.pk, now=routed_at)
        if routed is None:
            return
        if routed.status == "triage":
            self.at(self.desk(routed_at, 0.2, 2.5), self.dispatch, plan)
        else:
            self.assigned(routed_at, plan)

    def dispatch(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.triage import case_dispatch

        target = NEIGHBOUR[plan.true_department] if plan.fate.wrong_dispatch else plan.true_department
        co = []
        if plan.fate.joint:
            partner = NEIGHBOUR[target] if NEIGHBOUR[target] != plan.true_department else "CGJ"
            co = [self.cast.departments[partner].pk] if partner != target else []
        case_dispatch(
            submission_id=self.case_ids[plan.index],
            actor=self.cast.dispatcher,
            department_id=self.cast.departments[target].pk,
            co_department_ids=co,
            now=moment,
        )
        self.assigned(moment, plan)
        if co:
            self.co_handling(moment, plan)

    def co_handling(self, moment: datetime, plan: CasePlan) -> None:
        from routing.models import Assignment, AssignmentRole

        latest = moment
        for co in Assignment.objects.filter(submission_id=self.case_ids[plan.index], role=AssignmentRole.CO):
            code = co.department.code
            if code in self.cast.staff:
                when = self.later(moment, 3, 60)
                self.at(when, self.co_opinion, plan)
                latest = max(latest, when)
            else:
                latest = max(latest, (co.due_at or moment) + timedelta(minutes=10))
        self.co_ready[plan.index] = latest + timedelta(minutes=30)

    def co_opinion(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.services import cohandling_opinion
        from routing.models import Assignment, AssignmentRole, AssignmentStatus

        waiting = Assignment.objects.filter(
            submission_id=self.case_ids[plan.index],
            role=AssignmentRole.CO,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR],
        ).select_related("department")
        for co in waiting:
            user = self.cast.staff.get(co.department.code)
            if user is not None:
                cohandling_opinion(
                    submission_id=self.case_ids[plan.index], actor=user, text=texts.CO_OPINION, now=moment
                )

    def open_deadline(self, plan: CasePlan, step: str):
        from routing.models import Deadline

        return (
            Deadline.objects.filter(submission_id=self.case_ids[plan.index], step=step, is_open=True)
            .order_by("-id")
            .first()
        )

    def assigned(self, moment: datetime, plan: CasePlan) -> None:
        """A department has the case: it signs for it, or says it is not its own."""
        case = self.case(plan)
        deadline = self.open_deadline(plan, "sign_for")
        window = (deadline.due_at - moment) if deadline is not None else timedelta(hours=8)
        lead = case.lead_department.code if case.lead_department_id else ""
        returned_before = case.return_count > 0
        # Most offices handle a misrouted case anyway; in the last hours every one sends it back, so the
        # returns queue has work on first run.
        recent = moment > self.end - BACKLOG
        wrong = lead != plan.true_department and (recent or self.rng.random() < 0.4)
        if not returned_before and (wrong or plan.fate.try_return):
            self.at(moment + window * self.rng.uniform(0.05, 0.4), self.return_case, plan)
            return
        share = min(plan.fate.sign_share, 0.6) if returned_before else plan.fate.sign_share
        self.at(moment + window * share, self.sign_for, plan)

    def return_case(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.returns import case_return

        case = self.case(plan)
        reason = self.cast.reasons.get("not_our_duty") or next(iter(self.cast.reasons.values()))
        case_return(
            submission_id=case.pk,
            reason_id=reason.pk,
            text=texts.RETURN_TEXTS["not_our_duty"],
            now=moment,
            **self.cast.acting(case.lead_department.code),
        )
        self.at(self.desk(moment, 0.3, 4), self.decide_return, plan)

    def decide_return(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.returns import return_accept, return_reject

        case = self.case(plan)
        decider = self.cast.supervisor if case.return_count > 2 else self.cast.dispatcher
        if case.lead_department.code != plan.true_department:
            return_accept(
                submission_id=case.pk,
                actor=decider,
                department_id=self.cast.departments[plan.true_department].pk,
                reason=texts.REDISPATCH_REASON,
                now=moment,
            )
            self.assigned(moment, plan)
            return
        back = return_reject(submission_id=case.pk, actor=decider, note=texts.REJECT_RETURN_NOTE, now=moment)
        if back.status == "assigned":
            self.at(self.later(moment, 0.5, 3), self.sign_for, plan)
        else:
            self.plan_reply(moment, plan)

    def sign_for(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.services import assignment_sign_for

        case = self.case(plan)
        assignment_sign_for(submission_id=case.pk, now=moment, **self.cast.acting(case.lead_department.code))
        if plan.fate.material:
            self.at(self.later(moment, 2, 20), self.request_material, plan)
        elif self.wants_extension(moment, plan) and case.lead_department.code in self.cast.staff:
            self.at(self.later(moment, *((20, 40) if plan.fate.extension else (1, 6))), self.ask_extension, plan)
        else:
            self.plan_reply(moment, plan)

    def wants_extension(self, moment: datetime, plan: CasePlan) -> bool:
        """Some offices ask for more time; a few more in the last two days, whose requests still wait."""
        return plan.fate.extension or (moment > self.end - 2 * BACKLOG and plan.fate.delay_hours[0] < 0.2)

    def plan_reply(self, moment: datetime, plan: CasePlan, *, on_time: bool = False) -> None:
        if plan.fate.stuck:
            return  # never answered: the sweep climbs the ladder
        deadline = self.open_deadline(plan, "reply")
        window = (deadline.due_at - moment) if deadline is not None else timedelta(days=3)
        share = min(plan.fate.reply_share, 0.8) if on_time else plan.fate.reply_share
        when = moment + max(window, timedelta(hours=1)) * share
        when = max(when, self.co_ready.get(plan.index, when))
        self.at(when, self.reply, plan)

    def request_material(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.services import case_request_material

        case = self.case(plan)
        question = texts.MATERIAL_QUESTIONS["en" if plan.language == "en" else "zh"]
        case_request_material(
            submission_id=case.pk, question=question, now=moment, **self.cast.acting(case.lead_department.code)
        )
        self.at(self.later(moment, 6, 60), self.provide_material, plan)

    def provide_material(self, moment: datetime, plan: CasePlan) -> None:
        from feedback.services import material_answer

        answer = texts.MATERIAL_ANSWERS["en" if plan.language == "en" else "zh"]
        material_answer(submission_id=self.case_ids[plan.index], answer=answer, now=moment)
        self.plan_reply(moment, plan)

    def ask_extension(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.extensions import extension_request

        case = self.case(plan)
        deadline = self.open_deadline(plan, "reply")
        if deadline is None:
            return
        request = extension_request(
            submission_id=case.pk,
            actor=self.cast.staff[case.lead_department.code],
            reason=texts.EXTENSION_REASON,
            new_due_at=deadline.due_at + timedelta(days=5),
            now=moment,
        )
        self.at(
            self.desk(moment, 1, 6),
            lambda m, p, pk=request.pk: self.decide_extension(m, p, pk),
            plan,
        )

    def decide_extension(self, moment: datetime, plan: CasePlan, request_id: int) -> None:
        from routing.casework.extensions import extension_decide

        extension_decide(extension_id=request_id, actor=self.cast.supervisor, approve=True, now=moment)
        self.plan_reply(moment, plan, on_time=True)

    def reply(self, moment: datetime, plan: CasePlan) -> None:
        from routing.casework.services import case_reply

        case = self.case(plan)
        language = "en" if plan.language == "en" else "zh"
        self.rounds[plan.index] += 1
        if self.rounds[plan.index] > 1:
            disposition, text = "resolved", texts.SECOND_REPLY[language]
        else:
            disposition = self.disposition(plan)
            text = self.rng.choice(texts.REPLIES[disposition][language])
        case_reply(
            submission_id=case.pk,
            disposition=disposition,
            text=text.format(title=plan.title),
            now=moment,
            **self.cast.acting(case.lead_department.code),
        )
        if plan.fate.rating is not None:
            self.at(self.later(moment, 3, 120), self.rate, plan)

    def disposition(self, plan: CasePlan) -> str:
        if plan.kind in ("consultation", "praise"):
            return "explained"
        if plan.kind == "suggestion":
            return self.rng.choice(["adopted", "explained"])
        if plan.fate.rating == "unsatisfied" and self.rng.random() < 0.3:
            return "unresolvable"
        return "resolved" if self.rng.random() < 0.88 else "explained"

    def rate(self, moment: datetime, plan: CasePlan) -> None:
        from feedback.services import rating_submit

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
        from feedback.services import case_reopen

        case_reopen(
            submission_id=self.case_ids[plan.index],
            reason=texts.REOPEN_REASONS["en" if plan.language == "en" else "zh"],
            now=moment,
        )
        self.plan_reply(moment, plan, on_time=True)
