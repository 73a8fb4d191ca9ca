"""Tests for classifier.workbook: the six sheets in order, the sentence sheet that reads back as labelled data,
the comparison sheet, atomic saving, and no temporary file left behind."""

from __future__ import annotations

import os
import tempfile

import openpyxl
import pytest

from classifier.batch import BatchSummary, Duplicate, finish
from classifier.data import load_labelled, read_table
from classifier.errors import InputError
from classifier.reports import FALLBACK_NOTE, ReportFailure
from classifier.sentence_table import CHINESE_HEADER, HEADER, SENTENCE_SHEET
from classifier.statistics import CategoryStatistics, GroupComparison, failure_rows
from classifier.workbook import (
    COMPARISON_HEADER,
    COMPARISON_SHEET,
    FAILURE_HEADER,
    FAILURE_SHEET,
    GROUP_HEADER,
    GROUP_SHEET,
    PER_REPORT_SHEET,
    SUMMARY_HEADER,
    SUMMARY_SHEET,
    StatisticsWorkbook,
    display_width,
)

TRICKY = "“三会一课”落实<不到位>&记录=不全，"
SHEETS = ["汇总", "按组", "对比", "按报告", "问题句", "未计入文件"]


@pytest.fixture
def own_tempdir(tmp_path, monkeypatch):
    """openpyxl's temporary sheet files go to a folder of the test's own, so that leftovers can be seen."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def reports(make_report):
    texts = ["理论学习不深入，责任没压实。", TRICKY, "产生问题的原因："]
    return [make_report("甲/一号.txt", [0, 2], [2], [], texts=texts),
            make_report("乙/二号.docx", [2], [9, 0, 3]),
            make_report("乙/三号.pdf", note=FALLBACK_NOTE)]


GROUPS = ["甲", "乙", "乙"]
SUMMARY = BatchSummary(reports=3, failures=[ReportFailure("坏.docx", "坏.docx：无法读取"),
                                            ReportFailure("图.jpg", "图.jpg 已跳过", True)],
                       duplicates=[Duplicate("副本.txt", "甲/一号.txt")], whole_text=["乙/三号.pdf"])


def build(path, taxonomy, reports, grouped=False, compare=True):
    statistics = CategoryStatistics(taxonomy)
    comparison = GroupComparison(statistics) if compare else None
    with StatisticsWorkbook(statistics, path, comparison) as workbook:
        for report, group in zip(reports, GROUPS, strict=True):
            group = group if grouped else ""
            statistics.add(report, group)
            workbook.add(report, group)
        messages = finish([workbook], SUMMARY)
    return statistics, comparison, workbook, messages


@pytest.fixture
def saved(tmp_path, taxonomy, reports, own_tempdir):
    path = tmp_path / "summary.xlsx"
    statistics, comparison, workbook, messages = build(path, taxonomy, reports, grouped=True)
    return openpyxl.load_workbook(path), statistics, comparison, workbook, messages, path


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_six_sheets_in_order_with_bold_frozen_headers(saved):
    book, *_ = saved
    assert book.sheetnames == SHEETS == [SUMMARY_SHEET, GROUP_SHEET, COMPARISON_SHEET, PER_REPORT_SHEET,
                                         SENTENCE_SHEET, FAILURE_SHEET]
    for sheet in book:
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    assert book[SUMMARY_SHEET].freeze_panes == "A2"
    assert book[SENTENCE_SHEET].freeze_panes == "A2"
    assert book[PER_REPORT_SHEET].freeze_panes == "B2"


def test_the_sentence_sheet_has_the_chinese_headers_and_one_row_per_sentence(saved, reports):
    book, _, _, workbook, messages, _ = saved
    rows = values(book[SENTENCE_SHEET])
    assert tuple(rows[0]) == CHINESE_HEADER
    assert "句子" in CHINESE_HEADER and "角色" in CHINESE_HEADER and "类别" in CHINESE_HEADER
    sentences = [sentence for report in reports for sentence in report.sentences]
    assert len(rows) - 1 == workbook.sentence_rows == len(sentences) == 5
    text, role, labels = (CHINESE_HEADER.index(name) for name in ("句子", "角色", "类别"))
    assert [row[text] for row in rows[1:]] == [sentence.text for sentence in sentences]
    assert rows[2][text] == TRICKY  # markup characters kept as they are
    assert [row[role] for row in rows[1:]] == [sentence.role for sentence in sentences]
    assert rows[1][labels] == "责任落实|党员教育"
    assert rows[5][labels] == "经费保障|责任落实|党员管理"
    assert rows[3][labels] in (None, "")  # 其他: no labels
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(CHINESE_HEADER) - 1]
    assert book[SENTENCE_SHEET].auto_filter.ref == f"A1:{last}{len(sentences) + 1}"
    assert any("5" in message and "summary.xlsx" in message for message in messages)


def test_the_sentence_sheet_reads_back_in_canonical_columns(saved, reports, taxonomy):
    *_, path = saved
    frame = read_table(path)
    assert set(HEADER) <= set(frame.columns)
    sentences = [sentence for report in reports for sentence in report.sentences]
    assert frame["text"].tolist() == [sentence.text for sentence in sentences]
    assert frame["role"].tolist() == [sentence.role for sentence in sentences]
    assert frame["file"].tolist()[0] == "甲/一号.txt"
    assert frame["note"].tolist()[-1] == ""  # 三号.pdf has no sentences; the others no note
    data = load_labelled(path, taxonomy)  # the corrections round trip: the sheet is labelled data as it is
    assert data.frame["labels"].tolist() == ["|".join(c.id for c in s.categories) for s in sentences]


def test_corrections_made_in_the_sheet_are_read_back(saved, taxonomy, tmp_path):
    *_, path = saved
    book = openpyxl.load_workbook(path)
    sheet = book[SENTENCE_SHEET]
    role, labels = CHINESE_HEADER.index("角色") + 1, CHINESE_HEADER.index("类别") + 1
    sheet.cell(4, role).value, sheet.cell(4, labels).value = "原因", "制度机制"
    corrected = tmp_path / "corrected.xlsx"
    book.save(corrected)
    data = load_labelled(corrected, taxonomy)
    assert data.frame["role"].tolist()[2] == "原因"
    assert data.frame["labels"].tolist()[2] == "mechanism"


def test_the_summary_sheet_is_the_statistics(saved):
    book, statistics, *_ = saved
    rows = values(book[SUMMARY_SHEET])
    assert tuple(rows[0]) == SUMMARY_HEADER
    assert rows[1:] == [[name, category_id, sentences, problems, reports, share]
                        for category_id, name, sentences, problems, reports, share in statistics.rows()]
    share_column = len(SUMMARY_HEADER)
    assert all(book[SUMMARY_SHEET].cell(row, share_column).number_format == "0.0%" for row in range(2, len(rows) + 1))


def test_the_group_sheet_has_one_row_per_group_and_category(saved, taxonomy):
    book, statistics, *_ = saved
    rows = values(book[GROUP_SHEET])
    assert tuple(rows[0]) == GROUP_HEADER
    assert len(rows) - 1 == 2 * len(taxonomy)
    assert [row[0] for row in rows[1:]] == ["乙"] * len(taxonomy) + ["甲"] * len(taxonomy)
    assert rows[1:] == [[group, name, category_id, sentences, problems, reports, share]
                        for group, category_id, name, sentences, problems, reports, share in statistics.group_rows()]


def test_the_comparison_sheet_is_filled_when_a_comparison_is_given(saved, taxonomy):
    book, _, comparison, *_ = saved
    rows = values(book[COMPARISON_SHEET])
    assert tuple(rows[0]) == COMPARISON_HEADER
    expected = comparison.rows()
    assert len(rows) - 1 == len(expected) == len(taxonomy)
    assert [row[0] for row in rows[1:]] == [row[1] for row in expected]
    assert [row[7] for row in rows[1:]] == [row[8] for row in expected]
    assert {row[8] for row in rows[1:]} <= {"是", "否"}
    assert all(row[9] for row in rows[1:])  # a sentence in Chinese for each


def test_the_comparison_sheet_is_only_a_header_without_a_comparison(tmp_path, taxonomy, reports, own_tempdir):
    path = tmp_path / "plain.xlsx"
    build(path, taxonomy, reports, grouped=False, compare=False)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    assert values(book[COMPARISON_SHEET]) == [list(COMPARISON_HEADER)]
    assert values(book[GROUP_SHEET]) == [list(GROUP_HEADER)]
    assert values(book[PER_REPORT_SHEET])[0] == ["报告", *[category.name for category in taxonomy]]


def test_the_per_report_sheet(saved, taxonomy):
    book, statistics, *_ = saved
    rows = values(book[PER_REPORT_SHEET])
    assert rows[0] == ["报告", "组", *[category.name for category in taxonomy]]
    assert rows[1:] == statistics.per_report_rows()
    assert [row[0] for row in rows[1:]] == ["甲/一号.txt", "乙/二号.docx", "乙/三号.pdf"]


def test_the_failure_sheet_names_every_file_not_counted(saved):
    book, *_ = saved
    rows = values(book[FAILURE_SHEET])
    assert tuple(rows[0]) == FAILURE_HEADER
    assert [tuple(row) for row in rows[1:]] == failure_rows(SUMMARY)
    assert [row[1] for row in rows[1:]] == ["失败", "跳过", "重复", "全文分析"]


def test_display_width_counts_chinese_twice():
    assert display_width("abc") == 3
    assert display_width("党建") == 4
    assert display_width(0.5) == 3


# --- saving ----------------------------------------------------------------------------------------------------

def test_a_saved_workbook_leaves_no_temporary_file(saved, own_tempdir):
    *_, path = saved
    assert os.listdir(own_tempdir) == []
    assert sorted(os.listdir(path.parent)) == ["summary.xlsx", "temporary"]


def test_leaving_without_finishing_leaves_no_temporary_file(tmp_path, taxonomy, reports, own_tempdir):
    statistics = CategoryStatistics(taxonomy)
    with pytest.raises(KeyboardInterrupt), StatisticsWorkbook(statistics, tmp_path / "summary.xlsx") as workbook:
        for report in reports:
            workbook.add(report, "")
        assert os.listdir(own_tempdir)  # the sentence sheet streams to a temporary file
        raise KeyboardInterrupt
    assert os.listdir(own_tempdir) == []
    assert not (tmp_path / "summary.xlsx").exists()


def test_leaving_quietly_without_finishing_leaves_no_temporary_file(tmp_path, taxonomy, reports, own_tempdir):
    with StatisticsWorkbook(CategoryStatistics(taxonomy), tmp_path / "summary.xlsx") as workbook:
        workbook.add(reports[0], "")
    assert os.listdir(own_tempdir) == []
    assert [path.name for path in tmp_path.iterdir()] == ["temporary"]


def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(tmp_path, taxonomy, reports, own_tempdir,
                                                                 monkeypatch):
    path = tmp_path / "summary.xlsx"
    path.write_bytes(b"the user's old workbook")

    def broken_save(handle):
        handle.write(b"PK half a zip")
        raise OSError("disk full")

    with pytest.raises(InputError, match="原有文件未改动"), \
            StatisticsWorkbook(CategoryStatistics(taxonomy), path) as workbook:
        workbook.add(reports[0], "")
        monkeypatch.setattr(workbook._workbook, "save", broken_save)
        finish([workbook], SUMMARY)
    assert path.read_bytes() == b"the user's old workbook"
    assert sorted(os.listdir(tmp_path)) == ["summary.xlsx", "temporary"]  # no half-written file beside it


def test_saving_replaces_an_existing_workbook(tmp_path, taxonomy, reports, own_tempdir):
    path = tmp_path / "summary.xlsx"
    path.write_bytes(b"old")
    build(path, taxonomy, reports)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS


def test_a_missing_folder_is_an_input_error(tmp_path, taxonomy, reports, own_tempdir):
    with pytest.raises(InputError, match="不存在"), \
            StatisticsWorkbook(CategoryStatistics(taxonomy), tmp_path / "missing" / "summary.xlsx") as workbook:
        workbook.add(reports[0], "")
        finish([workbook], SUMMARY)


def test_a_failed_save_leaves_no_temporary_file(tmp_path, taxonomy, reports, own_tempdir, monkeypatch):
    def broken_save(handle):
        raise OSError("disk full")

    with pytest.raises(InputError), StatisticsWorkbook(CategoryStatistics(taxonomy), tmp_path / "s.xlsx") as workbook:
        workbook.add(reports[0], "")
        monkeypatch.setattr(workbook._workbook, "save", broken_save)
        finish([workbook], SUMMARY)
    assert os.listdir(own_tempdir) == []


def test_leaving_without_finishing_prints_nothing_when_the_sheets_are_collected(taxonomy, reports, tmp_path,
                                                                                own_tempdir, monkeypatch):
    import gc

    caught = []
    monkeypatch.setattr("sys.unraisablehook", caught.append)
    with StatisticsWorkbook(CategoryStatistics(taxonomy), tmp_path / "summary.xlsx") as workbook:
        workbook.add(reports[0], "")
    del workbook
    gc.collect()
    assert caught == []
