"""Keep what staff search for (phone numbers, names, e-mails) out of access logs.

Staff look cases up by a caller's phone number (``?q=138…``); the request
line, the query string and the Referer of the next request all carry it into
the access log of gunicorn (``gunicorn.conf.py``) and of ``runserver``. The
value of a search or contact parameter is replaced by ``[filtered]``, and so
is any value that looks like a phone number or an e-mail address, whatever
its parameter is called.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import unquote_plus

MASK = "[filtered]"
SEARCH_PARAMS = frozenset(
    {"q", "query", "search", "phone", "mobile", "tel", "email", "name", "caller", "contact", "address"}
    | {"secret", "token", "key", "api_key", "otp_code", "code"}
)
_CONTACT_LIKE = re.compile(r"\d[\d\s()+.-]{5,}\d|[^\s@]+@[^\s@]+")
_QUERY_IN_TEXT = re.compile(r"\?([^\s\"#]*)")


def scrub_query_string(query: str) -> str:
    """``query`` with the values of search and contact parameters masked."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        decoded = unquote_plus(value)
        if sep and value and (unquote_plus(name).lower() in SEARCH_PARAMS or _CONTACT_LIKE.search(decoded)):
            value = MASK
        parts.append(f"{name}{sep}{value}")
    return "&".join(parts)


def scrub_urls(text: str) -> str:
    """Every query string inside ``text`` (a request line, a Referer) scrubbed."""
    return _QUERY_IN_TEXT.sub(lambda match: "?" + scrub_query_string(match.group(1)), text)


class QueryStringScrubber(logging.Filter):
    """A logging filter for access-log records (``django.server``): scrubs URLs in the message's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(scrub_urls(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: scrub_urls(v) if isinstance(v, str) else v for k, v in record.args.items()}
        elif isinstance(record.msg, str):
            record.msg = scrub_urls(record.msg)
        return True
