"""Tests for the benchmark helpers that are not timings: inputs, the fastText adapter, the folds of the ablations,
the profile's bookkeeping, argument parsing and the table.

No figure measured by the benchmark is asserted here: benchmarks measure, they do not gate.
"""

from __future__ import annotations

import cProfile
import importlib.util
import os
import pstats
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from benchmarks import accuracy, headings, speed
from benchmarks.__main__ import check_model, markdown_table, parse_arguments, table_rows
from benchmarks.inputs import MAX_PASSAGE_BYTES, REPORT_BYTES, corpus_passages, cycled, report_texts, write_reports
from benchmarks.measure import MODEL_VARIABLE, first_cpus, model_option, run_process, shipped_model_path
from benchmarks.peers import (
    LABEL_PREFIX,
    FastTextClassifier,
    fasttext_line,
    fasttext_text,
    score_matrix,
    threshold_predictions,
)
from classifier.data import PARAPHRASE, REAL, WRITTEN, LabelledData
from classifier.readers import read_report
from classifier.sections import find_problem_sections
from classifier.sentences import split_sentences
from classifier.training import rule_baseline

# --- inputs ---------------------------------------------------------------------------------------------------


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


# --- the fastText adapter -------------------------------------------------------------------------------------


def test_fasttext_line_labels_then_the_projects_words():
    line = fasttext_line("落实三会一课制度不到位。", ["org_life", "mechanism"])
    assert line.startswith("__label__org_life __label__mechanism ")
    assert "三会一课" in line.split()  # a user-dictionary word stays whole: these are the project's words
    assert fasttext_line("今年发展党员12名。", []).startswith("__label__none ")
    assert "\n" not in fasttext_text("第一行\n第二行")


def test_score_matrix_maps_labels_to_columns_and_drops_none():
    scores = score_matrix([[LABEL_PREFIX + "b", LABEL_PREFIX + "none", LABEL_PREFIX + "a"], []],
                          [np.array([1.00001, 0.9, 0.2]), np.array([])], ["a", "b", "c"])
    np.testing.assert_array_equal(scores, [[0.2, 1.0, 0.0], [0.0, 0.0, 0.0]])
    assert FastTextClassifier(["a", "b", "c"]).assign(scores).tolist() == [[False, True, False], [False] * 3]


def test_threshold_predictions_keep_at_most_three_highest_first(taxonomy):
    scores = np.zeros((3, len(taxonomy)))
    scores[0, [0, 1, 2, 3]] = [0.6, 0.9, 0.7, 0.8]
    scores[1, 4] = 0.49
    scores[2, 5] = 0.5
    first, second, third = threshold_predictions(scores, taxonomy)
    assert first.role == "问题" and [c.id for c in first.categories] == [taxonomy[i].id for i in (1, 3, 2)]
    assert second.role == "其他" and second.categories == []
    assert third.role == "问题" and [c.id for c in third.categories] == [taxonomy[5].id]


def test_fasttext_trains_and_scores_every_category(small_data, taxonomy):
    pytest.importorskip("fasttext")
    ids = [category.id for category in taxonomy]
    model = FastTextClassifier(ids, seed=0).fit(small_data.texts, small_data.labels)
    scores = model.scores(small_data.texts[:5])
    assert scores.shape == (5, len(ids))
    assert ((scores >= 0) & (scores <= 1)).all()


def test_fasttext_is_scored_on_the_real_sentences_of_every_fold(taxonomy, mixed_data):
    pytest.importorskip("fasttext")
    data = mixed_data
    evaluation = accuracy.fasttext_cross_validate(data, taxonomy, seed=0)
    real = data.scored
    assert evaluation.problem_sentences + evaluation.other_sentences == real.sum()
    assert evaluation.problem_sentences == (data.is_problem & real).sum()


# --- the folds of the ablations -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_data(small_data) -> LabelledData:
    """labelled_small.csv (68 real sentences) plus 10 of them again as written text and 10 as paraphrases."""
    real = small_data
    written = real.frame.iloc[:10].assign(origin=WRITTEN, source="written/test.csv",
                                          text=lambda f: f["text"] + "（撰写）")
    paraphrases = real.frame.iloc[10:20].assign(origin=PARAPHRASE, text=lambda f: f["text"] + "（改写）",
                                                source=lambda f: "paraphrase:" + f["id"])
    frame = pd.concat([written, real.frame, paraphrases], ignore_index=True)
    labels = np.vstack([real.labels[:10], real.labels, real.labels[10:20]])
    groups = np.concatenate([np.full(10, -1), real.groups, real.groups[10:20]])
    return LabelledData(frame, labels, groups, real.sha256)


