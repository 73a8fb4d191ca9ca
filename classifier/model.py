"""The multi-label model: fitting, per-category thresholds, prediction, and saving and loading with metadata.

A scikit-learn Pipeline (classifier.features, then ProblemGatedClassifier) scores every category as
P(the sentence states a problem) x P(category | problem sentence): one logistic regression learns to tell
problem sentences from the rest, one-vs-rest logistic regressions trained on problem sentences alone learn the
categories.  Measured on our data this beats a single one-vs-rest model on both counts: better categories on
problem sentences, far fewer categories wrongly given to other sentences (see README's model card).

Besides the labelled sentences, every fit also learns from the codebook's example problem statements
(data/taxonomy.yaml): they are training data only, never scored, so thresholds and evaluations rest on labelled
corpus sentences alone.

Each category has its own threshold, chosen on grouped out-of-fold scores of the training data; a sentence gets
the categories whose score reaches their threshold, at most three, highest first, and none when no score does.
"""

from __future__ import annotations

import datetime as dt
import platform
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba
import joblib
import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from classifier.errors import InputError
from classifier.features import FEATURE_PARTS, build_features, remembered_tokens
from classifier.output import atomic_writer
from classifier.taxonomy import Category, codebook_examples

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "default.joblib"
MAX_CATEGORIES = 3
THRESHOLD_FOLDS = 3
_THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)
_FORMAT = "classifier-model/1"


class ModelVersionWarning(UserWarning):
    """The model was saved under another scikit-learn version than the one loading it."""


@dataclass(frozen=True)
class CategoryScore:
    """A category assigned to a sentence, with the model's score for it."""

    id: str
    name: str
    score: float


@dataclass
class ProblemModel:
    """A fitted pipeline with its categories, thresholds and metadata."""

    pipeline: Pipeline
    categories: list[Category]
    thresholds: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)

    def scores(self, texts: list[str]) -> np.ndarray:
        """Return the score of every category for every text (rows x categories)."""
        if not texts:
            return np.zeros((0, len(self.categories)))
        return self.pipeline.predict_proba(texts)

    def assign(self, scores: np.ndarray) -> list[list[CategoryScore]]:
        """Turn score rows into assigned categories: above threshold, highest first, at most three."""
        assigned = []
        for row in scores:
            passing = [index for index in np.argsort(-row, kind="stable") if row[index] >= self.thresholds[index]]
            assigned.append([CategoryScore(self.categories[i].id, self.categories[i].name, round(float(row[i]), 4))
                             for i in passing[:MAX_CATEGORIES]])
        return assigned

    def predict(self, texts: list[str]) -> list[list[CategoryScore]]:
        """Return the assigned categories of every text."""
        return self.assign(self.scores(texts))


class ProblemGatedClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label scores as P(problem sentence) x P(category | problem sentence).

    ``fit`` takes a boolean label matrix; a row without any label is a sentence that states no problem.
    """

    def __init__(self, C: float = 10.0, random_state: int = 0) -> None:
        self.C = C
        self.random_state = random_state

    def fit(self, X: Any, y: np.ndarray) -> ProblemGatedClassifier:
        y = np.asarray(y, dtype=bool)
        regression = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000,
                                        random_state=self.random_state)
        is_problem = y.any(axis=1)
        self.gate_ = clone(regression).fit(X, is_problem)
        self.categories_ = OneVsRestClassifier(clone(regression)).fit(X[is_problem], y[is_problem])
        self.n_outputs_ = y.shape[1]
        # float32 weights halve the shipped model; scores move by about 1e-7 (measured in README's model card).
        for fitted in (self.gate_, *self.categories_.estimators_):
            if hasattr(fitted, "coef_"):
                fitted.coef_ = fitted.coef_.astype(np.float32)
                fitted.intercept_ = fitted.intercept_.astype(np.float32)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        problem = self.gate_.predict_proba(X)[:, list(self.gate_.classes_).index(True)]
        return problem[:, None] * self.categories_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        return self.predict_proba(X) >= 0.5


def build_pipeline(categories: list[Category], seed: int = 0, features: tuple[str, ...] = FEATURE_PARTS) -> Pipeline:
    """Return the unfitted pipeline: the ``features`` parts (TF-IDF, codebook cues), then the gated classifier."""
    return Pipeline([("features", build_features(cues=[category.cues for category in categories], parts=features)),
                     ("classifier", ProblemGatedClassifier(random_state=seed))])


def _fit_pipeline(texts: list[str], labels: np.ndarray, categories: list[Category], seed: int,
                  features: tuple[str, ...]) -> Pipeline:
    example_texts, example_labels = codebook_examples(categories)
    with warnings.catch_warnings():
        # A category absent from a training fold gets a constant predictor; that is expected, not news.
        warnings.filterwarnings("ignore", message="Label not .* is present in all training examples")
        return build_pipeline(categories, seed, features).fit(list(texts) + example_texts,
                                                              np.vstack([labels, example_labels]))


def out_of_fold_scores(texts: list[str], labels: np.ndarray, groups: np.ndarray, categories: list[Category],
                       n_splits: int, seed: int, features: tuple[str, ...] = FEATURE_PARTS) -> np.ndarray:
    """Score every text with a pipeline fitted on the other folds (folds grouped by passage)."""
    scores = np.zeros(labels.shape)
    folds = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train, held_out in folds.split(texts, labels, groups):
        pipeline = _fit_pipeline([texts[i] for i in train], labels[train], categories, seed, features)
        scores[held_out] = pipeline.predict_proba([texts[i] for i in held_out])
    return scores


def tune_thresholds(labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Return, per category, the threshold on the grid that maximises F1 (0.5 when a category has no example)."""
    thresholds = np.full(labels.shape[1], 0.5)
    for column in range(labels.shape[1]):
        truth = labels[:, column]
        if not truth.any():
            continue
        predicted = scores[:, column][:, None] >= _THRESHOLD_GRID[None, :]
        true_positive = (predicted & truth[:, None]).sum(axis=0)
        f1 = 2 * true_positive / (predicted.sum(axis=0) + truth.sum())
        thresholds[column] = _THRESHOLD_GRID[int(np.argmax(f1))]
    return thresholds


def fit_model(texts: list[str], labels: np.ndarray, groups: np.ndarray, categories: list[Category],
              seed: int = 0, features: tuple[str, ...] = FEATURE_PARTS) -> ProblemModel:
    """Choose thresholds by grouped cross-validation on the given data, then fit on all of it."""
    with remembered_tokens():
        inner = out_of_fold_scores(texts, labels, groups, categories, THRESHOLD_FOLDS, seed, features)
        thresholds = tune_thresholds(labels, inner)
        return ProblemModel(_fit_pipeline(texts, labels, categories, seed, features), list(categories), thresholds)


def environment_versions() -> dict[str, str]:
    """The versions that decide whether a saved model loads and predicts the same."""
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "jieba": jieba.__version__,
            "numpy": np.__version__}


def describe(model: ProblemModel, **metadata: Any) -> None:
    """Fill in the model's metadata: taxonomy, thresholds, versions, creation time, plus ``metadata``."""
    model.metadata = {
        "taxonomy": [{"id": category.id, "name": category.name} for category in model.categories],
        "thresholds": {category.id: float(threshold)
                       for category, threshold in zip(model.categories, model.thresholds, strict=True)},
        "versions": environment_versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        **metadata,
    }


def save_model(model: ProblemModel, path: Path) -> None:
    """Save the model atomically: an existing file is replaced only once the new one is complete."""
    with atomic_writer(Path(path), mode="wb", encoding=None) as handle:
        joblib.dump({"format": _FORMAT, "model": model}, handle, compress=3)


def load_model(path: Path) -> ProblemModel:
    """Load a model saved by save_model.  Only load files you trust: loading runs pickled code."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到模型文件：{path}（可用 --model 指定，或先运行 classifier train）")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        try:
            document = joblib.load(path)
        except Exception:  # unpickling a foreign file can fail in any way; all of them mean "not a model"
            raise InputError(f"{path} 不是本工具的模型文件") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise InputError(f"{path} 不是本工具的模型文件")
    model: ProblemModel = document["model"]
    saved = model.metadata.get("versions", {}).get("scikit-learn")
    if saved != sklearn.__version__ or any(isinstance(w.message, InconsistentVersionWarning) for w in caught):
        warnings.warn(ModelVersionWarning(
            f"模型 {path} 由 scikit-learn {saved} 训练，当前为 {sklearn.__version__}，结果可能不同，建议重新训练"),
            stacklevel=2)
    return model
