from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Role, User
from casework.models import AssignmentRole
from casework.services import assignment_create
from city.models import Category
from feedback.models import Status
from feedback.services import submission_create
from feedback.workflow import Action, case_transition
from portal.commands import add_now_argument, now_option
from routing.services import submission_route

# (category, priority, routed how long before --now, title). The normal cases are older than the
# longest holiday (Spring Festival), so they are overdue whatever the date.
DEMO_CASES = [
    ("city.garbage", "normal", timedelta(days=15), "小区门口垃圾两周无人清运"),
    ("city.vendors", "normal", timedelta(days=12), "夜市摊贩占道经营，人行道走不了人"),
    ("city.structures", "urgent", timedelta(hours=1, minutes=40), "楼顶正在加盖违章建筑"),
    ("city.ads", "urgent", timedelta(minutes=20), "广告牌松动有坠落危险"),
    ("water.supply", "normal", timedelta(days=13), "停水三天没有通知"),
]


class Command(BaseCommand):
    help = "Create a few routed demo cases whose deadlines are near or past at --now (for the deadline board)."

    def add_arguments(self, parser):
        add_now_argument(parser)

    def handle(self, *args, **options):
        now = now_option(options["now"])
        for code, priority, age, title in DEMO_CASES:
            at = now - age
            submission, _secret, _created = submission_create(
                data={"kind": "complaint", "title": title, "text": title, "category": Category.objects.get(code=code)},
                now=at,
            )
            submission.priority = priority
            submission.save(update_fields=["priority"])
            routed = submission_route(submission_id=submission.pk, now=at)
            if routed is not None and routed.status == Status.TRIAGE:
                # The router was unsure: a dispatcher places the demo case by its category.
                department = routed.category.default_department
                case_transition(
                    submission_id=routed.pk,
                    action=Action.DISPATCH,
                    actor=User.objects.filter(role=Role.DISPATCHER).first(),
                    apply=lambda case, d=department, t=at: assignment_create(
                        submission=case, department=d, role=AssignmentRole.LEAD, at=t
                    ),
                    now=at,
                )
            self.stdout.write(f"{submission.tracking_number} {priority:<7} routed {timezone.localtime(at):%m-%d %H:%M}")
