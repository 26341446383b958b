from __future__ import annotations

import pytest

from feedback.masking import mask_name, mask_text


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("请联系我13812345678谢谢", "13812345678"),
        ("电话 138 1234 5678", "1234"),
        ("电话+86-138-1234-5678", "1234"),
        ("座机0571-87654321", "87654321"),
        ("座机(010) 12345678", "12345678"),
        ("身份证号110101199003074518在此", "110101199003074518"),
        ("身份证11010119900307451X", "11010119900307451X"),
        ("邮箱 wang.fang+x@example.com.cn", "wang.fang"),
    ],
)
def test_contact_details_inside_text_are_masked(text, hidden):
    masked = mask_text(text)
    assert hidden not in masked
    assert "＊" in masked


def test_name_and_address_are_masked_when_given():
    text = "我是张三，住在幸福路88号3单元，张三的电话是13912345678。"
    masked = mask_text(text, names=["张三"], addresses=["幸福路88号3单元"])
    assert "张三" not in masked and "幸福路88号" not in masked and "13912345678" not in masked
    assert "张＊" in masked


def test_ordinary_numbers_and_dates_survive():
    text = "2026年11月22日晚上11点，共3辆车，编号A12。"
    assert mask_text(text) == text


def test_mask_name_keeps_the_family_name_only():
    assert mask_name("欧阳娜娜") == "欧＊＊＊"
    assert mask_name("") == ""
