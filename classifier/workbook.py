"""The Excel workbook of `stats --xlsx`, one sheet per view: 汇总 (category statistics), 按组 and 对比 (when the
reports are grouped), 按报告 (reports x categories), 问题句 (every sentence, in the per-sentence table that `train
--add` reads back after correction) and 未计入文件 (files that failed, were skipped or repeated another).

openpyxl's write-only mode streams each sheet to a temporary file, and sentences are added as each report
arrives, so memory does not grow with the number of sentences.  openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from classifier.batch import BatchSummary
from classifier.output import StagedFiles, display_width
from classifier.reports import ReportResult
from classifier.sentence_table import CHINESE_HEADER, SENTENCE_SHEET, sentence_rows
from classifier.statistics import CategoryStatistics, GroupComparison, describe_change, failure_rows

SUMMARY_SHEET, GROUP_SHEET, COMPARISON_SHEET = "汇总", "按组", "对比"
PER_REPORT_SHEET, FAILURE_SHEET = "按报告", "未计入文件"
SUMMARY_HEADER = ("类别", "类别 id", "句数", "问题数", "报告数", "占比")
GROUP_HEADER = ("组", *SUMMARY_HEADER)
COMPARISON_HEADER = ("类别", "组甲", "组甲问题数", "组甲占比", "组乙", "组乙问题数", "组乙占比", "变化（百分点）",
                     "差异显著", "说明")
FAILURE_HEADER = ("文件", "情况", "说明")
# The sentence sheet is written before its content is known, so its widths are fixed (in Excel's character units).
SENTENCE_WIDTHS = (36, 6, 24, 6, 8, 8, 28, 80, 6, 24, 8, 24, 18, 40, 20)
MAX_WIDTH = 60


class StatisticsWorkbook:
    """The workbook sink: takes sentences report by report and is saved once, with the statistics, at the end.

    Use it as a context manager: leaving the block without saving (an error, Ctrl-C) closes the half-written
    sheets and removes their temporary files.
    """

    def __init__(self, statistics: CategoryStatistics, path: Path, comparison: GroupComparison | None = None) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment

        self.statistics = statistics
        self.path = Path(path)
        self.comparison = comparison
        self._workbook = Workbook(write_only=True)
        # Sheets appear in the order they are made; all but 问题句 are filled only in finish().
        self._summary = self._workbook.create_sheet(SUMMARY_SHEET)
        self._groups = self._workbook.create_sheet(GROUP_SHEET)
        self._comparison = self._workbook.create_sheet(COMPARISON_SHEET)
        self._per_report = self._workbook.create_sheet(PER_REPORT_SHEET)
        self._sentences = self._workbook.create_sheet(SENTENCE_SHEET)
        self._failures = self._workbook.create_sheet(FAILURE_SHEET)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self.sentence_rows = 0
        _start_sheet(self._sentences, CHINESE_HEADER, SENTENCE_WIDTHS)

    def __enter__(self) -> StatisticsWorkbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Throw away the sheets a run left unfinished (an error, Ctrl-C) and their temporary files; a saved
        workbook has none."""
        for sheet in self._workbook.worksheets:
            # openpyxl streams a started write-only sheet to a temporary file and removes it only once the workbook
            # is saved (or when Python exits); the sheet's writer is the one handle on that file.
            writer = getattr(sheet, "_writer", None)
            if writer is None:
                continue  # never started: no file
            if not sheet.closed:
                with contextlib.suppress(Exception):  # a half-written sheet is being thrown away anyway
                    sheet.close()
            with contextlib.suppress(OSError, ValueError):  # already removed by a successful save
                writer.cleanup()

    def add(self, result: ReportResult, group: str) -> None:
        """Append one row per sentence of ``result`` to the sentence sheet."""
        from openpyxl.cell import WriteOnlyCell

        text_column = CHINESE_HEADER.index("句子")
        for row in sentence_rows(result):
            cells: list[Any] = list(row)
            text = WriteOnlyCell(self._sentences, row[text_column])
            text.alignment = self._wrap
            cells[text_column] = text
            self._sentences.append(cells)
            self.sentence_rows += 1

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        """Write the other sheets and save the workbook atomically."""
        from openpyxl.utils import get_column_letter

        statistics = self.statistics
        summary_rows = [(name, category_id, sentences, problems, reports, share)
                        for category_id, name, sentences, problems, reports, share in statistics.rows()]
        _fill_sheet(self._summary, SUMMARY_HEADER, summary_rows, number_formats={6: "0.0%"})
        group_rows = [(group, name, category_id, sentences, problems, reports, share)
                      for group, category_id, name, sentences, problems, reports, share in statistics.group_rows()]
        _fill_sheet(self._groups, GROUP_HEADER, group_rows, number_formats={7: "0.0%"})
        comparison = self.comparison.rows() if self.comparison else []
        _fill_sheet(self._comparison, COMPARISON_HEADER,
                    [(*row[1:9], "是" if row[9] else "否", describe_change(row)) for row in comparison],
                    number_formats={4: "0.0%", 7: "0.0%"})
        per_report_header = ["报告", *(["组"] if statistics.groups else []),
                             *[category.name for category in statistics.categories]]
        _fill_sheet(self._per_report, per_report_header, statistics.per_report_rows(), freeze="B2")
        _fill_sheet(self._failures, FAILURE_HEADER, failure_rows(summary))
        self._sentences.auto_filter.ref = f"A1:{get_column_letter(len(CHINESE_HEADER))}{self.sentence_rows + 1}"
        with files.open(self.path, mode="wb", encoding=None) as handle:
            self._workbook.save(handle)
        return [f"已写入 {self.path}（{self.sentence_rows} 句）"]


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
