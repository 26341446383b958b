"""Masking personal data before text is shown in public or exported.

``mask_text`` hides phone numbers (Chinese mobiles and landlines), 18-character
ID-card numbers, email addresses and, when given, the citizen's own name and
address. Other modules (exports, digests) reuse it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from portal.cleaning import without_bidi_controls

MASK = "＊"

# Order matters: ID cards (18 chars) before phone numbers (11 digits) so a
# mobile-looking run inside an ID number is not half-masked.
ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Mobiles, optionally with +86 and separators: 138 1234 5678, 138-1234-5678.
MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?!\d)")
# Landlines: 0571-87654321, (010) 12345678, 021 6123 4567, and bare 7-8 digit numbers after an area code.
LANDLINE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[\s\-]?)\d{3,4}[\s\-]?\d{4}(?!\d)")
# Hotline-style numbers with 7 or 8 digits and nothing around them.
BARE_LOCAL = re.compile(r"(?<!\d)[2-8]\d{6,7}(?!\d)")


def _mask_keep_ends(value: str, keep_start: int, keep_end: int) -> str:
    digits = len(value)
    if digits <= keep_start + keep_end:
        return MASK * digits
    return value[:keep_start] + MASK * (digits - keep_start - keep_end) + value[digits - keep_end :]


def mask_name(name: str) -> str:
    """张三 -> 张＊, Alice Smith -> A＊＊＊＊＊＊＊＊＊＊."""
    name = name.strip()
    return name[:1] + MASK * max(len(name) - 1, 1) if name else ""


def mask_text(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """``text`` with contact data and identity numbers replaced by ＊, and no bidirectional controls."""
    if not text:
        return text
    text = without_bidi_controls(text)
    for value in sorted({v.strip() for v in addresses if v and v.strip()}, key=len, reverse=True):
        text = text.replace(value, MASK * 3)
    for value in sorted({v.strip() for v in names if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, mask_name(value))
    text = ID_CARD.sub(lambda m: _mask_keep_ends(m.group(), 1, 1), text)
    text = EMAIL.sub(lambda m: m.group()[:1] + MASK * 3 + "@" + MASK * 3, text)
    text = MOBILE.sub(lambda m: _mask_keep_ends(re.sub(r"\D", "", m.group()), 3, 2), text)
    text = LANDLINE.sub(lambda m: _mask_keep_ends(re.sub(r"\D", "", m.group()), 3, 2), text)
    text = BARE_LOCAL.sub(lambda m: _mask_keep_ends(m.group(), 2, 0), text)
    return text


# ---- places, for public outputs (Open311, the board) ----------------------------------------------

# The end of a road's or street's name: what a public address keeps. Chinese first, then English words.
ROAD_END = re.compile(r"^.*?(?:大道|大街|胡同|路|街|巷|弄|道)(?=\s*[\d０-９一二三四五六七八九十百零〇]|\s*$|[\s,，])")
ROAD_END_EN = re.compile(r"\b(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Way|Drive|Dr)\b\.?", re.IGNORECASE)
# Numbers and what follows them in an address: house, building, unit, floor, flat.
NUMBERED = re.compile(r"[#＃]?\s*[\d０-９]+\s*(?:号楼|号院|号|室|栋|幢|座|单元|层|楼|户|弄|[A-Za-z](?![A-Za-z]))?")


def public_address(address: str) -> str:
    """``address`` reduced to its road or street: never a house, building or flat number.

    东城区人民路88号3单元502室 -> 东城区人民路; 12 Main Street, Flat 3 -> Main Street.
    What has no road name keeps its words without any number.
    """
    address = (address or "").strip()
    if not address:
        return ""
    match = ROAD_END.match(address)
    if match:
        return NUMBERED.sub("", match.group()).strip(" ,，")
    english = ROAD_END_EN.search(address)
    if english:
        address = address[: english.end()]
    kept = NUMBERED.sub(" ", address)
    return re.sub(r"\s+", " ", kept).strip(" ,，")


def public_coordinate(value, decimals: int):
    """A latitude or longitude rounded to ``decimals`` places (3 ≈ 100 m), or None."""
    from decimal import ROUND_HALF_EVEN, Decimal

    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))