def test_dropping_training_only_rows_keeps_the_folds(mixed_data):
    data = mixed_data
    for origins, rows in (((REAL, WRITTEN, PARAPHRASE), 88), ((REAL, PARAPHRASE), 78), ((REAL, WRITTEN), 78),
                          ((REAL,), 68)):
        variant = accuracy.with_origins(data, origins)
        assert len(variant.frame) == rows
        assert set(variant.frame["origin"]) == set(origins)
        for seed in (0, 1):
            assert accuracy.same_folds(data, variant, seed)
    assert accuracy.with_origins(data, (REAL, WRITTEN, PARAPHRASE)) is data


def test_dropping_a_real_sentence_changes_the_folds(mixed_data):
    data = mixed_data
    assert not accuracy.same_folds(data, data.subset(np.arange(len(data.frame) - 21)), 0)


def test_every_variant_trains_on_real_sentences():
    assert all(REAL in origins for origins, _ in accuracy.VARIANTS.values())
    from classifier.features import SENTENCE_PARTS

    assert accuracy.VARIANTS[accuracy.NO_CONTEXT][1] == {"features": SENTENCE_PARTS}


def test_per_category_medians_are_taken_over_seeds():
    def table(f1):
        return pd.DataFrame({"category_id": ["a", "b"], "category": ["甲", "乙"], "precision": [1.0, 0.5],
                             "recall": [0.5, 0.5], "f1": f1, "support": [3, 4]})

    found = accuracy.per_category_medians([table([0.1, 0.9]), table([0.3, 0.7]), table([0.2, 0.8])])
    assert found == {"a": {"name": "甲", "support": 3, "precision": 1.0, "recall": 0.5, "f1": 0.2},
                     "b": {"name": "乙", "support": 4, "precision": 0.5, "recall": 0.5, "f1": 0.8}}


def test_accuracy_run_measures_every_system_and_feeds_the_table(taxonomy, mixed_data, monkeypatch):
    """The plumbing of accuracy.run, with the cross-validations replaced by one fixed evaluation."""
    data = mixed_data
    evaluation = rule_baseline(data, taxonomy)
    calls = []

    def fake_cross_validate(variant, categories, seed, train_fraction=1.0, jobs=None, **settings):
        calls.append((len(variant.frame), seed, train_fraction, settings))
        return SimpleNamespace(evaluation=evaluation, bare=evaluation)

    monkeypatch.setattr(accuracy, "load_training_data", lambda: (taxonomy, data))
    monkeypatch.setattr(accuracy, "cross_validate", fake_cross_validate)
    monkeypatch.setattr(accuracy, "fasttext_cross_validate", lambda data, categories, seed: evaluation)
    results = accuracy.run(2, lambda message: None)
    # Per seed: five variants and three learning-curve points (the fourth, 100%, is ours).
    assert len(calls) == 2 * (len(accuracy.VARIANTS) + 3)
    assert {call[0] for call in calls} == {88, 78, 68}
    assert sorted({call[2] for call in calls}) == [0.25, 0.5, 0.75, 1.0]
    assert set(results["variants"]) == set(accuracy.VARIANTS) - {accuracy.OURS}
    assert set(results["peers"]) == {accuracy.FASTTEXT, accuracy.RULES}
    assert list(results["learning_curve"]) == ["0.25", "0.5", "0.75", "1.0"]
    assert results["scored_sentences"] == 68 and results["rows_by_origin"] == {"real": 68, "written": 10,
                                                                                "paraphrase": 10}
    table = markdown_table(table_rows({"accuracy": results}))
    assert table.count("| accuracy |") == 2 + len(accuracy.VARIANTS) - 1 + 2 + 2
    assert "micro-F1 >= fastText: met" in table


# --- measuring ------------------------------------------------------------------------------------------------


def test_run_process_reports_time_memory_and_failure():
    run = run_process([sys.executable, "-c", "x = bytearray(50_000_000)"])
    assert run.exit_code == 0 and run.seconds > 0 and run.peak_rss_mb >= 50
    ballast = bytearray(300_000_000)  # the child must not be charged with its parent's memory
    assert run_process([sys.executable, "-c", "pass"]).peak_rss_mb < 100
    del ballast
    with pytest.raises(RuntimeError, match="boom"):
        run_process([sys.executable, "-c", "raise SystemExit('boom')"])


