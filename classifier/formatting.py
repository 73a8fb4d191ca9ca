"""The outputs of `classify` and `predict`: a terminal table, JSON and CSV, for reports and for bare sentences.

ReportsOutput is the batch's sink for `classify`: it keeps the results (a `classify` run is one screen or one
file) and renders them in the chosen format when the run is finished, naming the files that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from classifier.batch import BatchSummary
from classifier.model import CategoryScore, Prediction
from classifier.output import StagedFiles, csv_text, json_records_text, json_text
from classifier.reports import ReportResult
from classifier.sentence_table import HEADER, joined, sentence_rows


def _decision(role: str, categories: list[CategoryScore]) -> str:
    found = "，".join(f"{c.name} {c.score:.2f}" for c in categories)
    return f"{role} · {found}" if found else role


def reports_table(results: list[ReportResult], summary: BatchSummary | None = None) -> str:
    """A plain-text view: each report, its sections, and every sentence with its role, categories and scores
    (and, when explained, the features that decided each category)."""
    lines: list[str] = []
    for result in results:
        lines.append(f"== {result.file} ==")
        if result.note:
            lines.append(f"（{result.note}）")
        for index, section in enumerate(result.sections):
            lines.append(f"【{section.heading}】（第 {section.start_line}-{section.end_line} 行）")
            sentences = [sentence for sentence in result.sentences if sentence.section == index]
            for number, sentence in enumerate(sentences, start=1):
                lines.append(f"{number:>3}. {sentence.text}")
                lines.append(f"     → {_decision(sentence.role, sentence.categories)}")
                lines.extend(f"       依据 {explanation.describe()}" for explanation in sentence.explanations)
        lines.append("")
    lines.extend(_failure_lines(summary))
    return "\n".join(lines)


def _failure_lines(summary: BatchSummary | None) -> list[str]:
    if summary is None:
        return []
    lines = [f"未能处理：{failure.message}" for failure in summary.failed]
    lines += [f"已跳过：{failure.message}" for failure in summary.skipped]
    lines += [f"重复：{duplicate.message}" for duplicate in summary.duplicates]
    return lines + ([""] if lines else [])


def reports_json(results: list[ReportResult], summary: BatchSummary | None = None) -> str:
    """One object per report; files that failed, were skipped or repeated another follow as {"file", "error"}."""
    documents: list[dict] = [result.to_dict() for result in results]
    if summary is not None:
        documents += [{"file": failure.file, "error": failure.message} for failure in summary.failures]
        documents += [{"file": duplicate.file, "error": duplicate.message}
                      for duplicate in summary.duplicates]
    return json_text(documents)


def reports_csv(results: list[ReportResult], summary: BatchSummary | None = None) -> str:
    """The per-sentence table (classifier.sentence_table), the form `train --add` reads back."""
    return csv_text(HEADER, (row for result in results for row in sentence_rows(result)))


def sentences_json(texts: list[str], predictions: list[Prediction]) -> str:
    """One prediction per line."""
    return json_records_text([
        {"text": text, "role": prediction.role, "problem_score": prediction.problem_score,
         "categories": [category.to_dict() for category in prediction.categories]}
        for text, prediction in zip(texts, predictions, strict=True)
    ])


def sentences_csv(texts: list[str], predictions: list[Prediction]) -> str:
    rows = [(text, prediction.role, joined(prediction.categories, "name"), prediction.problem_score,
             joined(prediction.categories, "id"), joined(prediction.categories, "score"))
            for text, prediction in zip(texts, predictions, strict=True)]
    return csv_text(("text", "role", "labels", "problem_score", "category_ids", "scores"), rows)


REPORT_FORMATS: dict[str, Callable[..., str]] = {"table": reports_table, "json": reports_json, "csv": reports_csv}
SENTENCE_FORMATS: dict[str, Callable[[list[str], list[Prediction]], str]] = {
    "json": sentences_json, "csv": sentences_csv}


class ReportsOutput:
    """The sink of `classify`: every report in one format, to a file or (``path`` None) to ``write``."""

    def __init__(self, format: str, path: Path | None, write: Callable[[str], object]) -> None:
        self.render = REPORT_FORMATS[format]
        self.path = path
        self.write = write
        self.results: list[ReportResult] = []

    def add(self, result: ReportResult, group: str) -> None:
        self.results.append(result)

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        if not self.results and not summary.failures:
            return []
        text = self.render(self.results, summary)
        if self.path is None:
            self.write(text)
            return []
        files.write_text(self.path, text)
        return [f"已写入 {self.path}"]
