"""The workflows on labelled data behind `train`, `evaluate` and `audit`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from classifier.data import LabelledData, data_warnings, load_labelled, shipped_data_paths
from classifier.errors import LabelError, OutputPathError
from classifier.evaluation import (
    CV_FOLDS,
    CrossValidation,
    Evaluation,
    cross_validate,
    evaluate_model,
    evaluate_predictions,
)
from classifier.fitting import fit_model
from classifier.model import ProblemModel, describe
from classifier.resources import resource_path
from classifier.rules import rule_predictions
from classifier.taxonomy import PROBLEM_ROLES, Category, load_taxonomy


@dataclass(frozen=True)
class TrainingResult:
    """A fitted model and what was measured on the way (cross-validation only when asked for)."""

    model: ProblemModel
    cross_validation: CrossValidation | None
    baseline: Evaluation
    warnings: list[str]


def default_output(custom: bool) -> Path:
    """Where `train` saves without --output: the project's models/default.joblib, and only when it retrains the
    shipped model from the shipped data in a source checkout; otherwise it asks for --output, so that the shipped
    model is never replaced by accident."""
    from classifier.resources import PROJECT_LAYOUT, project_root

    root = project_root()
    if custom:
        raise OutputPathError("在自己的数据上训练（--data 或 --add）时，请用 --output 指定新模型的保存位置，"
                              "例如 --output 我的模型.joblib；随附模型不会被覆盖")
    if root is None:
        raise OutputPathError("请用 --output 指定模型的保存位置（安装版不改写随附的模型）")
    return root / PROJECT_LAYOUT["default.joblib"]


def load_training_data(data_paths: list[Path] | None = None, add_paths: list[Path] = (),
                       taxonomy_path: Path | None = None, encoding: str | None = None
                       ) -> tuple[list[Category], LabelledData]:
    """The codebook and the labelled sentences: ``data_paths`` (default: the shipped data), then ``add_paths``,
    whose sentences replace the same sentences of the base."""
    categories = load_taxonomy(taxonomy_path or resource_path("taxonomy.yaml"))
    return categories, load_labelled(data_paths or shipped_data_paths(), categories, encoding, add_paths)


def rule_baseline(data: LabelledData, categories: list[Category]) -> Evaluation:
    """Evaluate the keyword-rule baseline on the real sentences of ``data`` (it learns nothing: no folds)."""
    rows = np.flatnonzero(data.scored)
    predictions, scores = rule_predictions([data.texts[row] for row in rows], categories)
    return evaluate_predictions(data.labels[rows], data.roles[rows], predictions, scores, categories)


def check_trainable(data: LabelledData) -> None:
    """Refuse data that cannot be cross-validated: too few real passages to make the folds."""
    groups = np.unique(data.groups[data.scored])
    if len(groups) < CV_FOLDS:
        raise LabelError(f"真实报告句子只来自 {len(groups)} 个段落，不足以做交叉验证（至少 {CV_FOLDS} 个）："
                         "请提供更多标注句子（source 列写明“文件:行号”）")


def train(data: LabelledData, categories: list[Category], seed: int = 0, cross_validation: bool = False,
          **fit_settings: Any) -> TrainingResult:
    """Fit on all the data (thresholds by grouped cross-validation inside it) and, with ``cross_validation``,
    measure the same procedure by grouped nested cross-validation first; the model is described, not saved."""
    check_trainable(data)
    cv = cross_validate(data, categories, seed, **fit_settings) if cross_validation else None
    model = fit_model(data, categories, seed, **fit_settings)
    baseline = rule_baseline(data, categories)
    counts = data.frame["origin"].value_counts().to_dict()
    describe(
        model,
        seed=seed,
        training_data={"sha256": data.sha256, "sentences": len(data.frame), "by_origin": counts,
                       "real_problem_sentences": int((data.is_problem & data.scored).sum()),
                       "passage_groups": int(len(np.unique(data.groups[data.scored])))},
        rule_baseline=baseline.summary(),
        **({"cross_validation": {"folds": CV_FOLDS, "grouped_by": "passage", **cv.evaluation.summary()},
            "cross_validation_bare": cv.bare.summary(),
            "per_category": cv.evaluation.per_category.round(4).to_dict(orient="records")} if cv else {}),
    )
    return TrainingResult(model, cv, baseline, data_warnings(data, categories))


def evaluate_saved(model: ProblemModel, data_paths: list[Path] | None = None, encoding: str | None = None
                   ) -> tuple[Evaluation, Evaluation, int]:
    """Evaluate a saved model and the rule baseline on the real sentences of labelled data (by default the
    shipped data, on which a model trained on it scores high); return both and the number of sentences."""
    data = _with_real_sentences(load_labelled(data_paths or shipped_data_paths(), model.categories, encoding))
    return evaluate_model(model, data), rule_baseline(data, model.categories), int(data.scored.sum())


def _with_real_sentences(data: LabelledData) -> LabelledData:
    if not data.scored.any():
        raise LabelError("标注数据中没有真实报告的句子（source 以 written/ 或 paraphrase: 开头的句子不计分），无法评估")
    return data


@dataclass(frozen=True)
class Comparison:
    """Two models on the same labelled sentences: their evaluations and a bootstrap interval on the difference
    of micro-F1 (second minus first)."""

    first: Evaluation
    second: Evaluation
    difference: float
    interval: tuple[float, float]
    sentences: int

    @property
    def decided(self) -> bool:
        """Whether the data tells the two apart: the 95% interval of the difference excludes 0."""
        return self.interval[0] > 0 or self.interval[1] < 0

    def table(self, first_name: str, second_name: str) -> str:
        lines = [f"{'类别':<8}{'样本数':>6}  {'F1（' + first_name + '）':>14}  {'F1（' + second_name + '）':>14}"]
        for a, b in zip(self.first.per_category.itertuples(), self.second.per_category.itertuples(), strict=True):
            lines.append(f"{a.category:<8}{a.support:>8d}  {a.f1:>14.3f}  {b.f1:>14.3f}")
        for label, key in (("micro-F1", "micro_f1"), ("macro-F1", "macro_f1"), ("top-1", "top1_accuracy"),
                           ("问题句无类别", "no_category_rate"), ("“其他”句误判", "other_false_rate")):
            lines.append(f"{label:<10}{'':>4}  {self.first.summary()[key]:>14.3f}  {self.second.summary()[key]:>14.3f}")
        low, high = self.interval
        verdict = ("差异超出随机波动" if self.decided else
                   "数据太少，分不出两个模型的高下（区间包含 0）")
        lines.append(f"micro-F1 之差（后者减前者）{self.difference:+.3f}，自助法 95% 区间 [{low:+.3f}, {high:+.3f}]，"
                     f"{self.sentences} 句：{verdict}")
        return "\n".join(lines) + "\n"


BOOTSTRAP_SAMPLES = 1000


def compare_models(first: ProblemModel, second: ProblemModel, data_paths: list[Path] | None = None,
                   encoding: str | None = None, seed: int = 0) -> Comparison:
    """Both models on the same real sentences, with a paired bootstrap over passage groups of the difference in
    micro-F1 (resampling whole passages, as the sentences of one passage are not independent)."""
    from classifier.evaluation import assigned_matrix

    if [c.id for c in first.categories] != [c.id for c in second.categories]:
        raise LabelError("两个模型的分类体系不同，无法逐类比较")
    data = _with_real_sentences(load_labelled(data_paths or shipped_data_paths(), first.categories, encoding))
    rows = np.flatnonzero(data.scored)
    frame, labels, roles = data.context.iloc[rows], data.labels[rows], data.roles[rows]
    is_problem = np.isin(roles, PROBLEM_ROLES)
    evaluations, counts = [], []
    for model in (first, second):
        scores = model.scores(frame)
        predictions = model.decide(scores)
        evaluations.append(evaluate_predictions(labels, roles, predictions, scores.categories, model.categories))
        assigned = assigned_matrix(predictions, model.categories) & is_problem[:, None]
        counts.append(np.column_stack([(assigned & labels).sum(axis=1), assigned.sum(axis=1), labels.sum(axis=1)
                                       * is_problem]))
    groups = pd.factorize(data.groups[rows])[0]
    sums = [np.zeros((groups.max() + 1, 3)) for _ in counts]
    for total, count in zip(sums, counts, strict=True):
        np.add.at(total, groups, count)
    sampler = np.random.default_rng(seed)
    differences = []
    for _ in range(BOOTSTRAP_SAMPLES):
        drawn = sampler.integers(0, len(sums[0]), len(sums[0]))
        f1 = [_micro_f1(total[drawn].sum(axis=0)) for total in sums]
        differences.append(f1[1] - f1[0])
    low, high = np.percentile(differences, [2.5, 97.5])
    return Comparison(evaluations[0], evaluations[1], evaluations[1].micro_f1 - evaluations[0].micro_f1,
                      (round(float(low), 4), round(float(high), 4)), len(rows))


def _micro_f1(counts: np.ndarray) -> float:
    true_positive, predicted, gold = counts
    return 2 * true_positive / (predicted + gold) if predicted + gold else 0.0


def audit_labels(data: LabelledData, categories: list[Category], margin: float = 0.7, seed: int = 0) -> pd.DataFrame:
    """List the labelled sentences whose out-of-fold scores strongly contradict their gold labels."""
    from classifier.evaluation import label_disagreements

    check_trainable(data)
    cv = cross_validate(data, categories, seed)
    return label_disagreements(data, cv.rows, cv.scores.categories, categories, margin)
