"""Accuracy against peers and ablations: grouped, nested 5-fold cross-validation, the same folds for every system.

Only real report sentences are scored.  Folds are those of `classifier train --cv`
(classifier.fitting.grouped_folds: GroupKFold(5, shuffle=True, random_state=seed) over the real sentences' passage
groups, a paraphrase out of the training rows when its original is held out); each repeat uses the next seed, and
a figure is the median over seeds.

- ours: classifier.evaluation.cross_validate, each outer training fold choosing its thresholds by an inner grouped
  cross-validation as `fit_model` does; scored in context (as `classify` sees a sentence) and bare (as `predict`).
- ablations: the same, without the written supplement (its rows dropped from the data, so from every training
  fold: written rows are never held out), without the paraphrases, without both (real sentences only), and
  without the context features (features=SENTENCE_PARTS).  Dropping training-only rows leaves the real rows and
  their groups as they were, so the folds are the same; `same_folds` checks it for every seed.
- learning curve: ours trained on 25-100% of each training fold's passage groups (train_fraction), always scored
  on the whole held-out fold.
- fastText (benchmarks.peers): trained on the same training rows of each fold, bare text, threshold 0.5.
- keyword rules: classifier.training.rule_baseline; it learns nothing, so one evaluation serves every seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.measure import median
from benchmarks.peers import FastTextClassifier, threshold_predictions
from classifier.data import PARAPHRASE, REAL, WRITTEN, LabelledData
from classifier.evaluation import CV_FOLDS, Evaluation, cross_validate, evaluate_predictions
from classifier.features import SENTENCE_PARTS
from classifier.fitting import grouped_folds
from classifier.taxonomy import Category
from classifier.training import load_training_data, rule_baseline

LEARNING_CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
FIGURES = ("micro_f1", "macro_f1", "top1_accuracy", "no_category_rate", "other_false_rate", "role_accuracy")
OURS = "ours"
NO_WRITTEN = "ours without the written supplement"
NO_PARAPHRASES = "ours without the paraphrases"
REAL_ONLY = "ours on real sentences only (no written, no paraphrases)"
NO_CONTEXT = "ours without the context features"
FASTTEXT = "fastText (ova, project words, bare)"
RULES = "keyword rules (bare)"
# Our model and its ablations: which rows of the data each trains on, and its fit settings.
VARIANTS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    OURS: ((REAL, WRITTEN, PARAPHRASE), {}),
    NO_WRITTEN: ((REAL, PARAPHRASE), {}),
    NO_PARAPHRASES: ((REAL, WRITTEN), {}),
    REAL_ONLY: ((REAL,), {}),
    NO_CONTEXT: ((REAL, WRITTEN, PARAPHRASE), {"features": SENTENCE_PARTS}),
}


def with_origins(data: LabelledData, origins: tuple[str, ...]) -> LabelledData:
    """The rows of ``data`` whose origin is one of ``origins`` (all of it when nothing is dropped)."""
    kept = data.frame["origin"].isin(origins).to_numpy()
    return data if kept.all() else data.subset(np.flatnonzero(kept))


def held_out_texts(data: LabelledData, seed: int) -> list[frozenset[str]]:
    """The held-out sentences of each fold, by text: what makes two data sets' folds comparable."""
    texts = data.frame["text"].to_numpy()
    return [frozenset(texts[held_out]) for _, held_out in grouped_folds(data, CV_FOLDS, seed)]


def same_folds(data: LabelledData, variant: LabelledData, seed: int) -> bool:
    """Whether ``variant`` (rows of ``data``) is cross-validated on the same held-out sentences as ``data``."""
    return variant is data or held_out_texts(variant, seed) == held_out_texts(data, seed)


def fasttext_cross_validate(data: LabelledData, categories: list[Category], seed: int) -> Evaluation:
    """fastText's out-of-fold evaluation on the folds and training rows `cross_validate` uses for ``seed``."""
    ids = [category.id for category in categories]
    texts = np.array(data.texts, dtype=object)
    scores = np.zeros(data.labels.shape)
    for train, held_out in grouped_folds(data, CV_FOLDS, seed):
        model = FastTextClassifier(ids, seed).fit(list(texts[train]), data.labels[train])
        scores[held_out] = model.scores(list(texts[held_out]))
    rows = np.flatnonzero(data.scored)
    return evaluate_predictions(data.labels[rows], data.roles[rows], threshold_predictions(scores[rows], categories),
                                scores[rows], categories)


