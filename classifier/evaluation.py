"""Measuring a model: grouped cross-validation, the metrics we report, and the label audit.

Metrics about categories are computed on 问题/原因 sentences (the ones that have categories); for 其他 sentences
we report how often they wrongly receive one.  Cross-validation is nested: each outer training fold chooses its
own thresholds by an inner grouped cross-validation, exactly as `fit_model` does on the full data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from classifier.data import LabelledData
from classifier.features import FEATURE_PARTS, remembered_tokens
from classifier.model import ProblemModel, fit_model
from classifier.taxonomy import Category

CV_FOLDS = 5


@dataclass(frozen=True)
class Evaluation:
    """Per-category precision/recall/F1 and the summary figures."""

    per_category: pd.DataFrame
    micro_f1: float
    macro_f1: float
    top1_accuracy: float
    other_false_rate: float
    problem_sentences: int
    other_sentences: int

    def summary(self) -> dict[str, float | int]:
        return {"micro_f1": round(self.micro_f1, 4), "macro_f1": round(self.macro_f1, 4),
                "top1_accuracy": round(self.top1_accuracy, 4), "other_false_rate": round(self.other_false_rate, 4),
                "problem_sentences": self.problem_sentences, "other_sentences": self.other_sentences}


def evaluate_predictions(labels: np.ndarray, predicted: np.ndarray, scores: np.ndarray, is_problem: np.ndarray,
                         categories: list[Category]) -> Evaluation:
    """Compare assigned categories (and scores, for top-1) with the gold labels."""
    truth, guess = labels[is_problem], predicted[is_problem]
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, average=None, zero_division=0)
    per_category = pd.DataFrame({
        "category_id": [category.id for category in categories],
        "category": [category.name for category in categories],
        "precision": precision, "recall": recall, "f1": f1, "support": support,
    })
    present = support > 0
    top = np.argmax(scores[is_problem], axis=1)
    has_top = scores[is_problem].max(axis=1) > 0
    others = predicted[~is_problem]
    return Evaluation(
        per_category=per_category,
        micro_f1=float(f1_score(truth, guess, average="micro", zero_division=0)),
        macro_f1=float(f1[present].mean()) if present.any() else 0.0,
        top1_accuracy=float(np.mean(truth[np.arange(len(top)), top] & has_top)) if len(top) else 0.0,
        other_false_rate=float(others.any(axis=1).mean()) if len(others) else 0.0,
        problem_sentences=int(is_problem.sum()),
        other_sentences=int((~is_problem).sum()),
    )


def assigned_matrix(model: ProblemModel, scores: np.ndarray) -> np.ndarray:
    """The boolean rows x categories matrix of what ``model`` assigns given ``scores``."""
    column = {category.id: index for index, category in enumerate(model.categories)}
    assigned = np.zeros(scores.shape, dtype=bool)
    for row, chosen in enumerate(model.assign(scores)):
        assigned[row, [column[category.id] for category in chosen]] = True
    return assigned


def cross_validate(data: LabelledData, categories: list[Category], seed: int = 0, n_splits: int = CV_FOLDS,
                   features: tuple[str, ...] = FEATURE_PARTS,
                   train_fraction: float = 1.0) -> tuple[Evaluation, np.ndarray, np.ndarray]:
    """Grouped, nested cross-validation; returns the evaluation, out-of-fold scores and assignments.

    ``features`` chooses the feature parts (classifier.features), for comparing variants of the model.
    ``train_fraction`` below 1 trains each fold on that share of its passage groups (drawn with ``seed``) and
    still scores every held-out sentence: a learning curve on the same folds.
    """
    texts = data.texts
    scores = np.zeros(data.labels.shape)
    assigned = np.zeros(data.labels.shape, dtype=bool)
    folds = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    sampler = np.random.default_rng(seed)
    with remembered_tokens():
        for train, held_out in folds.split(texts, data.labels, data.groups):
            if train_fraction < 1:
                groups = np.unique(data.groups[train])
                kept = sampler.choice(groups, size=max(1, round(train_fraction * len(groups))), replace=False)
                train = train[np.isin(data.groups[train], kept)]
            model = fit_model([texts[i] for i in train], data.labels[train], data.groups[train], categories,
                              seed, features)
            scores[held_out] = model.scores([texts[i] for i in held_out])
            assigned[held_out] = assigned_matrix(model, scores[held_out])
    evaluation = evaluate_predictions(data.labels, assigned, scores, data.is_problem, categories)
    return evaluation, scores, assigned


def label_disagreements(data: LabelledData, scores: np.ndarray, categories: list[Category],
                        margin: float = 0.8) -> pd.DataFrame:
    """List sentences whose out-of-fold scores strongly contradict a gold label, worst first.

    A gold label scored below 1 - ``margin``, or a category left out of the gold labels scored at least
    ``margin``, is a disagreement worth re-reading.
    """
    rows = []
    ids = [category.id for category in categories]
    for index, (gold, row) in enumerate(zip(data.labels, scores, strict=True)):
        missed = [(ids[c], row[c]) for c in np.flatnonzero(gold) if row[c] <= 1 - margin]
        extra = [(ids[c], row[c]) for c in np.flatnonzero(~gold) if row[c] >= margin]
        if missed or extra:
            record = data.frame.iloc[index]
            rows.append({
                "id": record["id"], "source": record["source"], "text": record["text"], "role": record["role"],
                "labels": record["labels"],
                "doubtful_labels": "|".join(f"{c}:{s:.2f}" for c, s in missed),
                "suggested_labels": "|".join(f"{c}:{s:.2f}" for c, s in extra),
                "strength": max([1 - s for _, s in missed] + [s for _, s in extra]),
            })
    columns = ["id", "source", "text", "role", "labels", "doubtful_labels", "suggested_labels", "strength"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("strength", ascending=False, kind="stable").reset_index(drop=True)
