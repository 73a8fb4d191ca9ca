"""Rendering results as text: a terminal table, JSON and CSV, for reports and for bare sentences."""

from __future__ import annotations

from collections.abc import Callable

from classifier.model import CategoryScore
from classifier.output import csv_text, json_text
from classifier.reports import ReportResult

NO_CATEGORY = "（无类别）"


def joined(categories: list[CategoryScore], field: str) -> str:
    """One field ("id", "name" or "score") of each category, joined by "|" as in every CSV and sheet we write."""
    return "|".join(str(getattr(category, field)) for category in categories)


def reports_table(results: list[ReportResult]) -> str:
    """A plain-text view: each report, its sections, and every sentence with its categories and scores."""
    lines: list[str] = []
    for result in results:
        lines.append(f"== {result.file} ==")
        for index, section in enumerate(result.sections):
            lines.append(f"【{section.heading}】（第 {section.start_line}-{section.end_line} 行）")
            sentences = [sentence for sentence in result.sentences if sentence.section == index]
            for number, sentence in enumerate(sentences, start=1):
                found = "，".join(f"{c.name} {c.score:.2f}" for c in sentence.categories) or NO_CATEGORY
                lines.append(f"{number:>3}. {sentence.text}")
                lines.append(f"     → {found}")
        lines.append("")
    return "\n".join(lines)


def reports_json(results: list[ReportResult]) -> str:
    return json_text([result.to_dict() for result in results])


def reports_csv(results: list[ReportResult]) -> str:
    rows = [
        (result.file, result.sections[sentence.section].heading, sentence.text,
         joined(sentence.categories, "id"), joined(sentence.categories, "name"),
         joined(sentence.categories, "score"))
        for result in results for sentence in result.sentences
    ]
    return csv_text(("file", "section", "text", "category_ids", "categories", "scores"), rows)


def sentences_json(texts: list[str], predictions: list[list[CategoryScore]]) -> str:
    return json_text([
        {"text": text, "categories": [{"id": c.id, "name": c.name, "score": c.score} for c in categories]}
        for text, categories in zip(texts, predictions, strict=True)
    ])


def sentences_csv(texts: list[str], predictions: list[list[CategoryScore]]) -> str:
    rows = [(text, joined(categories, "id"), joined(categories, "name"), joined(categories, "score"))
            for text, categories in zip(texts, predictions, strict=True)]
    return csv_text(("text", "category_ids", "categories", "scores"), rows)


REPORT_FORMATS: dict[str, Callable[[list[ReportResult]], str]] = {
    "table": reports_table, "json": reports_json, "csv": reports_csv}
SENTENCE_FORMATS: dict[str, Callable[[list[str], list[list[CategoryScore]]], str]] = {
    "json": sentences_json, "csv": sentences_csv}
