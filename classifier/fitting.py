"""Fitting a model on labelled data: the training set of each fit, grouped folds, and the thresholds chosen on
out-of-fold scores.

Every fit learns from its real sentences, from the text written for training, from the paraphrases whose
originals it trains on, and from the codebook's example statements.  Thresholds (the gate's and each
category's) are chosen on out-of-fold scores of real sentences only, with folds grouped by passage, so written
text never decides a threshold and no sentence is scored by a model that saw it or its paraphrase.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from classifier.data import PARAPHRASE, LabelledData
from classifier.features import CONTEXT_COLUMNS, FEATURE_PARTS, without_context
from classifier.model import ProblemModel, Scores, assigned_categories, build_pipeline
from classifier.taxonomy import PROBLEM_ROLES, ROLES, Category, codebook_examples

THRESHOLD_FOLDS = 3
_THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


def grouped_folds(data: LabelledData, n_splits: int, seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(training rows, held-out rows) for each fold: the real sentences split by passage group; the held-out
    rows are real sentences only, and a paraphrase leaves the training rows when its original is held out."""
    real = np.flatnonzero(data.scored)
    folds = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    paraphrase = (data.frame["origin"] == PARAPHRASE).to_numpy()
    for _, held in folds.split(real, groups=data.groups[real]):
        held_out = real[held]
        excluded = np.zeros(len(data.frame), dtype=bool)
        excluded[held_out] = True
        excluded |= paraphrase & np.isin(data.groups, np.unique(data.groups[held_out]))
        yield np.flatnonzero(~excluded), held_out


def fit_pipeline(data: LabelledData, categories: list[Category], seed: int = 0,
                 features: tuple[str, ...] = FEATURE_PARTS, bare_copies: bool = True, **settings: Any) -> Pipeline:
    """Fit the pipeline on all rows of ``data`` plus the codebook's examples.

    With ``bare_copies`` every row is also learned without its context, as `predict` sees a bare sentence, so
    that the context sharpens the model where it is known without the model leaning on it where it is not.
    ``settings`` go to build_pipeline.
    """
    frame = data.context
    labels, roles = data.labels, data.roles
    if bare_copies:
        bare = without_context(frame)
        frame, labels, roles = pd.concat([frame, bare], ignore_index=True), np.vstack([labels, labels]), \
            np.concatenate([roles, roles])
    example_texts, example_labels = codebook_examples(categories)
    examples = pd.DataFrame({"text": example_texts, "heading": "", "part": "", "kind": ""})[list(CONTEXT_COLUMNS)]
    with warnings.catch_warnings():
        # A category absent from a training fold gets a constant predictor; that is expected, not news.
        warnings.filterwarnings("ignore", message="Label not .* is present in all training examples")
        return build_pipeline(categories, seed, features, **settings).fit(
            pd.concat([frame, examples], ignore_index=True), np.vstack([labels, example_labels]),
            classifier__roles=np.concatenate([roles, [ROLES[0]] * len(example_texts)]))


def in_parallel(jobs: int | None) -> Parallel:
    """A joblib pool for independent fits (folds), on ``jobs`` processes (default: every core)."""
    from classifier.parallel import available_cores

    return Parallel(n_jobs=jobs or available_cores())


def out_of_fold_scores(data: LabelledData, categories: list[Category], n_splits: int, seed: int,
                       jobs: int | None = None, **fit_settings: Any) -> Scores:
    """Score every real sentence with a pipeline fitted without its passage group (other rows score 0)."""
    folds = list(grouped_folds(data, n_splits, seed))
    fitted = in_parallel(jobs)(delayed(_score_fold)(data, train, held_out, categories, seed, fit_settings)
                               for train, held_out in folds)
    return _gather(data, folds, fitted)


def _gather(data: LabelledData, folds: list[tuple[np.ndarray, np.ndarray]], fitted: list[Scores]) -> Scores:
    roles = np.zeros((len(data.frame), len(ROLES)))
    scores = np.zeros(data.labels.shape)
    for (_, held_out), fold in zip(folds, fitted, strict=True):
        roles[held_out], scores[held_out] = fold.roles, fold.categories
    return Scores(roles, scores)


def _score_fold(data: LabelledData, train: np.ndarray, held_out: np.ndarray, categories: list[Category],
                seed: int, fit_settings: dict[str, Any], bare: bool = False) -> Scores | tuple[Scores, Scores]:
    """The held-out rows' scores in context (and, with ``bare``, also as bare sentences)."""
    model = ProblemModel(fit_pipeline(data.subset(train), categories, seed, **fit_settings), categories,
                         np.full(len(categories), 0.5))
    frame = data.context.iloc[held_out]
    if not bare:
        return model.scores(frame)
    return model.scores(frame), model.scores(without_context(frame))


def tune_thresholds(labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per category, the threshold on the grid that maximises its F1 on these (问题/原因) rows; 0.5 when a
    category has no example."""
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


def tune_gate(labels: np.ndarray, problem_scores: np.ndarray, assigned: np.ndarray) -> float:
    """The P(问题 or 原因) threshold on the grid that maximises micro-F1 of the categories over all these rows (其他
    rows have none), each row getting its ``assigned`` categories when it passes: what `stats` counts.  A problem
    sentence the gate stops loses its categories; a 其他 sentence it lets through brings false ones."""
    passes = problem_scores[:, None] >= _THRESHOLD_GRID[None, :]
    true_positive = (assigned & labels).sum(axis=1) @ passes
    predicted = assigned.sum(axis=1) @ passes
    f1 = 2 * true_positive / np.maximum(predicted + labels.sum(), 1)
    return float(_THRESHOLD_GRID[int(np.argmax(f1))])


def fit_model(data: LabelledData, categories: list[Category], seed: int = 0, jobs: int | None = None,
              **fit_settings: Any) -> ProblemModel:
    """Choose thresholds by grouped cross-validation on the real sentences of ``data`` — one set for sentences in
    their context, one for the same sentences bare —, and fit on all of it; the fold fits and the final fit run
    side by side on ``jobs`` processes."""
    folds = list(grouped_folds(data, THRESHOLD_FOLDS, seed))
    *fitted, pipeline = in_parallel(jobs)(
        [delayed(_score_fold)(data, train, held_out, categories, seed, fit_settings, bare=True)
         for train, held_out in folds]
        + [delayed(fit_pipeline)(data, categories, seed, **fit_settings)])
    scored = data.scored
    problem_rows = scored & np.isin(data.roles, PROBLEM_ROLES)
    chosen = []
    for inner in (_gather(data, folds, [context for context, _ in fitted]),
                  _gather(data, folds, [bare for _, bare in fitted])):
        thresholds = tune_thresholds(data.labels[problem_rows], inner.categories[problem_rows])
        chosen.append((thresholds, tune_gate(data.labels[scored].astype(bool), inner.problem[scored],
                                             assigned_categories(inner.categories[scored], thresholds))))
    (thresholds, gate), (bare_thresholds, bare_gate) = chosen
    return ProblemModel(pipeline, list(categories), thresholds, gate, bare_thresholds=bare_thresholds,
                        bare_gate_threshold=bare_gate)
