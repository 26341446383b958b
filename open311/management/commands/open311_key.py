from django.core.management.base import BaseCommand, CommandError

from open311.services import api_key_create
from portal.errors import DomainError


class Command(BaseCommand):
    help = "Create an Open311 api_key for a client application and print it (last line: the key alone)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client application's name, unique.")
        parser.add_argument("--rate", type=int, default=None, help="POST requests allowed per minute.")

    def handle(self, *args, name: str, rate: int | None, **options):
        if rate is not None and rate < 1:
            raise CommandError("--rate must be at least 1.")
        try:
            api_key, raw_key = api_key_create(name=name, rate_limit_per_minute=rate)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        limit = api_key.rate_limit_per_minute
        self.stdout.write(f"Open311 api_key for {api_key.name} ({limit} requests/minute), shown once:")
        self.stdout.write(raw_key)
