"""The OpenAPI schema: generated from the code, valid, complete, with local docs."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    from drf_spectacular.validation import validate_schema

    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 meta-schema


def test_schema_also_comes_as_yaml(client):
    response = client.get("/api/schema/")
    assert yaml.safe_load(response.content)["info"]["title"] == "Minsheng API"


def test_schema_lists_the_catalogue_and_every_open311_endpoint(schema):
    paths = set(schema["paths"])
    assert {
        "/api/v1/departments/",
        "/api/v1/departments/{code}/",
        "/api/v1/categories/",
        "/api/v1/categories/{code}/",
        "/open311/v2/discovery.{fmt}",
        "/open311/v2/services.{fmt}",
        "/open311/v2/services/{service_code}.{fmt}",
        "/open311/v2/requests.{fmt}",
        "/open311/v2/requests/{service_request_id}.{fmt}",
        "/open311/v2/tokens/{token}.{fmt}",
    } <= paths


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "429"} <= set(responses), (method, path)
            assert "Retry-After" in responses["429"]["headers"]
            if "{" in path:
                assert "404" in responses, (method, path)
            if method == "post" and path.startswith("/open311/"):
                assert "403" in responses


def test_rest_errors_and_open311_errors_have_their_own_shapes(schema):
    components = schema["components"]["schemas"]
    assert set(components["ApiError"]["required"]) == {"detail", "code", "errors"}
    error_400 = schema["paths"]["/open311/v2/services.{fmt}"]["get"]["responses"]["400"]
    assert set(error_400["content"]) == {"application/json", "text/xml"}
    assert error_400["content"]["application/json"]["schema"]["type"] == "array"


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    redoc = client.get("/api/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc
