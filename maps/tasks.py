"""The hot-spot cells' periodic rebuild (beat, every minute). Idempotent: each run rebuilds from the cases."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from deadlines.tasks import ReliableTask


@shared_task(base=ReliableTask)
def hotspots_refresh() -> int:
    from maps.services import hotspots_refresh as refresh

    return refresh(now=timezone.now())
