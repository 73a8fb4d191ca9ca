"""Tests for classifier.model: thresholds, assignment, and saving and loading models."""

from __future__ import annotations

import dataclasses
import os
import pickle
import warnings

import joblib
import numpy as np
import pytest
import sklearn

from classifier.errors import InputError
from classifier.model import (
    MAX_CATEGORIES,
    CategoryScore,
    ModelVersionWarning,
    ProblemModel,
    describe,
    fit_model,
    load_model,
    save_model,
    tune_thresholds,
)
from classifier.taxonomy import Category

CATEGORIES = [Category(f"c{i}", f"类别{i}") for i in range(5)]


def toy_model(thresholds):
    return ProblemModel(pipeline=None, categories=CATEGORIES, thresholds=np.array(thresholds, dtype=float))


# --- thresholds -------------------------------------------------------------------------------------------


def test_tune_thresholds_separates_separable_scores():
    labels = np.array([[True, False], [True, False], [False, False], [False, False], [False, False]])
    scores = np.array([[0.81, 0.9], [0.70, 0.1], [0.32, 0.2], [0.12, 0.3], [0.55, 0.4]])
    threshold, no_positive = tune_thresholds(labels, scores)
    assert 0.55 < threshold <= 0.70
    assert ((scores[:, 0] >= threshold) == labels[:, 0]).all()
    assert no_positive == 0.5


def test_tune_thresholds_maximises_f1():
    # One positive scored low among negatives: the best F1 keeps the higher-scored positives only.
    labels = np.array([[True], [True], [True], [False], [False], [False]])
    scores = np.array([[0.9], [0.8], [0.1], [0.3], [0.2], [0.15]])
    [threshold] = tune_thresholds(labels, scores)
    assert 0.3 < threshold <= 0.8


# --- assignment -------------------------------------------------------------------------------------------


def test_assign_at_most_three_sorted_by_score():
    model = toy_model([0.5] * 5)
    [assigned] = model.assign(np.array([[0.6, 0.9, 0.7, 0.95, 0.8]]))
    assert len(assigned) == MAX_CATEGORIES == 3
    assert [c.id for c in assigned] == ["c3", "c1", "c4"]
    assert assigned[0] == CategoryScore("c3", "类别3", 0.95)


def test_assign_only_above_own_threshold():
    model = toy_model([0.5, 0.9, 0.2, 0.5, 0.5])
    [assigned] = model.assign(np.array([[0.6, 0.85, 0.25, 0.1, 0.05]]))
    assert [c.id for c in assigned] == ["c0", "c2"]
    [exact] = model.assign(np.array([[0.5, 0.0, 0.0, 0.0, 0.0]]))
    assert [c.id for c in exact] == ["c0"]  # reaching the threshold is enough


def test_assign_none_when_nothing_passes():
    model = toy_model([0.5] * 5)
    assert model.assign(np.array([[0.1, 0.2, 0.3, 0.4, 0.49], [0.0] * 5])) == [[], []]


def test_assign_rounds_scores():
    [[assigned]] = toy_model([0.5] * 5).assign(np.array([[0.123456789, 0.0, 0.987654321, 0.0, 0.0]]))
    assert assigned.score == 0.9877


def test_assign_considers_categories_beyond_the_three_highest_scores():
    # A category that reaches its own low threshold counts even when three higher scores miss theirs.
    model = toy_model([0.5, 0.5, 0.5, 0.2, 0.5])
    [assigned] = model.assign(np.array([[0.45, 0.44, 0.43, 0.30, 0.1]]))
    assert [c.id for c in assigned] == ["c3"]


# --- a trained model --------------------------------------------------------------------------------------


def test_small_model_predicts(small_model, taxonomy):
    assert small_model.categories == taxonomy
    assert small_model.thresholds.shape == (len(taxonomy),)
    texts = ["党员理论学习不够深入，学习方式单一。", "三会一课制度落实不严格，组织生活不规范。"]
    scores = small_model.scores(texts)
    assert scores.shape == (2, len(taxonomy))
    assert ((scores >= 0) & (scores <= 1)).all()
    predictions = small_model.predict(texts)
    assert [p[0].id for p in predictions] == ["education", "org_life"]
    assert small_model.scores([]).shape == (0, len(taxonomy))


def test_a_category_without_labelled_sentences_is_learned_from_the_codebook_examples(small_data, taxonomy):
    venue = [category.id for category in taxonomy].index("venue")
    assert not small_data.labels[:, venue].any()  # the small data set has no venue sentence
    model = fit_model(small_data.texts, small_data.labels, small_data.groups, taxonomy)
    [scores] = model.scores(["党员活动场所面积小，设施不全。"])
    assert scores.argmax() == venue
    without_examples = [dataclasses.replace(category, examples=()) for category in taxonomy]
    plain = fit_model(small_data.texts, small_data.labels, small_data.groups, without_examples)
    [plain_scores] = plain.scores(["党员活动场所面积小，设施不全。"])
    assert plain_scores[venue] < scores[venue]


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
    np.testing.assert_allclose(loaded.scores(texts), described_model.scores(texts))
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
    assert set(metadata["versions"]) == {"python", "scikit-learn", "jieba", "numpy"}
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


@pytest.mark.parametrize("document", [{"model": "x"}, {"format": "other/1", "model": "x"}, ["classifier-model/1"]])
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
    model = ProblemModel(described_model.pipeline, described_model.categories, described_model.thresholds,
                         {**described_model.metadata, "versions": {"scikit-learn": "0.0.1"}})
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
    with pytest.raises(OSError):
        save_model(described_model, path)
    assert path.read_bytes() == b"old model"
    assert os.listdir(tmp_path) == ["model.joblib"]
