"""Tests for classifier.reports: from report text to sentences in their place, with role, scores and categories;
the whole-text fallback, strict mode, explanations, fingerprints, batches that go on past bad files, and placing
every sentence of a text."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from classifier.errors import InputError, NoProblemSectionError
from classifier.explain import Explanation
from classifier.model import MAX_CATEGORIES, CategoryScore
from classifier.reports import (
    FALLBACK_NOTE,
    WHOLE_TEXT_HEADING,
    ReportFailure,
    ReportResult,
    analyse_report,
    analyse_reports,
    analyse_text,
    fingerprint,
    place_every_sentence,
)
from classifier.sentences import split_sentences
from classifier.structure import KINDS, place_sentences
from classifier.taxonomy import ROLES

REPORT = "\n".join([
    "2023年度抓基层党建工作述职报告",
    "一、履职情况",
    "今年召开党委会研究党建工作十次，成效明显。",
    "二、存在的主要问题",
    "（一）党员教育不够深入。一是理论学习方式单一，多以读文件为主。二是对流动党员联系不够经常。",
    "（二）组织生活不规范。部分支部“三会一课”记录不全。",
    "（三）党建经费保障不足。党建工作经费主要靠上级拨付，来源单一。",
    "产生问题的原因：",
    "一是思想认识不到位，对党建工作重视不够。二是考核机制不健全，督促检查不经常。",
    "三、下一步打算",
    "加强理论学习，严格组织生活。",
    "",
])
NO_SECTION = "\n".join([
    "2023年度述职报告",
    "今年召开党委会十次，成效明显。",
    "党员理论学习不够深入，学习方式单一。",
    "党建工作经费保障不足。",
])


def non_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def result(small_model):
    return analyse_text(REPORT, "甲.txt", small_model)


# --- sections and places ---------------------------------------------------------------------------------------

def test_the_problem_section_is_found_and_measures_are_left_out(result):
    assert result.file == "甲.txt"
    assert result.note == ""
    [section] = result.sections
    assert section.heading == "二、存在的主要问题"
    assert section.start_line == 4
    texts = [sentence.text for sentence in result.sentences]
    assert texts[0] == "（一）党员教育不够深入。"
    assert "二是考核机制不健全，督促检查不经常。" in texts
    assert not any("加强理论学习" in text or "履职" in text or "召开党委会" in text for text in texts)


def test_every_sentence_of_the_section_is_there_once_in_order(result):
    section_lines = [line for number, line in enumerate(REPORT.splitlines(), start=1) if 5 <= number <= 9]
    expected = [sentence for line in section_lines for sentence in split_sentences(line)]
    assert [sentence.text for sentence in result.sentences] == expected


def test_each_sentence_knows_its_line_section_part_problem_heading_and_kind(result):
    lines = REPORT.splitlines()
    for sentence in result.sentences:
        assert sentence.text in lines[sentence.line - 1]
        assert sentence.section == 0
        assert sentence.kind in KINDS
    by_text = {sentence.text: sentence for sentence in result.sentences}
    item = by_text["（一）党员教育不够深入。"]
    assert (item.part, item.kind, item.heading) == ("问题", "item", "")
    nested = by_text["一是理论学习方式单一，多以读文件为主。"]
    assert nested.part == "问题" and nested.problem == item.problem
    assert "党员教育" in nested.heading  # it sits under the item that opens the problem
    body = by_text["部分支部“三会一课”记录不全。"]
    assert (body.kind, body.part) == ("body", "问题") and "组织生活" in body.heading
    assert body.problem == by_text["（二）组织生活不规范。"].problem == item.problem + 1
    causes = by_text["一是思想认识不到位，对党建工作重视不够。"]
    assert causes.part == "原因"
    assert by_text["二是考核机制不健全，督促检查不经常。"].part == "原因"
    assert by_text["产生问题的原因："].kind == "lead_in"
    assert [sentence.problem for sentence in result.sentences] == sorted(s.problem for s in result.sentences)


def test_the_places_are_those_of_the_structure_module(result):
    section = result.sections[0]
    placed = place_sentences(section.lines, 0, "问题")
    assert [(s.text, s.line, s.part, s.problem, s.heading, s.kind) for s in result.sentences] == \
        [(p.text, p.line, p.part, p.problem, p.heading, p.kind) for p in placed]


# --- the model's decision --------------------------------------------------------------------------------------

def test_role_score_and_categories_are_the_models_in_context(result, small_model):
    placed = place_sentences(result.sections[0].lines, 0, "问题")
    predictions = small_model.predict(placed)
    scores = small_model.scores(placed)
    for sentence, prediction, row in zip(result.sentences, predictions, scores.categories, strict=True):
        assert sentence.role == prediction.role
        assert sentence.problem_score == prediction.problem_score
        assert sentence.categories == prediction.categories
        assert sentence.scores == pytest.approx(tuple(row.tolist()))


def test_roles_scores_and_categories_are_consistent(result, small_model):
    column = {category.id: index for index, category in enumerate(small_model.categories)}
    for sentence in result.sentences:
        assert sentence.role in ROLES
        assert 0.0 <= sentence.problem_score <= 1.0
        assert len(sentence.scores) == len(small_model.categories)
        assert all(0.0 <= score <= 1.0 for score in sentence.scores)
        if sentence.role == "其他":
            assert sentence.categories == [] and sentence.problem_score < small_model.gate_threshold
            continue
        assert sentence.problem_score >= small_model.gate_threshold
        assert 1 <= len(sentence.categories) <= MAX_CATEGORIES
        assert all(isinstance(category, CategoryScore) for category in sentence.categories)
        ranked = [category.score for category in sentence.categories]
        assert ranked == sorted(ranked, reverse=True)
        # Each category's score is its entry among every category's scores, and the top one is the best of all.
        for category in sentence.categories:
            assert category.score == pytest.approx(sentence.scores[column[category.id]], abs=1e-4)
        assert sentence.categories[0].score == pytest.approx(max(sentence.scores), abs=1e-4)


def test_the_small_model_reads_clear_problems_as_problems(result):
    problems = [sentence for sentence in result.sentences if sentence.role != "其他"]
    assert len(problems) >= len(result.sentences) // 2
    assert any(category.id == "org_life" for sentence in result.sentences for category in sentence.categories)


# --- without a problem section ---------------------------------------------------------------------------------

def test_a_report_without_a_problem_section_is_read_whole_with_a_note(small_model):
    result = analyse_text(NO_SECTION, "乙.txt", small_model)
    assert FALLBACK_NOTE == "未找到问题部分，已按全文分析"
    assert result.note == FALLBACK_NOTE
    [section] = result.sections
    assert (section.heading, section.start_line, section.end_line) == (WHOLE_TEXT_HEADING, 1, 4)
    assert [sentence.text for sentence in result.sentences] == split_sentences(NO_SECTION)
    assert {sentence.section for sentence in result.sentences} == {0}
    assert {sentence.part for sentence in result.sentences} == {""}
    assert {sentence.role for sentence in result.sentences} <= set(ROLES)


def test_strict_refuses_a_report_without_a_problem_section(small_model):
    with pytest.raises(NoProblemSectionError) as caught:
        analyse_text(NO_SECTION, "乙.txt", small_model, strict=True)
    assert isinstance(caught.value, InputError)
    message = str(caught.value)
    assert "乙.txt" in message and "\n" not in message
    assert re.search(r"[\u4e00-\u9fff]", message)


def test_strict_accepts_a_report_with_a_problem_section(small_model, result):
    assert analyse_text(REPORT, "甲.txt", small_model, strict=True) == result


def test_all_sentences_reads_everything_without_the_note(small_model):
    whole = analyse_text(REPORT, "甲.txt", small_model, all_sentences=True)
    assert whole.note == ""
    [section] = whole.sections
    assert section.heading == WHOLE_TEXT_HEADING
    assert [sentence.text for sentence in whole.sentences] == split_sentences(REPORT)
    assert "加强理论学习，严格组织生活。" in [sentence.text for sentence in whole.sentences]
    no_section = analyse_text(NO_SECTION, "乙.txt", small_model, all_sentences=True)
    assert no_section.note == ""
    assert [sentence.text for sentence in no_section.sentences] == split_sentences(NO_SECTION)
    # strict does not refuse what all_sentences reads whole anyway
    assert analyse_text(NO_SECTION, "乙.txt", small_model, all_sentences=True, strict=True) == no_section


# --- explanations ----------------------------------------------------------------------------------------------

def test_explained_gives_one_explanation_per_assigned_category(small_model, result):
    explained = analyse_text(REPORT, "甲.txt", small_model, explained=True)
    assert [s.categories for s in explained.sentences] == [s.categories for s in result.sentences]
    assert any(sentence.categories for sentence in explained.sentences)
    for sentence in explained.sentences:
        assert [e.category for e in sentence.explanations] == [c.name for c in sentence.categories]
        for explanation in sentence.explanations:
            assert isinstance(explanation, Explanation)
            assert 0.0 <= explanation.context_share <= 1.0
            assert all(c.weight > 0 and c.feature for c in explanation.contributions)
    assert any(e.contributions for s in explained.sentences for e in s.explanations)


def test_without_explained_there_are_no_explanations(result):
    assert all(sentence.explanations == () for sentence in result.sentences)


def test_explanations_appear_in_the_dictionary_only_when_asked_for(small_model, result):
    plain = result.to_dict()
    assert all("explanations" not in sentence for sentence in plain["sentences"])
    explained = analyse_text(REPORT, "甲.txt", small_model, explained=True).to_dict()
    first = next(s for s in explained["sentences"] if s["categories"])
    assert [e["category"] for e in first["explanations"]] == [c["name"] for c in first["categories"]]
    assert set(first["explanations"][0]) == {"category", "context_share", "features"}


# --- fingerprints ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("respaced", [
    REPORT.replace("\n", "\r\n"),
    REPORT.replace("\n", "\n\n"),
    "  " + REPORT.replace("\n", "\n\u3000\u3000"),
    REPORT.replace("，", " ， ").replace("\n", " \t\n") + "\n\n\n",
])
def test_the_fingerprint_ignores_spacing_and_line_breaks(small_model, result, respaced):
    assert fingerprint(respaced) == fingerprint(REPORT)
    assert analyse_text(respaced, "丙.txt", small_model).fingerprint == result.fingerprint


@pytest.mark.parametrize("changed", [
    REPORT.replace("十次", "九次"),
    REPORT + "补充。",
    REPORT.replace("一、履职情况", "一、履职情况。"),
    NO_SECTION,
])
def test_the_fingerprint_differs_for_different_text(changed):
    assert fingerprint(changed) != fingerprint(REPORT)


def test_the_fingerprint_does_not_depend_on_the_file_or_the_options(small_model, result):
    assert analyse_text(REPORT, "别的名字.txt", small_model, all_sentences=True).fingerprint == result.fingerprint
    assert result.fingerprint


# --- files and batches -----------------------------------------------------------------------------------------

def test_analyse_report_reads_the_file_in_its_encoding(tmp_path, small_model, result):
    utf8 = tmp_path / "甲.txt"
    utf8.write_text(REPORT, encoding="utf-8")
    gbk = tmp_path / "乙.txt"
    gbk.write_bytes(REPORT.replace("\n", "\r\n").encode("gb18030"))
    read = analyse_report(utf8, small_model)
    assert read.file == str(utf8)
    assert read.sentences == result.sentences and read.fingerprint == result.fingerprint
    assert analyse_report(gbk, small_model).sentences == result.sentences
    assert analyse_report(gbk, small_model, encoding="gb18030").fingerprint == result.fingerprint


def test_analyse_reports_goes_on_past_bad_files(tmp_path, small_model):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    whole = tmp_path / "whole.txt"
    whole.write_text(NO_SECTION, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(b"\xff\xd8\xff\xe0 not a report")
    paths = [missing, good, empty, picture, whole]
    results = list(analyse_reports(paths, small_model))
    assert [type(item) for item in results] == [ReportFailure, ReportResult, ReportFailure, ReportFailure,
                                                ReportResult]
    assert [item.file for item in results] == [str(path) for path in paths]
    failures = [results[0], results[2], results[3]]
    assert [failure.unsupported for failure in failures] == [False, False, True]
    for failure, path in zip(failures, (missing, empty, picture), strict=True):
        assert path.name in failure.message and "\n" not in failure.message
    assert results[1].note == "" and results[4].note == FALLBACK_NOTE


def test_analyse_reports_with_strict_fails_only_the_report_without_a_section(tmp_path, small_model):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    whole = tmp_path / "whole.txt"
    whole.write_text(NO_SECTION, encoding="utf-8")
    failed, kept = list(analyse_reports([whole, good], small_model, strict=True))
    assert isinstance(failed, ReportFailure) and not failed.unsupported and "whole.txt" in failed.message
    assert isinstance(kept, ReportResult) and kept.sentences


def test_analyse_reports_passes_its_options_on(tmp_path, small_model):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    [whole] = analyse_reports([good], small_model, all_sentences=True)
    assert len(whole.sentences) == len(split_sentences(REPORT))
    [explained] = analyse_reports([good], small_model, explained=True)
    assert any(sentence.explanations for sentence in explained.sentences)


# --- every sentence of a text ----------------------------------------------------------------------------------

INLINE = "\n".join([
    "述职报告",
    "一、履职情况",
    "今年召开党委会十次。",
    "  本人带头讲党课，但也存在一些不足，主要表现在：一是理论学习不深入。二是经费保障不足。",
    "三、下一步打算",
    "加强学习。",
])


@pytest.mark.parametrize("text", [REPORT, NO_SECTION, INLINE], ids=["sections", "no-section", "inline"])
def test_place_every_sentence_places_every_sentence_once(text):
    placed = place_every_sentence(text)
    lines = text.splitlines()
    by_line: dict[int, list[str]] = {}
    for sentence in placed:
        by_line.setdefault(sentence.line, []).append(sentence.text)
        assert sentence.kind in KINDS
    for number, line in enumerate(lines, start=1):
        assert Counter(non_space("".join(by_line.get(number, [])))) == Counter(non_space(line)), line
    assert Counter(sentence.text for sentence in placed) == Counter(split_sentences(text))
    assert [sentence.line for sentence in placed] == sorted(sentence.line for sentence in placed)


def test_place_every_sentence_places_section_sentences_as_classify_does(small_model, result):
    placed = place_every_sentence(REPORT)
    inside = [p for p in placed if p.section >= 0]
    assert [(p.text, p.line, p.part, p.problem, p.heading, p.kind) for p in inside] == \
        [(s.text, s.line, s.part, s.problem, s.heading, s.kind) for s in result.sentences]
    outside = [p for p in placed if p.section < 0]
    assert outside and all(p.part == "" for p in outside)
    assert {p.text for p in outside} >= {"一、履职情况", "二、存在的主要问题", "加强理论学习，严格组织生活。"}


def test_place_every_sentence_of_an_inline_section(small_model):
    placed = place_every_sentence(INLINE)
    section = {p.text: p for p in placed if p.section >= 0}
    assert set(section) == {"一是理论学习不深入。", "二是经费保障不足。"}
    assert {p.part for p in section.values()} == {"问题"}
    lead = [p for p in placed if p.section < 0 and p.line == 4]
    assert [p.text for p in lead] == ["本人带头讲党课，但也存在一些不足，主要表现在："]


def test_place_every_sentence_without_a_section_is_the_whole_text_reading(small_model):
    placed = place_every_sentence(NO_SECTION)
    whole = analyse_text(NO_SECTION, "乙.txt", small_model)
    assert [(p.text, p.line, p.part, p.problem, p.kind) for p in placed] == \
        [(s.text, s.line, s.part, s.problem, s.kind) for s in whole.sentences]


def test_scores_hold_every_category_for_a_sentence_without_categories(small_model):
    result = analyse_text(NO_SECTION, "乙.txt", small_model)
    for sentence in result.sentences:
        assert len(sentence.scores) == len(small_model.categories)
        assert np.all(np.isfinite(sentence.scores))


def test_the_shipped_model_analyses_the_sample_report(shipped_model):
    from pathlib import Path

    from classifier.readers import read_report

    path = Path(__file__).resolve().parents[1] / "data" / "samples" / "sample_report.txt"
    result = analyse_text(read_report(path), str(path), shipped_model, explained=True)
    assert result.note == "" and len(result.sections) == 1
    assert all(len(s.scores) == len(shipped_model.categories) for s in result.sentences)
    assert all([e.category for e in s.explanations] == [c.name for c in s.categories] for s in result.sentences)
    assert {s.part for s in result.sentences} == {"问题", "原因"}
