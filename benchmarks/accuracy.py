"""Accuracy against peers: grouped 5-fold cross-validation on data/labeled, the same folds for every system.

Folds are GroupKFold(5, shuffle=True, random_state=seed) over the passage groups, as in `classifier train`;
each repeat uses the next seed, and a figure is the median over seeds.  Our model and its character-only
variant choose their thresholds inside each training fold (classifier.evaluation.cross_validate); fastText
uses 0.5 (benchmarks.peers); the keyword rules learn nothing, so one evaluation on all data serves every seed.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import GroupKFold

from benchmarks.measure import median
from benchmarks.peers import FastTextClassifier
from classifier.data import LabelledData
from classifier.evaluation import CV_FOLDS, Evaluation, cross_validate, evaluate_predictions
from classifier.taxonomy import Category
from classifier.training import load_training_data, rule_baseline

# Shares of each training fold's passage groups: does more labelled data still help?
LEARNING_CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
FIGURES = ("micro_f1", "macro_f1", "top1_accuracy", "other_false_rate")
OURS, CHARACTERS, FASTTEXT, RULES = "ours", "ours, character 1-3-grams only", "fastText (ova, jieba words)", \
    "keyword rules"


def fasttext_cross_validate(data: LabelledData, categories: list[Category], seed: int) -> Evaluation:
    """fastText's out-of-fold evaluation on the folds `cross_validate` uses for the same seed."""
    ids = [category.id for category in categories]
    texts = data.texts
    scores = np.zeros(data.labels.shape)
    folds = GroupKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
    for train, held_out in folds.split(texts, data.labels, data.groups):
        model = FastTextClassifier(ids, seed).fit([texts[i] for i in train], data.labels[train])
        scores[held_out] = model.scores([texts[i] for i in held_out])
    return evaluate_predictions(data.labels, scores >= FastTextClassifier.threshold, scores, data.is_problem,
                                categories)


def run(repeats: int, log) -> dict:
    """Cross-validate every system with seeds 0..repeats-1; return per-seed summaries and medians."""
    categories, data = load_training_data()
    runs: dict[str, list[dict]] = {OURS: [], CHARACTERS: [], FASTTEXT: []}
    for seed in range(repeats):
        log(f"accuracy: seed {seed}")
        runs[OURS].append(cross_validate(data, categories, seed)[0].summary())
        runs[CHARACTERS].append(cross_validate(data, categories, seed, features=("characters",))[0].summary())
        runs[FASTTEXT].append(fasttext_cross_validate(data, categories, seed).summary())
    runs[RULES] = [rule_baseline(data, categories).summary()]
    log("accuracy: learning curve, seed 0")
    curve = {str(fraction): cross_validate(data, categories, 0, train_fraction=fraction)[0].summary()
             for fraction in LEARNING_CURVE_FRACTIONS}
    medians = {system: {figure: round(median([run[figure] for run in system_runs]), 4) for figure in FIGURES}
               for system, system_runs in runs.items()}
    ours = medians[OURS]["micro_f1"]
    targets = {
        "micro-F1 >= fastText": ours >= medians[FASTTEXT]["micro_f1"],
        "micro-F1 >= rules + 0.10": ours >= medians[RULES]["micro_f1"] + 0.10,
    }
    return {"seeds": list(range(repeats)), "sentences": len(data.frame),
            "problem_sentences": int(data.is_problem.sum()), "medians": medians, "runs": runs, "targets": targets,
            "learning_curve": curve}
