"""Phone numbers: one spelling (E.164) for every number the portal keeps, sends to, or looks up.

Citizens type numbers every way (``138 1234 5678``, ``0571-87654321``,
``+86 138…``); the SMS provider wants E.164 and "my cases" must find a case
whatever spelling was used at intake, so intake stores ``phone_normalize``'s
answer and every lookup normalises first.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_MESSAGE = _("Enter a valid phone number, e.g. 13812345678 or 0571-87654321.")
MAX_INPUT_LENGTH = 32


def default_region() -> str:
    """The region a number without a country code belongs to (settings ``PHONE_DEFAULT_REGION``, "CN")."""
    return str(getattr(settings, "PHONE_DEFAULT_REGION", "CN"))


def phone_normalize(raw: str) -> str:
    """The number ``raw`` in E.164 (``+8613812345678``).

    Raises ``ValidationError`` (code ``invalid_phone``, message in the active
    language) when ``raw`` is not a possible and valid number of its region.
    """
    text = (raw or "").strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, default_region())
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_spellings(e164: str) -> list[str]:
    """The spellings a number may have been stored under before intake normalised it (for lookups)."""
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.national_significant_number(number)
    spellings = {e164, national}
    if phonenumbers.region_code_for_number(number) == default_region():
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        spellings |= {formatted, formatted.replace(" ", ""), formatted.replace(" ", "-")}
    return sorted(spellings)
