"""The per-sentence table: one row per classified sentence, as the CSV of `classify` and the 问题句 sheet of the
workbook write it, and as `train --add` reads it back after a person has corrected it.

`role` and `labels` are the editable columns, prefilled with the model's decision (category names joined by "|");
`categories` and `scores` keep what the model said, so a corrected file still shows it.  The context columns
(heading, part, kind) let a corrected sentence be learned in its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classifier.reports import ReportResult

SENTENCE_SHEET = "问题句"
# (column, the workbook's Chinese header), in output order.
COLUMNS = (
    ("file", "报告"),
    ("line", "行"),
    ("section", "问题部分"),
    ("part", "部分"),
    ("problem", "问题序号"),
    ("kind", "句型"),
    ("heading", "所在条目"),
    ("text", "句子"),
    ("role", "角色"),
    ("labels", "类别"),
    ("problem_score", "问题得分"),
    ("categories", "模型类别"),
    ("scores", "类别得分"),
    ("explanation", "依据"),
    ("note", "说明"),
)
HEADER = tuple(column for column, _ in COLUMNS)
CHINESE_HEADER = tuple(chinese for _, chinese in COLUMNS)


def joined(categories: Iterable[Any], field: str) -> str:
    """One field ("id", "name" or "score") of each category, joined by "|" as in every CSV and sheet we write."""
    return "|".join(str(getattr(category, field)) for category in categories)


def canonical_columns(columns: Iterable[Any]) -> dict[Any, str]:
    """Map the workbook's Chinese headers (and the English ones, any case or spacing) to the column names."""
    names = {chinese: column for column, chinese in COLUMNS}
    names.update({column: column for column, _ in COLUMNS})
    return {column: names.get(str(column).strip(), names.get(str(column).strip().lower(), column))
            for column in columns}


def sentence_rows(result: ReportResult) -> Iterator[tuple[Any, ...]]:
    """One row (HEADER order) per sentence of a report."""
    for sentence in result.sentences:
        categories = sentence.categories
        yield (result.file, sentence.line, result.sections[sentence.section].heading, sentence.part,
               sentence.problem, sentence.kind, sentence.heading, sentence.text, sentence.role,
               joined(categories, "name"), sentence.problem_score, joined(categories, "name"),
               joined(categories, "score"),
               "；".join(explanation.describe() for explanation in sentence.explanations), result.note)
