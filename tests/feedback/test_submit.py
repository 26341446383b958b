"""The submission form: saving, validation next to each field, escaping, double posting."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Attachment, CaseEvent, Submission
from tests.feedback.conftest import EXE_BYTES, png_bytes

pytestmark = pytest.mark.django_db


def post(client, data, **files):
    return client.post("/submit/", {**data, **files})


def test_form_renders_in_chinese_with_every_field(client, city):
    body = client.get("/submit/").content.decode()
    for name in [
        "kind",
        "category",
        "title",
        "text",
        "district",
        "address",
        "latitude",
        "longitude",
        "attachments",
        "name",
        "phone",
        "email",
        "is_anonymous",
        "may_publish",
        "client_token",
    ]:
        assert f'name="{name}"' in body, name
    assert "投诉" in body and "求助" in body and "表扬" in body


def test_valid_submission_is_saved_with_attachment_and_confirmation_shows_number_and_secret(client, form_data):
    response = post(client, form_data, attachments=SimpleUploadedFile("现场.png", png_bytes()))
    assert response.status_code == 302 and response["Location"] == "/submit/done/"
    submission = Submission.objects.get()
    assert submission.tracking_number.startswith("QH")
    assert submission.category.code == "environment.noise"
    assert submission.may_publish is True
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.original_name == "现场.png"
    assert CaseEvent.objects.filter(submission=submission, action="submit").count() == 1

    done = client.get("/submit/done/")
    body = done.content.decode()
    assert submission.tracking_number in body
    secret = done.context["done"]["secret"]
    assert len(secret) >= 22 and secret in body  # 192 bits, url-safe
    assert done["Cache-Control"] == "no-store" and done["Referrer-Policy"] == "no-referrer"
    # Shown once: a reload no longer carries the secret.
    assert secret not in client.get("/submit/done/", follow=True).content.decode()


def test_confirmation_email_is_sent_with_number_and_private_link(client, form_data, django_capture_on_commit_callbacks):
    from feedback.models import Notification
    from feedback.notifications import notification_send
    from feedback.services import submission_received_react

    with django_capture_on_commit_callbacks(execute=False):
        post(client, form_data)
    submission = Submission.objects.get()
    assert submission_received_react(submission_id=submission.pk)  # the worker, told by the outbox
    note = Notification.objects.get(event__submission=submission, channel="email")
    notification_send(note.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhangsan@example.com"]
    assert submission.tracking_number in mail.outbox[0].body
    assert f"/t/{submission.tracking_number}/" in mail.outbox[0].body  # the private link (issue 18)
    assert submission.secret_hash not in mail.outbox[0].body


def test_no_email_address_no_email_but_an_sms_to_the_phone(client, form_data):
    from feedback.models import Notification

    form_data["email"] = ""
    post(client, form_data)
    assert Notification.objects.filter(channel="email").count() == 0
    assert list(Notification.objects.values_list("channel", "recipient_phone")) == [("sms", "+8613812345678")]


def test_no_contact_no_message(client, form_data):
    from feedback.models import Notification

    post(client, {**form_data, "email": "", "phone": "", "is_anonymous": "on"})
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "", "必填项"),
        ("kind", "bribe", "选择一个有效的选项"),
        ("category", "no.such", "选择一个有效的选项"),
        ("title", "", "必填项"),
        ("title", "长" * 121, "120"),
        ("text", "", "必填项"),
        ("text", "字" * 5001, "5000"),
        ("district", "", "必填项"),
        ("district", "atlantis", "选择一个有效的选项"),
        ("address", "址" * 201, "200"),
        ("latitude", "91", "90"),
        ("latitude", "abc", "输入一个数字"),
        ("email", "not-an-email", "邮件地址"),
        ("phone", "call me<script>", "电话"),
        ("name", "名" * 61, "60"),
    ],
)
def test_each_bad_field_gets_a_chinese_error_next_to_it_and_nothing_is_saved(client, form_data, field, value, message):
    form_data[field] = value
    response = post(client, form_data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Submission.objects.count() == 0


def test_text_of_exactly_5000_characters_is_accepted(client, form_data):
    form_data["text"] = "字" * 5000
    assert post(client, form_data).status_code == 302
    assert len(Submission.objects.get().text) == 5000


def test_contact_is_required_unless_anonymous(client, form_data):
    form_data.update(phone="", email="")
    response = post(client, form_data)
    assert response.status_code == 400
    assert "匿名" in response.context["form"].errors["phone"][0]
    form_data["is_anonymous"] = "on"
    assert post(client, form_data).status_code == 302
    submission = Submission.objects.get()
    assert submission.is_anonymous and submission.name == ""


def test_latitude_without_longitude_is_refused(client, form_data):
    form_data["latitude"] = "30.1"
    response = post(client, form_data)
    assert "longitude" in response.context["form"].errors


def test_coordinates_are_saved(client, form_data):
    # A point in the demo city's 东城区 (points outside the city are refused: tests/maps/test_pin_and_district.py).
    form_data.update(latitude="30.630100", longitude="119.975100")
    post(client, form_data)
    submission = Submission.objects.get()
    assert str(submission.latitude) == "30.630100" and str(submission.longitude) == "119.975100"


def test_executable_named_jpg_is_refused_next_to_the_attachments_field(client, form_data):
    response = post(client, form_data, attachments=SimpleUploadedFile("photo.jpg", EXE_BYTES))
    assert response.status_code == 400
    assert "photo.jpg" in response.context["form"].errors["attachments"][0]
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_oversized_attachment_is_refused(client, form_data, settings):
    settings.MINSHENG = {**settings.MINSHENG, "MAX_ATTACHMENT_BYTES": 1000}
    response = post(client, form_data, attachments=SimpleUploadedFile("big.png", png_bytes(size=(400, 400))))
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Submission.objects.count() == 0


def test_six_attachments_are_refused(client, form_data):
    files = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(6)]
    response = client.post("/submit/", {**form_data, "attachments": files})
    assert response.status_code == 400
    assert "5" in response.context["form"].errors["attachments"][0]


def test_html_in_every_text_field_is_stored_as_typed_and_rendered_escaped(client, form_data):
    script = '<script>alert("x")</script><b>粗</b>'
    for field in ["title", "text", "address", "name"]:
        form_data[field] = script[: {"title": 120, "name": 60}.get(field, 200)]
    form_data["text"] = script
    post(client, form_data)
    submission = Submission.objects.get()
    assert submission.text == script and submission.title == script  # stored as typed
    done = client.get("/submit/done/")
    link = done.context["link"]
    body = client.get(link, follow=True).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_html_is_escaped_when_the_form_is_shown_again_with_errors(client, form_data):
    form_data.update(title='"><script>alert(1)</script>', district="")
    body = post(client, form_data).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_same_form_posted_twice_creates_one_submission(client, form_data):
    form_data["client_token"] = "tok_" + "a" * 28
    first = post(client, form_data)
    second = post(client, form_data)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.count() == 1
    # The confirmation still shows the number and secret from the first post.
    done = client.get("/submit/done/")
    assert done.context["done"]["tracking_number"] == Submission.objects.get().tracking_number
    assert done.context["done"]["secret"]


def test_honeypot_filled_saves_nothing(client, form_data):
    form_data["website"] = "http://spam.example"
    response = post(client, form_data)
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_broker_down_still_saves_and_gives_the_tracking_number(client, form_data, monkeypatch):
    """The request never publishes to the broker (the worker does, from the outbox): a dead broker costs nothing."""
    from celery.app.task import Task

    from portal.celery import app

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(Task, "apply_async", broken)
    monkeypatch.setattr(app, "send_task", broken)
    response = post(client, form_data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "submitted"  # the worker's outbox listener routes it
    assert client.get("/submit/done/").context["done"]["tracking_number"] == submission.tracking_number


def test_english_errors_for_an_english_reader(client, form_data):
    client.cookies["django_language"] = "en"
    form_data["title"] = ""
    response = post(client, form_data)
    assert "This field is required." in response.context["form"].errors["title"]


def _kept_token(response) -> str:
    body = response.content.decode()
    return body.split('name="pending_files" value="', 1)[1].split('"', 1)[0]


def test_a_failed_validation_keeps_the_chosen_photo_and_the_next_send_attaches_it(client, form_data, settings):
    from pathlib import Path

    form_data["title"] = ""
    first = post(client, form_data, attachments=SimpleUploadedFile("现场.png", png_bytes()))
    assert first.status_code == 400
    body = first.content.decode()
    assert 'id="kept-files"' in body and "现场.png" in body
    token = _kept_token(first)
    assert token
    form_data["title"] = "工地夜间施工噪音扰民"
    second = post(client, {**form_data, "pending_files": token})
    assert second.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "现场.png" and attachment.content_type == "image/png"
    assert attachment.file.read() == png_bytes()
    assert not any((Path(settings.MEDIA_ROOT) / "intake-pending").iterdir())


def test_kept_files_and_new_ones_together_respect_the_limit(client, form_data, settings):
    settings.MINSHENG = {**settings.MINSHENG, "MAX_ATTACHMENTS": 2}
    form_data["title"] = ""
    files = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(2)]
    token = _kept_token(post(client, form_data, attachments=files))
    form_data["title"] = "工地夜间施工噪音扰民"
    response = post(client, {**form_data, "pending_files": token}, attachments=SimpleUploadedFile("3.png", png_bytes()))
    assert response.status_code == 400 and "attachments" in response.context["form"].errors
    assert Submission.objects.count() == 0


def test_a_forged_kept_files_token_is_refused_and_nothing_is_saved(client, form_data):
    from django.core import signing

    forged = signing.dumps([{"path": "../../etc/passwd", "name": "x", "type": "image/png", "size": 1}], salt="other")
    response = post(client, {**form_data, "pending_files": forged})
    assert response.status_code == 400
    assert "pending_files" in response.context["form"].errors
    assert Submission.objects.count() == 0


def test_errors_are_summarised_at_the_top_with_links_to_each_field(client, form_data):
    form_data.update(title="", district="")
    body = post(client, form_data).content.decode()
    summary = body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_title"' in summary and 'href="#id_district"' in summary
    assert 'tabindex="-1"' in body.split('id="error-summary"', 1)[0].rsplit("<div", 1)[1] + summary
    assert body.index('id="error-summary"') < body.index('id="id_kind_0"')


def test_over_long_text_gets_a_human_message_and_the_browser_does_not_cut_it(client, form_data):
    form = client.get("/submit/").content.decode()
    textarea = form.split("<textarea", 1)[1].split(">", 1)[0]
    assert "maxlength" not in textarea.replace("data-maxlength", "")
    assert 'data-maxlength="5000"' in textarea and 'id="id_text_counter"' in form
    form_data["text"] = "字" * 5001
    errors = post(client, form_data).context["form"].errors["text"]
    assert errors == ["请将内容控制在 5000 字以内（当前 5001 字）。"]


def test_over_long_text_message_in_english(client, form_data):
    client.cookies["django_language"] = "en"
    form_data["text"] = "x" * 5001
    errors = post(client, form_data).context["form"].errors["text"]
    assert errors == ["Please keep this within 5000 characters (now 5001)."]
