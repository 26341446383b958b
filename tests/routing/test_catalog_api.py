"""GET /api/v1/departments/ and /api/v1/categories/: public, paginated, filterable, orderable."""

from __future__ import annotations

import pytest


def test_departments_list_is_public_paginated_and_translated(city, client):
    response = client.get("/api/v1/departments/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 14
    cgj = page["results"][0]
    assert cgj == {
        "code": "CGJ",
        "name": "Urban Management Bureau",
        "name_zh": "城市管理局",
        "name_en": "Urban Management Bureau",
        "parent": None,
        "is_active": True,
        "duties": ["street vendors", "illegal structures", "litter and garbage", "outdoor advertising", "sanitation"],
    }
    assert "contact_email" not in cgj


def test_departments_page_size_and_ordering(city, client):
    page = client.get("/api/v1/departments/", {"page_size": 5, "ordering": "-code"}).json()
    assert [d["code"] for d in page["results"]] == ["ZRZY", "ZJJ", "YLJ", "YJJ", "WJW"]
    assert page["next"] is not None
    capped = client.get("/api/v1/departments/", {"page_size": 10000}).json()
    assert len(capped["results"]) == 14


def test_department_search_filter(city, client):
    found = client.get("/api/v1/departments/", {"q": "水务"}).json()["results"]
    assert [d["code"] for d in found] == ["SWJ"]


def test_department_detail_and_404_shape(city, client):
    assert client.get("/api/v1/departments/SWJ/").json()["name"] == "水务局"
    response = client.get("/api/v1/departments/NOPE/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code", "errors"}


def test_categories_filter_by_parent_root_and_department(city, client):
    children = client.get("/api/v1/categories/", {"parent": "city"}).json()["results"]
    assert [c["code"] for c in children] == ["city.vendors", "city.structures", "city.garbage", "city.ads"]
    assert children[0]["parent"] == "city" and children[0]["default_department"] == "CGJ"
    roots = client.get("/api/v1/categories/", {"is_root": "true", "page_size": 100}).json()
    assert all(c["parent"] is None for c in roots["results"]) and roots["count"] == 15
    water = client.get("/api/v1/categories/", {"default_department": "SWJ"}).json()["results"]
    assert {c["code"] for c in water} == {"water", "water.supply", "water.drainage"}


def test_category_detail_takes_dotted_codes(city, client):
    response = client.get("/api/v1/categories/city.garbage/")
    assert response.status_code == 200
    assert response.json()["name"] == "垃圾清运"


def test_a_page_past_the_end_is_404_in_the_error_shape(city, client):
    response = client.get("/api/v1/categories/", {"page": 99})
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code", "errors"}


def test_catalogue_is_read_only(city, client):
    response = client.post("/api/v1/categories/", {"code": "x"})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/api/v1/departments/", "/api/v1/categories/"])
def test_lists_take_a_constant_number_of_queries_whatever_the_page_size(
    city, client, django_assert_max_num_queries, path
):
    for size in (1, 10, 200):
        with django_assert_max_num_queries(2):
            assert client.get(path, {"page_size": size}).status_code == 200


def test_a_null_character_in_the_path_or_query_is_400(city, client):
    assert client.get("/api/v1/categories/a%00b/").status_code == 400
    assert client.get("/api/v1/departments/", {"ordering": "\x00"}).status_code == 400
