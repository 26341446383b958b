from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from demo.city import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo city of Qinghe (districts, departments, categories, one account per role) and, unless "
        "--history none, a month of its past (manage.py seed_history --size full for three months). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--history",
            choices=["small", "full", "tiny", "none"],
            default="small",
            help="How much past to give the city (default: small, a month; full: 90 days).",
        )

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for username, role, full_name, depts, _head, _staff in USERS:
            where = ",".join(depts) or "-"
            self.stdout.write(f"  {username:<12} {role:<14} {where:<6} {full_name}")
        if apps.is_installed("hotline"):
            # The knowledge base and the operator's calls live above routing: called by name, not imported.
            call_command("seed_hotline", stdout=self.stdout)
        if apps.is_installed("maps"):  # the district outlines: an app above routing, so called by name
            call_command("maps_seed", stdout=self.stdout)
        if options["history"] == "none" or not apps.is_installed("demo"):
            return
        if connection.vendor != "postgresql":
            # The deadline sweep the history runs is PostgreSQL SQL.
            self.stdout.write("No demo history: it needs PostgreSQL (set DATABASE_URL).")
            return
        call_command("seed_history", size=options["history"], stdout=self.stdout)
