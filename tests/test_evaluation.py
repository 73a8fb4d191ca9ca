"""Tests for classifier.evaluation: metrics, grouped nested cross-validation on real sentences only, evaluating a
saved model in context and bare, and the label audit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from classifier.data import LabelledData
from classifier.evaluation import (
    assigned_matrix,
    cross_validate,
    evaluate_model,
    evaluate_predictions,
    label_disagreements,
)
from classifier.model import CategoryScore, Prediction
from classifier.taxonomy import Category

CATEGORIES = [Category("a", "甲"), Category("b", "乙"), Category("c", "丙"), Category("d", "丁")]

# Rows 0-3 are 问题/原因 sentences, rows 4-5 are 其他.
LABELS = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=bool)
ROLES = np.array(["问题", "问题", "原因", "问题", "其他", "其他"])
SCORES = np.array([
    [0.9, 0.1, 0.1, 0.0],  # top: a, gold -> hit
    [0.2, 0.8, 0.1, 0.0],  # top: b, gold -> hit
    [0.7, 0.6, 0.0, 0.0],  # top: a, not gold -> miss
    [0.4, 0.0, 0.1, 0.0],  # top: a, not gold -> miss
    [0.1, 0.9, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0],
])


def predicted(role, *ids):
    return Prediction(role, 0.9 if ids else 0.1, [CategoryScore(i, i, 0.9) for i in ids])


PREDICTIONS = [predicted("问题", "a"), predicted("问题", "a"), predicted("问题", "a", "b"), predicted("其他"),
               predicted("问题", "b"), predicted("其他")]


@pytest.fixture
def evaluation():
    return evaluate_predictions(LABELS, ROLES, PREDICTIONS, SCORES, CATEGORIES)


def test_per_category(evaluation):
    table = evaluation.per_category.set_index("category_id")
    # a: TP 2, FP 1, FN 0.  b: TP 1, FP 0, FN 1.  c: TP 0, FN 1.  d: never gold, never assigned.
    assert table["precision"].tolist() == pytest.approx([2 / 3, 1.0, 0.0, 0.0])
    assert table["recall"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
    assert table["f1"].tolist() == pytest.approx([0.8, 2 / 3, 0.0, 0.0])
    assert table["support"].tolist() == [2, 2, 1, 0]


def test_summary_figures(evaluation):
    assert evaluation.micro_f1 == pytest.approx(2 * 3 / (2 * 3 + 1 + 2))  # TP 3, FP 1, FN 2
    assert evaluation.macro_f1 == pytest.approx((0.8 + 2 / 3 + 0.0) / 3)  # d has no support: left out
    assert evaluation.top1_accuracy == pytest.approx(0.5)
    assert evaluation.other_false_rate == pytest.approx(0.5)  # row 4 wrongly got b
    assert evaluation.no_category_rate == pytest.approx(0.25)  # row 3 got nothing
    assert evaluation.role_accuracy == pytest.approx(3 / 6)  # rows 2 (原因 as 问题), 3 (问题 as 其他), 4 wrong
    assert (evaluation.problem_sentences, evaluation.other_sentences) == (4, 2)


def test_no_other_sentences():
    evaluation = evaluate_predictions(LABELS[:4], ROLES[:4], PREDICTIONS[:4], SCORES[:4], CATEGORIES)
    assert evaluation.other_false_rate == 0.0 and evaluation.other_sentences == 0


def test_assigned_matrix():
    assert assigned_matrix([predicted("问题", "a", "b"), predicted("其他")], CATEGORIES).tolist() == [
        [True, True, False, False], [False, False, False, False]]


def labelled(rows, labels):
    frame = pd.DataFrame(rows, columns=["id", "source", "text", "role", "labels"])
    return LabelledData(frame=frame, labels=np.array(labels, dtype=bool), groups=np.arange(len(rows)), sha256="")


def test_label_disagreements():
    data = labelled([
        ("s1", "x.txt:1", "理论学习不够。", "问题", "a"),
        ("s2", "x.txt:2", "制度不全，责任不清。", "问题", "b"),
        ("s3", "x.txt:3", "学习不深入。", "问题", "a"),
        ("s4", "x.txt:4", "一、工作情况", "其他", ""),
    ], [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
    scores = np.array([
        [0.05, 0.1, 0.0, 0.0],  # gold a scored very low
        [0.1, 0.9, 0.85, 0.0],  # c scored high but not gold
        [0.6, 0.1, 0.0, 0.0],  # agrees
        [0.0, 0.99, 0.0, 0.0],  # 其他: its category scores say nothing (they are given a problem)
    ])
    frame = label_disagreements(data, np.arange(4), scores, CATEGORIES)
    assert frame["id"].tolist() == ["s1", "s2"]  # strongest first
    assert frame["strength"].tolist() == pytest.approx([0.95, 0.85])
    assert frame.iloc[0]["doubtful_labels"] == "a:0.05" and frame.iloc[1]["suggested_labels"] == "c:0.85"


@pytest.fixture
def data_with_written(taxonomy, tmp_path):
    from classifier.data import load_labelled
    from tests.conftest import LABELLED_SMALL

    extra = tmp_path / "written.csv"
    extra.write_text("id,source,text,role,labels\nw1,written/x/01.txt:1,村里党员年龄普遍偏大。,问题,team\n"
                     "w2,written/x/01.txt:2,党费收缴不及时。,问题,management\n", encoding="utf-8")
    return load_labelled([LABELLED_SMALL, extra], taxonomy)


def test_cross_validate_scores_only_real_sentences_in_context_and_bare(data_with_written, taxonomy):
    data = data_with_written
    cv = cross_validate(data, taxonomy, n_splits=2, jobs=1)
    assert len(cv.rows) == int(data.scored.sum()) == len(data.frame) - 2 == len(cv.predictions)
    assert data.scored[cv.rows].all()
    assert cv.scores.categories.shape == (len(cv.rows), len(taxonomy))
    assert all(len(p.categories) <= 3 for p in cv.predictions)
    assert cv.evaluation.problem_sentences + cv.evaluation.other_sentences == len(cv.rows)
    assert 0.0 < cv.evaluation.micro_f1 <= 1.0 and 0.0 < cv.bare.micro_f1 <= 1.0


@pytest.mark.slow  # two cross-validations; the quick loop keeps one
def test_cross_validate_is_parallel_safe(small_data, taxonomy):
    one = cross_validate(small_data, taxonomy, n_splits=3, jobs=1)
    two = cross_validate(small_data, taxonomy, n_splits=3, jobs=2)
    np.testing.assert_allclose(one.scores.categories, two.scores.categories)


@pytest.mark.slow  # the benchmark's options; the quick loop keeps the plain cross-validation
def test_cross_validate_with_character_features_only(small_data, taxonomy):
    both = cross_validate(small_data, taxonomy, n_splits=3, jobs=1)
    characters = cross_validate(small_data, taxonomy, n_splits=3, jobs=1, features=("characters",))
    assert not np.allclose(characters.scores.categories, both.scores.categories)


@pytest.mark.slow
def test_cross_validate_on_a_share_of_each_training_fold(small_data, taxonomy):
    full = cross_validate(small_data, taxonomy, n_splits=3, jobs=1)
    half = cross_validate(small_data, taxonomy, n_splits=3, jobs=1, train_fraction=0.5)
    assert half.evaluation.problem_sentences == full.evaluation.problem_sentences  # every sentence still scored
    assert not np.allclose(half.scores.categories, full.scores.categories)


def test_evaluate_model_in_context_and_bare(small_model, small_data):
    in_context = evaluate_model(small_model, small_data)
    bare = evaluate_model(small_model, small_data, bare=True)
    assert in_context.problem_sentences == bare.problem_sentences == int(small_data.is_problem.sum())
