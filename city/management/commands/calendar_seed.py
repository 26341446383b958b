from django.core.management.base import BaseCommand

from city.calendar import calendar_missing_years, calendar_seed


class Command(BaseCommand):
    help = "Copy official holidays and swapped working days (调休) from chinese-calendar. Idempotent."

    def handle(self, *args, **options):
        counts = calendar_seed()
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        missing = calendar_missing_years()
        if missing:
            self.stdout.write(self.style.WARNING(f"No official calendar for {missing}: enter it in the admin."))
