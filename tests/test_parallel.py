"""Tests for classifier.parallel: several processes give exactly the results of one, in the same order."""

from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier import parallel
from classifier.cli import app
from classifier.parallel import analyse_reports_in_parallel, available_cores, predict_sentences
from classifier.reports import ReportFailure, ReportResult, analyse_reports
from classifier.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(Path(path) for path in glob.glob(str(ROOT / "data" / "corpus" / "*.txt")))
SAMPLE = ROOT / "data" / "samples" / "sample_report.txt"
NO_SECTION = "述职报告\n今年召开党委会十次。\n党员理论学习不够深入，学习方式单一。\n"


@pytest.fixture(scope="module")
def corpus_sentences():
    return [sentence for path in CORPUS for sentence in split_sentences(path.read_text(encoding="utf-8"))]


@pytest.fixture
def paths(tmp_path):
    whole = tmp_path / "whole.txt"
    whole.write_text(NO_SECTION, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    return [*CORPUS, tmp_path / "missing.txt", SAMPLE, whole, tmp_path / "photo.jpg", empty, *CORPUS[:2]]


def test_corpus_is_there():
    assert len(CORPUS) >= 4


def test_two_processes_predict_exactly_what_one_does(small_model, corpus_sentences):
    texts = corpus_sentences[:1200]
    one = predict_sentences(small_model, texts, jobs=1)
    two = predict_sentences(small_model, texts, jobs=2, min_sentences=0)
    assert len(two) == len(texts)
    assert two == one == small_model.predict(texts)
    assert {prediction.role for prediction in one} >= {"问题", "其他"}


def test_more_jobs_than_pieces_still_gives_every_prediction(small_model):
    texts = ["党建经费投入不足。", "三会一课流于形式。", "今年发展党员3名。"]
    assert predict_sentences(small_model, texts, jobs=8, min_sentences=0) == small_model.predict(texts)


@pytest.mark.slow
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
    assert predict_sentences(small_model, texts, jobs=1, min_sentences=0) == small_model.predict(texts)


def test_reports_in_parallel_give_the_same_results_failures_and_order(paths, small_model):
    one = list(analyse_reports_in_parallel(paths, small_model, jobs=1))
    two = list(analyse_reports_in_parallel(paths, small_model, jobs=2, min_reports=0))
    assert two == one == list(analyse_reports(paths, small_model))
    assert [item.file for item in two] == [str(path) for path in paths]
    kinds = [type(item) for item in two]
    assert kinds.count(ReportFailure) == 3
    failures = {Path(item.file).name: item for item in two if isinstance(item, ReportFailure)}
    assert failures["photo.jpg"].unsupported and not failures["missing.txt"].unsupported
    assert [item.fingerprint for item in two if isinstance(item, ReportResult)] == [
        item.fingerprint for item in one if isinstance(item, ReportResult)]


@pytest.mark.parametrize("options", [pytest.param({"explained": True}, marks=pytest.mark.slow),
                                     pytest.param({"all_sentences": True}, marks=pytest.mark.slow), {"strict": True}],
                         ids=["explained", "all_sentences", "strict"])
def test_options_give_the_same_results_on_two_processes(paths, small_model, options):
    one = list(analyse_reports_in_parallel(paths, small_model, jobs=1, **options))
    two = list(analyse_reports_in_parallel(paths, small_model, jobs=2, min_reports=0, **options))
    assert two == one
    if options.get("explained"):
        assert any(s.explanations for item in two if isinstance(item, ReportResult) for s in item.sentences)
    if options.get("strict"):
        assert any(isinstance(item, ReportFailure) and "whole.txt" in item.file for item in two)


def test_available_cores():
    assert available_cores() >= 1


@pytest.mark.slow
def test_cli_predict_and_stats_give_the_same_output_with_two_jobs(monkeypatch, tmp_path, corpus_sentences,
                                                                   small_model_path):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_SENTENCES", 0)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_REPORTS", 0)
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("\n".join(corpus_sentences[:300]), encoding="utf-8")
    runner = CliRunner()
    outputs = {}
    for jobs in ("1", "2"):
        model = ["--model", str(small_model_path), "--jobs", jobs]
        predicted = runner.invoke(app, ["predict", str(sentences), *model])
        counted = runner.invoke(app, ["stats", *map(str, CORPUS), *model,
                                      "--output", str(tmp_path / f"stats{jobs}.csv"),
                                      "--per-report", str(tmp_path / f"per_report{jobs}.csv")])
        assert predicted.exit_code == counted.exit_code == 0, predicted.output + counted.output
        outputs[jobs] = (json.loads(predicted.stdout), (tmp_path / f"stats{jobs}.csv").read_text(encoding="utf-8"),
                         (tmp_path / f"per_report{jobs}.csv").read_text(encoding="utf-8"))
    assert len(outputs["1"][0]) == 300
    assert outputs["2"] == outputs["1"]


def test_jobs_must_be_positive(tmp_path):
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("党建经费投入不足。\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["predict", str(sentences), "--jobs", "0"]).exit_code == 2
