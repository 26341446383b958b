from django.core.management.base import BaseCommand
from django.utils import timezone

from deadlines.escalation import deadlines_sweep
from feedback.notifications import notification_send
from portal.commands import add_now_argument, now_option


def _send_inline(ids: list[int]) -> None:
    for pk in ids:
        notification_send(pk)


class Command(BaseCommand):
    help = "Run the deadline sweep once (warnings, escalations, not-rated closes), as the beat job does."

    def add_arguments(self, parser):
        add_now_argument(parser)
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand notifications to Celery instead of sending them here."
        )

    def handle(self, *args, **options):
        now = now_option(options["now"])
        result = deadlines_sweep(now=now, send=None if options["enqueue"] else _send_inline)
        self.stdout.write(
            f"{timezone.localtime(now):%Y-%m-%d %H:%M %Z} " + ", ".join(f"{k}={v}" for k, v in result.as_dict().items())
        )