def test_run_process_pins_cpus_and_hides_the_model_variable(monkeypatch):
    monkeypatch.setenv(MODEL_VARIABLE, "elsewhere.joblib")
    run_process([sys.executable, "-c", f"import os, sys; sys.exit('{MODEL_VARIABLE}' in os.environ)"])
    cpu = min(os.sched_getaffinity(0))
    run_process([sys.executable, "-c", f"import os, sys; sys.exit(os.sched_getaffinity(0) != {{{cpu}}})"], [cpu])


def test_first_cpus_only_when_there_are_more():
    allowed = sorted(os.sched_getaffinity(0))
    assert first_cpus(len(allowed)) is None
    if len(allowed) > 1:
        assert first_cpus(1) == allowed[:1]


def test_the_shipped_model_needs_no_option(tmp_path):
    assert model_option(shipped_model_path()) == []
    assert model_option(tmp_path / "m.joblib") == ["--model", str(tmp_path / "m.joblib")]


def test_a_model_that_does_not_run_is_refused_before_measuring(tmp_path, small_model_path):
    assert check_model(small_model_path) is None
    broken = tmp_path / "broken.joblib"
    broken.write_bytes(b"not a model")
    assert "does not run with this code" in check_model(broken)


def test_smallest_size_where_two_jobs_win():
    assert speed.smallest_winning_size({500: 0.8, 1000: 1.1, 2000: 1.5}) == 1000
    assert speed.smallest_winning_size({500: 1.2, 1000: 0.9, 2000: 1.5}) == 2000
    assert speed.smallest_winning_size({500: 0.8, 1000: 0.9}) is None


# --- the profile of predict -----------------------------------------------------------------------------------


def test_labelled_copy_predicts_the_same_and_names_every_block(small_model, small_data):
    texts = small_data.texts
    labelled = speed.labelled_for_profile(small_model)
    assert labelled.predict(texts) == small_model.predict(texts)
    assert not any(type(block).__name__.startswith("block_") for _, block, _ in speed.feature_blocks(small_model))
    profiler = cProfile.Profile()
    profiler.runcall(labelled.predict, texts * 5)
    blocks = [name for name, _, _ in speed.feature_blocks(labelled)]
    found = speed.profile_shares(pstats.Stats(profiler).stats, blocks)
    assert found["total"] > 0
    for block in blocks:
        assert found[speed._part_of(block)] > 0, block
    assert found["tokenizer"] > 0 and found["regressions"] > 0 and found["decide"] > 0
    assert sum(value for name, value in found.items() if name != "total") == pytest.approx(found["total"])
    assert list(found)[-1] == "other"


def test_parts_timed_apart_cover_the_same_parts(small_model, small_data):
    labelled = speed.labelled_for_profile(small_model)
    profiler = cProfile.Profile()
    profiler.runcall(labelled.predict, small_data.texts)
    profiled = speed.profile_shares(pstats.Stats(profiler).stats,
                                    [name for name, _, _ in speed.feature_blocks(labelled)])
    apart = speed.timed_apart(small_model, small_data.texts)
    assert list(apart) == list(profiled)
    assert all(value >= 0 for value in apart.values())


def test_shares_are_named_and_largest_first():
    text = speed.shares_text({"tokenizer": 0.1, "characters": 0.5, "novel": 0.2})
    assert text == "character 1-3-gram TF-IDF 50%, novel block 20%, tokenization (jieba-rs) 10%"


# --- options and the table ------------------------------------------------------------------------------------


def pretend_installed(installed: set[str], monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: (real("json") if name in installed else None)
                        if name in ("fasttext", "jieba") else real(name, *args))


def test_options(monkeypatch, tmp_path):
    pretend_installed({"fasttext", "jieba"}, monkeypatch)
    quick = parse_arguments(["--quick"])
    assert quick.repeats == 1 and quick.output.name == "results-quick.json" and quick.model == shipped_model_path()
    options = parse_arguments(["--only", "speed, scale", "--repeats", "2"])
    assert options.only == ["speed", "scale"] and options.repeats == 2 and options.output.name == "results.json"
    for wrong in (["--only", "colour"], ["--repeats", "0"], ["--model", str(tmp_path / "missing.joblib")]):
        with pytest.raises(SystemExit):
            parse_arguments(wrong)


