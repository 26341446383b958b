from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = _("Maps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from feedback.notifications import add_recipients
        from feedback.workflow import on_event
        from maps import selectors, services
        from maps.models import DistrictBoundary
        from portal.geo import register_point_check

        # After the submission's event is written, before the citizen's notifications (stage 20).
        on_event(services.same_incident_follow, stage=15)
        add_recipients(services.incident_recipients)
        register_point_check(selectors.outside_city_problem)
        post_save.connect(selectors.boundaries_forget, sender=DistrictBoundary, dispatch_uid="maps-boundaries-save")
        post_delete.connect(selectors.boundaries_forget, sender=DistrictBoundary, dispatch_uid="maps-boundaries-del")
