from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations (问计于民)")

    def ready(self) -> None:
        # The higher app registers its figures with oversight; oversight never imports consultations.
        from consultations.insight import register_oversight_sections

        register_oversight_sections()

        # Notices are sent by a Celery task the service asks for through a hook (docs/architecture.md).
        from consultations.notices import notices_sender
        from consultations.tasks import send_notices_later

        notices_sender(send_notices_later)
