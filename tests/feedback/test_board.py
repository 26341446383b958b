"""The public board: only published, replied cases; masked; searchable; paginated."""

from __future__ import annotations

import pytest

from tests.feedback.conftest import advance_to_replied, make_submission

pytestmark = pytest.mark.django_db


def test_board_shows_published_replied_cases_with_everything_personal_masked(client, city):
    submission, _ = make_submission(
        text="我是张三，住幸福路88号，电话13812345678，身份证110101199003074518，邮箱zs@example.com。",
        email="zs@example.com",
    )
    submission, _staff = advance_to_replied(submission, reply_text="已联系张三（13812345678）并处理。")
    body = client.get("/board/").content.decode()
    assert submission.title in body
    for secret in ["13812345678", "110101199003074518", "zs@example.com", "张三", "幸福路88号"]:
        assert secret not in body, secret
    detail = client.get(f"/board/{submission.tracking_number}/").content.decode()
    assert "已联系" in detail and submission.lead_department.name_zh in detail
    for secret in ["13812345678", "110101199003074518", "zs@example.com", "张三", "幸福路88号"]:
        assert secret not in detail, secret


def test_unpublished_and_unreplied_cases_stay_off_the_board(client, city):
    private, _ = make_submission(title="不公开的诉求", may_publish=False)
    advance_to_replied(private)
    pending, _ = make_submission(title="尚未答复的诉求")
    body = client.get("/board/").content.decode()
    assert "不公开的诉求" not in body and "尚未答复的诉求" not in body
    assert client.get(f"/board/{private.tracking_number}/").status_code == 404
    assert client.get(f"/board/{pending.tracking_number}/").status_code == 404


def test_search_finds_chinese_words_inside_text_without_spaces(client, city):
    from city.models import Category

    noise, _ = make_submission(title="夜间施工", text="工地夜间施工噪音扰民")
    gas, _ = make_submission(
        title="燃气问题", text="小区燃气管道老化漏气", category=Category.objects.get(code="housing.gas")
    )
    for case in (noise, gas):
        advance_to_replied(case)
    response = client.get("/board/", {"q": "噪音"})
    assert [e.submission.tracking_number for e in response.context["entries"]] == [noise.tracking_number]
    response = client.get("/board/", {"q": "管道 漏气"})
    assert [e.submission.tracking_number for e in response.context["entries"]] == [gas.tracking_number]


def test_filters_by_category_district_and_department(client, city):
    from city.models import Category, District

    noise, _ = make_submission(title="噪音A")
    site, _ = make_submission(
        title="工地B",
        text="工地每晚十一点后仍在施工，噪音很大。",
        category=Category.objects.get(code="housing.site"),
        district=District.objects.get(code="nanhu"),
    )
    for case in (noise, site):
        advance_to_replied(case)

    def numbers(**params):
        return [e.submission.tracking_number for e in client.get("/board/", params).context["entries"]]

    assert numbers(category="environment") == [noise.tracking_number]
    assert numbers(category="housing.site") == [site.tracking_number]
    assert numbers(district="nanhu") == [site.tracking_number]
    assert numbers(department="STHJ") == [noise.tracking_number]
    assert sorted(numbers()) == sorted([noise.tracking_number, site.tracking_number])


def test_board_paginates_and_query_count_does_not_grow_with_rows(client, city, django_assert_max_num_queries):
    from feedback.views import BOARD_PAGE_SIZE

    for i in range(BOARD_PAGE_SIZE + 3):
        case, _ = make_submission(title=f"诉求{i}")
        advance_to_replied(case)
    with django_assert_max_num_queries(8):
        first = client.get("/board/")
    assert len(first.context["entries"]) == BOARD_PAGE_SIZE
    second = client.get("/board/", {"page": 2})
    assert len(second.context["entries"]) == 3
    assert "page=2" in first.content.decode()


def test_html_in_a_published_case_is_escaped_on_the_board(client, city):
    case, _ = make_submission(title="<img src=x onerror=alert(1)>", text="<script>alert(2)</script>")
    advance_to_replied(case, reply_text="<b>已处理</b>")
    body = client.get(f"/board/{case.tracking_number}/").content.decode()
    assert "<img src=x" not in body and "<script>alert(2)" not in body and "<b>已处理" not in body
    assert "&lt;script&gt;" in body
