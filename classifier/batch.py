"""One run over many reports, feeding every requested output.

The batch finds the files, reads and classifies each report once (on several processes when asked), drops a
report whose text was already read (the same report as .docx and .pdf, or copied twice), and hands each result,
each failure and finally the run's summary to every output (a Sink).  Commands only choose their sinks; the
outputs (classifier.formatting, classifier.statistics, classifier.workbook, classifier.charts,
classifier.html_report) know nothing of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from classifier.errors import InputError
from classifier.grouping import UNGROUPED, Grouping
from classifier.model import ProblemModel
from classifier.output import StagedFiles
from classifier.readers import find_report_files, supported_formats
from classifier.reports import ReportFailure, ReportResult


@dataclass(frozen=True)
class Duplicate:
    """A report whose text (spacing aside) was already read from another file; it is counted once."""

    file: str
    first: str

    @property
    def message(self) -> str:
        return f"{self.file} 与 {self.first} 内容相同，只计一次"


@dataclass
class BatchSummary:
    """What a run read: reports classified, files that failed or were skipped, duplicates, reports read whole."""

    reports: int = 0
    sentences: int = 0
    failures: list[ReportFailure] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    whole_text: list[str] = field(default_factory=list)
    ungrouped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ReportFailure]:
        return [failure for failure in self.failures if not failure.unsupported]

    @property
    def skipped(self) -> list[ReportFailure]:
        return [failure for failure in self.failures if failure.unsupported]


class Sink(Protocol):
    """An output of a batch: it receives each report's result and the run's summary, then writes itself."""

    def add(self, result: ReportResult, group: str) -> None:
        """Take one report's result (``group`` is "" when the run is not grouped)."""

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        """Write the output through ``files``; return the lines that tell the user what was written."""


@dataclass(frozen=True)
class BatchOptions:
    """How to read the reports: every sentence, refuse reports without a problem section, text encoding, number
    of processes, and whether to explain each category."""

    all_sentences: bool = False
    strict: bool = False
    encoding: str | None = None
    jobs: int = 1
    explained: bool = False


def report_files(paths: Sequence[Path]) -> tuple[list[Path], list[ReportFailure]]:
    """The report files below ``paths``, and a failure for every other file found in the folders."""
    found = find_report_files(paths)
    skipped = [ReportFailure(str(path), f"{path} 不是支持的文件类型（支持 {supported_formats()}），已跳过", True)
               for path in found.unsupported]
    if not found.reports:
        raise InputError(f"在 {'、'.join(map(str, paths))} 中没有找到 {supported_formats()} 报告")
    return found.reports, skipped


def run_batch(files: Sequence[Path], skipped: Sequence[ReportFailure], model: ProblemModel, options: BatchOptions,
              sinks: Sequence[Sink], grouping: Grouping | None = None,
              on_report: Callable[[ReportResult | ReportFailure], None] = lambda result: None,
              on_duplicate: Callable[[Duplicate], None] = lambda duplicate: None,
              progress: Callable[[], None] | None = None) -> BatchSummary:
    """Classify every report of ``files`` (from report_files, with the files it ``skipped``) once and feed the
    results to ``sinks``; return the summary.

    ``on_report`` sees every result and failure as it comes (the command line prints failures), ``on_duplicate``
    every duplicate, ``progress`` is called once per file.  The sinks are not finished here (see finish).
    """
    from classifier.parallel import analyse_reports_in_parallel

    summary = BatchSummary(failures=list(skipped))
    for failure in skipped:
        on_report(failure)
    seen: dict[str, str] = {}
    for result in analyse_reports_in_parallel(list(files), model, options.all_sentences, options.encoding, options.jobs,
                                              strict=options.strict, explained=options.explained):
        if progress:
            progress()
        on_report(result)
        if isinstance(result, ReportFailure):
            summary.failures.append(result)
            continue
        if result.fingerprint in seen:
            duplicate = Duplicate(result.file, seen[result.fingerprint])
            summary.duplicates.append(duplicate)
            on_duplicate(duplicate)
            continue
        seen[result.fingerprint] = result.file
        summary.reports += 1
        summary.sentences += len(result.sentences)
        if result.note:
            summary.whole_text.append(result.file)
        group = grouping.group_of(Path(result.file)) if grouping else ""
        if grouping and grouping.by_table and group == UNGROUPED:
            summary.ungrouped.append(result.file)
        for sink in sinks:
            sink.add(result, group)
    return summary


def finish(sinks: Sequence[Sink], summary: BatchSummary) -> list[str]:
    """Write every output, all moved into place once the last is written; return what each one says it wrote."""
    with StagedFiles() as files:
        return [line for sink in sinks for line in sink.finish(summary, files)]
