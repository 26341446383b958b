"""The REST API: public reads and suggestions, verified supports, the office's actions; bad input changes nothing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from consultations.models import Suggestion, SuggestionGroup, Support
from tests.consultations.conftest import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anyone_lists_reads_and_suggests_and_the_secret_reads_it_back(api, consultation):
    assert [c["id"] for c in api.get("/api/v1/consultations/").json()["results"]] == [consultation.pk]
    assert api.get("/api/v1/consultations/?state=later").status_code == 400
    sent = api.post(
        f"/api/v1/consultations/{consultation.pk}/suggestions/",
        {"title": "路灯", "text": "电话13812345678，晚上太暗"},
        format="json",
    )
    assert sent.status_code == 201
    body = sent.json()
    public = api.get(f"/api/v1/consultations/{consultation.pk}/suggestions/").json()
    assert "13812345678" not in str(public)
    mine = api.get(f"/api/v1/suggestions/{body['reference']}/", HTTP_X_SUGGESTION_SECRET=body["secret"])
    assert mine.status_code == 200 and mine.json()["status"] == "published"
    assert api.get(f"/api/v1/suggestions/{body['reference']}/", HTTP_X_SUGGESTION_SECRET="x").status_code == 404


def test_bad_suggestions_get_a_field_error_and_change_nothing(api, consultation):
    response = api.post(f"/api/v1/consultations/{consultation.pk}/suggestions/", {"title": ""}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) >= {"title", "text"}
    assert Suggestion.objects.count() == 0


def test_a_support_counts_only_with_the_right_code(api, consultation, django_capture_on_commit_callbacks):
    from tests.consultations.conftest import code_from_mail

    s = suggest(consultation).suggestion
    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post(f"/api/v1/suggestions/{s.reference}/supports/", {"email": "f@example.com"}, format="json")
    assert asked.status_code == 202
    token = asked.json()["token"]
    bad = api.post("/api/v1/supports/confirm/", {"token": token, "code": "12345"}, format="json")
    assert bad.status_code == 400 and Support.objects.count() == 0
    good = api.post(
        "/api/v1/supports/confirm/", {"token": token, "code": code_from_mail("f@example.com")}, format="json"
    )
    assert good.status_code == 201 and good.json()["supports"] == 1


def test_the_office_closes_confirms_and_answers_and_an_outsider_gets_404(api, consultation, alice, charlie):
    suggest(consultation)
    api.force_authenticate(charlie)
    assert api.post(f"/api/v1/consultations/{consultation.pk}/close/").status_code == 404
    api.force_authenticate(alice)
    assert api.post(f"/api/v1/consultations/{consultation.pk}/close/").json()["status"] == "closed"
    assert api.post(f"/api/v1/consultations/{consultation.pk}/groups/confirm/").status_code == 200
    group = SuggestionGroup.objects.get()
    refused = api.post(f"/api/v1/suggestion-groups/{group.pk}/answer/", {"outcome": "maybe"}, format="json")
    assert refused.status_code == 400
    answered = api.post(
        f"/api/v1/suggestion-groups/{group.pk}/answer/", {"outcome": "adopted", "reason": "好"}, format="json"
    )
    assert answered.status_code == 201
    done = api.post(
        f"/api/v1/consultation-answers/{answered.json()['id']}/progress/",
        {"progress": "done", "text": "完成"},
        format="json",
    )
    assert done.status_code == 201 and done.json()["progress"] == "done"
    themes = api.get(f"/api/v1/consultations/{consultation.pk}/themes/").json()
    assert themes[0]["outcome"] == "adopted" and themes[0]["progress"] == "done"


def test_anonymous_callers_cannot_open_or_close(api, consultation, office):
    assert api.post("/api/v1/consultations/", {}, format="json").status_code == 401
    assert api.post(f"/api/v1/consultations/{consultation.pk}/close/").status_code == 401


def test_the_schema_documents_the_consultation_endpoints(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    assert "/api/v1/consultations/{id}/suggestions/" in paths and "/api/v1/supports/confirm/" in paths
