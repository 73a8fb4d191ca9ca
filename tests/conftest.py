"""Shared fixtures: the codebook, a small model trained on tests/fixtures/labelled_small.csv, and a builder of
report results that needs no model."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pytest

from classifier.data import load_labelled
from classifier.fitting import fit_model
from classifier.resources import resource_path
from classifier.taxonomy import load_taxonomy

FIXTURES = Path(__file__).with_name("fixtures")
LABELLED_SMALL = FIXTURES / "labelled_small.csv"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(resource_path("taxonomy.yaml"))


@pytest.fixture(scope="session")
def small_data(taxonomy):
    return load_labelled(LABELLED_SMALL, taxonomy)


@pytest.fixture(scope="session")
def small_model(taxonomy, small_data):
    """A model fitted on the 68 sentences of labelled_small.csv (68 sources, six categories, some 其他)."""
    return fit_model(small_data, taxonomy, jobs=1)


@pytest.fixture(scope="session")
def shipped_model():
    from classifier.model import load_model

    return load_model(resource_path("default.joblib"))


@pytest.fixture(scope="session")
def make_report(taxonomy):
    """Build a ReportResult without a model: one sentence per list of taxonomy positions (its categories), each
    sentence its own problem; a sentence without categories is 其他."""
    from classifier.model import CategoryScore
    from classifier.reports import ReportResult, SentenceResult
    from classifier.sections import Section

    def make(file, *sentence_categories, texts=None, problems=None, note=""):
        texts = texts or [f"第{i}句，问题不少。" for i in range(len(sentence_categories))]
        problems = problems or list(range(1, len(sentence_categories) + 1))
        sentences = [
            SentenceResult(text, 3 + index, 0, "问题", problem, "", "item", "问题" if positions else "其他",
                           0.9 if positions else 0.1,
                           [CategoryScore(taxonomy[p].id, taxonomy[p].name, round(0.9 - 0.1 * n, 4))
                            for n, p in enumerate(positions)], tuple(0.0 for _ in taxonomy))
            for index, (text, positions, problem) in enumerate(zip(texts, sentence_categories, problems, strict=True))]
        return ReportResult(file, [Section("二、存在的问题", 2, 9, ((3, "…"),))], sentences, note, file)

    return make


@pytest.fixture(scope="session")
def small_model_path(small_model, tmp_path_factory):
    """The small model saved as `classifier train` saves a model (described: versions, taxonomy), for
    command-line tests that need a model but not the shipped one."""
    from classifier.model import describe, save_model

    described = copy.copy(small_model)
    describe(described)
    path = tmp_path_factory.mktemp("models") / "small.joblib"
    save_model(described, path)
    return path


@pytest.fixture(scope="session")
def model(small_model_path):
    """The model file the command-line tests pass with --model."""
    return small_model_path


@pytest.fixture(autouse=True)
def _no_model_variable(monkeypatch):
    """A CLASSIFIER_MODEL set where the tests run must not choose their model."""
    monkeypatch.delenv("CLASSIFIER_MODEL", raising=False)


@dataclass
class CliResult:
    """What one run of the command line returned and printed."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@pytest.fixture()
def cli(capsys):
    """Run `classifier ARGS` in this process through classifier.cli.main; return its exit code and output."""
    from classifier.cli import main

    def run(*args) -> CliResult:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
