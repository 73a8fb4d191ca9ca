"""Tests for classifier.statistics: counts per category (sentences, problems, reports, share of categorised
problems), per group and per report; comparing two groups with a Fisher exact test; the rows of files not
counted; and the CSV files of `stats`."""

from __future__ import annotations

import csv
import io

import pytest

from classifier.batch import BatchSummary, Duplicate, finish
from classifier.reports import FALLBACK_NOTE, ReportFailure
from classifier.statistics import (
    COMPARISON_COLUMNS,
    FAILURE_COLUMNS,
    GROUP_COLUMNS,
    STATISTICS_COLUMNS,
    CategoryStatistics,
    GroupComparison,
    StatisticsFiles,
    describe_change,
    failure_rows,
    failures_path,
    fisher_exact_p,
)

# taxonomy positions
RESPONSIBILITY, MECHANISM, EDUCATION, MANAGEMENT, ORG_LIFE = 0, 1, 2, 3, 4


def read_csv(path):
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), path
    return list(csv.reader(io.StringIO(text[1:])))


def row_of(rows, category_id):
    return next(row for row in rows if row[0] == category_id)


@pytest.fixture
def statistics(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    # a.txt: problem 1 has three sentences, two of them education; problem 2 is responsibility and education
    statistics.add(make_report("a.txt", [EDUCATION], [EDUCATION, MANAGEMENT], [], [RESPONSIBILITY, EDUCATION],
                               problems=[1, 1, 1, 2]))
    # b.txt: one problem of two sentences, education; one 其他 sentence alone
    statistics.add(make_report("b.txt", [EDUCATION], [EDUCATION], [], problems=[1, 1, 2]))
    # c.txt: nothing categorised
    statistics.add(make_report("c.txt", [], []))
    return statistics


# --- counts ----------------------------------------------------------------------------------------------------

def test_sentences_problems_reports_and_share_per_category(statistics):
    rows = statistics.rows()
    assert all(len(row) == len(STATISTICS_COLUMNS) for row in rows)
    assert STATISTICS_COLUMNS == ("category_id", "category", "sentences", "problems", "reports", "share")
    education = row_of(rows, "education")
    # sentences 5 (a: 3, b: 2); problems 3 (a: 2, b: 1: a problem counts once); reports 2
    assert education[1:5] == ("党员教育", 5, 3, 2)
    # categorised problems: a has 2, b has 1 -> 3; education is in all of them
    assert education[5] == pytest.approx(1.0)
    assert row_of(rows, "management")[2:] == (1, 1, 1, pytest.approx(1 / 3, abs=1e-4))
    assert row_of(rows, "responsibility")[2:] == (1, 1, 1, pytest.approx(1 / 3, abs=1e-4))
    assert row_of(rows, "funding")[2:] == (0, 0, 0, 0.0)
    assert statistics.total.categorised_problems == 3
    assert statistics.total.report_count == 3
    assert statistics.categorised_sentences == 5  # a: 3, b: 2


def test_rows_most_problems_first_ties_in_codebook_order(statistics, taxonomy):
    rows = statistics.rows()
    assert rows[0][0] == "education"
    assert [row[0] for row in rows[1:3]] == ["responsibility", "management"]  # 1 problem each, codebook order
    untouched = [row[0] for row in rows if row[3] == 0]
    assert untouched == [c.id for c in taxonomy if c.id not in ("education", "responsibility", "management")]
    assert len(rows) == len(taxonomy)


def test_a_problem_counts_once_however_many_of_its_sentences_have_the_category(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("a.txt", [ORG_LIFE], [ORG_LIFE], [ORG_LIFE], [ORG_LIFE], problems=[1, 1, 1, 1]))
    assert row_of(statistics.rows(), "org_life")[2:] == (4, 1, 1, 1.0)
    statistics.add(make_report("b.txt", [ORG_LIFE], [ORG_LIFE], problems=[1, 2]))
    assert row_of(statistics.rows(), "org_life")[2:] == (6, 3, 2, 1.0)


def test_shares_are_of_the_categorised_problems(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    # four problems, one without a category (其他 sentences only): three categorised problems
    statistics.add(make_report("a.txt", [ORG_LIFE, MECHANISM], [MECHANISM], [ORG_LIFE], [],
                               problems=[1, 2, 3, 4]))
    rows = statistics.rows()
    assert statistics.total.categorised_problems == 3
    assert row_of(rows, "org_life")[5] == pytest.approx(2 / 3, abs=1e-4)
    assert row_of(rows, "mechanism")[5] == pytest.approx(2 / 3, abs=1e-4)


def test_nothing_categorised_gives_zero_shares(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("a.txt", [], []))
    assert {row[2:] for row in statistics.rows()} == {(0, 0, 0, 0.0)}


def test_per_report_rows(statistics, taxonomy):
    assert statistics.per_report_header() == ["file", *[c.id for c in taxonomy]]
    rows = statistics.per_report_rows()
    assert [row[0] for row in rows] == ["a.txt", "b.txt", "c.txt"]
    column = {c.id: index + 1 for index, c in enumerate(taxonomy)}
    assert rows[0][column["education"]] == 3 and rows[0][column["management"]] == 1
    assert rows[1][column["education"]] == 2
    assert rows[2][1:] == [0] * len(taxonomy)


# --- groups ----------------------------------------------------------------------------------------------------

@pytest.fixture
def grouped(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("2023/a.txt", [EDUCATION], [ORG_LIFE]), "2023")
    statistics.add(make_report("2023/b.txt", [EDUCATION], [EDUCATION], problems=[1, 1]), "2023")
    statistics.add(make_report("2024/a.txt", [ORG_LIFE], [ORG_LIFE], [MECHANISM]), "2024")
    return statistics


def test_counts_per_group(grouped):
    assert sorted(grouped.groups) == ["2023", "2024"]
    a, b = grouped.groups["2023"], grouped.groups["2024"]
    assert (a.report_count, a.categorised_problems, a.problems["education"], a.sentences["education"]) == (2, 3, 2, 3)
    assert (b.report_count, b.categorised_problems, b.problems["org_life"]) == (1, 3, 2)
    assert grouped.total.report_count == 3 and grouped.total.categorised_problems == 6


def test_group_rows_put_the_group_first_groups_in_name_order(grouped, taxonomy):
    rows = grouped.group_rows()
    assert len(rows) == 2 * len(taxonomy)
    assert all(len(row) == len(GROUP_COLUMNS) for row in rows)
    assert GROUP_COLUMNS[0] == "group"
    assert [row[0] for row in rows] == ["2023"] * len(taxonomy) + ["2024"] * len(taxonomy)
    assert rows[0][1:] == ("education", "党员教育", 3, 2, 2, pytest.approx(2 / 3, abs=1e-4))
    assert rows[len(taxonomy)][1:3] == ("org_life", "组织生活")


def test_per_report_rows_with_groups(grouped, taxonomy):
    assert grouped.per_report_header()[:2] == ["file", "group"]
    assert [row[:2] for row in grouped.per_report_rows()] == [["2023/a.txt", "2023"], ["2023/b.txt", "2023"],
                                                              ["2024/a.txt", "2024"]]


def test_compare_gives_shares_and_change_in_percentage_points(grouped):
    rows = grouped.compare("2023", "2024")
    assert all(len(row) == len(COMPARISON_COLUMNS) for row in rows)
    education = row_of(rows, "education")
    assert education[1:8] == ("党员教育", "2023", 2, pytest.approx(2 / 3, abs=1e-4), "2024", 0, 0.0)
    assert education[8] == pytest.approx(-66.7, abs=0.05)
    org_life = row_of(rows, "org_life")
    assert org_life[8] == pytest.approx(33.3, abs=0.05)
    assert [abs(row[8]) for row in rows] == sorted((abs(row[8]) for row in rows), reverse=True)
    assert not any(row[9] for row in rows)  # 3 problems against 3: nothing is beyond chance
    assert grouped.compare("2024", "2023")[0][8] == pytest.approx(66.7, abs=0.05)


def test_a_big_change_in_tiny_groups_is_not_significant_the_same_in_large_groups_is(taxonomy, make_report):
    def compared(size):
        statistics = CategoryStatistics(taxonomy)
        # group 甲: a quarter of the problems are about education; group 乙: three quarters
        statistics.add(make_report("甲.txt", *([[EDUCATION]] * size + [[ORG_LIFE]] * (3 * size))), "甲")
        statistics.add(make_report("乙.txt", *([[EDUCATION]] * (3 * size) + [[ORG_LIFE]] * size)), "乙")
        return row_of(statistics.compare("甲", "乙"), "education")

    tiny, large = compared(1), compared(30)
    assert tiny[8] == large[8] == pytest.approx(50.0)
    assert not tiny[9]
    assert large[9]


def test_fisher_exact_p():
    assert fisher_exact_p(1, 3, 3, 1) > 0.05
    assert fisher_exact_p(30, 90, 90, 30) < 0.001
    assert fisher_exact_p(0, 0, 3, 1) == 1.0
    assert fisher_exact_p(2, 2, 2, 2) == pytest.approx(1.0)


def test_describe_change_says_the_direction_in_chinese(grouped):
    rows = {row[0]: row for row in grouped.compare("2023", "2024")}
    assert "下降" in describe_change(rows["education"]) and "66.7" in describe_change(rows["education"])
    assert "上升" in describe_change(rows["org_life"])
    assert "持平" in describe_change(rows["funding"])
    assert "偶然" in describe_change(rows["education"])  # not significant, and it says so


def test_group_comparison_picks_the_only_two_groups(grouped):
    comparison = GroupComparison(grouped)
    assert comparison.pair() == ("2023", "2024")
    assert comparison.rows() == grouped.compare("2023", "2024")
    lines = comparison.lines()
    assert "2023" in lines[0] and "2024" in lines[0]
    assert len(lines) == 1 + len(grouped.categories)
    assert finish([comparison], BatchSummary()) == []


def test_group_comparison_picks_the_two_asked_for(grouped, make_report):
    grouped.add(make_report("2025/a.txt", [EDUCATION]), "2025")
    assert GroupComparison(grouped).pair() is None  # three groups, none asked for
    assert GroupComparison(grouped).rows() == [] and GroupComparison(grouped).lines() == []
    asked = GroupComparison(grouped, ("2025", "2023"))
    assert asked.pair() == ("2025", "2023")
    assert asked.rows() == grouped.compare("2025", "2023")


def test_group_comparison_warns_when_a_group_asked_for_is_missing(grouped):
    comparison = GroupComparison(grouped, ("2023", "2030"))
    assert comparison.pair() is None and comparison.rows() == []
    [warning] = finish([comparison], BatchSummary())
    assert "2030" in warning and "2023" in warning and "2024" in warning


def test_group_comparison_without_groups(statistics):
    assert GroupComparison(statistics).pair() is None
    assert GroupComparison(statistics).lines() == []


# --- files not counted -----------------------------------------------------------------------------------------

@pytest.fixture
def summary():
    return BatchSummary(
        reports=2,
        failures=[ReportFailure("坏.docx", "坏.docx：无法读取"), ReportFailure("图.jpg", "图.jpg 已跳过", True)],
        duplicates=[Duplicate("副本.txt", "原件.txt")],
        whole_text=["全文.txt"])


def test_failure_rows_name_every_file_not_counted_and_the_reports_read_whole(summary):
    assert FAILURE_COLUMNS == ("file", "kind", "message")
    rows = failure_rows(summary)
    assert [row[:2] for row in rows] == [("坏.docx", "失败"), ("图.jpg", "跳过"), ("副本.txt", "重复"),
                                         ("全文.txt", "全文分析")]
    assert rows[0][2] == "坏.docx：无法读取"
    assert "原件.txt" in rows[2][2]
    assert rows[3][2] == FALLBACK_NOTE
    assert failure_rows(BatchSummary()) == []


# --- the CSV files ---------------------------------------------------------------------------------------------

def test_failures_path_is_beside_the_statistics(tmp_path):
    assert failures_path(tmp_path / "stats.csv") == tmp_path / "stats.failures.csv"
    assert failures_path(tmp_path / "统计.2024.csv") == tmp_path / "统计.2024.failures.csv"


def test_statistics_files_write_the_stats_the_failures_and_the_per_report_csv(tmp_path, statistics, summary):
    output, per_report = tmp_path / "stats.csv", tmp_path / "per_report.csv"
    messages = finish([StatisticsFiles(statistics, output, per_report)], summary)
    rows = read_csv(output)
    assert rows[0] == list(STATISTICS_COLUMNS)
    assert rows[1:] == [[str(value) for value in row] for row in statistics.rows()]
    failures = read_csv(tmp_path / "stats.failures.csv")
    assert failures[0] == list(FAILURE_COLUMNS)
    assert failures[1:] == [list(row) for row in failure_rows(summary)]
    reports = read_csv(per_report)
    assert reports[0] == statistics.per_report_header()
    assert reports[1:] == [[str(value) for value in row] for row in statistics.per_report_rows()]
    assert any(str(output) in message for message in messages)
    assert any("stats.failures.csv" in message for message in messages)
    assert any(str(per_report) in message for message in messages)


def test_the_failures_csv_is_header_only_when_nothing_failed(tmp_path, statistics):
    finish([StatisticsFiles(statistics, tmp_path / "stats.csv", None)], BatchSummary(reports=3))
    assert read_csv(tmp_path / "stats.failures.csv") == [list(FAILURE_COLUMNS)]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["stats.csv", "stats.failures.csv"]


def test_grouped_stats_csv_has_the_group_first(tmp_path, grouped):
    finish([StatisticsFiles(grouped, tmp_path / "stats.csv", tmp_path / "per_report.csv")], BatchSummary())
    rows = read_csv(tmp_path / "stats.csv")
    assert rows[0] == list(GROUP_COLUMNS) and rows[0][0] == "group"
    assert rows[1:] == [[str(value) for value in row] for row in grouped.group_rows()]
    assert read_csv(tmp_path / "per_report.csv")[0][:2] == ["file", "group"]


def test_only_the_per_report_csv_when_only_it_is_asked_for(tmp_path, statistics):
    messages = finish([StatisticsFiles(statistics, None, tmp_path / "per_report.csv")], BatchSummary())
    assert [path.name for path in tmp_path.iterdir()] == ["per_report.csv"]
    assert len(messages) == 1


def test_category_statistics_is_a_sink_that_writes_nothing(taxonomy, make_report, tmp_path):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("a.txt", [EDUCATION]), "")
    assert finish([statistics], BatchSummary()) == []
    assert statistics.groups == {}  # the empty group is no group
