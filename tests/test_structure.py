"""Tests for classifier.structure.place_sentences: items, their bodies, nested numbering, the headings each
sentence sits under, the causes part and the numbering of problems."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.structure import CAUSES, KINDS, PROBLEMS, UNKNOWN, PlacedSentence, place_sentences


def place(*rows: str, part: str = PROBLEMS, first_problem: int = 1, start: int = 1) -> list[PlacedSentence]:
    return place_sentences(list(enumerate(rows, start=start)), 0, part, first_problem)


def table(placed: list[PlacedSentence]) -> list[tuple[str, str, int, str]]:
    """(text, kind, problem, heading) of each sentence."""
    return [(p.text, p.kind, p.problem, p.heading) for p in placed]


# ---------------------------------------------------------------------------------------------------------------
# Items and their bodies
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("一是", "二是"), ("（一）", "（二）"), ("(一)", "(二)"), ("1.", "2."), ("1、", "2、"), ("（1）", "（2）"),
    ("第一，", "第二，"), ("①", "②"),
])
def test_numbered_sentences_open_items(first, second):
    placed = place(f"{first}理论学习不够深入。{second}制度执行不够严格。")
    assert table(placed) == [
        (f"{first}理论学习不够深入。", "item", 1, ""),
        (f"{second}制度执行不够严格。", "item", 2, ""),
    ]
    assert {p.part for p in placed} == {PROBLEMS}


def test_unnumbered_sentences_after_an_item_are_its_body():
    placed = place("（一）理论学习不够深入。", "有时以干代学，学用脱节。学习笔记多，心得体会少。",
                   "（二）制度执行不够严格。", "个别支部“三会一课”记录不全，会议流于形式。", start=5)
    assert table(placed) == [
        ("（一）理论学习不够深入。", "item", 1, ""),
        ("有时以干代学，学用脱节。", "body", 1, "理论学习不够深入"),
        ("学习笔记多，心得体会少。", "body", 1, "理论学习不够深入"),
        ("（二）制度执行不够严格。", "item", 2, ""),
        ("个别支部“三会一课”记录不全，会议流于形式。", "body", 2, "制度执行不够严格"),
    ]
    assert [p.line for p in placed] == [5, 6, 6, 7, 8]


def test_body_on_the_same_line_as_its_item():
    placed = place("一是理论学习不够深入，学用结合不紧。平时忙于事务，学习时间难以保证。二是制度执行不严。")
    assert table(placed) == [
        ("一是理论学习不够深入，学用结合不紧。", "item", 1, ""),
        ("平时忙于事务，学习时间难以保证。", "body", 1, "理论学习不够深入，学用结合不紧"),
        ("二是制度执行不严。", "item", 2, ""),
    ]


def test_short_explanation_on_its_own_line_is_body():
    # A one-clause sentence that explains the item above it explains it, even when it is short.
    placed = place("2.制度执行不严", "具体表现为考核流于形式。")
    assert table(placed) == [
        ("2.制度执行不严", "item", 1, ""),
        ("具体表现为考核流于形式。", "body", 1, "制度执行不严"),
    ]


def test_unnumbered_title_line_opens_an_item():
    # A sub-heading whose Word numbering was lost.
    placed = place("理论学习不够深入", "具体表现为学习不系统，浅尝辄止。",
                   "制度执行不够严格", "个别支部会议记录不全，流于形式。")
    assert table(placed) == [
        ("理论学习不够深入", "item", 1, ""),
        ("具体表现为学习不系统，浅尝辄止。", "body", 1, "理论学习不够深入"),
        ("制度执行不够严格", "item", 2, ""),
        ("个别支部会议记录不全，流于形式。", "body", 2, "制度执行不够严格"),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Nested numbering
# ---------------------------------------------------------------------------------------------------------------

def test_nested_styles_nest_and_an_items_first_sentence_gets_its_parents_words():
    placed = place("（一）思想建设方面", "1.理论学习不够深入。具体表现为学习不系统，浅尝辄止。", "2.学用结合不紧密。",
                   "（二）组织建设方面", "1.发展党员把关不严。")
    assert table(placed) == [
        ("（一）思想建设方面", "item", 1, ""),
        ("1.理论学习不够深入。", "item", 1, "思想建设方面"),
        ("具体表现为学习不系统，浅尝辄止。", "body", 1, "理论学习不够深入"),
        ("2.学用结合不紧密。", "item", 1, "思想建设方面"),
        ("（二）组织建设方面", "item", 2, ""),
        ("1.发展党员把关不严。", "item", 2, "组织建设方面"),
    ]


def test_nesting_follows_the_order_the_author_uses():
    # 1. outside, （一） inside: the style met first is the outer one, whatever its usual rank.
    placed = place("1.理论学习不够深入", "（一）学习不系统，浅尝辄止。", "（二）学用结合不紧。",
                   "2.制度执行不够严格", "（一）考核流于形式，奖惩不明。")
    assert table(placed) == [
        ("1.理论学习不够深入", "item", 1, ""),
        ("（一）学习不系统，浅尝辄止。", "item", 1, "理论学习不够深入"),
        ("（二）学用结合不紧。", "item", 1, "理论学习不够深入"),
        ("2.制度执行不够严格", "item", 2, ""),
        ("（一）考核流于形式，奖惩不明。", "item", 2, "制度执行不够严格"),
    ]


def test_three_levels_and_going_back_out():
    placed = place("（一）政治建设方面", "1.理论武装不够深入", "一是学习不系统。只学文件，不读原著。",
                   "二是学用脱节。", "2.政治执行力不强", "（二）作风建设方面", "调研浮于表面，了解情况不深。")
    assert table(placed) == [
        ("（一）政治建设方面", "item", 1, ""),
        ("1.理论武装不够深入", "item", 1, "政治建设方面"),
        ("一是学习不系统。", "item", 1, "理论武装不够深入"),
        ("只学文件，不读原著。", "body", 1, "学习不系统"),
        ("二是学用脱节。", "item", 1, "理论武装不够深入"),
        ("2.政治执行力不强", "item", 1, "政治建设方面"),
        ("（二）作风建设方面", "item", 2, ""),
        ("调研浮于表面，了解情况不深。", "body", 2, "作风建设方面"),
    ]


# ---------------------------------------------------------------------------------------------------------------
# The causes part
# ---------------------------------------------------------------------------------------------------------------

PROBLEM_ROWS = ("一是理论学习不够深入，学用结合不紧。", "二是制度执行不严，考核流于形式。")


@pytest.mark.parametrize("opener, causes", [
    (["产生问题的原因："], ["一是思想认识不到位，重业务轻党建。", "二是责任传导层层递减。"]),
    (["原因分析"], ["主观上对党建工作重视不够，客观上基层力量薄弱。"]),
    (["（二）原因分析"], ["1.思想认识不到位，重业务轻党建。", "2.责任传导层层递减。"]),
    (["究其原因，主要有以下几点：一是思想认识不到位，重业务轻党建。"], ["二是责任传导层层递减。"]),
    (["产生上述问题的原因主要有："], ["一是思想认识不到位，重业务轻党建。"]),
    (["究其原因，主要是思想上重视不够，压力传导不到位。"], []),
])
def test_causes_lead_in_switches_to_the_causes_part(opener, causes):
    placed = place(*PROBLEM_ROWS, *opener, *causes)
    problems = [p for p in placed if p.line <= len(PROBLEM_ROWS)]
    rest = [p for p in placed if p.line > len(PROBLEM_ROWS)]
    assert [p.part for p in problems] == [PROBLEMS, PROBLEMS]
    assert rest and all(p.part == CAUSES for p in rest), table(rest)
    # The causes are not explanations of the last problem: they count on from the problems.
    assert all(p.problem > problems[-1].problem for p in rest)
    assert all(p.heading != "制度执行不严，考核流于形式" for p in rest)


def test_causes_items_are_numbered_on_their_own():
    placed = place(*PROBLEM_ROWS, "产生问题的原因：", "一是思想认识不到位。", "二是责任传导层层递减。")
    causes = [p for p in placed if p.kind == "item" and p.part == CAUSES]
    assert [p.text for p in causes] == ["一是思想认识不到位。", "二是责任传导层层递减。"]
    assert causes[1].problem == causes[0].problem + 1


def test_a_problem_sentence_that_mentions_a_cause_stays_a_problem():
    placed = place("一是部分党员对学习重视不够，主要原因是工学矛盾突出。", "二是组织生活不够严肃，原因在于要求不严。")
    assert [p.part for p in placed] == [PROBLEMS, PROBLEMS]
    assert [p.kind for p in placed] == ["item", "item"]


def test_outside_sections_the_part_never_changes():
    placed = place("一是理论学习不够深入。", "产生问题的原因：", "一是思想认识不到位。", part=UNKNOWN)
    assert {p.part for p in placed} == {UNKNOWN}


# ---------------------------------------------------------------------------------------------------------------
# Problem numbering, kinds, places
# ---------------------------------------------------------------------------------------------------------------

def test_a_paragraph_outside_any_list_is_one_problem():
    """Unnumbered paragraphs in a section: a topic sentence and the sentences that explain it."""
    placed = place("党员教育管理不够严格。部分党员长期不参加组织生活，支部也没有及时督促。",
                   "联系群众不够经常，调研浮于表面。")
    assert table(placed) == [
        ("党员教育管理不够严格。", "text", 1, ""),
        ("部分党员长期不参加组织生活，支部也没有及时督促。", "text", 1, ""),
        ("联系群众不够经常，调研浮于表面。", "text", 2, ""),
    ]


def test_words_of_an_unnumbered_list_open_its_items():
    placed = place("首先，理论学习不够深入。有时以干代学。其次，制度执行不严。最后，联系群众不够。")
    assert [(p.kind, p.problem) for p in placed] == [("item", 1), ("body", 1), ("item", 2), ("item", 3)]


def test_in_a_whole_text_each_sentence_outside_a_list_is_its_own_problem():
    placed = place("理论学习不够深入，学用结合不紧。制度执行不严格，考核流于形式。", part=UNKNOWN)
    assert [p.problem for p in placed] == [1, 2]


def test_a_sub_heading_naming_the_problems_opens_the_problems_part():
    placed = place("（一）存在的问题", "1.理论学习不够深入。", "2.制度执行不严格。", "（二）原因分析",
                   "1.思想认识不到位。")
    assert [(p.part, p.kind, p.problem) for p in placed] == [
        (PROBLEMS, "lead_in", 1), (PROBLEMS, "item", 2), (PROBLEMS, "item", 3), (CAUSES, "text", 4),
        (CAUSES, "item", 5)]


def test_text_then_a_list():
    placed = place("对照上级要求，自身还有不小差距。", "一是理论学习不够深入。", "有时以干代学，学用脱节。",
                   "二是制度执行不严。")
    assert [(p.kind, p.problem) for p in placed] == [("text", 1), ("item", 2), ("body", 2), ("item", 3)]


def test_problems_are_numbered_from_first_problem():
    placed = place("一是理论学习不够深入。", "有时以干代学，学用脱节。", "二是制度执行不严。", first_problem=7)
    assert [p.problem for p in placed] == [7, 7, 8]


def test_a_sentence_announcing_a_list_is_a_lead_in():
    placed = place("主要表现在：一是学习不够深入；二是制度执行不严。")
    assert [(p.text, p.kind) for p in placed] == [
        ("主要表现在：", "lead_in"), ("一是学习不够深入；", "item"), ("二是制度执行不严。", "item")]
    assert placed[2].problem == placed[1].problem + 1


def test_line_numbers_and_section_are_kept_and_blank_lines_skipped():
    rows = [(3, ""), (4, "  \u3000"), (5, "一是学习不够。二是制度不全。"), (9, "有时流于形式，效果不好。")]
    placed = place_sentences(rows, 2, PROBLEMS)
    assert [(p.line, p.section) for p in placed] == [(5, 2), (5, 2), (9, 2)]
    assert [p.kind for p in placed] == ["item", "item", "body"]


# ---------------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------------

TEXTS = ["理论学习不够深入，学用结合不紧。", "制度执行不严格，考核流于形式。", "党员队伍老化，后继乏人。",
         "联系群众不够经常，调研浮于表面。"]
TITLES = ["理论学习不够深入", "制度执行不够严格", "组织生活质量不高"]
NUMBERINGS = ["一是", "二是", "三是", "（一）", "（二）", "（三）", "1.", "2.", "3.", "①", "②", "第一，", "第二，"]
LINE = st.one_of(
    st.sampled_from(TEXTS),
    st.builds(lambda number, text: number + text, st.sampled_from(NUMBERINGS), st.sampled_from(TEXTS + TITLES)),
    st.lists(st.builds(lambda number, text: number + text, st.sampled_from(NUMBERINGS + [""]),
                       st.sampled_from(TEXTS)), min_size=2, max_size=4).map("".join),
    st.sampled_from(["", "  "]),
)
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]"
                        r"|第[一二三四五六七八九十]+[，,、]|[①-⑳])")


def words(sentence: str) -> str:
    """An item's words, computed here independently: without numbering and trailing punctuation."""
    return re.sub(r"[。；：:，,\s]+$", "", _NUMBERING.sub("", sentence.strip()))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=12))
