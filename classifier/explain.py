"""Why a sentence got a category: the few features (words, character strings, cue words, the heading's words,
its place) that added most to that category's score, and the share the context (heading and place) had in it.

A category's score comes from a logistic regression over the sentence's features, so each feature's contribution
to the score's log-odds is its value times the regression's weight for it: that is what is ranked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from classifier.model import Prediction, ProblemModel

TOP_FEATURES = 5
_CONTEXT_BLOCKS = ("heading", "heading_cues", "place")
_PLACES = {"问题": "问题部分", "原因": "原因部分", "": "全文"}
_KINDS = {"item": "条目开头", "body": "条目说明", "lead_in": "引出下文", "text": "正文"}
_SHAPES = {"short": "短句", "figure": "含数字", "announces": "以冒号引出下文", "numbered": "带序号"}


@dataclass(frozen=True)
class Contribution:
    """One feature, said for a reader, and what it added to the category's log-odds."""

    feature: str
    weight: float


@dataclass(frozen=True)
class Explanation:
    """The top contributions to one assigned category, and the context's share of all positive contributions."""

    category: str
    contributions: list[Contribution]
    context_share: float

    def describe(self) -> str:
        features = "，".join(f"{c.feature} {c.weight:+.2f}" for c in self.contributions)
        return f"{self.category}：{features}（上下文占 {self.context_share:.0%}）"


def explain(model: ProblemModel, sentences: list, predictions: list[Prediction], top: int = TOP_FEATURES,
            features: Any = None) -> list[list[Explanation]]:
    """For each sentence, one Explanation per assigned category, in the prediction's order.  ``features``, the
    sentences' feature matrix when the caller has it already, saves transforming them again."""
    if features is None:
        features = model.features(sentences)
    features = features.tocsr()
    names = model.feature_names
    column = {category.id: index for index, category in enumerate(model.categories)}
    estimators = model.pipeline[-1].categories_.estimators_
    context = np.array([name.split("__", 1)[0] in _CONTEXT_BLOCKS for name in names])
    explanations = []
    for row, prediction in enumerate(predictions):
        vector = features.getrow(row)
        found = []
        for category in prediction.categories:
            estimator = estimators[column[category.id]]
            if not hasattr(estimator, "coef_"):  # a category that was constant in training
                found.append(Explanation(category.name, [], 0.0))
                continue
            weights = np.asarray(estimator.coef_, dtype=float).ravel()[vector.indices] * vector.data
            positive = weights > 0
            total = weights[positive].sum()
            share = float(weights[positive & context[vector.indices]].sum() / total) if total > 0 else 0.0
            order = np.argsort(-weights)[:top]
            found.append(Explanation(category.name, [
                Contribution(_readable(names[vector.indices[i]], model), round(float(weights[i]), 3))
                for i in order if round(float(weights[i]), 3) > 0], round(share, 3)))
        explanations.append(found)
    return explanations


def _readable(name: str, model: ProblemModel) -> str:
    block, _, feature = name.partition("__")
    if block in ("cues", "heading_cues"):
        category = model.categories[int(feature.removeprefix("cue"))].name
        return f"{'小标题' if block == 'heading_cues' else ''}线索词·{category}"
    if block == "words":
        return f"“{feature}”"
    if block == "characters":
        return f"“{feature}”（字）"
    if block == "heading":
        return f"小标题“{feature}”"
    if feature.startswith("place="):
        part, _, kind = feature.removeprefix("place=").partition("|")
        return "位置：单独的句子" if part == "bare" else f"位置：{_PLACES.get(part, part)}·{_KINDS.get(kind, kind)}"
    return _SHAPES.get(feature, feature)
