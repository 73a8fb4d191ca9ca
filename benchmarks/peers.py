"""The peers our model is compared with: fastText supervised, fed the project's own words.

fastText settings are those of its multi-label tutorial (fasttext.cc, "Text classification", multi-label
section): one-vs-all loss, lr 0.5, 25 epochs, word bigrams, dim 50, 200,000 buckets; chosen before seeing any
result, not tuned on our folds.  One thread and a fixed seed make it reproducible.  Its words are the project's
(jieba-rs with the user dictionary: classifier.features.project_tokenizer), so that it differs from our model
in how it learns, not in what it reads.  A 其他 sentence is given the label __label__none, so that every category
sees it as a negative example (fastText skips a line that has no label at all); none is never output as a
category.  A category is assigned when its probability reaches 0.5; a sentence with any category is a 问题
(fastText is not taught roles), and keeps at most three, highest first, as our model does.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from classifier.features import WordTokenizer, project_tokenizer
from classifier.model import MAX_CATEGORIES, CategoryScore, Prediction
from classifier.taxonomy import ROLES, Category

LABEL_PREFIX = "__label__"
NONE_LABEL = "none"
FASTTEXT_SETTINGS = {"loss": "ova", "lr": 0.5, "epoch": 25, "wordNgrams": 2, "dim": 50, "bucket": 200_000,
                     "minCount": 1, "thread": 1, "verbose": 0}
THRESHOLD = 0.5


@lru_cache(maxsize=1)
def _words() -> WordTokenizer:
    return project_tokenizer()


def fasttext_text(text: str) -> str:
    """The sentence as fastText reads it: the project's words separated by spaces (never a newline)."""
    return " ".join(_words()(text))


def fasttext_line(text: str, label_ids: list[str]) -> str:
    """One training line: the labels (__label__none for a sentence without category), then the words."""
    labels = " ".join(LABEL_PREFIX + label for label in (label_ids or [NONE_LABEL]))
    return f"{labels} {fasttext_text(text)}"


def score_matrix(predicted_labels: list[list[str]], probabilities: list, category_ids: list[str]) -> np.ndarray:
    """Turn fastText's (labels, probabilities) per sentence into a sentences x categories score matrix."""
    column = {LABEL_PREFIX + category: index for index, category in enumerate(category_ids)}
    scores = np.zeros((len(predicted_labels), len(category_ids)))
    for row, (labels, probs) in enumerate(zip(predicted_labels, probabilities, strict=True)):
        for label, probability in zip(labels, probs, strict=True):
            if label in column:
                scores[row, column[label]] = min(float(probability), 1.0)  # ova can print 1.00001
    return scores


def threshold_predictions(scores: np.ndarray, categories: list[Category], threshold: float = THRESHOLD
                          ) -> list[Prediction]:
    """Predictions in the model's form from a score matrix: the categories reaching ``threshold``, at most
    MAX_CATEGORIES, highest first; a sentence with any is a 问题, one without is 其他."""
    predictions = []
    for row in scores:
        order = [index for index in np.argsort(-row, kind="stable") if row[index] >= threshold][:MAX_CATEGORIES]
        predictions.append(Prediction(ROLES[0] if order else ROLES[2], round(float(row.max(initial=0.0)), 4),
                                      [CategoryScore(categories[i].id, categories[i].name, round(float(row[i]), 4))
                                       for i in order]))
    return predictions


class FastTextClassifier:
    """fastText supervised behind a fit / scores interface over raw sentences and a boolean label matrix."""

    threshold = THRESHOLD

    def __init__(self, category_ids: list[str], seed: int = 0) -> None:
        self.category_ids = list(category_ids)
        self.seed = seed

    def fit(self, texts: list[str], labels: np.ndarray) -> FastTextClassifier:
        import fasttext

        lines = [fasttext_line(text, [self.category_ids[i] for i in np.flatnonzero(row)])
                 for text, row in zip(texts, labels, strict=True)]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "train.txt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.model_ = fasttext.train_supervised(input=str(path), seed=self.seed, **FASTTEXT_SETTINGS)
        return self

    def scores_of_words(self, word_texts: list[str]) -> np.ndarray:
        """Scores of sentences already in fastText's form (fasttext_text)."""
        # A list goes through fastText's batch path, which also works under NumPy 2 (the single-string path calls
        # np.array(copy=False), which NumPy 2 refuses).
        labels, probabilities = self.model_.predict(word_texts, k=-1, threshold=0.0)
        return score_matrix(labels, probabilities, self.category_ids)

    def scores(self, texts: list[str]) -> np.ndarray:
        return self.scores_of_words([fasttext_text(text) for text in texts])

    def assign(self, scores: np.ndarray) -> np.ndarray:
        return scores >= self.threshold
