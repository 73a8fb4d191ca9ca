"""Tests for classifier.reports: from report text to categorised problem sentences."""

from __future__ import annotations

import pytest

from classifier.errors import InputError
from classifier.model import CategoryScore
from classifier.reports import WHOLE_TEXT_HEADING, ReportFailure, ReportResult, analyse_reports, analyse_text

REPORT = "\n".join([
    "2018年抓基层党建工作述职报告",
    "一、履职情况",
    "今年召开党委会研究党建工作十次，成效明显。",
    "二、存在的主要问题",
    "一是党员理论学习不够深入，学习方式单一。二是三会一课制度落实不严格，组织生活不规范。",
    "三、下一步打算",
    "加强理论学习，严格组织生活。",
    "（一）补充说明",
    "问题和不足",
    "对党建工作重视不够，主体责任落实不到位。",
    "",
])


def test_sentences_come_only_from_problem_sections(small_model):
    result = analyse_text(REPORT, "甲.txt", small_model)
    assert result.file == "甲.txt"
    assert [section.heading for section in result.sections] == ["二、存在的主要问题", "问题和不足"]
    assert [(s.section, s.text) for s in result.sentences] == [
        (0, "一是党员理论学习不够深入，学习方式单一。"),
        (0, "二是三会一课制度落实不严格，组织生活不规范。"),
        (1, "对党建工作重视不够，主体责任落实不到位。"),
    ]
    for sentence in result.sentences:
        assert sentence.text in result.sections[sentence.section].text


def test_sentences_get_categories(small_model):
    result = analyse_text(REPORT, "甲.txt", small_model)
    assert all(isinstance(c, CategoryScore) for s in result.sentences for c in s.categories)
    assert all(len(s.categories) <= 3 for s in result.sentences)
    assert result.sentences[0].categories[0].id == "education"
    assert result.sentences[1].categories[0].id == "org_life"


def test_no_problem_section_points_to_all_sentences(small_model):
    with pytest.raises(InputError) as caught:
        analyse_text("一、履职情况\n今年召开党委会十次，成效明显。\n", "乙.txt", small_model)
    message = str(caught.value)
    assert "乙.txt" in message
    assert "--all-sentences" in message
    assert "\n" not in message


def test_all_sentences_classifies_whole_text(small_model):
    text = "今年召开党委会十次，成效明显。\n党员理论学习不够深入。\n\n"
    result = analyse_text(text, "乙.txt", small_model, all_sentences=True)
    [section] = result.sections
    assert (section.heading, section.start_line, section.end_line) == (WHOLE_TEXT_HEADING, 1, 3)
    assert [s.text for s in result.sentences] == ["今年召开党委会十次，成效明显。", "党员理论学习不够深入。"]
    assert {s.section for s in result.sentences} == {0}


def test_to_dict(small_model):
    document = analyse_text(REPORT, "甲.txt", small_model).to_dict()
    assert set(document) == {"file", "sections", "sentences"}
    assert document["sections"][0] == {"heading": "二、存在的主要问题", "start_line": 4, "end_line": 5}
    assert set(document["sentences"][0]) == {"section", "text", "categories"}


def test_analyse_reports_goes_on_after_a_failure(tmp_path, small_model):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    results = list(analyse_reports([missing, good], small_model))
    assert isinstance(results[0], ReportFailure) and results[0].file == str(missing)
    assert isinstance(results[1], ReportResult) and len(results[1].sentences) == 3
