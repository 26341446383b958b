from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task(ignore_result=True)
def heartbeat() -> str:
    """Beat's pulse: records when a worker last ran a scheduled task."""
    stamp = timezone.now().isoformat()
    try:
        cache.set("minsheng:worker-heartbeat", stamp, 3600)
    except Exception:  # noqa: BLE001 - the cache may be the broker that is down
        pass
    return stamp


@shared_task
def ping(value: int) -> int:
    """Used by the integration test to prove a real worker runs tasks."""
    return value + 1


@shared_task(ignore_result=True)
def ensure_partitions_task() -> int:
    """Daily: the monthly partitions of the append-only tables exist PARTITION_MONTHS_AHEAD months ahead."""
    from django.conf import settings

    from portal.partitioning import ensure_partitions

    return len(ensure_partitions(settings.PARTITION_MONTHS_AHEAD))
