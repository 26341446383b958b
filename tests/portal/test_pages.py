from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_is_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "提交诉求" in body or "提交" in body
    assert 'name="language"' in body  # the language switch is on the page


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Tell the city what is wrong" in body


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    data = response.json()
    assert data["database"]["ok"] is True
    assert response.status_code == (200 if data["broker"]["ok"] else 503)


@pytest.mark.django_db
def test_healthz_is_503_when_broker_is_unreachable(client, settings, free_port):
    from portal.celery import app

    # healthz opens a fresh connection from the configuration each time; the app's connection
    # pool is not touched, because it keeps the URL it was created with for the whole process.
    old_url, old_options = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = f"redis://127.0.0.1:{free_port}/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 1, "max_retries": 0}
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old_url, old_options
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


@pytest.mark.django_db
def test_demo_logins_work(client, city):
    from demo.city import DEMO_PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "cgj_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "cgj_staff"


@pytest.mark.django_db
def test_wrong_password_shows_an_error_in_chinese(client, city):
    response = client.post(reverse("accounts:login"), {"username": "cgj_staff", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_pages_stay_chinese_for_a_browser_that_prefers_english(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body


@pytest.mark.django_db
def test_an_unknown_api_address_answers_404_in_the_api_error_shape(client):
    response = client.get("/api/v1/staff/cases/-5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_page_is_a_translated_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()
