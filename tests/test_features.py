"""Tests for classifier.features: the jieba-rs tokenizer with the project dictionary, cue and place features, the
context frame, and the feature extractor."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.features import (
    BARE,
    CONTEXT_COLUMNS,
    FEATURE_PARTS,
    SENTENCE_PARTS,
    CharacterTfidf,
    CueIndicators,
    PlaceFeatures,
    ShapeFeatures,
    WithoutNumbering,
    WordTokenizer,
    build_features,
    context_frame,
    project_tokenizer,
    read_user_words,
)
from classifier.structure import PlacedSentence

TEXTS = [
    "支部落实三会一课制度不到位，组织生活不规范。",
    "党员理论学习不够深入，学习方式单一。",
    "对软弱涣散党组织整顿不力，主体责任落实不到位。",
    "两新组织党建覆盖面不广，党群服务中心作用发挥不够。",
    "一岗双责落实不到位，两学一做学习教育不够深入。",
]


@pytest.fixture(scope="module")
def tokenize():
    return project_tokenizer()


@pytest.mark.parametrize("term", ["三会一课", "两学一做", "一岗双责", "软弱涣散", "两新组织", "党群服务中心"])
def test_dictionary_term_is_one_token(tokenize, term):
    tokens = tokenize(f"我们支部落实{term}工作还不到位，存在问题。")
    assert term in tokens
    assert "".join(tokens) == f"我们支部落实{term}工作还不到位，存在问题。"


def test_without_the_user_dictionary_a_term_is_split():
    assert "三会一课" not in WordTokenizer()("落实三会一课制度")


def test_tokenize_drops_whitespace_tokens(tokenize):
    tokens = tokenize(" 学习  不够\t深入\n\u3000。 ")
    assert tokens and all(token.strip() for token in tokens)
    assert "".join(tokens) == "学习不够深入。"


def test_user_words_are_read_from_the_dictionary_file(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("三会一课 50 n\n两新组织\n\n党群服务中心 30\n", encoding="utf-8")
    assert read_user_words(path) == (("三会一课", 50, "n"), ("两新组织", None, None), ("党群服务中心", 30, None))


def test_tokenizer_pickles_its_words_not_the_rust_object(tokenize):
    tokenize("先用一次，让它建好分词器。")
    restored = pickle.loads(pickle.dumps(tokenize))
    assert restored.user_words == tokenize.user_words
    assert restored("落实三会一课制度") == tokenize("落实三会一课制度")
    assert copy.deepcopy(tokenize)("两新组织") == ["两新组织"]


@pytest.mark.slow
def test_jieba_rs_agrees_with_jieba_on_corpus_sentences(tokenize):
    """jieba stays the reference: the project's tokenizer gives its words for at least 99.5% of corpus sentences."""
    import logging
    from pathlib import Path

    import jieba

    from classifier.resources import resource_path
    from classifier.sentences import split_sentences

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    reference.load_userdict(str(resource_path("userdict.txt")))
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    sentences = [sentence for path in sorted(corpus.glob("*.txt"))
                 for line in path.read_text(encoding="utf-8").splitlines() for sentence in split_sentences(line)]
    agree = sum([word for word in reference.lcut(text, HMM=True) if word.strip()] == tokenize(text)
                for text in sentences)
    assert len(sentences) > 2000
    assert agree / len(sentences) >= 0.995, f"{agree} of {len(sentences)}"


def test_cue_indicators_mark_categories_whose_cues_occur():
    cues = CueIndicators([["经费", "资金"], ["三会一课"], []])
    matrix = cues.fit_transform(["经费不足。", "三会一课和资金都不落实。", "没有线索。"]).toarray()
    assert matrix.tolist() == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]


def test_context_frame_takes_strings_placed_sentences_and_mappings():
    placed = PlacedSentence("学习不深入。", 3, 0, "问题", 1, "理论学习不够", "body")
    frame = context_frame(["单独一句。", placed, {"text": "字典", "part": "原因", "kind": "item"}])
    assert list(frame.columns) == list(CONTEXT_COLUMNS)
    assert frame.values.tolist() == [["单独一句。", "", "", ""], ["学习不深入。", "理论学习不够", "问题", "body"],
                                     ["字典", "", "原因", "item"]]


def test_place_features_mark_part_and_kind_and_bare_sentences_differently():
    frame = context_frame([PlacedSentence("（一）学习不深入。", 1, 0, "问题", 1, "", "item"),
                           PlacedSentence("全镇886名党员中，56岁以上的占47%。", 2, 0, "问题", 1, "党员老化", "body"),
                           "主要表现在以下几个方面："])
    place = PlaceFeatures().fit(frame)
    names = list(place.get_feature_names_out())
    matrix = place.transform(frame).toarray()
    assert names == sorted([f"place={BARE}", "place=问题|item", "place=问题|body"])
    assert matrix[0, names.index("place=问题|item")] == 1 and matrix[0].sum() == 1
    assert matrix[2, names.index(f"place={BARE}")] == 1


def test_shape_features_come_from_the_sentence_itself():
    texts = ["（一）学习不深入。", "全镇886名党员中，56岁以上的占47%，年龄结构明显老化。", "主要表现在以下几个方面："]
    shape = ShapeFeatures().fit(texts)
    names = list(shape.get_feature_names_out())
    matrix = shape.transform(texts).toarray()
    assert names == ["short", "figure", "announces", "numbered"]
    assert matrix[0].tolist() == [1, 0, 0, 1]
    assert matrix[1].tolist() == [0, 1, 0, 0]
    assert matrix[2, names.index("announces")] == 1


