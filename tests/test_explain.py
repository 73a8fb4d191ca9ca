"""Tests for classifier.explain: the features that decided each assigned category, ranked by what they added to
its log-odds, at most TOP_FEATURES, named for a reader, and the share the context (heading and place) had."""

from __future__ import annotations

import glob
import math
from pathlib import Path

import numpy as np
import pytest

from classifier.data import load_labelled, read_table
from classifier.explain import TOP_FEATURES, Contribution, Explanation, explain
from classifier.features import context_frame
from classifier.fitting import fit_pipeline
from classifier.model import Prediction, ProblemModel
from classifier.sentences import split_sentences
from classifier.structure import PlacedSentence

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(glob.glob(str(ROOT / "data" / "corpus" / "*.txt")))
LABELLED_SMALL = Path(__file__).with_name("fixtures") / "labelled_small.csv"
CONTEXT_PREFIXES = ("小标题", "位置：")


@pytest.fixture(scope="module")
def corpus_sentences():
    return [s for path in CORPUS for s in split_sentences(Path(path).read_text(encoding="utf-8"))][:300]


@pytest.fixture(scope="module")
def context_model(taxonomy, tmp_path_factory):
    """A model fitted on labelled_small.csv given a context: each problem sentence sits in the problems (or
    causes) part under a heading naming its first category, opening an item when that category is 组织生活 and
    explaining one otherwise; every other sentence is plain text."""
    frame = read_table(LABELLED_SMALL)
    names = {category.id: category.name for category in taxonomy}
    problem = frame["role"] != "其他"
    frame["heading"] = [f"{names[labels.split('|')[0]]}方面存在差距" if is_problem else ""
                        for labels, is_problem in zip(frame["labels"], problem, strict=True)]
    frame["part"] = [role if is_problem else "" for role, is_problem in zip(frame["role"], problem, strict=True)]
    frame["kind"] = [("item" if labels.split("|")[0] == "org_life" else "body") if is_problem else "text"
                     for labels, is_problem in zip(frame["labels"], problem, strict=True)]
    path = tmp_path_factory.mktemp("context") / "labelled.csv"
    frame.to_csv(path, index=False)
    data = load_labelled(path, taxonomy)
    return ProblemModel(fit_pipeline(data, taxonomy, 0), list(taxonomy), np.full(len(taxonomy), 0.5), 0.5)


PLACED = [
    PlacedSentence("部分支部记录不全，会议开得不规范。", 5, 0, "问题", 1, "组织生活方面存在差距", "item"),
    PlacedSentence("经费来源单一，主要靠上级拨付。", 6, 0, "问题", 2, "经费保障方面存在差距", "body"),
    PlacedSentence("有的党员思想保守，观念陈旧。", 7, 0, "原因", 3, "党员管理方面存在差距", "body"),
]


def explained(model, sentences, top=TOP_FEATURES):
    predictions = model.predict(sentences)
    return predictions, explain(model, sentences, predictions, top)


# --- ranking ---------------------------------------------------------------------------------------------------

def test_one_explanation_per_assigned_category_in_the_predictions_order(small_model, corpus_sentences):
    predictions, explanations = explained(small_model, corpus_sentences)
    assert len(explanations) == len(corpus_sentences)
    assert any(prediction.categories for prediction in predictions)
    for prediction, found in zip(predictions, explanations, strict=True):
        assert [explanation.category for explanation in found] == [c.name for c in prediction.categories]
        assert all(isinstance(explanation, Explanation) for explanation in found)


def test_contributions_are_positive_sorted_by_weight_and_at_most_top_features(small_model, corpus_sentences):
    _, explanations = explained(small_model, corpus_sentences)
    counts = []
    for found in explanations:
        for explanation in found:
            weights = [c.weight for c in explanation.contributions]
            assert weights == sorted(weights, reverse=True)
            assert all(weight > 0 for weight in weights)
            assert all(isinstance(c, Contribution) for c in explanation.contributions)
            counts.append(len(weights))
    assert max(counts) == TOP_FEATURES == 5


def test_top_limits_the_number_of_features(small_model, corpus_sentences):
    texts = corpus_sentences[:60]
    _, two = explained(small_model, texts, top=2)
    _, many = explained(small_model, texts, top=50)
    for short, long in zip(two, many, strict=True):
        for a, b in zip(short, long, strict=True):
            assert len(a.contributions) <= 2
            assert a.contributions == b.contributions[:len(a.contributions)]
            assert a.context_share == b.context_share  # the share is over every feature, not the ones shown
    assert any(len(b.contributions) > TOP_FEATURES for found in many for b in found)


