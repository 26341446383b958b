"""Checking uploaded files by their content, never by their name."""

from __future__ import annotations

import re
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

# Pillow format name -> (content type, extension we store under).
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = ("application/pdf", "pdf")


def sniff_type(upload) -> tuple[str, str]:
    """The (content type, extension) of ``upload`` judged from its bytes.

    Raises ``ValidationError`` for anything that is not a JPEG, PNG, GIF,
    WebP image or a PDF, whatever its name says.
    """
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if content.startswith(b"%PDF-"):
        _reject_polyglot(upload, content, pdf=True)
        return PDF_TYPE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # decoded in full: verify() alone reads only the chunk structure
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for bad input
        image_format = None
    finally:
        upload.seek(0)
    if image_format in IMAGE_TYPES:
        _reject_polyglot(upload, content, pdf=False)
        return IMAGE_TYPES[image_format]
    raise ValidationError(
        _("“%(name)s” is not an image (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": _display_name(upload)},
        code="file_type",
    )


# What a browser would run if it took the file for a web page: a polyglot (PNG + HTML, %PDF- + HTML)
# decodes as an image or starts like a PDF and still carries a page. Matched without regard to case.
ACTIVE_MARKERS = (
    b"<html", b"<script", b"<!doctype", b"<body", b"<head", b"<iframe", b"<svg", b"<object", b"<embed",
    b"<meta", b"<?php", b"javascript:", b"onerror=", b"onload=",
)  # fmt: skip
PDF_VERSION = re.compile(rb"%PDF-[12]\.\d")


def _reject_polyglot(upload, content: bytes, *, pdf: bool) -> None:
    """``ValidationError`` for a file that is also a web page, or a PDF without a PDF's structure."""
    lowered = content.lower()
    active = any(marker in lowered for marker in ACTIVE_MARKERS)
    # A PDF: a version header, a trailer or cross-reference, and an end-of-file mark with nothing after it.
    broken_pdf = pdf and (
        not PDF_VERSION.match(content)
        or not (b"trailer" in content or b"startxref" in content)
        or not content.rstrip().endswith(b"%%EOF")
    )
    if active or broken_pdf:
        raise ValidationError(
            _("“%(name)s” is not a plain image or PDF: it also contains a web page or script, or is malformed.")
            % {"name": _display_name(upload)},
            code="polyglot",
        )


def _display_name(upload) -> str:
    return (getattr(upload, "name", "") or "")[:80]


def validate_uploads(uploads: list) -> list:
    """Check count, size and type of each file; rename them to a random safe name.

    The original name is kept on ``upload.original_name`` for display; the
    stored name never comes from the citizen.
    """
    limits = settings.MINSHENG
    if len(uploads) > limits["MAX_ATTACHMENTS"]:
        raise ValidationError(
            _("At most %(count)d files can be attached.") % {"count": limits["MAX_ATTACHMENTS"]}, code="too_many"
        )
    errors = []
    for upload in uploads:
        if upload.size > limits["MAX_ATTACHMENT_BYTES"]:
            errors.append(
                ValidationError(
                    _("“%(name)s” is larger than %(limit)s.")
                    % {"name": _display_name(upload), "limit": filesizeformat(limits["MAX_ATTACHMENT_BYTES"])},
                    code="too_large",
                )
            )
            continue
        if upload.size == 0:
            errors.append(ValidationError(_("“%(name)s” is empty.") % {"name": _display_name(upload)}, code="empty"))
            continue
        try:
            content_type, extension = sniff_type(upload)
        except ValidationError as exc:
            errors.append(exc)
            continue
        upload.original_name = (getattr(upload, "name", "") or "file")[:200]
        upload.sniffed_type = content_type
        upload.name = f"{uuid.uuid4().hex}.{extension}"
    if errors:
        raise ValidationError(errors)
    return uploads
