"""Tests for classifier.fitting: which rows each fit trains on and which it scores, thresholds, the gate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from classifier.data import LabelledData
from classifier.fitting import fit_model, fit_pipeline, grouped_folds, tune_gate, tune_thresholds


def data_of(origins, groups):
    frame = pd.DataFrame({"origin": origins, "text": [f"句{i}" for i in range(len(origins))]})
    return LabelledData(frame=frame, labels=np.zeros((len(origins), 1), dtype=bool), groups=np.array(groups),
                        sha256="")


def test_folds_hold_out_real_sentences_only_and_paraphrases_follow_their_original():
    origins = ["real"] * 6 + ["written", "written", "paraphrase", "paraphrase"]
    groups = [0, 0, 1, 2, 3, 4, -1, -1, 0, 3]
    data = data_of(origins, groups)
    seen = []
    for train, held_out in grouped_folds(data, 3, seed=0):
        assert set(np.array(origins)[held_out]) == {"real"}
        assert {6, 7} <= set(train)  # written text always trains
        held_groups = set(data.groups[held_out])
        for paraphrase in (8, 9):
            assert (paraphrase in train) == (data.groups[paraphrase] not in held_groups)
        assert not set(train) & set(held_out)
        seen.extend(held_out)
    assert sorted(seen) == list(range(6))  # every real sentence held out exactly once


def test_tune_thresholds_separates_separable_scores():
    labels = np.array([[True, False], [True, False], [False, False], [False, False], [False, False]])
    scores = np.array([[0.81, 0.9], [0.70, 0.1], [0.32, 0.2], [0.12, 0.3], [0.55, 0.4]])
    threshold, no_positive = tune_thresholds(labels, scores)
    assert 0.55 < threshold <= 0.70
    assert no_positive == 0.5


def test_tune_thresholds_maximises_f1():
    labels = np.array([[True], [True], [True], [False], [False], [False]])
    scores = np.array([[0.9], [0.8], [0.1], [0.3], [0.2], [0.15]])
    [threshold] = tune_thresholds(labels, scores)
    assert 0.3 < threshold <= 0.8


def test_tune_gate_maximises_category_f1_over_all_rows():
    """Two problem sentences (one with two labels) and two 其他 sentences that would bring a false category each."""
    labels = np.array([[True, False], [True, True], [False, False], [False, False]])
    assigned = np.array([[True, False], [True, True], [True, False], [False, True]])
    scores = np.array([0.9, 0.3, 0.4, 0.1])
    gate = tune_gate(labels, scores, assigned)
    # Letting the two-label sentence through is worth one false category (F1 6/7), not two (6/8) nor none (2/4).
    assert 0.1 < gate <= 0.3


def test_bare_copies_make_context_matter_less(small_data, taxonomy):
    with_copies = fit_pipeline(small_data, taxonomy, bare_copies=True)
    without = fit_pipeline(small_data, taxonomy, bare_copies=False)
    frame = small_data.context
    assert not np.allclose(with_copies.predict_proba(frame), without.predict_proba(frame))


def test_fit_model_chooses_thresholds_and_gate(small_model, small_data, taxonomy):
    model = small_model  # fit_model(small_data, taxonomy, seed=0, jobs=1)
    assert model.thresholds.shape == (len(taxonomy),)
    assert ((model.thresholds >= 0.05) & (model.thresholds <= 0.95)).all()
    assert 0.05 <= model.gate_threshold <= 0.95
    again = fit_model(small_data, taxonomy, seed=0, jobs=2)
    np.testing.assert_array_equal(again.thresholds, model.thresholds)
