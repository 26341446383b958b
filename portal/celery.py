"""The Celery application shared by web (to enqueue), worker and beat."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["portal"])


# The outbox listener (``portal.outbox``): web requests never publish to the
# broker; the worker turns the database's commit notifications into tasks.
_outbox_listener = None


@worker_ready.connect
def _start_outbox_listener(sender=None, **kwargs) -> None:
    global _outbox_listener
    from django.conf import settings

    from portal.outbox import OutboxListener

    if not getattr(settings, "OUTBOX_LISTEN", True) or _outbox_listener is not None:
        return
    _outbox_listener = OutboxListener(lambda name, args, kw: app.send_task(name, args=args, kwargs=kw))
    _outbox_listener.start()


@worker_shutdown.connect
def _stop_outbox_listener(sender=None, **kwargs) -> None:
    if _outbox_listener is not None:
        _outbox_listener.close()
