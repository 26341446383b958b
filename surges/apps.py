from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurgesConfig(AppConfig):
    name = "surges"
    verbose_name = _("Surge alerts and incidents")

    def ready(self) -> None:
        # The tasks register how notices are enqueued (services never import tasks).
        from surges import tasks  # noqa: F401
