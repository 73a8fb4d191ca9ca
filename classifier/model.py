"""The model: a three-way role gate and multi-label categories over a sentence and its context, with
per-category thresholds; fitting, prediction, saving and loading with metadata.

ContextGatedClassifier learns two things from the features of classifier.features: the role of a sentence
(问题 states a shortcoming, 原因 explains one, 其他 neither), with a multinomial logistic regression over all
sentences, and P(category | 问题 or 原因) with one-vs-rest logistic regressions over the 问题/原因 sentences
alone.  ProblemModel turns these into decisions: a sentence is 问题 or 原因 when P(问题) + P(原因) reaches the gate
threshold (the larger of the two names the role), and then gets the categories whose conditional score reaches
their threshold, at most three, highest first, and at least its top category (a problem always has one).
Thresholds are chosen on grouped out-of-fold scores of the real training sentences.

Training text that is not a real report sentence (written passages, paraphrases, the codebook's example
statements) is fitted on but never used to choose thresholds or to score a model.
"""

from __future__ import annotations

import datetime as dt
import functools
import platform
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from classifier.errors import ModelFileError
from classifier.features import FEATURE_PARTS, build_features, context_frame, project_tokenizer
from classifier.output import atomic_writer
from classifier.taxonomy import PROBLEM_ROLES, ROLES, Category

MAX_CATEGORIES = 3
_FORMAT = "classifier-model/2"


class ModelVersionWarning(UserWarning):
    """The model was saved under another scikit-learn version than the one loading it."""


@dataclass(frozen=True)
class CategoryScore:
    """A category assigned to a sentence, with the model's score for it (P(category | 问题 or 原因))."""

    id: str
    name: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "score": self.score}


@dataclass(frozen=True)
class Prediction:
    """What the model says of one sentence: its role, P(问题 or 原因), and its categories (none for 其他)."""

    role: str
    problem_score: float
    categories: list[CategoryScore]


@dataclass(frozen=True)
class Scores:
    """Raw model output for some sentences: role probabilities (rows x ROLES), category scores (rows x
    categories) and which sentences were bare (given without their report's context)."""

    roles: np.ndarray
    categories: np.ndarray
    bare: np.ndarray | None = None

    @property
    def problem(self) -> np.ndarray:
        """P(问题) + P(原因) per sentence."""
        return self.roles[:, 0] + self.roles[:, 1]

    def __len__(self) -> int:
        return len(self.roles)


class ContextGatedClassifier(ClassifierMixin, BaseEstimator):
    """Role probabilities over ROLES, and category probabilities given a 问题/原因 sentence.

    The roles come from two logistic regressions, a gate (问题 or 原因, against 其他) over all sentences and,
    given a 问题/原因 sentence, 原因 against 问题; so P(问题) + P(原因) is the gate's own probability, which
    decides whether a sentence gets categories.  ``fit(X, y, roles=None)`` takes a boolean label matrix and each
    row's role; without roles a row with labels is 问题 and one without is 其他.  ``predict_proba`` gives
    P(category | 问题 or 原因); ``role_proba`` the role probabilities in ROLES order.  liblinear's dual
    formulation (``dual=True``) reaches the same solution as the primal one here, with far more features than
    sentences, in about two thirds of the time.
    """

    def __init__(self, C: float = 10.0, class_weight: str | dict | None = "balanced", solver: str = "liblinear",
                 dual: bool = True, max_iter: int = 1000, random_state: int = 0) -> None:
        self.C = C
        self.class_weight = class_weight
        self.solver = solver
        self.dual = dual
        self.max_iter = max_iter
        self.random_state = random_state

    def _regression(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver=self.solver, dual=self.dual,
                                  max_iter=self.max_iter, random_state=self.random_state)

    def fit(self, X: Any, y: np.ndarray, roles: Sequence[str] | None = None,
            sample_weight: np.ndarray | None = None) -> ContextGatedClassifier:
        y = np.asarray(y, dtype=bool)
        roles = np.asarray(roles if roles is not None else np.where(y.any(axis=1), ROLES[0], ROLES[2]), dtype=object)
        is_problem = np.isin(roles, PROBLEM_ROLES)
        if (is_problem != y.any(axis=1)).any():
            raise ValueError("问题/原因 rows need labels and 其他 rows none")
        problem_weight = None if sample_weight is None else sample_weight[is_problem]
        self.gate_ = self._regression().fit(X, is_problem, sample_weight=sample_weight)
        self.cause_ = _ConstantOrFitted(self._regression(), X[is_problem], roles[is_problem] == ROLES[1],
                                        problem_weight)
        self.categories_ = _fit_one_vs_rest(self._regression(), X[is_problem], y[is_problem], problem_weight)
        self.n_outputs_ = y.shape[1]
        # float32 weights halve the saved model; scores move by about 1e-7.
        for fitted in (self.gate_, self.cause_.regression, *self.categories_.estimators_):
            if fitted is not None and hasattr(fitted, "coef_"):
                fitted.coef_ = fitted.coef_.astype(np.float32)
                fitted.intercept_ = fitted.intercept_.astype(np.float32)
        return self

    def role_proba(self, X: Any) -> np.ndarray:
        problem = _true_probability(self.gate_, X)
        cause = self.cause_.probability(X)
        return np.column_stack([problem * (1 - cause), problem * cause, 1 - problem])

    def predict_proba(self, X: Any) -> np.ndarray:
        return self.categories_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        return self.predict_proba(X) >= 0.5


