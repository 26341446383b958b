from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.services import rollup_refresh


class Command(BaseCommand):
    help = "Recompute the per-department daily rollup for the last N days (backfill)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=400)

    def handle(self, *args, days: int, **options):
        today = timezone.localdate()
        written = rollup_refresh(first_day=today - timedelta(days=days - 1), last_day=today)
        self.stdout.write(f"{written} department-day rows written")
