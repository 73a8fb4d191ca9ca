"""The workflows on labelled data behind `train`, `evaluate` and `audit`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from classifier.data import DEFAULT_DATA, LabelledData, load_labelled
from classifier.evaluation import (
    CV_FOLDS,
    Evaluation,
    assigned_matrix,
    cross_validate,
    evaluate_predictions,
    label_disagreements,
)
from classifier.features import remembered_tokens
from classifier.model import DEFAULT_MODEL, ProblemModel, describe, fit_model, save_model
from classifier.rules import assign_by_cues, cue_scores
from classifier.taxonomy import DEFAULT_TAXONOMY, Category, load_taxonomy


def rule_baseline(data: LabelledData, categories: list[Category]) -> Evaluation:
    """Evaluate the keyword-rule baseline on ``data`` (it learns nothing, so no folds are needed)."""
    scores = cue_scores(data.texts, categories)
    return evaluate_predictions(data.labels, assign_by_cues(scores), scores, data.is_problem, categories)


def load_training_data(data_path: Path | None = None,
                       taxonomy_path: Path | None = None) -> tuple[list[Category], LabelledData]:
    """Read the codebook and the labelled sentences, checking the one against the other."""
    categories = load_taxonomy(taxonomy_path or DEFAULT_TAXONOMY)
    return categories, load_labelled(data_path or DEFAULT_DATA, [category.id for category in categories])


def train_default(data_path: Path | None = None, taxonomy_path: Path | None = None,
                  model_path: Path | None = None, seed: int = 0,
                  ) -> tuple[ProblemModel, Evaluation, Evaluation, Path]:
    """Cross-validate, fit on all the data, describe and save the model; return it with its evaluations."""
    categories, data = load_training_data(data_path, taxonomy_path)
    return train_on(data, categories, Path(data_path or DEFAULT_DATA).name, model_path, seed)


def train_on(data: LabelledData, categories: list[Category], data_name: str, model_path: Path | None = None,
             seed: int = 0) -> tuple[ProblemModel, Evaluation, Evaluation, Path]:
    """Cross-validate on checked data, fit on all of it, describe and save the model."""
    with remembered_tokens():
        evaluation, _, _ = cross_validate(data, categories, seed)
        model = fit_model(data.texts, data.labels, data.groups, categories, seed)
    baseline = rule_baseline(data, categories)
    describe(
        model,
        seed=seed,
        training_data={"file": data_name, "sha256": data.sha256, "sentences": len(data.frame),
                       "problem_sentences": int(data.is_problem.sum()), "passage_groups": int(data.groups.max() + 1)},
        cross_validation={"folds": CV_FOLDS, "grouped_by": "passage", **evaluation.summary()},
        per_category=evaluation.per_category.round(4).to_dict(orient="records"),
        rule_baseline=baseline.summary(),
    )
    model_path = model_path or DEFAULT_MODEL
    save_model(model, model_path)
    return model, evaluation, baseline, Path(model_path)


def evaluate_model(model: ProblemModel, data_path: Path | None = None) -> tuple[Evaluation, Evaluation]:
    """Evaluate ``model`` and the rule baseline on labelled data."""
    data = load_labelled(data_path or DEFAULT_DATA, [category.id for category in model.categories])
    scores = model.scores(data.texts)
    evaluation = evaluate_predictions(data.labels, assigned_matrix(model, scores), scores, data.is_problem,
                                      model.categories)
    return evaluation, rule_baseline(data, model.categories)


def audit_labels(data: LabelledData, categories: list[Category], margin: float = 0.7, seed: int = 0) -> pd.DataFrame:
    """List the labelled sentences whose out-of-fold scores strongly contradict their gold labels."""
    _, scores, _ = cross_validate(data, categories, seed)
    return label_disagreements(data, scores, categories, margin)