def _true_probability(regression: LogisticRegression, X: Any) -> np.ndarray:
    return regression.predict_proba(X)[:, list(regression.classes_).index(True)]


class _ConstantOrFitted:
    """A binary regression, or the constant share of positives when the training rows hold only one class (a
    department's data without any cause sentence)."""

    def __init__(self, regression: LogisticRegression, X: Any, y: np.ndarray, sample_weight: np.ndarray | None):
        self.regression = regression.fit(X, y, sample_weight=sample_weight) if len(set(y.tolist())) == 2 else None
        self.constant = float(np.mean(y)) if len(y) else 0.0

    def probability(self, X: Any) -> np.ndarray:
        if self.regression is None:
            return np.full(X.shape[0], self.constant)
        return _true_probability(self.regression, X)


def _fit_one_vs_rest(regression: LogisticRegression, X: Any, y: np.ndarray,
                     sample_weight: np.ndarray | None) -> OneVsRestClassifier:
    if sample_weight is None:
        return OneVsRestClassifier(regression).fit(X, y)
    with sklearn.config_context(enable_metadata_routing=True):
        weighted = OneVsRestClassifier(regression.set_fit_request(sample_weight=True))
        return weighted.fit(X, y, sample_weight=sample_weight)


@dataclass
class ProblemModel:
    """A fitted pipeline with its categories, thresholds and metadata.

    ``thresholds`` and ``gate_threshold`` are chosen for sentences read in their report; ``bare_thresholds`` and
    ``bare_gate_threshold``, when set, for bare sentences (`predict`), whose scores run differently without the
    context's evidence.
    """

    pipeline: Pipeline
    categories: list[Category]
    thresholds: np.ndarray
    gate_threshold: float = 0.5
    metadata: dict[str, Any] = field(default_factory=dict)
    bare_thresholds: np.ndarray | None = None
    bare_gate_threshold: float | None = None

    def features(self, sentences: Sequence[Any]) -> Any:
        """The feature matrix of ``sentences`` (bare strings, PlacedSentence objects, or a context frame)."""
        return self.pipeline[:-1].transform(_frame(sentences))

    @functools.cached_property
    def feature_names(self) -> np.ndarray:
        """The name of every feature column ("words__党建", "place__place=问题|item" …), computed once."""
        return self.pipeline[:-1].get_feature_names_out()

    def scores(self, sentences: Sequence[Any], features: Any = None) -> Scores:
        """Role and category scores of ``sentences``: bare strings, PlacedSentence objects, or a context frame;
        ``features``, their feature matrix when the caller has it already."""
        frame = _frame(sentences)
        if frame.empty:
            return Scores(np.zeros((0, len(ROLES))), np.zeros((0, len(self.categories))), np.zeros(0, dtype=bool))
        features = self.pipeline[:-1].transform(frame) if features is None else features
        classifier = self.pipeline[-1]
        return Scores(classifier.role_proba(features), classifier.predict_proba(features),
                      (frame["kind"] == "").to_numpy())

    def thresholds_for(self, bare: bool) -> tuple[np.ndarray, float]:
        """The category thresholds and the gate threshold for a sentence in context, or for a bare one."""
        if bare and self.bare_thresholds is not None and self.bare_gate_threshold is not None:
            return self.bare_thresholds, self.bare_gate_threshold
        return self.thresholds, self.gate_threshold

    def decide(self, scores: Scores) -> list[Prediction]:
        """Turn scores into predictions: the gate, then categories above threshold (at least the top one)."""
        bare = scores.bare if scores.bare is not None else np.zeros(len(scores), dtype=bool)
        problem = scores.problem
        passes = np.zeros(len(scores), dtype=bool)
        assigned = np.zeros(scores.categories.shape, dtype=bool)
        for is_bare in (False, True):
            rows = bare == is_bare
            if rows.any():
                thresholds, gate = self.thresholds_for(is_bare)
                passes[rows] = problem[rows] >= gate
                assigned[rows] = assigned_categories(scores.categories[rows], thresholds)
        predictions = []
        for index, (roles, row) in enumerate(zip(scores.roles, scores.categories, strict=True)):
            score = round(float(problem[index]), 4)
            if not passes[index]:
                predictions.append(Prediction(ROLES[2], score, []))
                continue
            chosen = sorted(np.flatnonzero(assigned[index]), key=lambda i: -row[i])  # highest first
            predictions.append(Prediction(
                ROLES[0] if roles[0] >= roles[1] else ROLES[1], score,
                [CategoryScore(self.categories[i].id, self.categories[i].name, round(float(row[i]), 4))
                 for i in chosen]))
        return predictions

    def predict(self, sentences: Sequence[Any]) -> list[Prediction]:
        """Return the role and categories of every sentence."""
        return self.decide(self.scores(sentences))


