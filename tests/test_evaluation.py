"""Tests for classifier.evaluation: metrics, the assignment matrix, cross-validation and the label audit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from classifier.data import LabelledData
from classifier.evaluation import assigned_matrix, cross_validate, evaluate_predictions, label_disagreements
from classifier.model import ProblemModel
from classifier.taxonomy import Category

CATEGORIES = [Category("a", "甲"), Category("b", "乙"), Category("c", "丙"), Category("d", "丁")]

# Rows 0-3 are 问题/原因 sentences, rows 4-5 are 其他.
LABELS = np.array([
    [1, 0, 0, 0],
    [1, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
], dtype=bool)
PREDICTED = np.array([
    [1, 0, 0, 0],
    [1, 0, 0, 0],
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 0, 0],
], dtype=bool)
SCORES = np.array([
    [0.9, 0.1, 0.1, 0.0],  # top: a, gold -> hit
    [0.2, 0.8, 0.1, 0.0],  # top: b, gold -> hit
    [0.7, 0.6, 0.0, 0.0],  # top: a, not gold -> miss
    [0.0, 0.0, 0.0, 0.0],  # no score at all -> miss
    [0.1, 0.9, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0],
])
IS_PROBLEM = np.array([True, True, True, True, False, False])


@pytest.fixture
def evaluation():
    return evaluate_predictions(LABELS, PREDICTED, SCORES, IS_PROBLEM, CATEGORIES)


def test_per_category(evaluation):
    table = evaluation.per_category.set_index("category_id")
    # a: TP 2, FP 1, FN 0.  b: TP 1, FP 0, FN 1.  c: TP 0, FN 1.  d: never gold, never assigned.
    assert table["precision"].tolist() == pytest.approx([2 / 3, 1.0, 0.0, 0.0])
    assert table["recall"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
    assert table["f1"].tolist() == pytest.approx([0.8, 2 / 3, 0.0, 0.0])
    assert table["support"].tolist() == [2, 2, 1, 0]
    assert table["category"].tolist() == ["甲", "乙", "丙", "丁"]


def test_summary_figures(evaluation):
    assert evaluation.micro_f1 == pytest.approx(2 * 3 / (2 * 3 + 1 + 2))  # TP 3, FP 1, FN 2
    assert evaluation.macro_f1 == pytest.approx((0.8 + 2 / 3 + 0.0) / 3)  # d has no support: left out
    assert evaluation.top1_accuracy == pytest.approx(0.5)
    assert evaluation.other_false_rate == pytest.approx(0.5)  # row 4 wrongly got b
    assert (evaluation.problem_sentences, evaluation.other_sentences) == (4, 2)
    assert evaluation.summary() == {
        "micro_f1": 0.6667, "macro_f1": 0.4889, "top1_accuracy": 0.5, "other_false_rate": 0.5,
        "problem_sentences": 4, "other_sentences": 2}


def test_no_other_sentences():
    evaluation = evaluate_predictions(LABELS[:4], PREDICTED[:4], SCORES[:4], IS_PROBLEM[:4], CATEGORIES)
    assert evaluation.other_false_rate == 0.0
    assert evaluation.other_sentences == 0


def test_assigned_matrix():
    model = ProblemModel(None, CATEGORIES, np.array([0.5, 0.5, 0.5, 0.5]))
    assigned = assigned_matrix(model, np.array([[0.9, 0.6, 0.1, 0.0], [0.1, 0.1, 0.1, 0.1]]))
    assert assigned.tolist() == [[True, True, False, False], [False, False, False, False]]


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
        [0.0, 0.99, 0.0, 0.0],  # 其他 sentence scored very high for b
    ])
    frame = label_disagreements(data, scores, CATEGORIES)
    assert frame["id"].tolist() == ["s4", "s1", "s2"]  # strongest first
    assert frame["strength"].tolist() == pytest.approx([0.99, 0.95, 0.85])
    first, second, third = frame.to_dict("records")
    assert (first["doubtful_labels"], first["suggested_labels"]) == ("", "b:0.99")
    assert (second["doubtful_labels"], second["suggested_labels"]) == ("a:0.05", "")
    assert (third["doubtful_labels"], third["suggested_labels"]) == ("", "c:0.85")
    assert third["text"] == "制度不全，责任不清。"


def test_label_disagreements_none():
    data = labelled([("s1", "x.txt:1", "理论学习不够。", "问题", "a")], [[1, 0, 0, 0]])
    frame = label_disagreements(data, np.array([[0.7, 0.3, 0.0, 0.0]]), CATEGORIES)
    assert frame.empty
    assert "strength" in frame.columns


def test_cross_validate_small_data(small_data, taxonomy):
    evaluation, scores, assigned = cross_validate(small_data, taxonomy, n_splits=3)
    assert scores.shape == assigned.shape == small_data.labels.shape
    assert ((scores >= 0) & (scores <= 1)).all()
    assert (assigned.sum(axis=1) <= 3).all()
    assert evaluation.problem_sentences + evaluation.other_sentences == len(small_data.texts)
    assert 0.0 < evaluation.micro_f1 <= 1.0


def test_cross_validate_with_character_features_only(small_data, taxonomy):
    both, both_scores, _ = cross_validate(small_data, taxonomy, n_splits=3)
    characters, character_scores, _ = cross_validate(small_data, taxonomy, n_splits=3, features=("characters",))
    assert character_scores.shape == both_scores.shape
    assert not np.allclose(character_scores, both_scores), "the word features must have been left out"
    assert characters.problem_sentences == both.problem_sentences


def test_cross_validate_on_a_share_of_each_training_fold(small_data, taxonomy):
    full, full_scores, _ = cross_validate(small_data, taxonomy, n_splits=3)
    same, same_scores, _ = cross_validate(small_data, taxonomy, n_splits=3, train_fraction=1.0)
    np.testing.assert_array_equal(same_scores, full_scores)
    half, half_scores, _ = cross_validate(small_data, taxonomy, n_splits=3, train_fraction=0.5)
    assert half.problem_sentences == full.problem_sentences  # every sentence is still scored
    assert not np.allclose(half_scores, full_scores), "half the training data must give other scores"
