""" "My cases": a one-time code by SMS or e-mail opens every case of a phone number or e-mail address.

The request answers the same for a known and an unknown contact; codes expire, are used once, die after
too many wrong tries, are hashed at rest; requests are rate limited; bad input changes nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from feedback import sms
from feedback.access_codes import Contact, access_code_verify
from feedback.models import AccessCode, Submission

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+8613912345678"


@pytest.fixture(autouse=True)
def _inline_tasks(monkeypatch):
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    sms.outbox.clear()


@pytest.fixture
def phone_case(client, form_data):
    client.post("/submit/", {**form_data, "email": "", "phone": "139-1234-5678", "title": "路灯不亮"})
    sms.outbox.clear()
    return Submission.objects.get(title="路灯不亮")


def _code_from(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


def _ask(client, contact: str, **headers):
    return client.post("/my-cases/", {"contact": contact}, **headers)


def test_a_citizen_with_only_a_phone_opens_their_case_with_the_code_sent_by_sms(client, phone_case):
    response = _ask(client, "139 1234 5678")
    assert response.status_code == 302 and response["Location"] == "/my-cases/code/"
    (message,) = sms.outbox
    assert message.to == PHONE
    code = _code_from(message.body)
    row = AccessCode.objects.get()
    assert code not in (row.code_hash, row.nonce) and PHONE not in row.contact_hash  # hashed at rest

    assert client.post("/my-cases/code/", {"code": code})["Location"] == "/my-cases/list/"
    listing = client.get("/my-cases/list/")
    assert phone_case.tracking_number in listing.content.decode()
    opened = client.get(f"/my-cases/open/{phone_case.tracking_number}/")
    assert opened["Location"] == f"/track/{phone_case.tracking_number}/"
    detail = client.get(opened["Location"])
    assert detail.status_code == 200 and "路灯不亮" in detail.content.decode()


def test_known_and_unknown_numbers_get_the_same_answer_and_rows_but_only_the_known_one_a_message(client, phone_case):
    known = _ask(client, PHONE)
    other = client.__class__()
    unknown = _ask(other, "13700001111")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])

    def page(c):
        return re.sub(r'value="[^"]{40,}"', "", c.get("/my-cases/code/").content.decode())  # less the CSRF token

    assert page(client) == page(other)
    assert AccessCode.objects.count() == 2
    assert AccessCode.objects.filter(handled_at__isnull=False).count() == 2
    assert [m.to for m in sms.outbox] == [PHONE]


def test_an_email_address_gets_its_code_by_email(client, form_data):
    client.post("/submit/", {**form_data, "phone": ""})
    mail.outbox.clear()
    _ask(client, "ZhangSan@Example.com")
    (message,) = [m for m in mail.outbox if "zhangsan@example.com" in m.to]
    client.post("/my-cases/code/", {"code": _code_from(message.body)})
    assert Submission.objects.get().tracking_number in client.get("/my-cases/list/").content.decode()


def test_wrong_codes_are_counted_and_the_fifth_kills_the_code(client, phone_case):
    _ask(client, PHONE)
    code = _code_from(sms.outbox[0].body)
    wrong = "000000" if code != "000000" else "111111"
    first = client.post("/my-cases/code/", {"code": wrong})
    assert first.status_code == 400 and "验证码不正确" in first.content.decode()
    for _ in range(3):
        client.post("/my-cases/code/", {"code": wrong})
    last = client.post("/my-cases/code/", {"code": wrong})
    assert "错误次数过多" in last.content.decode()
    refused = client.post("/my-cases/code/", {"code": code})
    assert refused.status_code == 400 and "错误次数过多" in refused.content.decode()
    assert client.get("/my-cases/list/")["Location"] == "/my-cases/"


def test_an_expired_code_is_refused_in_english(client, phone_case, settings):
    client.cookies["django_language"] = "en"
    _ask(client, PHONE)
    code = _code_from(sms.outbox[0].body)
    assert "Your code" in sms.outbox[0].body
    with pytest.raises(Exception) as refused:
        access_code_verify(contact=Contact("phone", PHONE), code=code, now=timezone.now() + timedelta(minutes=11))
    assert "expired" in str(refused.value.message).lower() or "过期" in refused.value.message
    AccessCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/my-cases/code/", {"code": code})
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_a_code_opens_one_session_only(client, phone_case):
    _ask(client, PHONE)
    code = _code_from(sms.outbox[0].body)
    client.post("/my-cases/code/", {"code": code})
    thief = client.__class__()
    thief.session  # noqa: B018 - a session of its own
    session = thief.session
    session["my_cases_pending"] = {"kind": "phone", "value": PHONE}
    session.save()
    reused = thief.post("/my-cases/code/", {"code": code})
    assert reused.status_code == 400
    assert phone_case.tracking_number not in thief.get("/my-cases/list/", follow=True).content.decode()


def test_only_the_latest_code_counts(client, phone_case):
    _ask(client, PHONE)
    _ask(client, PHONE)
    older, newer = (_code_from(m.body) for m in sms.outbox)
    if older != newer:
        assert client.post("/my-cases/code/", {"code": older}).status_code == 400
    assert client.post("/my-cases/code/", {"code": newer}).status_code == 302


def test_too_many_requests_for_one_number_are_refused_and_make_no_code(client, phone_case, settings):
    settings.MINSHENG = {**settings.MINSHENG, "ACCESS_CODE_PER_CONTACT_PER_HOUR": 2}
    assert _ask(client, PHONE).status_code == 302
    assert _ask(client, PHONE).status_code == 302
    refused = _ask(client, PHONE)
    assert refused.status_code == 429 and "尝试次数过多" in refused.content.decode()
    assert AccessCode.objects.count() == 2 and len(sms.outbox) == 2


def test_bad_contacts_are_refused_next_to_the_field_and_make_nothing(client, city):
    for bad in ["", "12", "not-an-address@", "电话"]:
        response = _ask(client, bad)
        assert response.status_code == 400
        page = response.content.decode()
        assert "请输入您提交诉求时留下的电话号码或电子邮箱" in page or "这个字段是必填项" in page
    assert not AccessCode.objects.exists() and sms.outbox == []


def test_the_session_ends_after_its_time(client, phone_case, settings):
    _ask(client, PHONE)
    client.post("/my-cases/code/", {"code": _code_from(sms.outbox[0].body)})
    session = client.session
    session["my_cases"]["until"] = 0
    session.save()
    assert client.get("/my-cases/list/")["Location"] == "/my-cases/"
    assert client.get(f"/my-cases/open/{phone_case.tracking_number}/")["Location"] == "/my-cases/"


def test_a_case_of_another_number_cannot_be_opened_from_the_list(client, phone_case, form_data):
    client.post("/submit/", {**form_data, "phone": "13800001111", "email": "", "title": "别人的诉求"})
    other = Submission.objects.get(title="别人的诉求")
    sms.outbox.clear()
    _ask(client, PHONE)
    client.post("/my-cases/code/", {"code": _code_from(sms.outbox[0].body)})
    assert other.tracking_number not in client.get("/my-cases/list/").content.decode()
    assert client.get(f"/my-cases/open/{other.tracking_number}/").status_code == 404


def test_codes_older_than_a_day_are_purged(client, phone_case):
    from feedback.access_codes import access_codes_purge

    _ask(client, PHONE)
    assert access_codes_purge() == 0
    assert access_codes_purge(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not AccessCode.objects.exists()
