from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """What departments, dispatchers and supervisors do to a case (see ``casework/__init__.py``)."""

    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        # The hooks through which the lower ``feedback`` app reaches casework without importing it: staff hear
        # about case events, e-mail offices get their cases from a worker, staff open citizens' attachments
        # (docs/architecture.md, "Reactions across apps").
        from casework.email_links import email_deliverer
        from casework.notify import staff_notifications_for
        from casework.selectors import cases_visible_to
        from casework.tasks import deliver_assignment_email_later
        from feedback import notifications, selectors

        notifications.add_recipients(staff_notifications_for)
        email_deliverer(deliver_assignment_email_later)
        selectors.staff_scope_register(cases_visible_to)
