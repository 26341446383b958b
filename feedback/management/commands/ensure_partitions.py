from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.partitioning import ensure_partitions, managed_tables, partitions_of


class Command(BaseCommand):
    help = (
        "Create the monthly partitions of case events, notifications and routing decisions up to N months ahead "
        "(default: PARTITION_MONTHS_AHEAD), and move rows out of the default partitions into months of their own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months-ahead", type=int, default=None)

    def handle(self, *args, months_ahead=None, **options):
        ahead = settings.PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead
        if ahead < 0 or ahead > 120:
            raise CommandError("--months-ahead must be between 0 and 120")
        for made in ensure_partitions(ahead):
            self.stdout.write(f"created {made.partition} (moved {made.moved_rows} rows from the default partition)")
        for table, column in managed_tables():
            self.stdout.write(f"{table}: {len(partitions_of(table))} partitions by month of {column}")
