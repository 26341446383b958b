"""Open311 POST requests: the phone number is normalised like at every other door, a bad one refused."""

from __future__ import annotations

import pytest

from feedback.models import Submission
from tests.open311.conftest import post_request

pytestmark = pytest.mark.django_db


def test_a_bad_phone_number_is_refused_and_nothing_is_saved(client, api_key):
    response = post_request(client, api_key, phone="12")
    assert response.status_code == 400
    assert "phone" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_good_phone_number_is_stored_in_e164(client, api_key):
    response = post_request(client, api_key, phone="138 0000 0000")
    assert response.status_code in (200, 201), response.content
    assert Submission.objects.get().phone == "+8613800000000"
