"""Contact details out of free text before it leaves the back office (exports).

A minimal local version; ``feedback.masking.mask_text`` replaces it when present.
"""

from __future__ import annotations

import re

_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "***@***"),
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "******************"),  # resident ID
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)"), r"\1****\2"),  # mobile
    (re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"), "****"),  # landline
]


def mask_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


try:  # the intake side's implementation wins when it exists
    from feedback.masking import mask_text as mask_text  # type: ignore[no-redef]  # noqa: F811
except ImportError:
    pass
