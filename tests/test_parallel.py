"""Tests for classifier.parallel: several processes give exactly the results of one, in the same order."""

from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier import parallel
from classifier.cli import app
from classifier.model import DEFAULT_MODEL, load_model
from classifier.parallel import analyse_reports_in_parallel, predict_sentences
from classifier.reports import ReportFailure, analyse_reports
from classifier.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(Path(path) for path in glob.glob(str(ROOT / "data" / "corpus" / "*.txt")))


@pytest.fixture(scope="module")
def shipped_model():
    return load_model(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def corpus_sentences():
    return [sentence for path in CORPUS for sentence in split_sentences(path.read_text(encoding="utf-8"))]


def test_two_processes_predict_exactly_what_one_does(shipped_model, corpus_sentences):
    assert len(corpus_sentences) > 2000
    together = predict_sentences(shipped_model, corpus_sentences, jobs=2, min_sentences=0)
    assert together == shipped_model.predict(corpus_sentences)


def test_spawned_workers_receive_the_model(monkeypatch, small_model, corpus_sentences):
    monkeypatch.setattr(parallel, "_start_method", lambda: "spawn")  # as on Windows, which has no fork
    texts = corpus_sentences[:40]
    assert predict_sentences(small_model, texts, jobs=2, min_sentences=0) == small_model.predict(texts)


def test_small_inputs_stay_in_this_process(monkeypatch, small_model):
    def no_pool(*_):
        raise AssertionError("no worker pool for a small input")

    monkeypatch.setattr(parallel, "_worker_pool", no_pool)
    texts = ["党建经费投入不足。", "三会一课流于形式。"]
    assert predict_sentences(small_model, texts, jobs=2) == small_model.predict(texts)
    assert list(analyse_reports_in_parallel(CORPUS[:1], small_model, jobs=2)) == list(
        analyse_reports(CORPUS[:1], small_model))


def test_reports_in_parallel_keep_order_and_failures(tmp_path, small_model):
    missing = tmp_path / "missing.txt"
    paths = [*CORPUS, missing, *CORPUS]
    together = list(analyse_reports_in_parallel(paths, small_model, jobs=2, min_reports=0))
    assert together == list(analyse_reports(paths, small_model))
    assert isinstance(together[len(CORPUS)], ReportFailure)


def test_cli_predict_and_stats_give_the_same_output_with_two_jobs(monkeypatch, tmp_path, corpus_sentences):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_SENTENCES", 0)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_REPORTS", 0)
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("\n".join(corpus_sentences[:300]), encoding="utf-8")
    runner = CliRunner()
    outputs = {}
    for jobs in ("1", "2"):
        predicted = runner.invoke(app, ["predict", str(sentences), "--jobs", jobs])
        counted = runner.invoke(app, ["stats", *map(str, CORPUS), "--jobs", jobs,
                                      "--output", str(tmp_path / f"stats{jobs}.csv"),
                                      "--per-report", str(tmp_path / f"per_report{jobs}.csv")])
        assert predicted.exit_code == counted.exit_code == 0, predicted.stderr + counted.stderr
        outputs[jobs] = (json.loads(predicted.stdout), (tmp_path / f"stats{jobs}.csv").read_text(encoding="utf-8"),
                         (tmp_path / f"per_report{jobs}.csv").read_text(encoding="utf-8"))
    assert len(outputs["1"][0]) == 300
    assert outputs["2"] == outputs["1"]


def test_jobs_must_be_positive(tmp_path):
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("党建经费投入不足。\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["predict", str(sentences), "--jobs", "0"]).exit_code == 2
