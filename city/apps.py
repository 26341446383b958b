from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    """Districts, departments, categories, the working calendar and the duty catalogue: what every app points at."""

    name = "city"
    verbose_name = _("City directory")
