"""API keys: created by command or admin, stored hashed, revocable; service definitions validated."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.open311.conftest import post_request


def test_open311_key_command_prints_the_key_alone_on_the_last_line(city, client):
    from open311.models import ApiKey

    out = StringIO()
    call_command("open311_key", "Mobile app", "--rate", "5", stdout=out)
    raw_key = out.getvalue().strip().splitlines()[-1]
    assert " " not in raw_key and len(raw_key) >= 32
    api_key = ApiKey.objects.get(name="Mobile app")
    assert api_key.rate_limit_per_minute == 5
    assert raw_key not in (api_key.key_hash, api_key.key_prefix), "only a hash is stored"
    assert post_request(client, raw_key).status_code == 200


def test_open311_key_command_refuses_a_name_twice(city):
    call_command("open311_key", "Mobile app", stdout=StringIO())
    with pytest.raises(CommandError, match="Mobile app"):
        call_command("open311_key", "Mobile app", stdout=StringIO())


def test_admin_creates_a_key_shows_it_once_and_revokes_it(city, admin_client, client):
    from open311.models import ApiKey

    response = admin_client.post(
        "/admin/open311/apikey/add/", {"name": "Partner", "is_active": "on", "rate_limit_per_minute": 60}, follow=True
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get(name="Partner")
    (message,) = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    raw_key = message.split("：")[-1].split(": ")[-1].strip()
    assert raw_key.startswith(api_key.key_prefix)
    assert post_request(client, raw_key).status_code == 200
    admin_client.post("/admin/open311/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}, follow=True)
    assert post_request(client, raw_key).status_code == 403


@pytest.mark.parametrize(
    "attributes",
    [
        {"code": "x"},
        [{"code": "x", "datatype": "colour"}],
        [{"code": "x", "datatype": "singlevaluelist", "values": []}],
        [{"code": "x", "datatype": "string"}, {"code": "x", "datatype": "string"}],
        ["text"],
    ],
)
def test_service_definition_rejects_malformed_attributes(city, attributes):
    from city.models import Category
    from open311.models import ServiceDefinition

    definition = ServiceDefinition(category=Category.objects.get(code="city.ads"), attributes=attributes)
    with pytest.raises(ValidationError):
        definition.full_clean()


def test_admin_edits_a_service_definition(city, admin_client, client):
    from city.models import Category

    category = Category.objects.get(code="city.ads")
    response = admin_client.post(
        "/admin/open311/servicedefinition/add/",
        {
            "category": category.pk,
            "attributes": '[{"code": "kind", "datatype": "singlevaluelist", "required": true, '
            '"description": "Kind", "values": [{"key": "banner", "name": "Banner"}]}]',
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/open311/v2/services/city.ads.json").json()["attributes"][0]["code"] == "kind"
