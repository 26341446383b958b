"""Text that disguises itself and files that are two things at once.

A right-to-left override (U+202E) in a title makes it read backwards
wherever it is shown; polyglot files (a PNG that is also a web page, ``%PDF-``
followed by HTML) would be served back to browsers as what they are not.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from feedback.masking import mask_text
from feedback.uploads import validate_uploads
from portal.cleaning import BIDI_CONTROLS, without_bidi_controls
from tests.feedback.conftest import PDF_BYTES, advance_to_replied, png_bytes

pytestmark = pytest.mark.django_db

BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"]
DISGUISED_TITLE = "路灯不亮\u202egpj.exe\u202c 请处理\u2067"


@pytest.mark.parametrize("control", BIDI)
def test_the_one_cleaning_function_strips_every_bidi_control(control):
    assert without_bidi_controls(f"a{control}b") == "ab"
    assert mask_text(f"a{control}b") == "ab", "public outputs strip them even from older rows"


def test_a_disguised_title_is_stored_and_shown_without_bidi_controls(city, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bidi"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    payload = {
        "kind": "complaint",
        "category": "city.garbage",
        "title": DISGUISED_TITLE,
        "text": f"正文 {DISGUISED_TITLE}",
        "district": "dongcheng",
        "address": "幸福路",
        "email": "bidi@example.com",
        "may_publish": True,
    }
    response = client.post("/api/v1/submissions/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    from feedback.models import Submission

    case = Submission.objects.get(tracking_number=response.json()["tracking_number"])
    assert not BIDI_CONTROLS.search(case.title + case.text)
    advance_to_replied(case)
    shown = [
        client.get("/board/").content.decode(),
        client.get(f"/board/{case.tracking_number}/").content.decode(),
        client.get(f"/open311/v2/requests/{case.tracking_number}.xml").content.decode(),
        *[message.subject + message.body for message in mail.outbox],
    ]
    assert "路灯不亮gpj.exe 请处理" in shown[1]
    for body in shown:
        assert not BIDI_CONTROLS.search(body)


# ---- polyglot uploads -------------------------------------------------------------------------------

POLYGLOTS = {
    "png-then-html": lambda: png_bytes() + b"<html><body><script>alert(document.cookie)</script></body></html>",
    "png-html-in-text-chunk": lambda: _png_with_text_chunk(b"<SCRIPT>alert(1)</SCRIPT>"),
    "pdf-header-then-html": lambda: b"%PDF-1.4\n<html><script>alert(1)</script></html>\n",
    "pdf-structure-with-html": lambda: PDF_BYTES.replace(b"trailer", b"<iframe src=//evil.example></iframe>trailer"),
    "pdf-with-page-after-eof": lambda: PDF_BYTES + b"<!DOCTYPE html><p onload=alert(1)>",
}


def _png_with_text_chunk(text: bytes) -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", list(POLYGLOTS))
def test_a_polyglot_upload_is_rejected_with_a_message_in_the_users_language(kind):
    upload = SimpleUploadedFile("photo.png", POLYGLOTS[kind]())
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_uploads([upload])
    assert exc.value.error_list[0].code == "polyglot"
    assert "photo.png" in str(exc.value) and "网页" in str(exc.value)


def test_plain_images_and_pdfs_still_pass():
    files = [SimpleUploadedFile("a.png", png_bytes()), SimpleUploadedFile("b.pdf", PDF_BYTES)]
    assert [f.sniffed_type for f in validate_uploads(files)] == ["image/png", "application/pdf"]


def test_a_polyglot_posted_through_the_api_is_a_400_and_nothing_is_stored(city, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "poly"}}
    from feedback.models import Submission

    payload = {
        "kind": "complaint",
        "category": "city.garbage",
        "title": "垃圾",
        "text": "垃圾没人清运",
        "district": "dongcheng",
        "email": "poly@example.com",
        "attachments": SimpleUploadedFile("x.png", POLYGLOTS["png-then-html"]()),
    }
    response = client.post("/api/v1/submissions/", payload)
    assert response.status_code == 400
    assert not Submission.objects.exists()
