"""From a report file to its categorised problem sentences: read, find sections, split, classify."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from classifier.errors import InputError
from classifier.model import CategoryScore, ProblemModel
from classifier.reading import read_report
from classifier.sections import Section, find_problem_sections
from classifier.sentences import split_sentences

WHOLE_TEXT_HEADING = "（全文）"


@dataclass(frozen=True)
class SentenceResult:
    """One sentence, the index of the section it belongs to, its assigned categories and, when it was scored,
    every category's score (in the model's category order), which the review marks of `report` read."""

    section: int
    text: str
    categories: list[CategoryScore]
    scores: tuple[float, ...] = ()


@dataclass(frozen=True)
class ReportResult:
    """The problem sections of one report and its categorised sentences."""

    file: str
    sections: list[Section]
    sentences: list[SentenceResult]

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "sections": [{"heading": s.heading, "start_line": s.start_line, "end_line": s.end_line}
                         for s in self.sections],
            "sentences": [{"section": s.section, "text": s.text,
                           "categories": [{"id": c.id, "name": c.name, "score": c.score} for c in s.categories]}
                          for s in self.sentences],
        }


@dataclass(frozen=True)
class ReportFailure:
    """A report that could not be analysed, with the user-facing reason."""

    file: str
    message: str


def analyse_text(text: str, file: str, model: ProblemModel, all_sentences: bool = False) -> ReportResult:
    """Categorise the problem sentences of ``text`` (every sentence when ``all_sentences``)."""
    if all_sentences:
        sections = [Section(WHOLE_TEXT_HEADING, 1, max(len(text.splitlines()), 1), text)]
    else:
        sections = find_problem_sections(text)
        if not sections:
            raise InputError(
                f"{file}：未找到“存在问题”部分（如 存在的主要问题及原因）；如需对全文分类，请加 --all-sentences")
    pieces = [(index, sentence) for index, section in enumerate(sections)
              for sentence in split_sentences(section.text)]
    scores = model.scores([sentence for _, sentence in pieces])
    sentences = [SentenceResult(index, sentence, categories, tuple(row.tolist()))
                 for (index, sentence), categories, row in zip(pieces, model.assign(scores), scores, strict=True)]
    return ReportResult(file=file, sections=sections, sentences=sentences)


def analyse_report(path: Path, model: ProblemModel, all_sentences: bool = False,
                   encoding: str | None = None) -> ReportResult:
    """Read the report at ``path`` and categorise its problem sentences."""
    return analyse_text(read_report(path, encoding), str(path), model, all_sentences)


def analyse_reports(paths: Iterable[Path], model: ProblemModel, all_sentences: bool = False,
                    encoding: str | None = None) -> Iterator[ReportResult | ReportFailure]:
    """Analyse reports one at a time; a bad report yields a ReportFailure and the batch goes on."""
    for path in paths:
        try:
            yield analyse_report(path, model, all_sentences, encoding)
        except InputError as error:
            yield ReportFailure(str(path), str(error))
