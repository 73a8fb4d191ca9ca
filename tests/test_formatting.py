"""Tests for classifier.formatting: table, JSON and CSV renderings of results."""

from __future__ import annotations

import csv
import io
import json

import pytest

from classifier.formatting import (
    NO_CATEGORY,
    REPORT_FORMATS,
    reports_csv,
    reports_json,
    reports_table,
    sentences_csv,
    sentences_json,
)
from classifier.model import CategoryScore
from classifier.reports import ReportResult, SentenceResult
from classifier.sections import Section

RESPONSIBILITY = CategoryScore("responsibility", "责任落实", 0.9123)
EDUCATION = CategoryScore("education", "党员教育", 0.5)
RESULT = ReportResult(
    file="报告/甲.txt",
    sections=[Section("二、存在问题", 4, 6, "…"), Section("主要问题", 9, 9, "…")],
    sentences=[
        SentenceResult(0, "对党建重视不够，理论学习不深入。", [RESPONSIBILITY, EDUCATION]),
        SentenceResult(0, "一、工作情况", []),
        SentenceResult(1, "学习不够，\"引号\"也要对。", [EDUCATION]),
    ],
)


def test_reports_json_structure():
    text = reports_json([RESULT])
    assert "责任落实" in text and "\\u" not in text
    assert json.loads(text) == [{
        "file": "报告/甲.txt",
        "sections": [{"heading": "二、存在问题", "start_line": 4, "end_line": 6},
                     {"heading": "主要问题", "start_line": 9, "end_line": 9}],
        "sentences": [
            {"section": 0, "text": "对党建重视不够，理论学习不深入。", "categories": [
                {"id": "responsibility", "name": "责任落实", "score": 0.9123},
                {"id": "education", "name": "党员教育", "score": 0.5}]},
            {"section": 0, "text": "一、工作情况", "categories": []},
            {"section": 1, "text": "学习不够，\"引号\"也要对。", "categories": [
                {"id": "education", "name": "党员教育", "score": 0.5}]},
        ],
    }]


def test_reports_csv():
    text = reports_csv([RESULT])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [
        ["file", "section", "text", "category_ids", "categories", "scores"],
        ["报告/甲.txt", "二、存在问题", "对党建重视不够，理论学习不深入。", "responsibility|education",
         "责任落实|党员教育", "0.9123|0.5"],
        ["报告/甲.txt", "二、存在问题", "一、工作情况", "", "", ""],
        ["报告/甲.txt", "主要问题", "学习不够，\"引号\"也要对。", "education", "党员教育", "0.5"],
    ]


def test_reports_table():
    table = reports_table([RESULT])
    assert "== 报告/甲.txt ==" in table
    assert "【二、存在问题】（第 4-6 行）" in table
    assert "责任落实 0.91，党员教育 0.50" in table
    assert f"→ {NO_CATEGORY}" in table and NO_CATEGORY == "（无类别）"
    lines = table.splitlines()
    # Sentences are numbered within their section, each followed by its categories.
    second_section = lines.index("【主要问题】（第 9-9 行）")
    assert lines[second_section + 1].strip() == "1. 学习不够，\"引号\"也要对。"
    assert lines[second_section + 2].strip() == "→ 党员教育 0.50"


def test_sentences_json_and_csv():
    texts = ["学习不够。", "好。"]
    predictions = [[EDUCATION], []]
    assert json.loads(sentences_json(texts, predictions)) == [
        {"text": "学习不够。", "categories": [{"id": "education", "name": "党员教育", "score": 0.5}]},
        {"text": "好。", "categories": []},
    ]
    csv_text = sentences_csv(texts, predictions)
    assert csv_text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(csv_text[1:]))) == [
        ["text", "category_ids", "categories", "scores"],
        ["学习不够。", "education", "党员教育", "0.5"],
        ["好。", "", "", ""],
    ]


def test_sentences_need_one_prediction_each():
    with pytest.raises(ValueError):
        sentences_json(["学习不够。", "好。"], [[]])


def test_report_formats():
    assert set(REPORT_FORMATS) == {"table", "json", "csv"}
    assert REPORT_FORMATS["json"]([]) == "[]\n"
