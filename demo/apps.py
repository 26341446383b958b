from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city's history (``manage.py seed_history``).

    It sits above every other app and writes only through their services.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo city history"
