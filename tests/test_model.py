"""Tests for classifier.model: the gated classifier, decisions from scores, and saving and loading models."""

from __future__ import annotations

import dataclasses
import os
import pickle
import warnings

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.base import clone

from classifier.errors import InputError
from classifier.fitting import fit_model
from classifier.model import (
    MAX_CATEGORIES,
    CategoryScore,
    ContextGatedClassifier,
    ModelVersionWarning,
    ProblemModel,
    Scores,
    assigned_categories,
    describe,
    load_model,
    save_model,
)
from classifier.taxonomy import ROLES, Category

CATEGORIES = [Category(f"c{i}", f"类别{i}") for i in range(5)]


def toy_model(thresholds, gate=0.5):
    return ProblemModel(pipeline=None, categories=CATEGORIES, thresholds=np.array(thresholds, dtype=float),
                        gate_threshold=gate)


def decide(model, rows, problem=(0.9, 0.0, 0.1)):
    rows = np.array(rows, dtype=float)
    return model.decide(Scores(np.tile(problem, (len(rows), 1)), rows))


# --- the classifier ---------------------------------------------------------------------------------------


def test_classifier_settings_are_constructor_parameters():
    classifier = ContextGatedClassifier(C=3.0, class_weight=None, solver="liblinear", random_state=7)
    assert clone(classifier).get_params()["C"] == 3.0
    assert classifier.get_params()["class_weight"] is None
    assert not hasattr(classifier, "gate_")  # fitted state only after fit


def test_classifier_learns_roles_and_categories():
    X = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]] * 3, dtype=float)
    y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 0], [0, 0]] * 3, dtype=bool)
    roles = ["问题", "问题", "原因", "原因", "其他", "其他"] * 3
    fitted = ContextGatedClassifier().fit(X, y, roles)
    role = fitted.role_proba(np.eye(3))
    assert role.shape == (3, len(ROLES)) and np.allclose(role.sum(axis=1), 1)
    assert role.argmax(axis=1).tolist() == [0, 1, 2]  # columns in ROLES order: 问题, 原因, 其他
    categories = fitted.predict_proba(np.eye(3)[:2])
    assert categories[0].argmax() == 0 and categories[1].argmax() == 1
    assert fitted.gate_.coef_.dtype == np.float32  # weights halved in size
    assert np.allclose(role[:, :2].sum(axis=1), fitted.gate_.predict_proba(np.eye(3))[:, 1])  # the gate decides


def test_without_any_cause_the_cause_share_is_constant():
    X = np.array([[1, 0], [1, 0], [0, 1], [0, 1]] * 3, dtype=float)
    y = np.array([[1], [1], [0], [0]] * 3, dtype=bool)
    fitted = ContextGatedClassifier().fit(X, y, ["问题", "问题", "其他", "其他"] * 3)
    assert (fitted.role_proba(np.eye(2))[:, 1] == 0).all()


def test_classifier_refuses_roles_that_contradict_labels():
    with pytest.raises(ValueError):
        ContextGatedClassifier().fit(np.eye(2), np.array([[True], [False]]), ["其他", "其他"])


# --- decisions --------------------------------------------------------------------------------------------


def test_at_most_three_categories_sorted_by_score():
    [prediction] = decide(toy_model([0.5] * 5), [[0.6, 0.9, 0.7, 0.95, 0.8]])
    assert len(prediction.categories) == MAX_CATEGORIES == 3
    assert [c.id for c in prediction.categories] == ["c3", "c1", "c4"]
    assert prediction.categories[0] == CategoryScore("c3", "类别3", 0.95)


def test_only_categories_above_their_own_threshold():
    [prediction] = decide(toy_model([0.5, 0.9, 0.2, 0.5, 0.5]), [[0.6, 0.85, 0.25, 0.1, 0.05]])
    assert [c.id for c in prediction.categories] == ["c0", "c2"]
    [exact] = decide(toy_model([0.5] * 5), [[0.5, 0.0, 0.0, 0.0, 0.0]])
    assert [c.id for c in exact.categories] == ["c0"]  # reaching the threshold is enough


