"""Writes for Open311: client keys and service requests."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from feedback.models import Kind
from feedback.services import submission_create
from open311.models import ApiKey, ServiceDefinition, ServiceRequest
from open311.selectors import service_get
from portal.cleaning import text_problem
from portal.errors import DomainError, PermissionDenied

log = logging.getLogger(__name__)

# Open311 requests ask the city to fix something: a request for help (求助).
OPEN311_KIND = Kind.APPEAL
KEY_BYTES = 24


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def api_key_create(*, name: str, rate_limit_per_minute: int | None = None) -> tuple[ApiKey, str]:
    """Create a key for one client application. The raw key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("The client application needs a name."))
    if ApiKey.objects.filter(name=name).exists():
        raise DomainError(_("A key named “%(name)s” already exists.") % {"name": name})
    raw_key = secrets.token_urlsafe(KEY_BYTES)
    limit = rate_limit_per_minute or settings.MINSHENG["OPEN311_KEY_RATE_PER_MINUTE"]
    api_key = ApiKey.objects.create(
        name=name, key_prefix=raw_key[:8], key_hash=hash_key(raw_key), rate_limit_per_minute=limit
    )
    return api_key, raw_key


def api_key_authenticate(*, raw_key: str | None, now: datetime | None = None) -> ApiKey:
    """The active key matching ``raw_key``; ``PermissionDenied`` when missing, unknown or revoked."""
    if not raw_key:
        raise PermissionDenied(_("An api_key is required to post a request."))
    api_key = ApiKey.objects.filter(key_hash=hash_key(raw_key.strip()), is_active=True).first()
    if api_key is None:
        raise PermissionDenied(_("Invalid api_key."))
    now = now or timezone.now()
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def api_key_consume(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Count one POST against the key's per-minute limit; ``RateLimited`` past it."""
    now = now or timezone.now()
    window = int(now.timestamp() // 60)
    counter = f"open311:key:{api_key.pk}:{window}"
    try:
        cache.add(counter, 0, timeout=120)
        used = cache.incr(counter)
    except Exception:  # noqa: BLE001 - the cache (Redis) is down: fail open, as every other limiter does
        log.warning("open311: rate-limit cache unavailable; key %s not counted", api_key.pk, exc_info=True)
        return
    if used > api_key.rate_limit_per_minute:
        retry_after = 60 - int(now.timestamp()) % 60
        raise RateLimited(_("Too many requests with this api_key. Try again later."), retry_after=retry_after)


def _datetime_or_none(value: str) -> datetime | None:
    try:
        return parse_datetime(value)
    except ValueError:  # well formed but impossible: 2026-02-30, an offset of 25 hours
        return None


def _attribute_value(attribute: dict, raw: list[str]) -> Any:
    code, datatype = attribute["code"], attribute["datatype"]
    for value in raw:
        problem = text_problem(value)
        if problem:
            raise DomainError(_("attribute[%(code)s]: %(problem)s") % {"code": code, "problem": problem})
    allowed = {str(v["key"]) for v in attribute.get("values", [])}
    if datatype == "multivaluelist":
        bad = [value for value in raw if value not in allowed]
        if bad:
            raise DomainError(
                _("attribute[%(code)s]: %(value)s is not one of the allowed values.")
                % {"code": code, "value": ", ".join(bad)}
            )
        return raw
    value = raw[-1]
    if datatype == "singlevaluelist" and value not in allowed:
        raise DomainError(
            _("attribute[%(code)s]: %(value)s is not one of the allowed values.") % {"code": code, "value": value}
        )
    if datatype == "number":
        try:
            is_number = Decimal(value).is_finite()
        except ArithmeticError:
            is_number = False
        if not is_number:
            raise DomainError(_("attribute[%(code)s] must be a number.") % {"code": code})
    if datatype == "datetime" and _datetime_or_none(value) is None:
        raise DomainError(_("attribute[%(code)s] must be an ISO 8601 date and time.") % {"code": code})
    return value


def attributes_clean(*, definition: ServiceDefinition | None, submitted: dict[str, list[str]]) -> dict[str, Any]:
    """Check submitted attribute values against the service definition.

    Unknown attributes are ignored (clients may send more than we ask for);
    required ones must be present.
    """
    clean: dict[str, Any] = {}
    for attribute in definition.variable_attributes() if definition else []:
        raw = [value for value in submitted.get(attribute["code"], []) if value != ""]
        if not raw:
            if attribute.get("required"):
                raise DomainError(
                    _("attribute[%(code)s] is required: %(description)s")
                    % {"code": attribute["code"], "description": attribute.get("description", "")}
                )
            continue
        clean[attribute["code"]] = _attribute_value(attribute, raw)
    return clean


def _case_text(description: str, service_name: str, definition, attributes: dict, media_url: str) -> str:
    lines = [description or service_name]
    labels = {a["code"]: a.get("description") or a["code"] for a in (definition.attributes if definition else [])}
    for code, value in attributes.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        lines.append(f"{labels.get(code, code)}: {shown}")
    if media_url:
        lines.append(_("Media: %(url)s") % {"url": media_url})
    return "\n".join(lines)


def service_request_create(
    *,
    api_key: ApiKey,
    service_code: str,
    lat: Decimal | None = None,
    long: Decimal | None = None,
    address_string: str = "",
    description: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    media_url: str = "",
    may_publish: bool = False,
    attributes: dict[str, list[str]] | None = None,
    language: str = "zh-hans",
    now: datetime | None = None,
) -> tuple[ServiceRequest, str]:
    """Create the case for an Open311 POST through ``submission_create``.

    So the case gets a tracking number (its ``service_request_id``), routing
    and deadlines like any other. Returns the request record and the
    citizen's tracking secret. The case is public (GET requests, the board)
    only when ``may_publish``: the citizen's consent, never assumed. Raises
    ``NotFound`` for an unknown service and ``DomainError`` for attribute
    values the definition does not allow; then nothing is written.
    """
    category = service_get(service_code)
    definition = getattr(category, "open311_definition", None)
    clean_attributes = attributes_clean(definition=definition, submitted=attributes or {})
    text = _case_text(description.strip(), category.name, definition, clean_attributes, media_url)
    title_source = description.strip() or category.name
    title = title_source.splitlines()[0][:60]
    name = " ".join(part for part in (first_name.strip(), last_name.strip()) if part)[:60]
    data = {
        "kind": OPEN311_KIND,
        "category": category,
        "title": title,
        "text": text,
        "address": address_string.strip()[:200],
        "latitude": lat,
        "longitude": long,
        "name": name,
        "phone": phone.strip()[:32],
        "email": email.strip(),
        "may_publish": bool(may_publish),
    }
    with transaction.atomic():
        submission, secret, _created = submission_create(data=data, channel="open311", language=language, now=now)
        record = ServiceRequest.objects.create(
            submission=submission,
            api_key=api_key,
            token=secrets.token_urlsafe(16),
            attributes=clean_attributes,
            media_url=media_url,
        )
    return record, secret or ""
