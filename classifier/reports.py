"""From a report to its problem sentences, each with its place, role and categories: read, find the problem
sections, place the sentences (classifier.structure), classify them in their context.

A report in which no problem section is found is not lost: its whole text is read, the model's gate decides what
is a problem, and the result says so (FALLBACK_NOTE); `strict` refuses such a report instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from classifier.errors import InputError, NoProblemSectionError, UnsupportedFormatError
from classifier.explain import Explanation, explain
from classifier.model import CategoryScore, ProblemModel
from classifier.readers import read_report
from classifier.sections import Section, find_problem_sections
from classifier.structure import PROBLEMS, UNKNOWN, PlacedSentence, place_sentences

WHOLE_TEXT_HEADING = "（全文）"
FALLBACK_NOTE = "未找到问题部分，已按全文分析"


@dataclass(frozen=True)
class SentenceResult(PlacedSentence):
    """One sentence in its place (classifier.structure.PlacedSentence) with what the model said: its role,
    P(问题 or 原因), its categories, every category's score (in the model's category order) and, when asked, the
    explanation of each category."""

    role: str = ""
    problem_score: float = 0.0
    categories: list[CategoryScore] = field(default_factory=list)
    scores: tuple[float, ...] = ()
    explanations: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class ReportResult:
    """The problem sections of one report and its classified sentences.  ``note`` says how the report was read
    when that is worth knowing (FALLBACK_NOTE); ``fingerprint`` identifies its text, spacing aside."""

    file: str
    sections: list[Section]
    sentences: list[SentenceResult]
    note: str = ""
    fingerprint: str = field(default="", compare=False)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "note": self.note,
            "sections": [{"heading": s.heading, "start_line": s.start_line, "end_line": s.end_line}
                         for s in self.sections],
            "sentences": [{"section": s.section, "line": s.line, "part": s.part, "problem": s.problem,
                           "kind": s.kind, "heading": s.heading, "text": s.text, "role": s.role,
                           "problem_score": s.problem_score,
                           "categories": [category.to_dict() for category in s.categories],
                           **({"explanations": [_explanation_dict(e) for e in s.explanations]}
                              if s.explanations else {})}
                          for s in self.sentences],
        }


@dataclass(frozen=True)
class ReportFailure:
    """A file that could not be analysed, with the user-facing reason; ``unsupported`` when it was skipped as
    not a report format."""

    file: str
    message: str
    unsupported: bool = False


def whole_text_section(text: str) -> Section:
    """The whole text as one section (for --all-sentences and for reports without a problem section)."""
    lines = text.splitlines()
    return Section(WHOLE_TEXT_HEADING, 1, max(len(lines), 1), tuple(enumerate(lines, start=1)))


def place_report(text: str, file: str, all_sentences: bool = False, strict: bool = False
                 ) -> tuple[list[Section], list[PlacedSentence], str]:
    """The sections of ``text``, its sentences in their places, and the note on how it was read."""
    sections = [] if all_sentences else find_problem_sections(text)
    note = ""
    if not sections:
        if strict and not all_sentences:
            raise NoProblemSectionError(f"{file}：未找到“存在问题”部分（如 存在的主要问题及原因）；"
                                        "去掉 --strict 可按全文分析")
        note = "" if all_sentences else FALLBACK_NOTE
        whole = whole_text_section(text)
        return [whole], place_sentences(whole.lines, 0, UNKNOWN), note
    placed: list[PlacedSentence] = []
    for index, section in enumerate(sections):
        placed.extend(place_sentences(section.lines, index, PROBLEMS,
                                      first_problem=placed[-1].problem + 1 if placed else 1))
    return sections, placed, note


def analyse_text(text: str, file: str, model: ProblemModel, all_sentences: bool = False,
                 strict: bool = False, explained: bool = False) -> ReportResult:
    """Classify the problem sentences of ``text`` in their context (every sentence when ``all_sentences``);
    with ``explained``, say for each category which features decided it (classifier.explain)."""
    sections, placed, note = place_report(text, file, all_sentences, strict)
    features = model.features(placed) if explained and placed else None
    scores = model.scores(placed, features)
    predictions = model.decide(scores)
    explanations = (explain(model, placed, predictions, features=features) if features is not None
                    else [[] for _ in placed])
    sentences = [
        SentenceResult(**vars(place), role=prediction.role, problem_score=prediction.problem_score,
                       categories=prediction.categories, scores=tuple(row.tolist()), explanations=tuple(why))
        for place, prediction, row, why in zip(placed, predictions, scores.categories, explanations, strict=True)]
    return ReportResult(file, sections, sentences, note, fingerprint(text))


def _explanation_dict(explanation: Explanation) -> dict:
    return {"category": explanation.category, "context_share": explanation.context_share,
            "features": [{"feature": c.feature, "weight": c.weight} for c in explanation.contributions]}


def fingerprint(text: str) -> str:
    """A hash of ``text`` without spaces and line breaks: the same report read twice has the same one."""
    return hashlib.sha256(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()


def analyse_report(path: Path, model: ProblemModel, all_sentences: bool = False, encoding: str | None = None,
                   strict: bool = False, explained: bool = False) -> ReportResult:
    """Read the report at ``path`` and classify its problem sentences."""
    return analyse_text(read_report(path, encoding), str(path), model, all_sentences, strict, explained)


def analyse_reports(paths: Iterable[Path], model: ProblemModel, all_sentences: bool = False,
                    encoding: str | None = None, strict: bool = False, explained: bool = False
                    ) -> Iterator[ReportResult | ReportFailure]:
    """Analyse reports one at a time; a bad report yields a ReportFailure and the batch goes on."""
    for path in paths:
        try:
            yield analyse_report(path, model, all_sentences, encoding, strict, explained)
        except InputError as error:
            yield ReportFailure(str(path), str(error), isinstance(error, UnsupportedFormatError))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, RecursionError) as error:
            # A file that trips a reader or the parser in a way nobody foresaw must not stop the other reports.
            yield ReportFailure(str(path), f"分析 {path} 时出错（{type(error).__name__}），已跳过；"
                                           "请把此文件反馈给维护者")


def place_every_sentence(text: str) -> list[PlacedSentence]:
    """Every sentence of ``text`` in its place: those in problem sections as `classify` places them, the rest
    (headings of sections included) as a whole-text reading would (part ""), each stretch between sections read
    on its own.  This is the context labelled corpus sentences are trained and scored in."""
    sections, placed, _ = place_report(text, "")
    if sections[0].heading == WHOLE_TEXT_HEADING:
        return placed
    lines = text.splitlines()
    outside: dict[int, str] = dict(enumerate(lines, start=1))
    for section in sections:
        for number, body in section.lines:
            line = outside.pop(number, "")
            if number == section.start_line and body != line:  # an inline heading: what precedes the body
                outside[number] = line[:len(line) - len(line.lstrip())] + line.strip()[:-len(body.strip())]
    stretches: list[list[tuple[int, str]]] = [[]]
    for number in range(1, len(lines) + 1):
        if number in outside:
            stretches[-1].append((number, outside[number]))
        else:
            stretches.append([])
    for stretch in filter(None, stretches):
        placed.extend(place_sentences(stretch, -1, UNKNOWN, first_problem=0))
    return sorted(placed, key=lambda sentence: sentence.line)
