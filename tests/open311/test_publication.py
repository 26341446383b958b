"""Open311 publishes only with the citizen's consent, and then masked, at road level and coarse."""

from __future__ import annotations

import pytest

from tests.open311.conftest import post_request


def _listed(client) -> list[str]:
    return [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]


def test_a_request_posted_without_consent_stays_private(city, api_key, client):
    number = post_request(client, api_key, may_publish=None).json()[0]["service_request_id"]
    assert number not in _listed(client)
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    assert client.get(f"/open311/v2/requests/{number}.xml").status_code == 404


@pytest.mark.parametrize("consent", [{"may_publish": "true"}, {"attribute[may_publish]": "true"}])
def test_consent_as_a_field_or_an_attribute_publishes_the_request(city, api_key, client, consent):
    response = post_request(client, api_key, **{"may_publish": None, **consent})
    number = response.json()[0]["service_request_id"]
    assert number in _listed(client)


def test_published_request_is_masked_at_road_level_and_coarse(city, api_key, client, settings):
    settings.MINSHENG = {**settings.MINSHENG, "OPEN311_PUBLIC_COORD_DECIMALS": 2}
    response = post_request(
        client,
        api_key,
        address_string="东城区人民路88号3单元502室",
        description="邻居电话 13698765432，邮箱 n@example.org，身份证 110101199003071234",
    )
    (data,) = client.get(f"/open311/v2/requests/{response.json()[0]['service_request_id']}.json").json()
    assert data["address"] == "东城区人民路"
    assert (data["lat"], data["long"]) == (30.12, 120.65)
    for secret in ("13698765432", "n@example.org", "110101199003071234"):
        assert secret not in data["description"]
