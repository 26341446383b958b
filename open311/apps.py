from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311 GeoReport v2")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.middleware import register_bad_request_format

        register_bad_request_format("/open311/", bad_request)


def bad_request(request, message: str):
    """A 400 in Open311's error format (JSON or XML), for portal middleware that refuses a request."""
    from django.http import HttpResponseBadRequest, JsonResponse

    from open311.renderers import to_xml

    errors = [{"code": 400, "description": message}]
    if request.path.rstrip("/").endswith(".xml"):
        return HttpResponseBadRequest(to_xml(errors, "errors"), content_type="text/xml; charset=utf-8")
    return JsonResponse(errors, status=400, safe=False, json_dumps_params={"ensure_ascii": False})
