"""Tests for classifier.workbook: the three sheets, their layout, and streaming and atomic saving."""

from __future__ import annotations

import gc
import os
import weakref

import openpyxl
import pytest

from classifier.errors import InputError
from classifier.statistics import CategoryStatistics
from classifier.workbook import (
    PER_REPORT_SHEET,
    SENTENCE_HEADER,
    SENTENCE_SHEET,
    SENTENCE_WIDTHS,
    SUMMARY_HEADER,
    SUMMARY_SHEET,
    StatisticsWorkbook,
    display_width,
)

TRICKY = "“三会一课”落实<不到位>&记录=不全，"


@pytest.fixture
def reports(make_report):
    texts = ["理论学习不深入，责任没压实。", TRICKY, "产生问题的原因："]
    return [make_report("甲/一号.txt", [0, 2], [2], [], texts=texts),
            make_report("乙.docx", [2], [9, 0, 3]),
            make_report("丙.pdf")]


@pytest.fixture
def saved(tmp_path, taxonomy, reports):
    statistics, path = CategoryStatistics(taxonomy), tmp_path / "summary.xlsx"
    with StatisticsWorkbook() as workbook:
        for report in reports:
            statistics.add(report)
            workbook.add(report)
        workbook.save(path, statistics)
    return openpyxl.load_workbook(path), statistics, workbook


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_three_sheets_in_order_headers_bold_and_frozen(saved):
    book, _, _ = saved
    assert book.sheetnames == [SUMMARY_SHEET, PER_REPORT_SHEET, SENTENCE_SHEET]
    for sheet in book:
        assert all(cell.font.bold for cell in sheet[1])
    assert book[SUMMARY_SHEET].freeze_panes == "A2"
    assert book[PER_REPORT_SHEET].freeze_panes == "B2"  # the report column stays in view too
    assert book[SENTENCE_SHEET].freeze_panes == "A2"


def test_summary_is_the_sorted_statistics_with_share_as_percentage(saved):
    book, statistics, _ = saved
    rows = values(book[SUMMARY_SHEET])
    assert rows[0] == list(SUMMARY_HEADER)
    assert rows[1:] == [[name, category_id, sentences, reports, share]
                        for category_id, name, sentences, reports, share in statistics.rows()]
    assert rows[1][:4] == ["党员教育", "education", 3, 2]
    assert all(book[SUMMARY_SHEET].cell(row, 5).number_format == "0.0%" for row in range(2, len(rows) + 1))
    sheet = book[SUMMARY_SHEET]
    assert sheet.column_dimensions["A"].width == display_width("其他问题") + 2  # the widest name, 4 characters
    assert sheet.column_dimensions["B"].width == len("responsibility") + 2


def test_per_report_sheet_has_a_column_per_category_name(saved, taxonomy):
    book, statistics, _ = saved
    rows = values(book[PER_REPORT_SHEET])
    assert rows[0] == ["报告", *[category.name for category in taxonomy]]
    assert rows[1:] == statistics.per_report_rows()
    assert [row[0] for row in rows[1:]] == ["甲/一号.txt", "乙.docx", "丙.pdf"]


def test_sentence_sheet_has_every_sentence_with_chinese_and_markup_intact(saved, reports):
    book, _, workbook = saved
    sheet = book[SENTENCE_SHEET]
    rows = values(sheet)
    assert rows[0] == list(SENTENCE_HEADER)
    assert len(rows) - 1 == workbook.sentence_rows == sum(len(report.sentences) for report in reports) == 5
    assert rows[1] == ["甲/一号.txt", "二、存在的问题", "理论学习不深入，责任没压实。", "责任落实|党员教育", "0.9|0.8"]
    assert rows[2][2] == TRICKY
    assert rows[3][3:] == [None, None]  # a sentence without a category is listed with empty categories
    assert rows[5][3] == "经费保障|责任落实|党员管理"
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == list(SENTENCE_WIDTHS)
    assert sheet["C2"].alignment.wrap_text
    assert sheet.auto_filter.ref == "A1:E6"


def test_workbook_does_not_keep_the_reports(make_report):
    with StatisticsWorkbook() as workbook:
        report = make_report("a.txt", [0], [1])
        watcher = weakref.ref(report)
        workbook.add(report)
        del report
        gc.collect()
        assert watcher() is None


def test_missing_folder_is_an_input_error(tmp_path, taxonomy, reports):
    with pytest.raises(InputError, match="不存在"), StatisticsWorkbook() as workbook:
        workbook.add(reports[0])
        workbook.save(tmp_path / "missing" / "summary.xlsx", CategoryStatistics(taxonomy))


def test_failed_save_leaves_the_old_file(tmp_path, taxonomy, reports, monkeypatch):
    path = tmp_path / "summary.xlsx"
    path.write_bytes(b"the user's old workbook")

    def broken_save(handle):
        handle.write(b"PK half a zip")
        raise OSError("disk full")

    with pytest.raises(OSError), StatisticsWorkbook() as workbook:
        workbook.add(reports[0])
        monkeypatch.setattr(workbook._workbook, "save", broken_save)
        workbook.save(path, CategoryStatistics(taxonomy))
    assert path.read_bytes() == b"the user's old workbook"
    assert os.listdir(tmp_path) == ["summary.xlsx"]


def unraisable_after(make_workbook, monkeypatch):
    caught = []
    monkeypatch.setattr("sys.unraisablehook", caught.append)
    make_workbook()
    gc.collect()
    return caught


def test_unsaved_workbook_is_closed_quietly(reports, monkeypatch):
    def closed():
        with StatisticsWorkbook() as workbook:
            workbook.add(reports[0])

    def left_open():  # the mess the context manager prevents: errors printed when Python collects the sheets
        StatisticsWorkbook().add(reports[0])

    assert unraisable_after(closed, monkeypatch) == []
    assert unraisable_after(left_open, monkeypatch)
