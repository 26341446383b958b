from django.core.management.base import BaseCommand

from routing.demo import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = "Create the demo city of Qinghe (districts, departments, categories, one account per role). Idempotent."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for username, role, full_name, depts, _head, _staff in USERS:
            where = ",".join(depts) or "-"
            self.stdout.write(f"  {username:<12} {role:<14} {where:<6} {full_name}")
