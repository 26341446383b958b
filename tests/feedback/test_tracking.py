"""Following a case: the secret as a capability, the timeline, rating, reopening, material."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from feedback.models import CaseEvent, MaterialRequest, Rating, Status
from tests.feedback.conftest import EXE_BYTES, advance_to_replied, make_submission, png_bytes

pytestmark = pytest.mark.django_db

NOT_FOUND = "没有与该受理编号和查询密码相符的诉求"


def altered(secret: str, count: int = 1) -> str:
    """The secret with its last ``count`` characters changed: always different from it.

    (Appending a fixed letter is not enough: a random secret ends in that letter
    one time in 64.)"""
    tail = "".join("y" if ch == "x" else "x" for ch in secret[-count:])
    return secret[:-count] + tail


def test_link_stores_a_grant_and_redirects_to_a_url_without_the_secret(client, city):
    submission, secret = make_submission()
    response = client.get(f"/t/{submission.tracking_number}/{secret}/")
    assert response.status_code == 302
    assert response["Location"] == f"/track/{submission.tracking_number}/"
    assert secret not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer" and page["Cache-Control"] == "no-store"
    assert submission.title in page.content.decode()


def test_tracking_page_forms_need_the_session_form_token(client, city, citizen_client):
    submission, secret = make_submission()
    advance_to_replied(submission)
    c = citizen_client(submission, secret).client
    page = c.get(f"/track/{submission.tracking_number}/")
    token = page.context["form_token"]
    assert f'value="{token}"' in page.content.decode()
    vote = {"satisfaction": "satisfied", "is_resolved": "yes"}
    assert c.post(f"/track/{submission.tracking_number}/rate/", vote).status_code == 403
    assert c.post(f"/track/{submission.tracking_number}/rate/", {**vote, "citizen_token": "forged"}).status_code == 403
    assert Rating.objects.count() == 0
    assert c.post(f"/track/{submission.tracking_number}/rate/", {**vote, "citizen_token": token}).status_code == 302
    assert Rating.objects.count() == 1


def test_language_switch_on_the_tracking_page_works_by_link(client, city, citizen_client):
    submission, secret = make_submission()
    c = citizen_client(submission, secret).client
    response = c.get(f"/track/{submission.tracking_number}/?lang=en")
    assert response.status_code == 302 and c.cookies["django_language"].value == "en"
    assert "Progress" in c.get(f"/track/{submission.tracking_number}/").content.decode()


def test_wrong_secret_missing_secret_and_unknown_number_get_the_same_answer(client, city):
    submission, secret = make_submission()
    answers = [
        client.post("/track/", {"tracking_number": submission.tracking_number, "secret": altered(secret)}),
        client.post("/track/", {"tracking_number": "QH20990101-000001", "secret": secret}),
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert NOT_FOUND in answer.content.decode()
        assert submission.title not in answer.content.decode()
    # A bad private link never renders a page at its own (secret-bearing) URL: it
    # goes to the lookup form with the same message, for wrong secrets and unknown numbers.
    for link in [f"/t/{submission.tracking_number}/{'a' * 32}/", f"/t/QH20990101-000001/{secret}/"]:
        response = client.get(link)
        assert response.status_code == 302 and response["Location"].startswith("/track/?n=")
        assert NOT_FOUND in client.get(response["Location"]).content.decode()
        assert not client.session.get("citizen_grants")
    # Without a grant, the case page asks for the secret for known and unknown numbers alike.
    known = client.get(f"/track/{submission.tracking_number}/")
    unknown = client.get("/track/QH20990101-000001/")
    assert known.status_code == unknown.status_code == 200
    assert submission.title not in known.content.decode()
    assert known.templates[0].name == unknown.templates[0].name == "feedback/track_lookup.html"


def test_lookup_form_with_right_secret_opens_the_case(client, city):
    submission, secret = make_submission()
    response = client.post("/track/", {"tracking_number": submission.tracking_number.lower(), "secret": secret})
    assert response.status_code == 302
    assert client.get(response["Location"]).context["case"] == submission


def test_a_grant_for_one_case_does_not_open_another(client, city):
    mine, secret = make_submission()
    other, _ = make_submission(title="别人的诉求")
    client.get(f"/t/{mine.tracking_number}/{secret}/")
    body = client.get(f"/track/{other.tracking_number}/").content.decode()
    assert "别人的诉求" not in body


def test_repeated_guessing_is_rate_limited(client, city, settings):
    settings.MINSHENG = {**settings.MINSHENG, "TRACK_RATE_PER_HOUR": 3}
    submission, secret = make_submission()
    for _ in range(3):
        assert (
            client.post("/track/", {"tracking_number": submission.tracking_number, "secret": "guess"}).status_code
            == 404
        )
    blocked = client.post("/track/", {"tracking_number": submission.tracking_number, "secret": secret})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "请求过于频繁" in blocked.content.decode()
    assert client.get(f"/t/{submission.tracking_number}/{secret}/").status_code == 429


def test_secret_never_reaches_the_logs(client, city, caplog):
    submission, secret = make_submission()
    with caplog.at_level(logging.DEBUG):
        client.get(f"/t/{submission.tracking_number}/{altered(secret, 2)}/")  # a 404 is logged by django.request
        client.get(f"/t/{submission.tracking_number}/{secret}/")
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /t/{submission.tracking_number}/{secret}/ HTTP/1.1", 302, 0
        )
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/t/" in text  # the requests were logged …
    assert secret not in text and secret[:-2] not in text  # … without the secret


def test_timeline_shows_citizen_visible_events_with_department_and_reply_deadline(client, city, citizen_client):
    from routing.services import submission_route

    submission, secret = make_submission()
    submission_route(submission_id=submission.pk)
    page = citizen_client(submission, secret).get(f"/track/{submission.tracking_number}/")
    body = page.content.decode()
    assert "已受理" in body and "已派至承办单位" in body and "生态环境局" in body
    assert [e.action for e in page.context["view"].events] == ["submit", "route"]


def test_internal_events_are_not_on_the_timeline(client, city, citizen_client):
    submission, secret = make_submission(category=None, title="有个问题想问", text="请问这个情况应该怎么办？谢谢。")
    from routing.services import submission_route

    submission_route(submission_id=submission.pk)  # too vague to place: triage, which is not public
    submission.refresh_from_db()
    assert submission.status == "triage"
    page = citizen_client(submission, secret).get(f"/track/{submission.tracking_number}/")
    assert [e.action for e in page.context["view"].events] == ["submit"]


def test_citizen_rates_the_reply_and_the_case_closes(client, city, citizen_client):
    submission, secret = make_submission()
    advance_to_replied(submission)
    c = citizen_client(submission, secret)
    page = c.get(f"/track/{submission.tracking_number}/")
    assert page.context["view"].can_rate and "已责令工地停止夜间施工" in page.content.decode()
    response = c.post(
        f"/track/{submission.tracking_number}/rate/",
        {"satisfaction": "basically", "is_resolved": "yes", "comment": "<b>还行</b>"},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED and submission.close_reason == "rated"
    rating = Rating.objects.get()
    assert (rating.satisfaction, rating.is_resolved, rating.comment) == ("basically", True, "<b>还行</b>")
    # Rating twice is refused and changes nothing.
    c.post(f"/track/{submission.tracking_number}/rate/", {"satisfaction": "satisfied", "is_resolved": "yes"})
    assert Rating.objects.count() == 1


def test_rating_another_case_without_its_grant_is_404(client, city, citizen_client):
    mine, secret = make_submission()
    other, _ = make_submission(title="别人的诉求")
    advance_to_replied(other)
    c = citizen_client(mine, secret)
    response = c.post(f"/track/{other.tracking_number}/rate/", {"satisfaction": "satisfied", "is_resolved": "yes"})
    assert response.status_code == 404
    assert Rating.objects.count() == 0


def test_bad_rating_choice_changes_nothing(client, city, citizen_client):
    submission, secret = make_submission()
    advance_to_replied(submission)
    c = citizen_client(submission, secret)
    c.post(f"/track/{submission.tracking_number}/rate/", {"satisfaction": "ecstatic", "is_resolved": "yes"})
    submission.refresh_from_db()
    assert submission.status == Status.REPLIED and Rating.objects.count() == 0


def test_unsatisfied_citizen_reopens_within_the_window(client, city, citizen_client):
    submission, secret = make_submission()
    advance_to_replied(submission)
    c = citizen_client(submission, secret)
    c.post(f"/track/{submission.tracking_number}/rate/", {"satisfaction": "unsatisfied", "is_resolved": "no"})
    page = c.get(f"/track/{submission.tracking_number}/")
    assert page.context["view"].can_reopen
    c.post(f"/track/{submission.tracking_number}/reopen/", {"reason": "夜间施工仍在继续"})
    submission.refresh_from_db()
    assert submission.status == Status.IN_PROGRESS and submission.reopen_count == 1
    event = CaseEvent.objects.filter(submission=submission).last()
    assert (event.action, event.reason, event.actor_label) == ("reopen", "夜间施工仍在继续", "citizen")


def test_satisfied_citizen_cannot_reopen(city):
    from feedback.services import case_reopen, rating_submit
    from portal.errors import TransitionNotAllowed

    submission, _ = make_submission()
    advance_to_replied(submission)
    rating_submit(submission_id=submission.pk, satisfaction="satisfied", is_resolved=True)
    with pytest.raises(TransitionNotAllowed):
        case_reopen(submission_id=submission.pk, reason="再看看")
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED and submission.reopen_count == 0


def test_reopen_after_the_rating_window_is_refused(city):
    from feedback.services import case_reopen, rating_submit
    from portal.errors import TransitionNotAllowed

    submission, _ = make_submission()
    advance_to_replied(submission)
    rating_submit(submission_id=submission.pk, satisfaction="unsatisfied", is_resolved=False)
    with pytest.raises(TransitionNotAllowed) as exc:
        case_reopen(submission_id=submission.pk, reason="太晚了", now=timezone.now() + timedelta(days=8))
    assert "期限已过" in exc.value.message or "passed" in exc.value.message
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED


def test_rating_window_comes_from_the_rating_deadline_when_there_is_one(city):
    from deadlines.models import Deadline, Step
    from feedback.services import rating_window_end

    submission, _ = make_submission()
    advance_to_replied(submission)
    deadline = Deadline.objects.get(submission=submission, step=Step.RATING, is_open=True)
    deadline.due_at = deadline.started_at + timedelta(days=3)
    deadline.save()
    assert rating_window_end(submission) == deadline.due_at


def test_reopen_without_a_reason_is_refused(client, city, citizen_client):
    submission, secret = make_submission()
    advance_to_replied(submission)
    c = citizen_client(submission, secret)
    c.post(f"/track/{submission.tracking_number}/rate/", {"satisfaction": "unsatisfied", "is_resolved": "no"})
    c.post(f"/track/{submission.tracking_number}/reopen/", {"reason": "  "})
    submission.refresh_from_db()
    assert submission.status == Status.CLOSED


def _ask_for_material(submission):
    from accounts.models import User
    from feedback.workflow import case_transition
    from routing.services import submission_route

    submission_route(submission_id=submission.pk)
    submission.refresh_from_db()
    staff = User.objects.get(username="sthj_staff")
    case_transition(submission_id=submission.pk, action="sign_for", actor=staff)
    case_transition(
        submission_id=submission.pk,
        action="request_material",
        actor=staff,
        apply=lambda case: MaterialRequest.objects.create(submission=case, asked_by=staff, question="请提供现场照片"),
    )


def test_citizen_answers_a_request_for_material_with_text_and_a_photo(client, city, citizen_client):
    submission, secret = make_submission()
    _ask_for_material(submission)
    c = citizen_client(submission, secret)
    page = c.get(f"/track/{submission.tracking_number}/")
    assert "请提供现场照片" in page.content.decode()
    c.post(
        f"/track/{submission.tracking_number}/material/",
        {"answer": "照片见附件", "attachments": SimpleUploadedFile("site.png", png_bytes())},
    )
    submission.refresh_from_db()
    assert submission.status == Status.IN_PROGRESS
    request = MaterialRequest.objects.get()
    assert request.answer == "照片见附件" and request.answered_at is not None
    assert submission.attachments.get().content_type == "image/png"


def test_material_answer_with_a_fake_image_changes_nothing(client, city, citizen_client):
    submission, secret = make_submission()
    _ask_for_material(submission)
    c = citizen_client(submission, secret)
    c.post(
        f"/track/{submission.tracking_number}/material/",
        {"answer": "见附件", "attachments": SimpleUploadedFile("site.jpg", EXE_BYTES)},
    )
    submission.refresh_from_db()
    assert submission.status == Status.WAITING_CITIZEN
    assert MaterialRequest.objects.get().answered_at is None


class TestAttachmentAccess:
    """Alice owns the case (holds the secret), Bob is staff of the handling
    department, Charlie is staff of another department and should have no access."""

    @pytest.fixture
    def case(self, city, client):
        from routing.services import submission_route

        c = client
        c.post  # noqa: B018
        submission, secret = make_submission(attachments=[])
        from feedback.services import attachment_add
        from feedback.uploads import validate_uploads

        (upload,) = validate_uploads([SimpleUploadedFile("现场.png", png_bytes())])
        attachment = attachment_add(submission=submission, upload=upload, by_citizen=True)
        submission_route(submission_id=submission.pk)
        return submission, secret, attachment

    def test_alice_the_citizen_downloads_it_as_an_attachment(self, case, client):
        submission, secret, attachment = case
        client.get(f"/t/{submission.tracking_number}/{secret}/")
        response = client.get(f"/attachments/{attachment.pk}/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == png_bytes()

    def test_bob_of_the_handling_department_downloads_it(self, case, client):
        from accounts.models import User

        client.force_login(User.objects.get(username="sthj_staff"))
        assert client.get(f"/attachments/{case[2].pk}/").status_code == 200

    def test_charlie_of_another_department_gets_404(self, case, client):
        from accounts.models import User

        client.force_login(User.objects.get(username="cgj_staff"))
        assert client.get(f"/attachments/{case[2].pk}/").status_code == 404

    def test_anonymous_visitor_gets_404(self, case, client):
        assert client.get(f"/attachments/{case[2].pk}/").status_code == 404

    def test_file_is_stored_outside_the_static_root(self, case, settings):
        from pathlib import Path

        path = Path(case[2].file.path).resolve()
        assert Path(settings.MEDIA_ROOT).resolve() in path.parents
        assert Path(settings.STATIC_ROOT).resolve() not in path.parents
        assert case[2].file.name.endswith(".png") and "现场" not in case[2].file.name


def test_gunicorn_style_access_log_records_lose_the_secret():
    from feedback.citizen_access import RedactTrackingSecrets

    class Atoms(dict):  # gunicorn's SafeAtoms answers missing keys with "-"
        def __getitem__(self, key):
            return super().get(key, "-")

    atoms = Atoms(
        {
            "r": "GET /t/QH20261122-000001/s3cr3tTOKEN_value/ HTTP/1.1",
            "U": "/t/QH20261122-000001/s3cr3tTOKEN_value/",
            "s": "302",
        }
    )
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s %(s)s %(missing)s", (atoms,), None)
    assert RedactTrackingSecrets().filter(record)
    line = record.getMessage()
    assert "s3cr3tTOKEN_value" not in line
    assert "/t/QH20261122-000001/[secret]" in line and line.endswith("302 -")
