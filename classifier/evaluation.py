"""Measuring a model: the metrics we report, grouped nested cross-validation, and the label audit.

Only real report sentences are ever scored.  Category metrics are computed on 问题/原因 sentences (the ones with
categories); for them we also report how many got no category, and for 其他 sentences how many wrongly got one.
Cross-validation is nested: each outer training fold chooses its own thresholds by an inner grouped
cross-validation, exactly as `fit_model` does on the full data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from joblib import delayed
from sklearn.metrics import f1_score, precision_recall_fscore_support

from classifier.data import LabelledData
from classifier.features import without_context
from classifier.fitting import fit_model, grouped_folds, in_parallel
from classifier.model import Prediction, ProblemModel, Scores
from classifier.taxonomy import PROBLEM_ROLES, ROLES, Category

CV_FOLDS = 5


@dataclass(frozen=True)
class Evaluation:
    """Per-category precision/recall/F1 and the summary figures."""

    per_category: pd.DataFrame
    micro_f1: float
    macro_f1: float
    top1_accuracy: float
    other_false_rate: float
    no_category_rate: float
    role_accuracy: float
    problem_sentences: int
    other_sentences: int

    def summary(self) -> dict[str, float | int]:
        return {"micro_f1": round(self.micro_f1, 4), "macro_f1": round(self.macro_f1, 4),
                "top1_accuracy": round(self.top1_accuracy, 4), "other_false_rate": round(self.other_false_rate, 4),
                "no_category_rate": round(self.no_category_rate, 4), "role_accuracy": round(self.role_accuracy, 4),
                "problem_sentences": self.problem_sentences, "other_sentences": self.other_sentences}


def assigned_matrix(predictions: list[Prediction], categories: list[Category]) -> np.ndarray:
    """The boolean rows x categories matrix of the categories in ``predictions``."""
    column = {category.id: index for index, category in enumerate(categories)}
    assigned = np.zeros((len(predictions), len(categories)), dtype=bool)
    for row, prediction in enumerate(predictions):
        assigned[row, [column[category.id] for category in prediction.categories]] = True
    return assigned


def evaluate_predictions(labels: np.ndarray, roles: np.ndarray, predictions: list[Prediction],
                         category_scores: np.ndarray, categories: list[Category]) -> Evaluation:
    """Compare predictions (and category scores, for top-1) with gold labels and roles, row by row."""
    roles = np.asarray(roles)
    is_problem = np.isin(roles, PROBLEM_ROLES)
    predicted = assigned_matrix(predictions, categories)
    truth, guess = labels[is_problem], predicted[is_problem]
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, average=None, zero_division=0,
                                                                     labels=list(range(len(categories))))
    per_category = pd.DataFrame({
        "category_id": [category.id for category in categories],
        "category": [category.name for category in categories],
        "precision": precision, "recall": recall, "f1": f1, "support": support,
    })
    present = support > 0
    top = np.argmax(category_scores[is_problem], axis=1) if is_problem.any() else np.zeros(0, dtype=int)
    predicted_roles = np.array([prediction.role for prediction in predictions])
    return Evaluation(
        per_category=per_category,
        micro_f1=float(f1_score(truth, guess, average="micro", zero_division=0)),
        macro_f1=float(f1[present].mean()) if present.any() else 0.0,
        top1_accuracy=float(np.mean(truth[np.arange(len(top)), top])) if len(top) else 0.0,
        other_false_rate=float(predicted[~is_problem].any(axis=1).mean()) if (~is_problem).any() else 0.0,
        no_category_rate=float((~guess.any(axis=1)).mean()) if len(guess) else 0.0,
        role_accuracy=float(np.mean(predicted_roles == roles)) if len(roles) else 0.0,
        problem_sentences=int(is_problem.sum()),
        other_sentences=int((~is_problem).sum()),
    )


def evaluate_model(model: ProblemModel, data: LabelledData, bare: bool = False) -> Evaluation:
    """Evaluate ``model`` on the real sentences of ``data``, in their context (or bare, as `predict` sees them)."""
    rows = np.flatnonzero(data.scored)
    frame = data.context.iloc[rows]
    if bare:
        frame = without_context(frame)
    scores = model.scores(frame)
    return evaluate_predictions(data.labels[rows], data.roles[rows], model.decide(scores), scores.categories,
                                model.categories)


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold results for every real sentence: evaluations in context and bare, scores and predictions."""

    evaluation: Evaluation
    bare: Evaluation
    rows: np.ndarray
    scores: Scores
    predictions: list[Prediction]


