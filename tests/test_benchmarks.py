"""Tests for the benchmark helpers that are not timings: inputs, the fastText adapter, the table.

No figure measured by the benchmark is asserted here: benchmarks measure, they do not gate.
"""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from benchmarks.__main__ import markdown_table, parse_arguments, table_rows
from benchmarks.inputs import MAX_PASSAGE_BYTES, REPORT_BYTES, corpus_passages, cycled, report_texts, write_reports
from benchmarks.measure import run_process
from benchmarks.peers import LABEL_PREFIX, FastTextClassifier, fasttext_line, fasttext_text, score_matrix
from classifier.reading import read_report
from classifier.sections import find_problem_sections
from classifier.sentences import split_sentences


def test_generated_reports_are_3_to_10_kb_with_a_findable_problem_section():
    reports = list(report_texts(60, seed=0))
    assert len(reports) == 60
    for text in reports:
        assert REPORT_BYTES[0] <= len(text.encode("utf-8")) <= REPORT_BYTES[1]
        # Corpus passages may open a section of their own ("一、存在问题：…"); the planted one is always found.
        [planted] = [s for s in find_problem_sections(text) if s.heading == "二、存在的主要问题及原因"]
        assert split_sentences(planted.text)


def test_generated_reports_are_reproducible_and_vary():
    first, second = list(report_texts(5, seed=1)), list(report_texts(5, seed=1))
    assert first == second
    assert len(set(first)) == 5
    assert list(report_texts(5, seed=2)) != first


def test_written_reports_are_read_back_as_written(tmp_path):
    paths = write_reports(tmp_path, 5, seed=0, per_folder=2)
    assert [path.parent.name for path in paths] == ["part000", "part000", "part001", "part001", "part002"]
    assert [read_report(path) for path in paths] == list(report_texts(5, seed=0))


def test_passages_are_prose_that_fits():
    passages = corpus_passages()
    assert len(passages) == len(set(passages)) > 100
    assert all(len(passage.encode("utf-8")) <= MAX_PASSAGE_BYTES for passage in passages)


def test_cycled_repeats_in_order():
    assert cycled(["a", "b", "c"], 7) == ["a", "b", "c", "a", "b", "c", "a"]


def test_fasttext_line_labels_then_jieba_words():
    line = fasttext_line("落实三会一课制度不到位。", ["org_life", "mechanism"])
    assert line.startswith("__label__org_life __label__mechanism ")
    assert "三会一课" in line.split()
    assert fasttext_line("今年发展党员12名。", []).startswith("__label__none ")
    assert "\n" not in fasttext_text("第一行\n第二行")


def test_score_matrix_maps_labels_to_columns_and_drops_none():
    scores = score_matrix([[LABEL_PREFIX + "b", LABEL_PREFIX + "none", LABEL_PREFIX + "a"], []],
                          [np.array([1.00001, 0.9, 0.2]), np.array([])], ["a", "b", "c"])
    np.testing.assert_array_equal(scores, [[0.2, 1.0, 0.0], [0.0, 0.0, 0.0]])
    assert FastTextClassifier(["a", "b", "c"]).assign(scores).tolist() == [[False, True, False], [False] * 3]


def test_fasttext_trains_and_scores_every_category(small_data, taxonomy):
    pytest.importorskip("fasttext")
    ids = [category.id for category in taxonomy]
    model = FastTextClassifier(ids, seed=0).fit(small_data.texts, small_data.labels)
    scores = model.scores(small_data.texts[:5])
    assert scores.shape == (5, len(ids))
    assert ((scores >= 0) & (scores <= 1)).all()


def test_run_process_reports_time_memory_and_failure():
    run = run_process([sys.executable, "-c", "x = bytearray(50_000_000)"])
    assert run.exit_code == 0 and run.seconds > 0 and run.peak_rss_mb >= 50
    ballast = bytearray(300_000_000)  # the child must not be charged with its parent's memory
    assert run_process([sys.executable, "-c", "pass"]).peak_rss_mb < 100
    del ballast
    with pytest.raises(RuntimeError, match="boom"):
        run_process([sys.executable, "-c", "raise SystemExit('boom')"])


def pretend_fasttext_is(installed, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: (real("json") if installed else None) if name == "fasttext"
                        else real(name, *args))


def test_options(monkeypatch):
    pretend_fasttext_is(True, monkeypatch)
    assert parse_arguments(["--quick"]).repeats == 1
    options = parse_arguments(["--only", "speed, scale", "--repeats", "2"])
    assert options.only == ["speed", "scale"] and options.repeats == 2 and options.output.name == "results.json"
    with pytest.raises(SystemExit):
        parse_arguments(["--only", "colour"])


def test_fasttext_is_needed_only_by_accuracy_and_speed(monkeypatch, capsys):
    pretend_fasttext_is(False, monkeypatch)
    assert parse_arguments(["--only", "scale"]).only == ["scale"]
    with pytest.raises(SystemExit):
        parse_arguments(["--only", "accuracy"])
    assert '.[bench]' in capsys.readouterr().err


def test_table_states_targets_met_or_missed():
    medians = {"micro_f1": 0.6, "macro_f1": 0.5, "top1_accuracy": 0.7, "other_false_rate": 0.05}
    results = {"accuracy": {"medians": {"ours": medians}, "targets": {"micro-F1 >= fastText": False},
                            "learning_curve": {"0.5": {"micro_f1": 0.55}, "1.0": {"micro_f1": 0.6}}}}
    table = markdown_table(table_rows(results))
    assert "| accuracy | ours | micro-F1 0.600" in table
    assert "micro-F1 >= fastText: **missed**" in table
    assert "50%: 0.550, 100%: 0.600" in table
