from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from feedback.citizen_access import install_log_redaction

        install_log_redaction()

        from feedback import notifications, workflow

        workflow.on_event(notifications.notify_event, stage=20)

        from feedback.tasks import send_notifications_later

        notifications.notifications_sender(send_notifications_later)

        from django.db.models.signals import post_delete, post_save

        from city.models import Category, District
        from feedback.forms import CachedCodeChoiceField

        for model in (Category, District):
            post_save.connect(CachedCodeChoiceField.forget, sender=model, dispatch_uid=f"forget-{model.__name__}")
            post_delete.connect(CachedCodeChoiceField.forget, sender=model, dispatch_uid=f"forget-{model.__name__}-del")