def cross_validate(data: LabelledData, categories: list[Category], seed: int = 0, n_splits: int = CV_FOLDS,
                   train_fraction: float = 1.0, jobs: int | None = None, **fit_settings: Any) -> CrossValidation:
    """Grouped, nested cross-validation on the real sentences of ``data``, the folds fitted on ``jobs`` processes.

    ``fit_settings`` go to fit_model (features, bare_copies, classifier settings), for comparing variants.
    ``train_fraction`` below 1 trains each fold on that share of its training rows' passage groups (drawn with
    ``seed``; written text is drawn by file in the same way) and still scores every held-out sentence: a
    learning curve on the same folds.
    """
    folds = list(grouped_folds(data, n_splits, seed))
    sampler = np.random.default_rng(seed)
    if train_fraction < 1:
        folds = [(_sample(data, train, train_fraction, sampler), held_out) for train, held_out in folds]
    fitted = in_parallel(jobs)(delayed(_outer_fold)(data, train, held_out, categories, seed, fit_settings)
                               for train, held_out in folds)
    rows = np.flatnonzero(data.scored)
    position = {row: index for index, row in enumerate(rows)}
    results = {}
    for kind in ("context", "bare"):
        roles, scores = np.zeros((len(rows), len(ROLES))), np.zeros((len(rows), len(categories)))
        predictions: list[Prediction | None] = [None] * len(rows)
        for (_, held_out), fold in zip(folds, fitted, strict=True):
            found_scores, found_predictions = fold[kind]
            places = [position[row] for row in held_out]
            roles[places], scores[places] = found_scores.roles, found_scores.categories
            for place, prediction in zip(places, found_predictions, strict=True):
                predictions[place] = prediction
        evaluation = evaluate_predictions(data.labels[rows], data.roles[rows], predictions, scores, categories)
        results[kind] = (evaluation, Scores(roles, scores), predictions)
    evaluation, scores, predictions = results["context"]
    return CrossValidation(evaluation, results["bare"][0], rows, scores, predictions)


def _outer_fold(data: LabelledData, train: np.ndarray, held_out: np.ndarray, categories: list[Category], seed: int,
                fit_settings: dict[str, Any]) -> dict[str, tuple[Scores, list[Prediction]]]:
    # The inner cross-validation runs in this worker's process: nested pools would only compete for the cores.
    model = fit_model(data.subset(train), categories, seed, jobs=1, **fit_settings)
    frame = data.context.iloc[held_out]
    found = {}
    for kind, rows in (("context", frame), ("bare", without_context(frame))):
        scores = model.scores(rows)
        found[kind] = (scores, model.decide(scores))
    return found


def _sample(data: LabelledData, train: np.ndarray, fraction: float, sampler: np.random.Generator) -> np.ndarray:
    units = np.where(data.groups[train] >= 0, data.groups[train].astype(str),
                     data.frame["source"].iloc[train].str.rsplit(":", n=1).str[0].to_numpy())
    unique = np.unique(units)
    kept = sampler.choice(unique, size=max(1, round(fraction * len(unique))), replace=False)
    return train[np.isin(units, kept)]


def label_disagreements(data: LabelledData, rows: np.ndarray, scores: np.ndarray, categories: list[Category],
                        margin: float = 0.8) -> pd.DataFrame:
    """List sentences whose out-of-fold category scores strongly contradict a gold label, worst first.

    ``rows`` are the rows of ``data`` that ``scores`` belong to.  A gold label scored below 1 - ``margin``, or a
    category left out of the gold labels scored at least ``margin``, is a disagreement worth re-reading.
    """
    records = []
    ids = [category.id for category in categories]
    for row, score in zip(rows, scores, strict=True):
        gold = data.labels[row]
        if not gold.any():
            continue
        missed = [(ids[c], score[c]) for c in np.flatnonzero(gold) if score[c] <= 1 - margin]
        extra = [(ids[c], score[c]) for c in np.flatnonzero(~gold) if score[c] >= margin]
        if missed or extra:
            record = data.frame.iloc[row]
            records.append({
                "id": record["id"], "source": record["source"], "text": record["text"], "role": record["role"],
                "labels": record["labels"],
                "doubtful_labels": "|".join(f"{c}:{s:.2f}" for c, s in missed),
                "suggested_labels": "|".join(f"{c}:{s:.2f}" for c, s in extra),
                "strength": max([1 - s for _, s in missed] + [s for _, s in extra]),
            })
    columns = ["id", "source", "text", "role", "labels", "doubtful_labels", "suggested_labels", "strength"]
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values("strength", ascending=False, kind="stable").reset_index(drop=True)