def test_numbering_is_a_place_feature_not_a_word():
    frame = context_frame(["（五）工作创新不足。", "工作创新不足。"])
    extractor = build_features(min_df=1).fit(frame)
    names = list(extractor.get_feature_names_out())
    rows = extractor.transform(frame).toarray()
    assert not any(name in ("words__五", "characters__五") for name in names)
    text = np.array([name.startswith(("words__", "characters__")) for name in names])
    assert np.allclose(rows[0, text], rows[1, text])
    assert rows[0, names.index("shape__numbered")] == 1 and rows[1, names.index("shape__numbered")] == 0


def test_unseen_place_gets_no_place_column():
    place = PlaceFeatures().fit(context_frame(["一句。"]))
    unseen = place.transform(context_frame([PlacedSentence("一句。", 1, 0, "原因", 1, "", "item")])).toarray()
    assert unseen[0, :len(place.places_)].sum() == 0


def test_feature_extractor_has_the_sentence_and_context_blocks():
    extractor = build_features(cues=[["经费"], ["学习"]])
    assert [name for name, *_ in extractor.transformers] == ["words", "characters", "cues", "heading",
                                                             "heading_cues", "shape", "place"]
    blocks = {name: transformer for name, transformer, _ in extractor.transformers}
    assert isinstance(blocks["words"], TfidfVectorizer) and isinstance(blocks["words"].tokenizer, WordTokenizer)
    assert blocks["heading"].vectorizer.tokenizer is blocks["words"].tokenizer
    assert blocks["characters"].analyzer == "char" and blocks["characters"].ngram_range == (1, 3)
    assert extractor.transformer_weights["cues"] == 0.3
    assert set(FEATURE_PARTS) >= set(SENTENCE_PARTS)


def test_sentence_parts_leave_the_context_out():
    extractor = build_features(cues=[["经费"]], parts=SENTENCE_PARTS)
    assert [name for name, *_ in extractor.transformers] == ["words", "characters", "cues", "shape"]


def test_heading_words_change_only_the_heading_block():
    extractor = build_features(min_df=1).fit(context_frame(TEXTS + [{"text": TEXTS[0], "heading": "党员队伍老化",
                                                                     "part": "问题", "kind": "body"}]))
    names = list(extractor.get_feature_names_out())
    rows = extractor.transform(context_frame([TEXTS[0], {"text": TEXTS[0], "heading": "党员队伍老化",
                                                         "part": "问题", "kind": "body"}])).toarray()
    heading = np.array([name.startswith("heading__") for name in names])
    words = np.array([name.startswith(("words__", "characters__")) for name in names])
    assert np.allclose(rows[0, words], rows[1, words])
    assert rows[0, heading].sum() == 0 and rows[1, heading].sum() > 0


def test_training_text_without_any_heading_still_fits():
    extractor = build_features(cues=[["经费"]], min_df=1).fit(context_frame(TEXTS))
    assert [name for name in extractor.get_feature_names_out() if name.startswith("heading__")] == ["heading__<none>"]
    assert extractor.transform(context_frame([{"text": TEXTS[0], "heading": "新的小标题"}])).shape[0] == 1


def test_the_extractor_clones_and_pickles():
    extractor = build_features(cues=[["经费"]], min_df=1)
    frame = context_frame(TEXTS)
    fitted = pickle.loads(pickle.dumps(clone(extractor).fit(frame)))
    assert (fitted.transform(frame) != extractor.fit(frame).transform(frame)).nnz == 0
    assert isinstance(frame, pd.DataFrame)


def _corpus_sentences() -> list[str]:
    from pathlib import Path

    from classifier.sentences import split_sentences

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    return [sentence for path in sorted(corpus.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() for sentence in split_sentences(line)]


ODD_TEXTS = ["", "党", "党建", "  两个\t\t空白 \n 一个\t空白", "经费\u3000\u3000保障", "𠀀𠀁字的党建",
             "三是组织生活不规范。", "全新的字眼：龘靐齉", "ａｂｃ abc ABC", "经费保障不足经费保障不足", "党\x00建"]


@pytest.mark.parametrize("settings", [
    {"ngram_range": (1, 3), "min_df": 3, "sublinear_tf": True, "preprocessor": WithoutNumbering()},
    {"ngram_range": (2, 4), "min_df": 2, "binary": True, "norm": "l1", "lowercase": True},
    {"ngram_range": (1, 1), "min_df": 1, "use_idf": False, "norm": None},
])
def test_character_tfidf_gives_scikit_learns_matrix(settings):
    sentences = _corpus_sentences()
    fitted_on, unseen = sentences[::2] + ODD_TEXTS[-3:], sentences[1::2] + ODD_TEXTS
    reference = TfidfVectorizer(analyzer="char", **settings).fit(fitted_on)
    ours = CharacterTfidf(analyzer="char", **settings).fit(fitted_on)
    assert ours.vocabulary_ == reference.vocabulary_
    for texts in (unseen, ODD_TEXTS, ODD_TEXTS[:1]):
        expected, got = reference.transform(texts), ours.transform(texts)
        assert got.shape == expected.shape and got.has_sorted_indices
        assert (got != expected).nnz == 0
    assert (ours.fit_transform(fitted_on) != reference.fit_transform(fitted_on)).nnz == 0


def test_character_tfidf_pickles_and_clones():
    fitted = CharacterTfidf(analyzer="char", ngram_range=(1, 2)).fit(TEXTS)
    again = pickle.loads(pickle.dumps(fitted))
    assert (again.transform(ODD_TEXTS) != fitted.transform(ODD_TEXTS)).nnz == 0
    assert clone(fitted).get_params() == fitted.get_params()


def test_character_tfidf_reads_characters_only():
    with pytest.raises(ValueError, match="analyzer='char'"):
        CharacterTfidf(analyzer="word").fit(TEXTS)
