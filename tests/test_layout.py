"""Tests for classifier.layout: page-number lines dropped and lines a page wrapped joined again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.layout import join_wrapped_lines, undo_page_layout


def test_join_chinese_without_space() -> None:
    assert join_wrapped_lines(["理论学习不够深入，对党的创新理论", "学习不系统。"]) == [
        "理论学习不够深入，对党的创新理论学习不系统。"
    ]


def test_join_ascii_words_with_space() -> None:
    assert join_wrapped_lines(["the line wraps", "here and ends."]) == ["the line wraps here and ends."]
    assert join_wrapped_lines(["学习贯彻党的二十", "大精神"]) == ["学习贯彻党的二十大精神"]
    assert join_wrapped_lines(["全年共开展学习 12", "次"]) == ["全年共开展学习 12次"]


@pytest.mark.parametrize("end", ["。", "；", "！", "？", "：", ":", ";", "!", "?", "。”", "？）"])
def test_no_join_after_sentence_end(end: str) -> None:
    lines = [f"理论学习不够深入，对党的创新理论{end}", "学习不系统"]
    assert join_wrapped_lines(lines) == lines


@pytest.mark.parametrize(
    "start", ["一、", "（二）", "(三)", "1.", "2、", "3）", "一是", "第一，", "第二部分", "①", "●"]
)
def test_no_join_before_heading_or_item(start: str) -> None:
    lines = ["理论学习不够深入，对党的创新理论", f"{start}学习不系统"]
    assert join_wrapped_lines(lines) == lines


@pytest.mark.parametrize("start", ["1.5亿元", "2024年", "第一书记", "一些党员"])
def test_join_before_words_that_only_look_like_items(start: str) -> None:
    assert join_wrapped_lines(["理论学习不够深入，对党的创新理论", start]) == [
        f"理论学习不够深入，对党的创新理论{start}"
    ]


def test_short_line_is_not_joined() -> None:
    lines = ["存在的问题", "理论学习不够深入，对党的创新理论学习不系统，", "往往满足于读原文。"]
    assert join_wrapped_lines(lines) == [lines[0], lines[1] + lines[2]]


def test_blank_lines_are_kept_and_never_joined() -> None:
    lines = ["理论学习不够深入，对党的创新理论", "", "学习不系统"]
    assert join_wrapped_lines(lines) == lines
    assert join_wrapped_lines([]) == []


@given(st.lists(st.text(alphabet="党建学习不深入，。；：一二、（）1.ab \t", max_size=30), max_size=12))
def test_joining_keeps_every_character(lines: list[str]) -> None:
    joined = join_wrapped_lines(lines)
    assert len(joined) <= len(lines)
    assert "".join("".join(joined).split()) == "".join("".join(lines).split())


WRAPPED = [
    "二、差距与短板",
    "（1）二级学院党组织政治功能发挥不够充分。部分二级学院党总支参与重",
    "大事项决策的程序不够规范，党政联席会有时变成院长办公会。（2）党建",
    "",
    "— 3 —",
    "",
    "工作与人才培养结合不够紧密，学生党员的示范作用体现不够。",
    "三、改进措施",
]


def test_undo_page_layout_drops_the_footer_and_joins_across_it_keeping_line_numbers() -> None:
    assert undo_page_layout(WRAPPED) == [
        (0, 0, WRAPPED[0]),
        (1, 6, WRAPPED[1] + WRAPPED[2] + WRAPPED[6]),
        (7, 7, WRAPPED[7]),
    ]


def test_a_column_of_short_lines_is_not_a_wrapped_page() -> None:
    lines = ["第一行", "第二行", "第三行"]
    assert undo_page_layout(lines) == [(0, 2, "第一行第二行第三行")]
    assert undo_page_layout(lines, narrowest_page=50) == [(index, index, line) for index, line in enumerate(lines)]


def test_half_width_full_stop_ends_a_line() -> None:
    lines = ["党员发挥作用的平台不多,党员身份在日常工作中体现不明显.", "原因主要是本人对党建工作重视不够,投入精力有限."]
    assert join_wrapped_lines(lines) == lines
