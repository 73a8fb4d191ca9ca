"""The heading vocabulary (data/headings.yaml): which words open a problem section, its causes part, the
measures, the closing formula, the words of an unnumbered list, and what the columns of a problem table mean.
Nothing else in the code spells these words."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from classifier.errors import InputError
from classifier.resources import resource_path

TABLE_COLUMN_KINDS = ("number", "measure", "cause", "evidence", "aspect", "problem")


@dataclass(frozen=True)
class HeadingVocabulary:
    """Compiled patterns: each one alternation of the file's entries for that kind."""

    problem: re.Pattern[str]
    measures: re.Pattern[str]
    shortcoming: re.Pattern[str]
    shortcoming_statement: re.Pattern[str]
    measures_openers: re.Pattern[str]
    causes: re.Pattern[str]
    lead_ins: re.Pattern[str]
    lead_in_exclusions: re.Pattern[str]
    lead_in_done: re.Pattern[str]
    list_pointers: re.Pattern[str]
    report_opener: re.Pattern[str]
    dealt_with_heading: re.Pattern[str]
    area_label: re.Pattern[str]
    closings: re.Pattern[str]
    sequence_markers: re.Pattern[str]
    table_columns: tuple[tuple[str, re.Pattern[str]], ...]


@functools.cache
def heading_vocabulary() -> HeadingVocabulary:
    """The vocabulary of the shipped headings.yaml, read and compiled once."""
    path = resource_path("headings.yaml")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))

        def alternation(key: str) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{entry})" for entry in document[key]))

        return HeadingVocabulary(
            problem=alternation("problem"), measures=alternation("measures"), shortcoming=alternation("shortcoming"),
            shortcoming_statement=re.compile(document["shortcoming_statement"]),
            measures_openers=alternation("measures_openers"), causes=alternation("causes"),
            lead_ins=alternation("lead_ins"), lead_in_exclusions=re.compile(document["lead_in_exclusions"]),
            lead_in_done=re.compile(document["lead_in_done"]), list_pointers=re.compile(document["list_pointers"]),
            report_opener=re.compile(document["report_opener"]),
            dealt_with_heading=re.compile(document["dealt_with_heading"]),
            area_label=re.compile(document["area_label"]),
            closings=alternation("closings"), sequence_markers=alternation("sequence_markers"),
            table_columns=tuple((kind, re.compile(document["table_columns"][kind])) for kind in TABLE_COLUMN_KINDS))
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as error:
        raise InputError(f"标题词表 {path} 无法读取或格式不正确：{error}".replace("\n", " ")) from None


def table_column_kind(header: str) -> str:
    """What a table column holds, by its header cell: one of TABLE_COLUMN_KINDS, or "content"."""
    label = re.sub(r"\s+", "", header)
    return next((kind for kind, pattern in heading_vocabulary().table_columns if pattern.search(label)), "content")