def test_a_problem_keeps_its_top_category_even_below_threshold():
    [prediction] = decide(toy_model([0.5] * 5), [[0.1, 0.2, 0.3, 0.4, 0.05]])
    assert prediction.role == "问题" and [c.id for c in prediction.categories] == ["c3"]


def test_the_gate_decides_the_role_and_other_sentences_get_no_category():
    model = toy_model([0.5] * 5, gate=0.6)
    rows = [[0.9, 0.0, 0.0, 0.0, 0.0]] * 3
    roles = np.array([[0.7, 0.2, 0.1], [0.2, 0.45, 0.35], [0.3, 0.2, 0.5]])
    problem, cause, other = model.decide(Scores(roles, np.array(rows)))
    assert (problem.role, cause.role, other.role) == ("问题", "原因", "其他")
    assert other.categories == [] and other.problem_score == 0.5
    assert cause.problem_score == 0.65


def test_scores_are_rounded():
    [prediction] = decide(toy_model([0.5] * 5), [[0.123456789, 0.0, 0.987654321, 0.0, 0.0]])
    assert prediction.categories[0].score == 0.9877


def test_a_category_beyond_the_three_highest_scores_counts_when_it_reaches_its_threshold():
    [prediction] = decide(toy_model([0.5, 0.5, 0.5, 0.2, 0.5]), [[0.45, 0.44, 0.43, 0.30, 0.1]])
    assert [c.id for c in prediction.categories] == ["c3"]


# --- a trained model --------------------------------------------------------------------------------------


def test_small_model_predicts(small_model, taxonomy):
    assert small_model.categories == taxonomy
    assert small_model.thresholds.shape == (len(taxonomy),)
    texts = ["党员理论学习不够深入，学习方式单一。", "三会一课制度落实不严格，组织生活不规范。"]
    scores = small_model.scores(texts)
    assert scores.categories.shape == (2, len(taxonomy)) and scores.roles.shape == (2, len(ROLES))
    assert ((scores.categories >= 0) & (scores.categories <= 1)).all()
    predictions = small_model.predict(texts)
    assert [p.categories[0].id for p in predictions] == ["education", "org_life"]
    assert len(small_model.scores([])) == 0


def test_a_category_without_labelled_sentences_is_learned_from_the_codebook_examples(small_model, small_data,
                                                                                     taxonomy):
    venue = [category.id for category in taxonomy].index("venue")
    assert not small_data.labels[:, venue].any()  # the small data set has no venue sentence
    scores = small_model.scores(["党员活动场所面积小，设施不全。"]).categories[0]
    assert scores.argmax() == venue
    without_examples = [dataclasses.replace(category, examples=()) for category in taxonomy]
    plain = fit_model(small_data, without_examples, jobs=1)
    assert plain.scores(["党员活动场所面积小，设施不全。"]).categories[0][venue] < scores[venue]


# --- saving and loading -----------------------------------------------------------------------------------


@pytest.fixture
def described_model(small_model):
    model = dataclasses.replace(small_model, metadata={})  # leave the shared fixture as it is
    describe(model, note="测试")
    return model


def test_save_and_load_round_trip(tmp_path, described_model):
    path = tmp_path / "model.joblib"
    save_model(described_model, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelVersionWarning)
        loaded = load_model(path)
    texts = ["对党建工作重视不够，主体责任落实不到位。", "今年召开会议十次。"]
    np.testing.assert_allclose(loaded.scores(texts).categories, described_model.scores(texts).categories)
    np.testing.assert_allclose(loaded.scores(texts).roles, described_model.scores(texts).roles)
    assert loaded.categories == described_model.categories
    np.testing.assert_array_equal(loaded.thresholds, described_model.thresholds)
    assert loaded.metadata["note"] == "测试"
    assert loaded.metadata["versions"]["scikit-learn"] == sklearn.__version__
    assert loaded.metadata["thresholds"] == {c.id: float(t)
                                             for c, t in zip(loaded.categories, loaded.thresholds, strict=True)}
    assert os.listdir(tmp_path) == ["model.joblib"]


