"""Tests for classifier.features: the jieba tokenizer with the project dictionary, and the feature union."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier import features
from classifier.features import CueIndicators, build_features, get_tokenizer, remembered_tokens, tokenize

TEXTS = [
    "支部落实三会一课制度不到位，组织生活不规范。",
    "党员理论学习不够深入，学习方式单一。",
    "对软弱涣散党组织整顿不力，主体责任落实不到位。",
    "两新组织党建覆盖面不广，党群服务中心作用发挥不够。",
    "一岗双责落实不到位，两学一做学习教育不够深入。",
]


@pytest.mark.parametrize("term", ["三会一课", "两学一做", "一岗双责", "软弱涣散", "两新组织", "党群服务中心"])
def test_dictionary_term_is_one_token(term):
    tokens = tokenize(f"我们支部落实{term}工作还不到位，存在问题。")
    assert term in tokens
    assert "".join(tokens) == f"我们支部落实{term}工作还不到位，存在问题。"


def test_tokenize_drops_whitespace_tokens():
    tokens = tokenize(" 学习  不够\t深入\n\u3000。 ")
    assert tokens
    assert all(token.strip() for token in tokens)
    assert "".join(tokens) == "学习不够深入。"


def test_feature_union_has_word_and_character_parts():
    features = build_features()
    parts = dict(features.transformer_list)
    assert set(parts) == {"words", "characters"}
    assert all(isinstance(part, TfidfVectorizer) for part in parts.values())
    assert parts["words"].tokenizer is tokenize
    assert parts["characters"].analyzer == "char"
    assert parts["characters"].ngram_range == (1, 3)


def test_parts_keep_only_the_named_vectorizers():
    features = build_features(parts=("characters",))
    assert [name for name, _ in features.transformer_list] == ["characters"]


def test_tokenizer_has_the_user_dictionary_loaded():
    tokenizer = get_tokenizer()
    assert tokenizer.initialized
    assert "三会一课" in tokenizer.lcut("落实三会一课制度")
    # jieba's parsed dictionary is cached in a stable folder, so later starts skip parsing it.
    assert Path(tokenizer.tmp_dir, "jieba.cache").is_file()


def test_fitted_vocabularies():
    features = build_features(min_df=1).fit(TEXTS)
    parts = dict(features.transformer_list)
    assert "三会一课" in parts["words"].vocabulary_
    assert {len(gram) for gram in parts["characters"].vocabulary_} == {1, 2, 3}
    width = len(parts["words"].vocabulary_) + len(parts["characters"].vocabulary_)
    assert features.transform(TEXTS).shape == (len(TEXTS), width)


def test_min_df_drops_rare_terms():
    parts = dict(build_features().fit(TEXTS).transformer_list)
    assert "党群服务中心" not in parts["words"].vocabulary_  # in one text only
    assert "不到位" in parts["words"].vocabulary_ or "到位" in parts["words"].vocabulary_


def test_fitted_features_survive_pickling():
    features = build_features(min_df=1).fit(TEXTS)
    restored = pickle.loads(pickle.dumps(features))
    new_texts = ["三会一课流于形式，学习不够深入。", "完全无关的句子"]
    np.testing.assert_array_equal(restored.transform(new_texts).toarray(), features.transform(new_texts).toarray())


def test_cue_indicators_mark_categories_whose_cues_occur():
    cues = CueIndicators([("三会一课", "组织生活"), ("经费",), ()]).fit(TEXTS)
    matrix = cues.transform(["三会一课不规范，经费不足。", "组织生活不规范。", "今天天气很好。"]).toarray()
    assert matrix.tolist() == [[1, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert list(cues.get_feature_names_out()) == ["cue0", "cue1", "cue2"]


def test_cue_features_are_weighted_and_pickle():
    features = build_features(cues=[("三会一课",), ("经费",)], min_df=1, cue_weight=0.3).fit(TEXTS)
    assert [name for name, _ in features.transformer_list] == ["words", "characters", "cues"]
    restored = pickle.loads(pickle.dumps(features))
    matrix = restored.transform(["三会一课不规范"]).toarray()
    np.testing.assert_allclose(matrix[0, -2:], [0.3, 0.0])


def test_remembered_tokens_split_each_text_once_and_only_inside_the_block(monkeypatch):
    calls = []
    original = features._jieba_words
    monkeypatch.setattr(features, "_jieba_words", lambda text: calls.append(text) or original(text))
    with remembered_tokens():
        first = tokenize(TEXTS[0])
        first.append("改动")  # a caller changing its list must not change what is remembered
        with remembered_tokens():
            assert tokenize(TEXTS[0]) == original(TEXTS[0])
        assert tokenize(TEXTS[1]) == original(TEXTS[1])
    assert calls == [TEXTS[0], TEXTS[1]]
    tokenize(TEXTS[0])
    assert calls == [TEXTS[0], TEXTS[1], TEXTS[0]]


def test_cue_indicators_match_cues_literally():
    cues = CueIndicators([("（一）", "a.b"), ("*",)]).fit(TEXTS)
    assert cues.transform(["（一）学习不够", "axb", "a.b*"]).toarray().tolist() == [[1, 0], [0, 0], [1, 1]]
