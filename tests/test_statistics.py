"""Tests for classifier.statistics.CategoryStatistics."""

from __future__ import annotations

import pytest

from classifier.model import CategoryScore
from classifier.reports import ReportResult, SentenceResult
from classifier.sections import Section
from classifier.statistics import STATISTICS_COLUMNS, CategoryStatistics
from classifier.taxonomy import Category

CATEGORIES = [Category("responsibility", "责任落实"), Category("education", "党员教育"),
              Category("funding", "经费保障")]
RESPONSIBILITY = CategoryScore("responsibility", "责任落实", 0.9)
EDUCATION = CategoryScore("education", "党员教育", 0.7)
SECTION = Section("二、存在问题", 1, 5, "…")


def report(file, *sentence_categories):
    return ReportResult(file, [SECTION], [SentenceResult(0, f"句子{i}。", list(categories))
                                          for i, categories in enumerate(sentence_categories)])


@pytest.fixture
def statistics():
    statistics = CategoryStatistics(CATEGORIES)
    statistics.add(report("a.txt", [RESPONSIBILITY, EDUCATION], [EDUCATION], []))
    statistics.add(report("b.txt", [EDUCATION], [], []))
    statistics.add(report("c.txt"))
    return statistics


def test_rows(statistics):
    # 3 categorised sentences (a: 2, b: 1); education is in all three, responsibility in one.
    assert statistics.categorised_sentences == 3
    rows = statistics.rows()
    assert len(rows[0]) == len(STATISTICS_COLUMNS)
    assert [row[:4] for row in rows] == [
        ("education", "党员教育", 3, 2),
        ("responsibility", "责任落实", 1, 1),
        ("funding", "经费保障", 0, 0),
    ]
    assert [row[4] for row in rows] == [pytest.approx(1.0), pytest.approx(1 / 3, abs=1e-4), 0.0]


def test_ties_keep_codebook_order():
    statistics = CategoryStatistics(CATEGORIES)
    statistics.add(report("a.txt", [EDUCATION], [RESPONSIBILITY]))
    assert [row[0] for row in statistics.rows()] == ["responsibility", "education", "funding"]
    assert [row[4] for row in statistics.rows()] == [0.5, 0.5, 0.0]


def test_no_categorised_sentence_gives_zero_shares():
    statistics = CategoryStatistics(CATEGORIES)
    statistics.add(report("a.txt", [], []))
    assert [row[2:] for row in statistics.rows()] == [(0, 0, 0.0)] * 3


def test_per_report_rows(statistics):
    assert statistics.per_report_header() == ["file", "responsibility", "education", "funding"]
    assert statistics.per_report_rows() == [
        ["a.txt", 1, 2, 0],
        ["b.txt", 0, 1, 0],
        ["c.txt", 0, 0, 0],
    ]