def test_describe(described_model, taxonomy):
    metadata = described_model.metadata
    assert metadata["taxonomy"] == [{"id": c.id, "name": c.name} for c in taxonomy]
    assert set(metadata["versions"]) == {"python", "scikit-learn", "rjieba", "numpy"}
    assert metadata["gate_threshold"] == described_model.gate_threshold
    assert metadata["created"]


def refused(path):
    with pytest.raises(InputError) as caught:
        load_model(path)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_load_random_bytes(tmp_path):
    path = tmp_path / "model.joblib"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    assert "不是本工具的模型文件" in refused(path)


def test_load_text_file(tmp_path):
    path = tmp_path / "model.joblib"
    path.write_text("这不是模型。\n", encoding="utf-8")
    assert "不是本工具的模型文件" in refused(path)


@pytest.mark.parametrize("document", [{"model": "x"}, {"format": "classifier-model/1", "model": "x"},
                                      ["classifier-model/2"]])
def test_load_pickle_of_another_format(tmp_path, document):
    path = tmp_path / "model.joblib"
    joblib.dump(document, path)
    assert "不是本工具的模型文件" in refused(path)
    path.write_bytes(pickle.dumps(document))
    assert "不是本工具的模型文件" in refused(path)


def test_load_missing_file(tmp_path):
    assert "找不到模型文件" in refused(tmp_path / "nowhere.joblib")


def test_load_folder(tmp_path):
    refused(tmp_path)


def test_model_from_another_sklearn_version_warns(tmp_path, described_model):
    model = dataclasses.replace(described_model,
                                metadata={**described_model.metadata, "versions": {"scikit-learn": "0.0.1"}})
    path = tmp_path / "old.joblib"
    save_model(model, path)
    with pytest.warns(ModelVersionWarning, match="0.0.1"):
        loaded = load_model(path)
    assert loaded.categories == model.categories


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch, described_model):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"old model")

    def failing_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(joblib, "dump", failing_dump)
    with pytest.raises(InputError, match="原有文件未改动"):  # one line for the user, not a traceback
        save_model(described_model, path)
    assert path.read_bytes() == b"old model"
    assert os.listdir(tmp_path) == ["model.joblib"]


def test_bare_sentences_are_decided_with_their_own_thresholds():
    model = dataclasses.replace(toy_model([0.5] * 5, gate=0.6), bare_thresholds=np.array([0.9] * 5),
                                bare_gate_threshold=0.2)
    roles = np.array([[0.4, 0.0, 0.6]] * 2)
    rows = np.array([[0.7, 0.0, 0.0, 0.0, 0.0], [0.7, 0.6, 0.0, 0.0, 0.0]])
    in_context, bare = model.decide(Scores(roles, rows, np.array([False, True])))
    assert in_context.role == "其他"  # 0.4 misses the gate of 0.6
    assert bare.role == "问题" and [c.id for c in bare.categories] == ["c0"]  # only the top one: both miss 0.9
    without = toy_model([0.5] * 5, gate=0.6).decide(Scores(roles, rows, np.array([False, True])))
    assert [p.role for p in without] == ["其他", "其他"]  # no bare thresholds: the context ones serve


def test_scores_know_which_sentences_were_bare(small_model):
    from classifier.structure import PlacedSentence

    placed = PlacedSentence("学习不深入。", 3, 0, "问题", 1, "理论学习不够", "body")
    assert small_model.scores(["学习不深入。", placed]).bare.tolist() == [True, False]
    assert small_model.bare_thresholds is not None and 0.05 <= small_model.bare_gate_threshold <= 0.95


def test_assigned_categories_are_those_above_threshold_at_most_three_and_at_least_the_top_one():
    scores = np.array([[0.9, 0.8, 0.7, 0.6], [0.2, 0.4, 0.1, 0.3], [0.5, 0.1, 0.6, 0.2]])
    thresholds = np.array([0.5, 0.5, 0.5, 0.5])
    assert assigned_categories(scores, thresholds).tolist() == [
        [True, True, True, False],  # four pass, the three highest are kept
        [False, True, False, False],  # none passes: the top one
        [True, False, True, False]]
