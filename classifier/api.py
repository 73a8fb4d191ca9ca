"""The library's public entry points, the few a Python user needs: load a model, read and classify a report or a
text, classify bare sentences.  The command line is built on the same functions."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from classifier.model import Prediction, ProblemModel
from classifier.model import load_model as _load_model_file
from classifier.reports import ReportResult
from classifier.reports import analyse_report as _analyse_report
from classifier.reports import analyse_text as _analyse_text
from classifier.resources import MODEL_VARIABLE, resource_path


def default_model_path() -> Path:
    """The model used when none is named: $CLASSIFIER_MODEL if set, else the model shipped with the package."""
    chosen = os.environ.get(MODEL_VARIABLE)
    return Path(chosen) if chosen else resource_path("default.joblib")


def load_model(path: str | Path | None = None) -> ProblemModel:
    """Load a model (default: default_model_path()).  Only load model files you trust: loading runs pickled code."""
    return _load_model_file(Path(path) if path is not None else default_model_path())


def analyse_report(path: str | Path, model: ProblemModel | None = None, *, all_sentences: bool = False,
                   strict: bool = False, encoding: str | None = None, explained: bool = False) -> ReportResult:
    """Read a report file (.txt/.docx/.pdf/.doc/.wps/.rtf/.odt), find its problem sections and classify each
    sentence in its context.  Pass the same ``model`` to many calls: loading one takes a second."""
    return _analyse_report(Path(path), model or load_model(), all_sentences, encoding, strict, explained)


def analyse_text(text: str, model: ProblemModel | None = None, *, name: str = "", all_sentences: bool = False,
                 strict: bool = False, explained: bool = False) -> ReportResult:
    """Like analyse_report, for the text of a report already in memory (``name`` goes into messages)."""
    return _analyse_text(text, name, model or load_model(), all_sentences, strict, explained)


def predict(sentences: Sequence[str], model: ProblemModel | None = None) -> list[Prediction]:
    """Classify bare sentences, without a report around them: role, P(问题 or 原因) and categories of each."""
    return (model or load_model()).predict(list(sentences))
