"""Error reports never carry a citizen's contact details or a tracking secret."""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter

CONTACT_FIELDS = frozenset(
    {"name", "phone", "email", "address", "first_name", "last_name", "secret", "api_key", "password", "code",
     "latitude", "longitude", "lat", "long", "address_string"}
)  # fmt: skip


class ContactSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Masks contact fields in every request's POST data, whichever view raised."""

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for key in cleansed:
            if key.lower() in CONTACT_FIELDS:
                cleansed[key] = self.cleansed_substitute
        return cleansed
