"""What the model sees of a sentence: its words and characters, its shape, the codebook's cue words, and its
context (the heading it sits under, and where it sits: problems or causes part, opening an item or explaining one).

The sentence and its context arrive as a DataFrame with the columns of CONTEXT_COLUMNS; a bare sentence (from
`predict`) has empty context, and its own place value "bare".  Words come from jieba-rs (the rjieba binding)
with the project's dictionary of 党建 terms (data/userdict.txt), so that 三会一课 or 软弱涣散 stay single words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from classifier.resources import resource_path
from classifier.sections import without_numbering

CONTEXT_COLUMNS = ("text", "heading", "part", "kind")
BARE = "bare"
FEATURE_PARTS = ("words", "characters", "cues", "shape", "heading", "place")
SENTENCE_PARTS = ("words", "characters", "cues", "shape")
# What scikit-learn's character analyzer collapses to one space.
_WHITE_SPACES = re.compile(r"\s\s+")


def read_user_words(path: Any = None) -> tuple[tuple[str, int | None, str | None], ...]:
    """The user dictionary (one "word [frequency] [tag]" per line) as (word, frequency, tag) triples."""
    entries = []
    for line in (path or resource_path("userdict.txt")).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if fields:
            frequency = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
            entries.append((fields[0], frequency, fields[2] if len(fields) > 2 else None))
    return tuple(entries)


class WordTokenizer:
    """Splits text into jieba words (HMM on, whitespace dropped) with jieba-rs and the given user words.

    A plain picklable object: it pickles its user words, not the jieba-rs instance (a Rust object that cannot be
    pickled), which it builds again on first use after loading.  Each vectorizer owns one.
    """

    def __init__(self, user_words: Sequence[tuple[str, int | None, str | None]] = ()) -> None:
        self.user_words = tuple(user_words)
        self._jieba: Any = None

    def __call__(self, text: str) -> list[str]:
        if self._jieba is None:
            import rjieba

            jieba = rjieba.Jieba()
            for word, frequency, tag in self.user_words:
                jieba.add_word(word, frequency, tag)
            self._jieba = jieba
        return [word for word in self._jieba.cut(text, True) if not word.isspace()]

    def __getstate__(self) -> dict[str, Any]:
        return {"user_words": self.user_words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.user_words = state["user_words"]
        self._jieba = None

    def __repr__(self) -> str:
        return f"WordTokenizer(<{len(self.user_words)} user words>)"


def project_tokenizer() -> WordTokenizer:
    """A tokenizer with the shipped user dictionary."""
    return WordTokenizer(read_user_words())


class WithoutNumbering:
    """Takes the numbering off the start of a sentence ("（五）", "三是", "1."): it says where the sentence sits,
    which the place features carry, not what the sentence is about.  A plain picklable object, like
    WordTokenizer."""

    def __call__(self, text: str) -> str:
        return without_numbering(text)

    def __repr__(self) -> str:
        return "WithoutNumbering()"


class CharacterTfidf(TfidfVectorizer):
    """TfidfVectorizer(analyzer="char") whose transform finds the known n-grams of all texts at once with numpy
    and a hash index, instead of one n-gram at a time in Python: the same matrix, several times faster.  Character
    n-grams were the largest part of the time of `predict`; fitting is scikit-learn's own.

    Each known n-gram gets an integer key, its characters' numbers (1 + rank among the vocabulary's characters)
    read as digits; the texts' n-grams are keyed the same way and looked up among the vocabulary's keys.
    """

    def fit(self, raw_documents: Sequence[str], y: object = None) -> CharacterTfidf:
        super().fit(raw_documents)
        self._index_vocabulary()
        return self

    def fit_transform(self, raw_documents: Sequence[str], y: object = None) -> sparse.csr_matrix:
        matrix = super().fit_transform(raw_documents)
        self._index_vocabulary()
        return matrix

    def _index_vocabulary(self) -> None:
        if self.analyzer != "char":
            raise ValueError("CharacterTfidf reads character n-grams only (analyzer='char')")
        ngrams = sorted(self.vocabulary_, key=self.vocabulary_.get)  # in column order
        self.characters_ = pd.Index(sorted({ord(character) for ngram in ngrams for character in ngram}))
        base = len(self.characters_) + 1
        if base ** self.ngram_range[1] >= 2 ** 63:
            raise ValueError("too many distinct characters for n-gram keys of this length")
        number = {point: index + 1 for index, point in enumerate(self.characters_)}
        keys = []
        for ngram in ngrams:
            key = 0
            for character in ngram:
                key = key * base + number[ord(character)]
            keys.append(key)
        self.ngram_keys_ = pd.Index(keys, dtype=np.int64)

    def _numbers(self, texts: Sequence[str], lengths: np.ndarray) -> np.ndarray:
        """Each character's number, 0 for a character of no known n-gram; each text (``lengths``: its length
        plus one) is followed by a 0, so that no n-gram spans two texts."""
        joined = "".join(text + "\0" for text in texts)
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
        numbers = self.characters_.get_indexer(points) + 1
        numbers[np.cumsum(lengths) - 1] = 0
        return numbers

    def _window_keys(self, numbers: np.ndarray, n: int) -> np.ndarray:
        """The key of the n-gram starting at each position; 0 where it holds a character of no known n-gram."""
        count = max(len(numbers) - n + 1, 0)
        keys = np.zeros(count, dtype=np.int64)
        known = np.ones(count, dtype=bool)
        for offset in range(n):
            window = numbers[offset:offset + count]
            keys = keys * (len(self.characters_) + 1) + window
            known &= window > 0
        return np.where(known, keys, 0)

    def transform(self, raw_documents: Sequence[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "ngram_keys_")
        preprocess = self.build_preprocessor()
        texts = [_WHITE_SPACES.sub(" ", preprocess(self.decode(document))) for document in raw_documents]
        lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
        numbers = self._numbers(texts, lengths)
        rows_of_positions = np.repeat(np.arange(len(texts)), lengths)
        rows, columns = [], []
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            found = self.ngram_keys_.get_indexer(self._window_keys(numbers, n))  # -1: not in the vocabulary
            rows.append(rows_of_positions[:len(found)][found >= 0])
            columns.append(found[found >= 0])
        rows, columns = np.concatenate(rows), np.concatenate(columns)
        counts = sparse.csr_matrix((np.ones(len(rows), dtype=self.dtype), (rows, columns)),
                                   shape=(len(texts), len(self.vocabulary_)))
        counts.sum_duplicates()
        # What TfidfVectorizer.transform does to the counts, through public attributes.
        if self.binary:
            counts.data.fill(1)
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if self.use_idf:
            counts.data *= self.idf_[counts.indices]
        return normalize(counts, norm=self.norm, copy=False) if self.norm else counts


class CueIndicators(TransformerMixin, BaseEstimator):
    """One feature per category: 1 when any of the category's codebook cues occurs in the text, else 0.

    Rare categories have few labelled sentences; their cue words, taken from the codebook, let the model
    recognise them in wordings it has not seen.
    """

    def __init__(self, cues: Sequence[Sequence[str]] = ()) -> None:
        self.cues = cues

    def fit(self, texts: Sequence[str], y: object = None) -> CueIndicators:
        self.n_features_in_ = 1
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # One alternation per category finds any of its cues 2-3 times faster than testing them one by one;
        # re caches the compiled patterns between calls.
        patterns = [re.compile("|".join(map(re.escape, cues))) if cues else None for cues in self.cues]
        # Empty texts (the headings of bare sentences) skip the search.
        present = [[bool(text) and pattern is not None and pattern.search(text) is not None for pattern in patterns]
                   for text in texts]
        return sparse.csr_matrix(np.array(present, dtype=np.float64).reshape(len(texts), len(self.cues)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"cue{index}" for index in range(len(self.cues))], dtype=object)


class UnlessEmpty(TransformerMixin, BaseEstimator):
    """A vectorizer that gives one column of zeros, instead of failing, when the texts it is fitted on hold no
    word that it keeps: the headings of training data with no context (a department's bare corrected sentences).
    (scikit-learn's ColumnTransformer takes no block without columns.)"""

    def __init__(self, vectorizer: Any = None) -> None:
        self.vectorizer = vectorizer

    def fit(self, texts: Sequence[str], y: object = None) -> UnlessEmpty:
        from sklearn.base import clone

        try:
            self.vectorizer_ = clone(self.vectorizer).fit(texts)
        except ValueError:  # "empty vocabulary"
            self.vectorizer_ = None
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.vectorizer_ is None:
            return sparse.csr_matrix((len(texts), 1))
        return self.vectorizer_.transform(texts)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        if self.vectorizer_ is None:
            return np.array(["<none>"], dtype=object)
        return self.vectorizer_.get_feature_names_out()


class PlaceFeatures(TransformerMixin, BaseEstimator):
    """Indicators of where a sentence sits: its part × kind (问题 part opening an item, 原因 part explaining
    one …), or "bare" for a sentence given without its report."""

    def fit(self, frame: pd.DataFrame, y: object = None) -> PlaceFeatures:
        self.places_ = sorted(set(_places(frame)))
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        column = {place: index for index, place in enumerate(self.places_)}
        found = [(row, column[place]) for row, place in enumerate(_places(frame)) if place in column]
        rows, columns = [row for row, _ in found], [index for _, index in found]
        return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(frame), len(self.places_)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array([f"place={place}" for place in self.places_], dtype=object)


_SHAPES = ("short", "figure", "announces", "numbered")
_SHORT_CHARS = 14
_FIGURE = re.compile(r"\d|[百千万]分之|[一二三四五六七八九十两]成|半数|一半|[%％]")


class ShapeFeatures(TransformerMixin, BaseEstimator):
    """Indicators of a sentence's shape: short, holds a figure, announces a list, numbered — the cues a reader
    uses to tell a heading that states a problem from a lead-in, or a fact that illustrates a problem from
    background.  They come from the sentence's own text, so a bare sentence has them too."""

    def fit(self, texts: Sequence[str], y: object = None) -> ShapeFeatures:
        self.n_features_in_ = 1
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        strip = WithoutNumbering()
        rows = []
        for text in texts:
            body = strip(text)
            rows.append([len(body) <= _SHORT_CHARS, bool(_FIGURE.search(body)), text.rstrip().endswith(("：", ":")),
                         body != text])
        return sparse.csr_matrix(np.array(rows, dtype=np.float64).reshape(len(texts), len(_SHAPES)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(_SHAPES, dtype=object)


def _places(frame: pd.DataFrame) -> list[str]:
    return [f"{part}|{kind}" if kind else BARE for part, kind in zip(frame["part"], frame["kind"], strict=True)]


def build_features(cues: Sequence[Sequence[str]] = (), tokenizer: WordTokenizer | None = None, min_df: int = 3,
                   cue_weight: float = 0.3, heading_weight: float = 0.5, place_weight: float = 1.0,
                   parts: tuple[str, ...] = FEATURE_PARTS) -> ColumnTransformer:
    """Return the unfitted feature extractor over a context frame (columns CONTEXT_COLUMNS).

    Sentence: word TF-IDF, character 1-3-gram TF-IDF, the sentence's shape and, when ``cues`` (one sequence of cue
    words per category) are given, the cue indicators scaled by ``cue_weight``.  Context: the heading's word
    TF-IDF and cue indicators, scaled by ``heading_weight``, and the place indicators, scaled by ``place_weight``.
    ``parts``
    keeps only some of them (SENTENCE_PARTS for the plain sentence model, ("characters",) for a variant in
    comparisons).  The cue weight keeps a cue a hint rather than a rule: at 1.0 a cue outweighs most sentences'
    whole TF-IDF vector (norm 1), and grouped cross-validation scored 0.3 best of 0.3, 0.5, 1 and 2.  ``min_df`` 3
    scores as 2 did in cross-validation with a third of the features (a model of 3.4 MB instead of 8).
    """
    tokenizer = tokenizer or project_tokenizer()
    cues = tuple(tuple(group) for group in cues)
    unnumbered = WithoutNumbering()
    transformers = {
        "words": (TfidfVectorizer(tokenizer=tokenizer, token_pattern=None, lowercase=False, min_df=min_df,
                                  sublinear_tf=True, preprocessor=unnumbered), "text"),
        "characters": (CharacterTfidf(analyzer="char", ngram_range=(1, 3), lowercase=False, min_df=min_df,
                                       sublinear_tf=True, preprocessor=unnumbered), "text"),
        "cues": (CueIndicators(cues), "text"),
        "heading": (UnlessEmpty(TfidfVectorizer(tokenizer=tokenizer, token_pattern=None, lowercase=False,
                                                min_df=min_df, sublinear_tf=True)), "heading"),
        "heading_cues": (CueIndicators(cues), "heading"),
        "shape": (ShapeFeatures(), "text"),
        "place": (PlaceFeatures(), ["part", "kind"]),
    }
    weights = {"words": 1.0, "characters": 1.0, "cues": cue_weight, "heading": heading_weight,
               "heading_cues": heading_weight * cue_weight, "shape": 1.0, "place": place_weight}
    # The heading's cue indicators belong to the heading block.
    chosen = [part for part in transformers if {"heading_cues": "heading"}.get(part, part) in parts
              and (cues or part not in ("cues", "heading_cues"))]
    return ColumnTransformer([(part, *transformers[part]) for part in chosen],
                             transformer_weights={part: weights[part] for part in chosen}, sparse_threshold=1.0)


def context_frame(sentences: Sequence[Any]) -> pd.DataFrame:
    """The model's input for ``sentences``: each a bare string, or an object with the CONTEXT_COLUMNS as
    attributes (a PlacedSentence), or a mapping with them as keys."""
    rows = []
    for sentence in sentences:
        if isinstance(sentence, str):
            rows.append((sentence, "", "", ""))
        elif isinstance(sentence, dict):
            rows.append(tuple(str(sentence.get(column, "") or "") for column in CONTEXT_COLUMNS))
        else:
            rows.append(tuple(str(getattr(sentence, column, "") or "") for column in CONTEXT_COLUMNS))
    return pd.DataFrame(rows, columns=list(CONTEXT_COLUMNS), dtype=object)


def without_context(frame: pd.DataFrame) -> pd.DataFrame:
    """The same sentences as `predict` sees them: no heading, no place."""
    return frame.assign(heading="", part="", kind="")