def test_each_section_asks_only_for_what_it_needs(monkeypatch, capsys):
    pretend_installed({"jieba"}, monkeypatch)
    assert parse_arguments(["--only", "scale"]).only == ["scale"]
    for section in ("accuracy", "speed"):
        with pytest.raises(SystemExit):
            parse_arguments(["--only", section])
        assert "fasttext missing" in capsys.readouterr().err
    pretend_installed({"fasttext"}, monkeypatch)
    assert parse_arguments(["--only", "accuracy"]).only == ["accuracy"]
    with pytest.raises(SystemExit):
        parse_arguments(["--only", "scale"])
    assert '.[bench]' in capsys.readouterr().err


def summary(micro_f1):
    return {"micro_f1": micro_f1, "macro_f1": 0.5, "top1_accuracy": 0.7, "no_category_rate": 0.1,
            "other_false_rate": 0.05, "role_accuracy": 0.8}


def test_accuracy_rows_state_targets_met_or_missed():
    results = {"accuracy": {
        "ours": {"context": summary(0.6), "bare": summary(0.55)},
        "targets": {"context": {"micro-F1 >= fastText": False}, "bare": {"micro-F1 >= fastText": True}},
        "variants": {"ours without the paraphrases": {"context": summary(0.58), "bare": summary(0.52)}},
        "peers": {"keyword rules (bare)": summary(0.5)},
        "per_category": {"funding": {"name": "经费保障", "support": 38, "f1": 0.766}},
        "learning_curve": {"0.5": summary(0.55), "1.0": summary(0.6)}}}
    table = markdown_table(table_rows(results))
    assert "| accuracy | ours, in context (as classify) | micro-F1 0.600" in table
    assert "micro-F1 >= fastText: **missed** |" in table and "micro-F1 >= fastText: met |" in table
    assert "ours without the paraphrases (in context) | micro-F1 0.580" in table and "bare micro-F1 0.520" in table
    assert "问题/原因 given no category 10.0%, 其他 given a category 5.0%" in table
    assert "50%: 0.550, 100%: 0.600" in table
    assert "funding 0.77 (38)" in table


def measured(seconds, ratio):
    return {"median_seconds": seconds, "runs": [seconds], "ratio_to_floor": ratio}


def test_speed_and_scale_rows_state_targets_met_or_missed():
    results = {
        "speed": {
            "batch": {"sentences": 20_000, "measurements": {
                speed.FLOOR: measured(4.0, 1.0), speed.IN_PROCESS: measured(2.0, 0.5),
                speed.IN_PROCESS_JOBS2: measured(1.2, 0.3), speed.CLI.format(jobs=1): measured(5.0, 1.25)}},
            "break_even": {"sizes": {"500": {"speedup": 0.9}, "1000": {"speedup": 1.2}},
                           "smallest_size_where_2_jobs_win": 1000},
            "cold": {"measurements": {"floor: python -c '…'": measured(1.0, 1.0),
                                      "ours: classifier classify x": measured(1.2, 1.2)}},
            "train": {"cores": 2, "commands": {"classifier train": {"median_seconds": 45.0, "peak_rss_mb": 500},
                                               "classifier train --cv": {"median_seconds": 250.0, "peak_rss_mb": 600}}},
            "profile": {"sentences": 20_000, "profiled_seconds": {"total": 9.0}, "unprofiled_seconds": {"total": 5.0},
                        "profiled_shares": {"characters": 0.5, "tokenizer": 0.2, "other": 0.3},
                        "unprofiled_shares": {"characters": 0.6, "tokenizer": 0.1, "other": 0.3}}},
        "scale": {
            "stats": {"peak_rss_limit_mb": 400, "runs": {"100 reports, --jobs 1": {
                "jobs": 1, "median_seconds": 2.0, "reports_per_second": 50, "peak_rss_mb": 450}}},
            "growth": {"sizes": {"100": {"ours_us_per_sentence": 300, "ratio_to_floor": 0.7,
                                         "floor_us_per_sentence": 430, "cli_us_per_sentence": 9000}}}}}
    table = markdown_table(table_rows(results))
    assert f"{speed.IN_PROCESS} | 2.00 s, 0.50x floor | <= 0.6x: met |" in table
    assert f"{speed.IN_PROCESS_JOBS2} | 1.20 s, 0.30x floor |  |" in table
    assert "--jobs 1 | 5.00 s, 1.25x floor | <= 1.0x: **missed** |" in table
    assert "2 jobs win from 1,000 sentences on" in table
    assert "1.20x floor | <= 1.15x: **missed** |" in table
    assert "| training | classifier train, 2 cores | 45.0 s, peak RSS 500 MB | < 60 s: met |" in table
    assert "| training | classifier train --cv, 2 cores | 250.0 s, peak RSS 600 MB |  |" in table
    assert "character 1-3-gram TF-IDF 50%, the rest (stacking blocks, weights, checks) 30%, tokenization" in table
    assert "peak RSS < 400 MB: **missed**" in table
    assert "in-process 300 (0.70x floor 430), CLI 9000" in table


