"""Tests for classifier.rules: the keyword-cue baseline."""

from __future__ import annotations

import numpy as np

from classifier.rules import assign_by_cues, cue_scores, rule_predictions
from classifier.taxonomy import Category

CATEGORIES = [
    Category("responsibility", "责任落实", cues=("主体责任", "重视不够", "一岗双责")),
    Category("education", "党员教育", cues=("理论学习", "培训")),
    Category("funding", "经费保障", cues=("经费",)),
    Category("other", "其他问题"),
]


def test_cue_scores_count_cues_per_category():
    texts = ["对党建重视不够，主体责任落实不到位，理论学习不深入。", "经费不足，经费使用不规范。", "今天天气很好。"]
    assert cue_scores(texts, CATEGORIES).tolist() == [
        [2, 1, 0, 0],
        [0, 0, 1, 0],  # a cue counts once, however often it occurs
        [0, 0, 0, 0],
    ]


def test_cue_scores_of_no_texts():
    assert cue_scores([], CATEGORIES).shape == (0, 4)


def test_assign_only_categories_with_a_cue():
    scores = np.array([[2, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]], dtype=float)
    assert assign_by_cues(scores).tolist() == [
        [True, True, False, False],
        [False, False, False, False],
        [False, False, True, False],
    ]


def test_assign_at_most_three_most_cued_ties_in_codebook_order():
    scores = np.array([[1, 3, 1, 2]], dtype=float)
    assert assign_by_cues(scores).tolist() == [[True, True, False, True]]
    assert assign_by_cues(scores, max_categories=1).tolist() == [[False, True, False, False]]


def test_rule_predictions_call_a_sentence_with_a_cue_a_problem():
    predictions, scores = rule_predictions(["经费不足，理论学习也不够。", "今天天气很好。"], CATEGORIES)
    assert [p.role for p in predictions] == ["问题", "其他"]
    assert [c.id for c in predictions[0].categories] == ["education", "funding"]
    assert predictions[1].categories == [] and scores.shape == (2, 4)
