"""Checking uploaded files by their content, never by their name."""

from __future__ import annotations

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
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return PDF_TYPE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for bad input
        image_format = None
    finally:
        upload.seek(0)
    if image_format in IMAGE_TYPES:
        return IMAGE_TYPES[image_format]
    raise ValidationError(
        _("“%(name)s” is not an image (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": _display_name(upload)},
        code="file_type",
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
