"""Before sending: open cases nearby; choosing one joins its incident, and the citizen hears back with the others."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.test import Client
from django.utils import timezone

from city.models import Department
from feedback.models import Notification, Submission
from feedback.services import submission_received_react
from maps.selectors import SAME_INCIDENT_SALT
from surges.models import SubmissionIncident
from tests.oversight import drive

HERE = {"latitude": "30.630100", "longitude": "119.975100"}
FORM = {
    "kind": "complaint",
    "category": "city.garbage",
    "title": "红星路垃圾没人清运",
    "text": "红星路门口的垃圾桶满了。",
    "district": "dongcheng",
    "phone": "13812345678",
    "email": "second@example.com",
}


def first_case(**data) -> Submission:
    cgj = Department.objects.get(code="CGJ")
    fields = {"latitude": "30.630000", "longitude": "119.975000", "email": "first@example.com", **data}
    return drive.case(
        cgj, created=timezone.now() - timedelta(hours=2), signed=timezone.now() - timedelta(hours=1), **fields
    )


def test_nearby_lists_an_open_case_of_a_related_category_without_anything_personal(mapped_city, client):
    first = first_case(name="王小明", phone="13700001111")
    found = client.get("/api/v1/maps/nearby/", {**_point(), "category": "city.vendors"}).json()
    assert len(found) == 1 and found[0]["distance_m"] < 30
    assert signing.loads(found[0]["token"], salt=SAME_INCIDENT_SALT) == first.pk
    text = str(found)
    assert "王小明" not in text and "13700001111" not in text and first.title not in text  # not published


def test_nearby_leaves_out_far_closed_and_unrelated_cases(mapped_city, client):
    first_case(latitude="30.660000")  # ~3 km north
    first_case(category=_category("environment.noise"))
    assert client.get("/api/v1/maps/nearby/", {**_point(), "category": "city.garbage"}).json() == []


def test_choosing_a_nearby_case_links_the_new_submission_as_the_same_incident(mapped_city):
    first = first_case()
    token = Client().get("/api/v1/maps/nearby/", {**_point(), "category": "city.garbage"}).json()[0]["token"]
    response = Client().post("/submit/", {**FORM, **HERE, "same_as": token})
    assert response.status_code == 302
    second = Submission.objects.exclude(pk=first.pk).get()
    assert submission_received_react(submission_id=second.pk)  # the worker's step, told by the outbox
    links = SubmissionIncident.objects.filter(submission__in=[first, second])
    assert links.count() == 2 and len({link.incident_id for link in links}) == 1


def test_the_citizen_who_joined_hears_back_when_the_case_is_answered(mapped_city):
    first = first_case()
    token = signing.dumps(first.pk, salt=SAME_INCIDENT_SALT)
    Client().post("/submit/", {**FORM, **HERE, "same_as": token})
    second = Submission.objects.exclude(pk=first.pk).get()
    assert submission_received_react(submission_id=second.pk)  # the worker's step, told by the outbox
    drive.reply(first, timezone.now())
    told = Notification.objects.filter(event__submission=first, recipient_email="second@example.com")
    assert told.count() == 1 and second.tracking_number in told.get().body


def test_a_forged_same_as_token_is_ignored_and_the_submission_stands_alone(mapped_city):
    first = first_case()
    response = Client().post("/submit/", {**FORM, **HERE, "same_as": f"{first.pk}:forged"})
    assert response.status_code == 302
    assert not SubmissionIncident.objects.exists()


def _point() -> dict:
    return {"lat": HERE["latitude"], "lng": HERE["longitude"]}


def _category(code):
    from city.models import Category

    return Category.objects.get(code=code)