def test_sections_run_in_order_and_every_measurement_is_saved(monkeypatch, tmp_path):
    from benchmarks import __main__ as runner
    from benchmarks import scale

    done = []

    def pretend(name):
        def measure(*arguments):
            done.append(name)
            return {}
        return measure

    for module, names in ((speed, ("batch", "break_even", "cold", "train", "profile")), (scale, ("stats", "growth"))):
        for name in names:
            monkeypatch.setattr(module, name, pretend(name))
    saved = []
    options = SimpleNamespace(only=["scale", "speed"], repeats=1, quick=True, model=tmp_path / "model.joblib")
    results = runner.run_sections(options, tmp_path, lambda message: None, lambda found: saved.append(
        {section: list(figures) for section, figures in found.items()}))
    assert done == ["batch", "break_even", "cold", "train", "profile", "stats", "growth"]
    assert saved[0] == {"speed": ["batch"]} and saved[-1] == {name: list(results[name]) for name in results}
    assert len(saved) == len(done)


def test_a_partial_run_still_makes_a_table():
    results = {"speed": {"cold": {"measurements": {"floor: x": measured(1.0, 1.0)}}}, "scale": {}}
    assert markdown_table(table_rows(results)).count("\n") == 3


def test_table_cells_never_break_the_table():
    assert markdown_table([("a", "x | y", "z", "")]).splitlines()[-1] == "| a | x / y | z |  |"


# --- headings ---------------------------------------------------------------------------------------------------

def test_heading_sets_say_what_a_reader_finds_and_every_start_is_in_its_report():
    import json

    for folder in sorted(path for path in headings.SETS.iterdir() if path.is_dir()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        assert sorted(expected) == sorted(path.name for path in folder.glob("*.txt")), folder.name
        for name, wanted in expected.items():
            text = (folder / name).read_text(encoding="utf-8").replace(" ", "")
            for start in wanted["problems"] + wanted["not_problems"]:
                assert text.count(start) == 1, (folder.name, name, start)


def test_heading_score_counts_a_fallback_and_a_neighbour_let_in_as_failures(tmp_path, small_model):
    import json

    reports = {
        "found.txt": "一、主要工作\n全年开展主题党日12次。\n二、存在的问题\n一是学习不够深入。\n二是制度执行不严。\n"
                     "三、下一步打算\n每月组织一次专题学习。\n",
        "fallback.txt": "全年开展主题党日12次。\n学习不够深入。\n",
        "neighbour.txt": "一、存在的问题\n一是学习不够深入。\n每月组织一次专题学习。\n",
    }
    for name, text in reports.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    expected = {
        "found.txt": {"style": "", "problems": ["学习不够深入", "制度执行不严"], "not_problems": ["每月组织一次"]},
        "fallback.txt": {"style": "", "problems": ["学习不够深入"], "not_problems": ["全年开展主题"]},
        "neighbour.txt": {"style": "", "problems": ["学习不够深入"], "not_problems": ["每月组织一次"]},
    }
    (tmp_path / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    found = headings.score(tmp_path, small_model)
    assert found["reports"] == 3 and found["passed"] == 1
    assert found["failures"]["fallback.txt"]["fallback"] is True
    assert found["failures"]["neighbour.txt"]["included"] == ["每月组织一次"]
    assert "found.txt" not in found["failures"] or found["failures"]["found.txt"]["missing"] == []


def test_unknown_headings_renames_the_problem_heading_and_removed_sections_cuts_the_section(tmp_path, small_model):
    import json

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "r.txt").write_text("一、主要工作\n全年开展主题党日12次。\n二、存在的问题\n一是学习不够深入。\n"
                                  "二是制度执行不严格。\n三、下一步打算\n每月组织一次专题学习。\n", encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps({"r.txt": {
        "style": "", "problems": ["学习不够深入", "制度执行不严"], "not_problems": ["每月组织一次"]}},
        ensure_ascii=False), encoding="utf-8")
    # Renamed 二、几点思考, the section is found by its items, which state shortcomings.
    assert headings.unknown_headings(small_model, tmp_path) == {"reports": 1, "passed": 1}
    assert headings.removed_sections(tmp_path) == {"reports": 1, "still_found": 0}
