"""The keyword-rule baseline: a category is assigned when its codebook cues occur in the sentence.

It is the yardstick the learned model has to beat, built only from the cues in data/taxonomy.yaml.
"""

from __future__ import annotations

import numpy as np

from classifier.model import CategoryScore, Prediction
from classifier.taxonomy import ROLES, Category


def cue_scores(texts: list[str], categories: list[Category]) -> np.ndarray:
    """Return, for every text and category, how many of the category's cues occur in the text."""
    return np.array([[sum(cue in text for cue in category.cues) for category in categories] for text in texts],
                    dtype=float).reshape(len(texts), len(categories))


def assign_by_cues(scores: np.ndarray, max_categories: int = 3) -> np.ndarray:
    """Assign the categories with at least one cue, the ``max_categories`` with most cues (ties: codebook order)."""
    assigned = np.zeros(scores.shape, dtype=bool)
    for row, counts in enumerate(scores):
        best = np.argsort(-counts, kind="stable")[:max_categories]
        assigned[row, best[counts[best] > 0]] = True
    return assigned


def rule_predictions(texts: list[str], categories: list[Category]) -> tuple[list[Prediction], np.ndarray]:
    """The baseline's predictions (a sentence with any cue is a 问题) and its cue counts."""
    scores = cue_scores(texts, categories)
    predictions = []
    for row, assigned in zip(scores, assign_by_cues(scores), strict=True):
        chosen = sorted(np.flatnonzero(assigned), key=lambda index: -row[index])
        predictions.append(Prediction(ROLES[0] if chosen else ROLES[2], float(bool(chosen)),
                                      [CategoryScore(categories[i].id, categories[i].name, float(row[i]))
                                       for i in chosen]))
    return predictions, scores
