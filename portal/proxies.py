"""Who the client is, when a reverse proxy stands in front.

``TRUSTED_PROXIES`` (addresses or CIDR networks, none by default) lists the
proxies whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` we believe. From
anyone else those headers are dropped before any other middleware sees them,
so a client cannot pick its own address for the rate limits and lockouts, nor
claim HTTPS to skip the redirect.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or what trusted proxies say they received the request from.

    ``X-Forwarded-For`` is read from the right: each trusted proxy appended the
    address it was called from, so the first address that is not a trusted
    proxy is the client. Anything left of it was written by the client.
    """
    remote = request.META.get("REMOTE_ADDR") or None  # None when unknown, as django-axes expects
    if remote is None or not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed entry: believe nothing further left
        if not _trusted(hop):
            return hop
    return hops[0] if hops else remote


class TrustedProxyMiddleware:
    """First in the chain: forwarded headers count only when a trusted proxy sent them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _trusted(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
