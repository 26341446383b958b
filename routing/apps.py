from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Routing and oversight")

    def ready(self) -> None:
        # Reactions to case events, registered here so the lower ``feedback`` app never imports ``routing``
        # (see docs/architecture.md, "Reactions across apps").
        from feedback import notifications, workflow
        from routing.casework.notify import staff_notifications_for
        from routing.deadlines import follow_event

        workflow.on_event(follow_event, stage=10)
        notifications.add_recipients(staff_notifications_for)
