"""The Excel workbook of `stats --xlsx`: sheets 汇总 (category statistics), 按报告 (reports x categories) and
问题句 (every sentence of the problem sections, with its categories and scores).

openpyxl's write-only mode streams each sheet to a temporary file, and sentences are added as each report
arrives, so memory does not grow with the number of sentences.  openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from classifier.formatting import joined
from classifier.output import atomic_writer
from classifier.reports import ReportResult
from classifier.statistics import CategoryStatistics

SUMMARY_SHEET, PER_REPORT_SHEET, SENTENCE_SHEET = "汇总", "按报告", "问题句"
SUMMARY_HEADER = ("类别", "类别 id", "句数", "报告数", "占比")
SENTENCE_HEADER = ("报告", "问题部分", "句子", "类别", "得分")
# The sentence sheet is written before its content is known, so its widths are fixed (in Excel's character units).
SENTENCE_WIDTHS = (40, 28, 90, 28, 20)
MAX_WIDTH = 60


def display_width(value: Any) -> int:
    """The width of ``value`` in Excel character units: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


class StatisticsWorkbook:
    """A workbook that takes sentences report by report and is saved once, with the statistics, at the end.

    Use it as a context manager: leaving the block without saving (an error, Ctrl-C) closes the half-written
    sheets, whose temporary files openpyxl removes when Python exits.
    """

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment

        self._workbook = Workbook(write_only=True)
        # Sheets appear in the order they are made; 汇总 and 按报告 are filled only in save().
        self._summary = self._workbook.create_sheet(SUMMARY_SHEET)
        self._per_report = self._workbook.create_sheet(PER_REPORT_SHEET)
        self._sentences = self._workbook.create_sheet(SENTENCE_SHEET)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self.sentence_rows = 0
        _start_sheet(self._sentences, SENTENCE_HEADER, SENTENCE_WIDTHS)

    def __enter__(self) -> StatisticsWorkbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Finish any sheet still open; a saved workbook has none.  Unfinished sheets raise when garbage-collected."""
        for sheet in self._workbook.worksheets:
            if not sheet.closed:
                # A sheet left broken by a failed save cannot always be finished; it is being thrown away anyway.
                with contextlib.suppress(Exception):
                    sheet.close()

    def add(self, report: ReportResult) -> None:
        """Append one row per sentence of ``report``: file, section heading, sentence, categories, scores."""
        from openpyxl.cell import WriteOnlyCell

        for sentence in report.sentences:
            text = WriteOnlyCell(self._sentences, sentence.text)
            text.alignment = self._wrap
            self._sentences.append([
                report.file, report.sections[sentence.section].heading, text,
                joined(sentence.categories, "name"), joined(sentence.categories, "score"),
            ])
            self.sentence_rows += 1

    def save(self, path: Path, statistics: CategoryStatistics) -> None:
        """Write the two statistics sheets from ``statistics`` and save the workbook atomically to ``path``."""
        from openpyxl.utils import get_column_letter

        summary = [(name, category_id, sentences, reports, share)
                   for category_id, name, sentences, reports, share in statistics.rows()]
        _fill_sheet(self._summary, SUMMARY_HEADER, summary, number_formats={5: "0.0%"})
        per_report_header = ["报告", *[category.name for category in statistics.categories]]
        _fill_sheet(self._per_report, per_report_header, statistics.per_report_rows(), freeze="B2")
        last_column = get_column_letter(len(SENTENCE_HEADER))
        self._sentences.auto_filter.ref = f"A1:{last_column}{self.sentence_rows + 1}"
        with atomic_writer(path, mode="wb", encoding=None) as handle:
            self._workbook.save(handle)


def _start_sheet(sheet: Any, header: Sequence[str], widths: Sequence[float], freeze: str = "A2") -> None:
    """Set column widths and frozen panes (write-only sheets need both before any row), then write the header."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def _fill_sheet(sheet: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], freeze: str = "A2",
                number_formats: dict[int, str] | None = None) -> None:
    """Write a whole sheet whose rows are known: columns as wide as their widest value, capped at MAX_WIDTH."""
    from openpyxl.cell import WriteOnlyCell

    widths = [min(max(display_width(value) for value in column) + 2, MAX_WIDTH)
              for column in zip(header, *rows, strict=True)]
    _start_sheet(sheet, header, widths, freeze)
    for row in rows:
        cells = []
        for index, value in enumerate(row, start=1):
            cell = WriteOnlyCell(sheet, value)
            if number_formats and index in number_formats:
                cell.number_format = number_formats[index]
            cells.append(cell)
        sheet.append(cells)
