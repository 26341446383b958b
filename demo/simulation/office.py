"""The offices' side of the simulated history: dispatch, co-handling, returns, sign-for, material requests,
extensions and replies, each through the service the staff pages call (mixed into ``Simulation``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.extensions import extension_decide, extension_request
from casework.models import Assignment, AssignmentRole, AssignmentStatus
from casework.returns import case_return, return_accept, return_reject
from casework.services import assignment_sign_for, case_reply, case_request_material, cohandling_opinion
from casework.triage import case_dispatch
from deadlines.models import Deadline
from demo import texts
from demo.plan import NEIGHBOUR, CasePlan

# The last hours of the history keep a backlog (returns waiting, extension requests undecided) on first run.
BACKLOG = timedelta(hours=20)


class OfficeSteps:
    """Steps of departments and dispatchers; ``Simulation`` gives the clock (``at``, ``desk``, ``later``), the
    cast, the random generator and the case ids."""

    def dispatch(self, moment: datetime, plan: CasePlan) -> None:

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

        case = self.case(plan)
        question = texts.MATERIAL_QUESTIONS["en" if plan.language == "en" else "zh"]
        case_request_material(
            submission_id=case.pk, question=question, now=moment, **self.cast.acting(case.lead_department.code)
        )
        self.at(self.later(moment, 6, 60), self.provide_material, plan)

    def ask_extension(self, moment: datetime, plan: CasePlan) -> None:

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

        extension_decide(extension_id=request_id, actor=self.cast.supervisor, approve=True, now=moment)
        self.plan_reply(moment, plan, on_time=True)

    def reply(self, moment: datetime, plan: CasePlan) -> None:

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
