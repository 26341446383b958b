from django.core.management.base import BaseCommand, CommandError

from feedback.retention import submissions_anonymise_closed


class Command(BaseCommand):
    help = "Blank the contact details of cases closed more than N days ago (default: the RETENTION_DAYS setting)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        count = submissions_anonymise_closed(older_than_days=days)
        self.stdout.write(f"anonymised={count}")
