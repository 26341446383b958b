"""Phone numbers are stored in E.164 at every door (form, API; Open311 in tests/open311); bad ones are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from feedback.models import Submission
from feedback.phones import phone_normalize, phone_spellings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("0571-87654321", "+8657187654321"),
        ("010 1234 5678", "+861012345678"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_numbers_in_any_spelling_become_e164(raw, e164):
    assert phone_normalize(raw) == e164
    assert e164 in phone_spellings(e164)


@pytest.mark.parametrize("raw", ["", "12345", "1381234567", "abcdefg", "138123456789012345678901234567890", "+999 1"])
def test_impossible_numbers_are_refused_with_a_translated_message(raw):
    for language, words in (("zh-hans", "请输入有效的电话号码"), ("en", "Enter a valid phone number")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                phone_normalize(raw)
            assert words in refused.value.messages[0]


def test_the_web_form_stores_e164_and_refuses_a_bad_number_next_to_the_field(client, form_data):
    response = client.post("/submit/", {**form_data, "phone": "1234"})
    assert response.status_code == 400
    assert "请输入有效的电话号码" in response.content.decode()
    assert not Submission.objects.exists()
    client.post("/submit/", {**form_data, "phone": "138-1234-5678"})
    assert Submission.objects.get().phone == "+8613812345678"


def test_a_refused_number_is_not_also_called_missing(client, form_data):
    # Only the phone given (no e-mail): its own error says why, and "give a phone or an e-mail" would contradict it.
    response = client.post("/submit/", {**form_data, "phone": "12345", "email": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请输入有效的电话号码" in page
    assert "请填写联系电话或电子邮箱" not in page
    assert not Submission.objects.exists()


def test_the_api_refuses_a_bad_number_in_english_and_saves_nothing(client, form_data):
    client.cookies["django_language"] = "en"
    data = {**form_data, "phone": "999", "may_publish": True}
    response = client.post("/api/v1/submissions/", data, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert "Enter a valid phone number" in str(errors.get("errors", errors)["phone"])
    assert not Submission.objects.exists()
