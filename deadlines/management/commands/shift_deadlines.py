"""Move a case's open deadlines in time, to see warnings and escalations without waiting for them.

    manage.py shift_deadlines --case QH20261205-000001 --hours -48     # 48 hours earlier
    manage.py shift_deadlines --case QH20261205-000001 --due-in 0.05   # due in 3 minutes: the warning is next
    manage.py shift_deadlines --case QH20261205-000001 --due-in -1     # 1 hour overdue: level 1 (催办) is next

The running beat's deadline sweep (every DEADLINE_SWEEP_SECONDS) then records
what has fallen due, exactly once; ``run_deadlines`` runs the sweep at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from deadlines.services import deadlines_shift
from feedback.models import Submission


class Command(BaseCommand):
    help = "Move a case's open deadlines earlier or later (for demos and tests of the closed loop)."

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, help="Tracking number, e.g. QH20261205-000001.")
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--hours", type=float, help="Shift by this many hours (negative: earlier).")
        when.add_argument(
            "--due-in",
            type=float,
            help="Shift so the first open deadline is due in this many hours (negative: overdue).",
        )

    def handle(self, *args, **options):
        submission = Submission.objects.filter(tracking_number=options["case"].strip()).first()
        if submission is None:
            raise CommandError(f"No case {options['case']!r}.")
        with transaction.atomic():
            if options["hours"] is not None:
                moved = deadlines_shift(submission, by=timedelta(hours=options["hours"]))
            else:
                moved = deadlines_shift(submission, due_in=timedelta(hours=options["due_in"]))
        if not moved:
            raise CommandError(f"Case {submission.tracking_number} has no open deadline.")
        for deadline in submission.deadlines.filter(is_open=True).order_by("due_at"):
            due = timezone.localtime(deadline.due_at)
            self.stdout.write(f"{submission.tracking_number} {deadline.step}: due {due:%Y-%m-%d %H:%M}")
