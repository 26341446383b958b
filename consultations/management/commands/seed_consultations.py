from django.core.management.base import BaseCommand

from consultations.demo import seed_demo_consultations


class Command(BaseCommand):
    help = "Two demo consultations (one open, one answered with an adopted idea in progress). Needs seed_demo."

    def handle(self, *args, **options):
        self.stdout.write(f"consultations created: {seed_demo_consultations()}")