def medians(runs: list[dict]) -> dict[str, float]:
    return {figure: round(median([run[figure] for run in runs]), 4) for figure in FIGURES}


def per_category_medians(tables: list[pd.DataFrame]) -> dict[str, dict]:
    """Median precision, recall and F1 of each category over seeds (support is the same for every seed)."""
    stacked = pd.concat(tables, ignore_index=True)
    result = {}
    for category_id, rows in stacked.groupby("category_id", sort=False):
        result[category_id] = {"name": rows["category"].iloc[0], "support": int(rows["support"].iloc[0]),
                               **{figure: round(float(rows[figure].median()), 4)
                                  for figure in ("precision", "recall", "f1")}}
    return result


def run(repeats: int, log: Callable[[str], None], jobs: int | None = None) -> dict:
    """Cross-validate every system with seeds 0..repeats-1 (folds on ``jobs`` processes; default every core);
    return per-seed summaries and medians."""
    categories, data = load_training_data()
    variants = {name: (with_origins(data, origins), settings) for name, (origins, settings) in VARIANTS.items()}
    context: dict[str, list[dict]] = {name: [] for name in variants}
    bare: dict[str, list[dict]] = {name: [] for name in variants}
    curve: dict[float, list[dict]] = {fraction: [] for fraction in LEARNING_CURVE_FRACTIONS}
    peers: dict[str, list[dict]] = {FASTTEXT: []}
    per_category = []
    for seed in range(repeats):
        for name, (variant, settings) in variants.items():
            if not same_folds(data, variant, seed):
                raise RuntimeError(f"{name}: the folds differ from those of the full data (seed {seed})")
            log(f"accuracy: seed {seed}, {name}")
            cv = cross_validate(variant, categories, seed, jobs=jobs, **settings)
            context[name].append(cv.evaluation.summary())
            bare[name].append(cv.bare.summary())
            if name == OURS:
                per_category.append(cv.evaluation.per_category)
        for fraction in LEARNING_CURVE_FRACTIONS:
            if fraction == 1.0:  # the whole training fold: ours, already measured on the same folds
                curve[fraction].append(context[OURS][-1])
                continue
            log(f"accuracy: seed {seed}, learning curve at {fraction:.0%}")
            curve[fraction].append(cross_validate(data, categories, seed, train_fraction=fraction,
                                                  jobs=jobs).evaluation.summary())
        log(f"accuracy: seed {seed}, fastText")
        peers[FASTTEXT].append(fasttext_cross_validate(data, categories, seed).summary())
    peers[RULES] = [rule_baseline(data, categories).summary()]
    ours, ours_bare = medians(context[OURS]), medians(bare[OURS])
    fasttext, rules = medians(peers[FASTTEXT]), medians(peers[RULES])
    targets = {view: {"micro-F1 >= fastText": figures["micro_f1"] >= fasttext["micro_f1"],
                      "micro-F1 >= rules + 0.10": figures["micro_f1"] >= rules["micro_f1"] + 0.10}
               for view, figures in (("context", ours), ("bare", ours_bare))}
    counts = data.frame["origin"].value_counts().to_dict()
    return {
        "seeds": list(range(repeats)), "folds": CV_FOLDS,
        "rows_by_origin": {origin: int(count) for origin, count in counts.items()},
        "scored_sentences": int(data.scored.sum()),
        "problem_sentences": int((data.is_problem & data.scored).sum()),
        "ours": {"context": ours, "bare": ours_bare},
        "variants": {name: {"training_rows": int(len(variants[name][0].frame)), "context": medians(context[name]),
                            "bare": medians(bare[name])} for name in variants if name != OURS},
        "peers": {FASTTEXT: fasttext, RULES: rules},
        "per_category": per_category_medians(per_category),
        "learning_curve": {str(fraction): medians(runs) for fraction, runs in curve.items()},
        "targets": targets,
        "runs": {"context": context, "bare": bare, "peers": peers,
                 "learning_curve": {str(fraction): runs for fraction, runs in curve.items()}},
    }
