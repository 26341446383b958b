from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        # A new case is routed by a Celery task that intake asks for through a hook (docs/architecture.md).
        from feedback import services
        from routing.tasks import route_submission_later

        services.on_submitted(route_submission_later)
