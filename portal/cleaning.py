"""Text that arrives from outside, checked once for what UTF-8, PostgreSQL and XML cannot carry.

Our normalisation, documented in SECURITY.md ("Bad input"): text is stored
as sent, except that form fields strip surrounding whitespace and a case's
title and text lose their bidirectional control characters (U+202E and kin,
``without_bidi_controls``: they let a title show reversed, disguising what it
says on the board, the pages and in e-mails). A NUL
character (PostgreSQL text cannot hold it) or an unpaired surrogate (not
encodable as UTF-8; only JSON's ``\\ud800`` escapes can produce one) is
rejected with a field error, never stripped silently. Invalid UTF-8 bytes in
form bodies are decoded as U+FFFD by Django.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SURROGATES = re.compile("[\ud800-\udfff]")
# Bidirectional embedding, override and isolate controls, and the invisible direction marks.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Characters XML 1.0 cannot carry, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if "\x00" in value:
        return _("Null characters are not allowed.")
    if SURROGATES.search(value):
        return _("Unpaired surrogate characters (U+D800 to U+DFFF) are not allowed.")
    return None


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).

    Applied to a case's title and text when it is received (``submission_create``)
    and again by ``feedback.masking.mask_text`` on every public output, so a
    right-to-left override can neither disguise a title nor spill over the text around it.
    """
    return BIDI_CONTROLS.sub("", text) if text else text


def case_text_normalised(text: str) -> str:
    """A case's title or text as stored: without bidi controls and surrounding whitespace.

    Text made only of bidi controls becomes U+FFFD rather than nothing, so a
    required title never turns blank after it was checked.
    """
    if not text:
        return text
    return without_bidi_controls(text).strip() or "\ufffd"


def validate_storable_text(value: str) -> None:
    """A form field validator: ``text_problem`` as a ``ValidationError``."""
    problem = text_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValidationError(problem, code="unstorable_text")


def form_data_from_json(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """A JSON object as form data, and an error per field whose value cannot be form text.

    Strings are kept as sent, numbers and booleans become their JSON text
    (``1.5``, ``true``), ``null`` counts as absent. A list or an object for a
    field, or text that cannot be stored, is an error for that field (and the
    field is left out of the data).
    """
    fields: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, (list, dict)):
            errors[key] = _("Send text here, not a list or an object.")
            continue
        if text_problem(key):
            continue  # not one of our field names: ignored like any unknown key
        text = value if isinstance(value, str) else json.dumps(value)
        problem = text_problem(text)
        if problem:
            errors[key] = problem
            continue
        fields[key] = text
    return fields, errors


def json_text_problems(value: Any, path: str = "") -> dict[str, str]:
    """Every string (key or value, at any depth) of a parsed JSON body that cannot be stored, by path."""
    problems: dict[str, str] = {}
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        problem = text_problem(value) if isinstance(value, str) else None
        return {path or "non_field_errors": problem} if problem else {}
    for key, child in items:
        name = f"{path}.{key}" if path else str(key)
        key_problem = text_problem(key) if isinstance(key, str) else None
        if key_problem:
            problems[SURROGATES.sub("\ufffd", name.replace("\x00", "\ufffd"))] = key_problem
            continue
        problems.update(json_text_problems(child, name))
    return problems


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot carry replaced by U+FFFD."""
    return NOT_XML.sub("\ufffd", text)