def test_the_positive_contributions_bound_the_categorys_log_odds(small_model, corpus_sentences):
    # What the features add, plus the regression's intercept, is the log-odds of the category's score; the
    # positive contributions alone reach at least that far.
    texts = corpus_sentences[:80]
    predictions, explanations = explained(small_model, texts, top=10_000)
    estimators = small_model.pipeline[-1].categories_.estimators_
    column = {category.id: index for index, category in enumerate(small_model.categories)}
    checked = 0
    for prediction, found in zip(predictions, explanations, strict=True):
        for category, explanation in zip(prediction.categories, found, strict=True):
            score = min(max(category.score, 1e-6), 1 - 1e-6)
            intercept = float(np.ravel(estimators[column[category.id]].intercept_)[0])
            positive = sum(c.weight for c in explanation.contributions)
            assert positive + intercept >= math.log(score / (1 - score)) - 0.05
            checked += 1
    assert checked


def test_describe_names_the_category_the_features_and_the_share():
    explanation = Explanation("经费保障", [Contribution("“经费”", 1.234), Contribution("位置：问题部分·条目说明", 0.5)],
                              0.25)
    assert explanation.describe() == "经费保障：“经费” +1.23，位置：问题部分·条目说明 +0.50（上下文占 25%）"


# --- names -----------------------------------------------------------------------------------------------------

def all_features(model, sentences):
    _, explanations = explained(model, sentences, top=10_000)
    return [c.feature for found in explanations for explanation in found for c in explanation.contributions]


def test_features_are_named_for_a_reader(small_model, corpus_sentences, taxonomy):
    features = all_features(small_model, corpus_sentences[:120])
    assert features
    assert not any("__" in feature or feature.startswith(("place=", "cue")) for feature in features)
    names = {category.name for category in taxonomy}
    words = [f for f in features if f.startswith("“") and f.endswith("”")]
    characters = [f for f in features if f.startswith("“") and f.endswith("”（字）")]
    cues = [f for f in features if "线索词·" in f]
    assert words and characters and cues
    assert all(f.split("·", 1)[1] in names for f in cues)


def test_heading_words_and_place_are_named_as_such(context_model):
    features = all_features(context_model, PLACED)
    headings = [f for f in features if f.startswith("小标题“")]
    assert headings and all(f.endswith("”") for f in headings)
    assert any("组织生活" in f for f in headings)
    assert "位置：问题部分·条目开头" in features
    assert not any("__" in f or "place=" in f for f in features)


# --- the context's share ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "部分支部“三会一课”记录不规范，组织生活会批评与自我批评辣味不足。",
    "党建工作经费主要靠上级拨付，来源单一，保障标准不高。",
    "组织生活质量不高。",  # short
    "一是理论学习方式比较单一，多以读文件、念报纸为主。",  # numbered
    "（二）三会一课制度落实不严格，组织生活不规范。",  # numbered
], ids=["plain", "plain-2", "short", "numbered-yishi", "numbered-paren"])
@pytest.mark.parametrize("which", ["small_model", "context_model"])
def test_a_bare_sentence_has_no_context_share(request, which, sentence):
    model = request.getfixturevalue(which)
    predictions, [found] = explained(model, [sentence])
    assert predictions[0].categories, "the sentence is read as a problem"
    assert [explanation.context_share for explanation in found] == [0.0] * len(found)
    assert not [c.feature for e in found for c in e.contributions if c.feature.startswith(CONTEXT_PREFIXES)]


def test_the_context_has_a_share_where_there_is_context(context_model):
    _, explanations = explained(context_model, PLACED)
    shares = [e.context_share for found in explanations for e in found]
    assert all(0.0 <= share <= 1.0 for share in shares)
    assert any(share > 0 for share in shares)


def test_the_context_share_is_that_of_the_heading_and_place_features(context_model, small_model, corpus_sentences):
    # Over every positive contribution: the share of those named 小标题… or 位置：…
    cases = [(context_model, PLACED), (small_model, corpus_sentences[:120])]
    for model, sentences in cases:
        _, explanations = explained(model, sentences, top=10_000)
        for found in explanations:
            for explanation in found:
                total = sum(c.weight for c in explanation.contributions)
                context = sum(c.weight for c in explanation.contributions if c.feature.startswith(CONTEXT_PREFIXES))
                expected = context / total if total > 0 else 0.0
                assert explanation.context_share == pytest.approx(expected, abs=0.002), explanation.describe()


def test_placed_sentences_and_their_context_frame_explain_alike(context_model):
    predictions = context_model.predict(PLACED)
    assert explain(context_model, PLACED, predictions) == explain(
        context_model, context_frame(PLACED).to_dict("records"), predictions)


def test_a_sentence_without_categories_has_no_explanation(small_model):
    other = Prediction("其他", 0.1, [])
    assert explain(small_model, ["今年召开党委会十次。"], [other]) == [[]]