def test_placing_keeps_every_visible_character_in_order(rows):
    placed = place(*rows)
    assert re.sub(r"\s", "", "".join(p.text for p in placed)) == re.sub(r"\s", "", "".join(rows))
    assert [p.line for p in placed] == sorted(p.line for p in placed)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=12), st.integers(1, 50))
def test_bodies_explain_the_item_before_them_and_problems_count_top_level_items(rows, first):
    placed = place(*rows, first_problem=first)
    last_item: PlacedSentence | None = None
    previous: PlacedSentence | None = None
    for sentence in placed:
        assert sentence.kind in KINDS
        assert sentence.part == PROBLEMS
        if sentence.kind == "body":
            assert last_item is not None, "a body before any item"
            assert sentence.heading == words(last_item.text)
        if sentence.kind in ("body",) or (sentence.kind == "item" and sentence.heading) or (
                sentence.kind == "text" and previous is not None and previous.kind == "text"
                and previous.line == sentence.line):
            # Explains an item, nests under one, or goes on with a paragraph in no list: the same problem.
            assert previous is not None and sentence.problem == previous.problem
        else:
            # A top-level item, or a sentence in no list: a new problem.
            assert sentence.problem == (previous.problem + 1 if previous else first)
        if sentence.kind == "item":
            last_item = sentence
        previous = sentence
