from django.core.management.base import BaseCommand

from hotline.demo import seed_calls
from knowledge.demo import seed_articles


class Command(BaseCommand):
    help = "Give the demo city its knowledge base and a few logged calls (idempotent; run after seed_demo)."

    def handle(self, *args, **options):
        articles = seed_articles()
        calls = seed_calls()
        self.stdout.write(f"knowledge base: {articles} new articles; hotline: {calls} calls logged")
