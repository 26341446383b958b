from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """Deadline policies, the deadline of each step, the escalation ladder and its sweep."""

    name = "deadlines"
    verbose_name = _("Deadlines and escalation")

    def ready(self) -> None:
        # Deadlines follow every case event through a hook registered here (docs/architecture.md,
        # "Reactions across apps"): the state machine in ``feedback`` never imports this app.
        from deadlines.services import follow_event
        from feedback import workflow

        workflow.on_event(follow_event, stage=10)