def assigned_categories(scores: np.ndarray, thresholds: np.ndarray, limit: int = MAX_CATEGORIES) -> np.ndarray:
    """Which categories each row of ``scores`` gets once it is a problem: those at or above their threshold, the
    ``limit`` highest of them, and the top one when none is."""
    order = np.argsort(-scores, axis=1, kind="stable")
    passing = np.take_along_axis(scores >= thresholds, order, axis=1)
    kept = passing & (np.cumsum(passing, axis=1) <= limit)
    kept[:, 0] |= ~passing.any(axis=1)
    assigned = np.zeros_like(kept)
    np.put_along_axis(assigned, order, kept, axis=1)
    return assigned


def _frame(sentences: Sequence[Any]) -> pd.DataFrame:
    return sentences if isinstance(sentences, pd.DataFrame) else context_frame(sentences)


FEATURE_SETTINGS = ("cue_weight", "heading_weight", "place_weight", "min_df")


def build_pipeline(categories: list[Category], seed: int = 0, features: tuple[str, ...] = FEATURE_PARTS,
                   **settings: Any) -> Pipeline:
    """Return the unfitted pipeline: the ``features`` parts, then the gated classifier.  ``settings`` are
    build_features' weights (FEATURE_SETTINGS) and ContextGatedClassifier's parameters."""
    feature_settings = {key: settings.pop(key) for key in FEATURE_SETTINGS if key in settings}
    return Pipeline([
        ("features", build_features(cues=[category.cues for category in categories], tokenizer=project_tokenizer(),
                                    parts=features, **feature_settings)),
        ("classifier", ContextGatedClassifier(random_state=seed, **settings)),
    ])


def environment_versions() -> dict[str, str]:
    """The versions that decide whether a saved model loads and predicts the same."""
    import rjieba

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "rjieba": getattr(rjieba, "__version__", _distribution_version("rjieba"))}


def _distribution_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def describe(model: ProblemModel, **metadata: Any) -> None:
    """Fill in the model's metadata: taxonomy, thresholds, versions, creation time, plus ``metadata``."""
    model.metadata = {
        "taxonomy": [{"id": category.id, "name": category.name} for category in model.categories],
        "thresholds": {category.id: float(threshold)
                       for category, threshold in zip(model.categories, model.thresholds, strict=True)},
        "gate_threshold": float(model.gate_threshold),
        **({"bare_thresholds": {category.id: float(threshold) for category, threshold
                                in zip(model.categories, model.bare_thresholds, strict=True)},
            "bare_gate_threshold": float(model.bare_gate_threshold)} if model.bare_thresholds is not None else {}),
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
        raise ModelFileError(f"找不到模型文件：{path}（可用 --model 指定，或先运行 classifier train）")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        try:
            document = joblib.load(path)
        except Exception:  # unpickling a foreign file can fail in any way; all of them mean "not a model"
            raise ModelFileError(f"{path} 不是本工具的模型文件") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ModelFileError(f"{path} 不是本工具的模型文件（或是旧版本的模型，请用 classifier train 重新训练）")
    model: ProblemModel = document["model"]
    saved = model.metadata.get("versions", {}).get("scikit-learn")
    if (saved is not None and saved != sklearn.__version__) or any(
            isinstance(w.message, InconsistentVersionWarning) for w in caught):
        warnings.warn(ModelVersionWarning(
            f"模型 {path} 由 scikit-learn {saved} 训练，当前为 {sklearn.__version__}，结果可能不同，建议重新训练"),
            stacklevel=2)
    return model
