"""Classifying many sentences or reports on several processes, with the results of a single process.

On Linux the workers are forked from the process that has already loaded the model and initialised jieba, so
they start in milliseconds and share the model's memory instead of unpickling it.  Elsewhere (Windows has no
fork, macOS's is unsafe) they are spawned, and each receives the model once, when it starts: not with every
piece of work.  Starting workers still costs more than it saves on small inputs, so below
MIN_PARALLEL_SENTENCES sentences, or MIN_PARALLEL_REPORTS reports, everything runs in this process; both
figures come from the break-even measured by `python -m benchmarks` (README, "Benchmarks").
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from functools import partial
from multiprocessing.pool import Pool
from pathlib import Path

from classifier.model import Prediction, ProblemModel
from classifier.reports import ReportFailure, ReportResult, analyse_reports

MIN_PARALLEL_SENTENCES = 2000
MIN_PARALLEL_REPORTS = 100
# More pieces than workers, so that a worker slowed down by another program does not hold up the others.
_PIECES_PER_WORKER = 4
_REPORTS_PER_TASK = 4

_worker_model: ProblemModel | None = None


def available_cores() -> int:
    """The number of CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def predict_sentences(model: ProblemModel, texts: list[str], jobs: int = 1,
                      min_sentences: int | None = None) -> list[Prediction]:
    """Return ``model.predict(texts)``, computed by up to ``jobs`` processes when there are at least
    ``min_sentences`` texts (default MIN_PARALLEL_SENTENCES)."""
    threshold = MIN_PARALLEL_SENTENCES if min_sentences is None else min_sentences
    if jobs <= 1 or len(texts) < max(threshold, 2):
        return model.predict(texts)
    size = -(-len(texts) // (jobs * _PIECES_PER_WORKER))
    pieces = [texts[start:start + size] for start in range(0, len(texts), size)]
    with _worker_pool(model, min(jobs, len(pieces))) as pool:
        return [row for piece in pool.imap(_predict_piece, pieces) for row in piece]


def analyse_reports_in_parallel(paths: list[Path], model: ProblemModel, all_sentences: bool = False,
                                encoding: str | None = None, jobs: int = 1, min_reports: int | None = None,
                                strict: bool = False, explained: bool = False,
                                ) -> Iterator[ReportResult | ReportFailure]:
    """Like ``classifier.reports.analyse_reports`` (same results, same order), on up to ``jobs`` processes
    when there are at least ``min_reports`` reports (default MIN_PARALLEL_REPORTS)."""
    threshold = MIN_PARALLEL_REPORTS if min_reports is None else min_reports
    if jobs <= 1 or len(paths) < max(threshold, 2):
        yield from analyse_reports(paths, model, all_sentences, encoding, strict, explained)
        return
    analyse = partial(_analyse_one, all_sentences=all_sentences, encoding=encoding, strict=strict,
                      explained=explained)
    with _worker_pool(model, jobs) as pool:
        yield from pool.imap(analyse, paths, chunksize=_REPORTS_PER_TASK)


def _worker_pool(model: ProblemModel, jobs: int) -> Pool:
    model.predict(["党建"])  # builds the tokenizer once here, so that forked workers inherit it ready
    context = multiprocessing.get_context(_start_method())
    return context.Pool(jobs, initializer=_receive_model, initargs=(model,))


def _start_method() -> str:
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _receive_model(model: ProblemModel) -> None:
    global _worker_model
    _worker_model = model
    # Ctrl-C reaches the whole process group: the parent stops the run and ends the workers, which must not print
    # tracebacks of their own.  A forked worker also inherits the command line's SIGTERM handler; the parent ends
    # its workers with SIGTERM, which must simply end them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _predict_piece(texts: list[str]) -> list[Prediction]:
    assert _worker_model is not None, "the pool initializer gives every worker the model"
    return _worker_model.predict(texts)


def _analyse_one(path: Path, all_sentences: bool, encoding: str | None, strict: bool,
                 explained: bool) -> ReportResult | ReportFailure:
    assert _worker_model is not None, "the pool initializer gives every worker the model"
    return next(analyse_reports([path], _worker_model, all_sentences, encoding, strict, explained))
