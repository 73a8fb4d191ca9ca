"""Tests for classifier.sentences.split_sentences."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.sentences import split_sentences


@pytest.mark.parametrize("text, expected", [
    ("学习不够。制度不全；作风不实！怎么办？", ["学习不够。", "制度不全；", "作风不实！", "怎么办？"]),
    ("学习不够;制度不全!作风不实", ["学习不够;", "制度不全!", "作风不实"]),
    ("第一行\n第二行\r\n第三行。", ["第一行", "第二行", "第三行。"]),
    ("学习不够\n\n\n制度不全", ["学习不够", "制度不全"]),
])
def test_splits_on_terminators_and_line_breaks(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("enumerator", ["一是", "（一）", "(一)", "1.", "1、"])
def test_enumerator_stays_at_start_of_its_sentence(enumerator):
    text = f"前面的话。{enumerator}理论学习不够深入。"
    assert split_sentences(text) == ["前面的话。", f"{enumerator}理论学习不够深入。"]


def test_consecutive_enumerated_items():
    assert split_sentences("一是认识不足。二是措施不力。三是作风不实。") == [
        "一是认识不足。", "二是措施不力。", "三是作风不实。"]


def test_closing_quote_stays_with_its_sentence():
    assert split_sentences("他说：“好。”然后走了。") == ["他说：“好。”", "然后走了。"]


def test_closing_bracket_stays_with_its_sentence():
    assert split_sentences("（学习不够。）制度不全。") == ["（学习不够。）", "制度不全。"]


@pytest.mark.parametrize("colon", [":", "："])
@pytest.mark.parametrize("enumerator", ["一是", "（一）", "1."])
def test_colon_before_enumerator_splits(colon, enumerator):
    text = f"主要有以下几方面{colon}{enumerator}认识不足。"
    assert split_sentences(text) == [f"主要有以下几方面{colon}", f"{enumerator}认识不足。"]


def test_colon_not_before_enumerator_does_not_split():
    assert split_sentences("他说：好的。") == ["他说：好的。"]


def test_heading_without_terminator_is_one_sentence():
    heading = "（一）抓基层党建的重视不足、精力投入不足"
    assert split_sentences(heading) == [heading]


def test_halfwidth_question_mark_does_not_split():
    assert split_sentences("有时候?会出现?乱码。") == ["有时候?会出现?乱码。"]


def test_sentences_are_stripped_but_keep_inner_spaces():
    assert split_sentences("  学习 不够。  制度不全。 ") == ["学习 不够。", "制度不全。"]


def test_lone_punctuation_joins_the_previous_sentence():
    assert split_sentences("结束了。 ！”再来") == ["结束了。！”", "再来"]


def test_empty_and_blank_text_give_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\u3000\n\t") == []


_ALPHABET = st.sampled_from(
    list("党建工作学习不足问题一二三是（）()1.、abZ9")
    + list("。；！？;!?：:“”（）")
    + [" ", "\u3000", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\u2028"]
)


@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_split_keeps_every_non_space_character(text):
    sentences = split_sentences(text)
    assert re.sub(r"\s", "", "".join(sentences)) == re.sub(r"\s", "", text)
    assert all(sentences)
    assert not any("\n" in sentence or "\r" in sentence for sentence in sentences)
    assert all(sentence == sentence.strip() for sentence in sentences)


@pytest.mark.parametrize("text, expected", [
    # Copied text written with half-width punctuation: "." after a Chinese character ends a sentence.
    ("党员年龄偏大.2.经费不足.下步打算:一是培养青年.", ["党员年龄偏大.", "2.经费不足.", "下步打算:", "一是培养青年."]),
    ("活动“走过场”.下一步", ["活动“走过场”.", "下一步"]),
    ("覆盖率达到95%.下一步", ["覆盖率达到95%.", "下一步"]),
    # Numbers, numbering and an ellipsis are not sentence ends.
    ("投入1.5万元用于阵地建设.", ["投入1.5万元用于阵地建设."]),
    ("二.存在问题", ["二.存在问题"]),
    ("问题 三.下步打算", ["问题 三.下步打算"]),
    ("还有...不足", ["还有...不足"]),
])
def test_half_width_full_stop(text, expected):
    assert split_sentences(text) == expected
