from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.uploads import validate_uploads
from tests.feedback.conftest import EXE_BYTES, PDF_BYTES, jpeg_bytes, png_bytes


def test_real_images_and_pdf_are_accepted_and_renamed():
    files = [
        SimpleUploadedFile("a.png", png_bytes()),
        SimpleUploadedFile("b.jpeg", jpeg_bytes()),
        SimpleUploadedFile("c.pdf", PDF_BYTES),
    ]
    checked = validate_uploads(files)
    assert [f.sniffed_type for f in checked] == ["image/png", "image/jpeg", "application/pdf"]
    assert [f.original_name for f in checked] == ["a.png", "b.jpeg", "c.pdf"]
    assert checked[0].name.endswith(".png") and checked[0].name != "a.png"


def test_executable_named_jpg_is_rejected():
    with pytest.raises(ValidationError) as exc:
        validate_uploads([SimpleUploadedFile("holiday.jpg", EXE_BYTES, content_type="image/jpeg")])
    assert "holiday.jpg" in str(exc.value)


def test_png_named_pdf_is_stored_as_png_not_as_its_name_says():
    (checked,) = validate_uploads([SimpleUploadedFile("report.pdf", png_bytes(), content_type="application/pdf")])
    assert checked.sniffed_type == "image/png"
    assert checked.name.endswith(".png")


def test_truncated_image_is_rejected():
    with pytest.raises(ValidationError):
        validate_uploads([SimpleUploadedFile("cut.png", png_bytes()[:40])])


def test_file_over_10_mb_is_rejected(settings):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * settings.MINSHENG["MAX_ATTACHMENT_BYTES"])
    with pytest.raises(ValidationError) as exc:
        validate_uploads([big])
    assert exc.value.error_list[0].code == "too_large"


def test_more_than_five_files_are_rejected():
    files = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(6)]
    with pytest.raises(ValidationError) as exc:
        validate_uploads(files)
    assert exc.value.code == "too_many"


def test_empty_file_is_rejected():
    with pytest.raises(ValidationError):
        validate_uploads([SimpleUploadedFile("empty.png", b"")])
