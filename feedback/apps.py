from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from feedback.citizen_access import install_log_redaction

        install_log_redaction()
        _check_phone_settings()

        from feedback import notifications, workflow

        workflow.on_event(notifications.notify_event, stage=20)

        from feedback.tasks import send_notifications_later

        notifications.notifications_sender(send_notifications_later)
        from feedback import access_codes, tasks

        access_codes.on_code_requested(tasks.deliver_access_code.delay)

        from django.db.models.signals import post_delete, post_save

        from city.models import Category, District
        from feedback.forms import CachedCodeChoiceField

        for model in (Category, District):
            post_save.connect(CachedCodeChoiceField.forget, sender=model, dispatch_uid=f"forget-{model.__name__}")
            post_delete.connect(CachedCodeChoiceField.forget, sender=model, dispatch_uid=f"forget-{model.__name__}-del")


def _check_phone_settings() -> None:
    """A mistyped SMS_BACKEND or PHONE_DEFAULT_REGION stops the start, naming the variable."""
    import phonenumbers
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    try:
        import_string(settings.SMS_BACKEND)
    except ImportError:
        raise ImproperlyConfigured(
            f"SMS_BACKEND={settings.SMS_BACKEND!r} is not valid: expected a class such as feedback.sms.ConsoleBackend."
        ) from None
    if settings.PHONE_DEFAULT_REGION not in phonenumbers.SUPPORTED_REGIONS:
        raise ImproperlyConfigured(
            f"PHONE_DEFAULT_REGION={settings.PHONE_DEFAULT_REGION!r} is not valid: expected a region code such as CN."
        )
