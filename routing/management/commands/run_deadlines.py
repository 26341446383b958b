from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.notifications import notification_send
from routing.escalation import deadlines_sweep


def _send_inline(ids: list[int]) -> None:
    for pk in ids:
        notification_send(pk)


class Command(BaseCommand):
    help = "Run the deadline sweep once (warnings, escalations, not-rated closes), as the beat job does."

    def add_arguments(self, parser):
        parser.add_argument("--now", help='Local time to run at, e.g. "2026-12-01 10:00" (default: now).')
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand notifications to Celery instead of sending them here."
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            try:
                now = timezone.make_aware(datetime.strptime(options["now"].strip(), "%Y-%m-%d %H:%M"))
            except ValueError:
                raise CommandError(f'--now {options["now"]!r} is not a time like "2026-12-01 10:00".') from None
        result = deadlines_sweep(now=now, send=None if options["enqueue"] else _send_inline)
        self.stdout.write(
            f"{timezone.localtime(now):%Y-%m-%d %H:%M %Z} " + ", ".join(f"{k}={v}" for k, v in result.as_dict().items())
        )
