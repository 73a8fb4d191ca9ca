"""Text features: TF-IDF over jieba words and over character 1-3-grams, joined in one FeatureUnion.

jieba gets its own Tokenizer with the project's dictionary of 党建 terms (classifier/userdict.txt), so that
三会一课 or 软弱涣散 stay single tokens.  The tokenizer is module-level and initialised on first use, which keeps
fitted vectorizers picklable: they refer to `tokenize` by name, not to a Tokenizer object.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
FEATURE_PARTS = ("words", "characters")

jieba.setLogLevel(logging.WARNING)
_tokenizer = jieba.Tokenizer()
_tokenizer_ready = False
_remembered: dict[str, list[str]] | None = None


def _cache_dir() -> Path:
    # jieba caches its parsed dictionary; a stable, writable place makes every later start fast.
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "classifier"


def get_tokenizer() -> jieba.Tokenizer:
    """Return the project's jieba Tokenizer, with its dictionary cache and the user dictionary loaded."""
    global _tokenizer_ready
    if not _tokenizer_ready:
        cache = _cache_dir()
        try:
            cache.mkdir(parents=True, exist_ok=True)
            _tokenizer.tmp_dir = str(cache)
        except OSError:
            pass  # jieba falls back to the system temporary folder
        _tokenizer.load_userdict(str(USER_DICTIONARY))
        _tokenizer_ready = True
    return _tokenizer


def tokenize(text: str) -> list[str]:
    """Split ``text`` into jieba words (no paddle mode, HMM on), dropping whitespace tokens."""
    if _remembered is None:
        return _jieba_words(text)
    words = _remembered.get(text)
    if words is None:
        words = _remembered[text] = _jieba_words(text)
    return list(words)


def _jieba_words(text: str) -> list[str]:
    return [word for word in get_tokenizer().lcut(text, HMM=True) if word.strip()]


@contextlib.contextmanager
def remembered_tokens() -> Iterator[None]:
    """Within this block tokenize() splits each distinct text once: cross-validation fits dozens of pipelines
    on the same sentences.  Nothing is kept outside it, so predicting never holds on to its input."""
    global _remembered
    outermost = _remembered is None
    if outermost:
        _remembered = {}
    try:
        yield
    finally:
        if outermost:
            _remembered = None


def build_features(min_df: int = 2, parts: tuple[str, ...] = FEATURE_PARTS) -> FeatureUnion:
    """Return the unfitted feature extractor: word TF-IDF and character 1-3-gram TF-IDF, side by side.

    ``parts`` keeps only some of them (("characters",) for a character-only variant in comparisons).
    """
    vectorizers = {
        "words": TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, min_df=min_df,
                                 sublinear_tf=True),
        "characters": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False, min_df=min_df,
                                      sublinear_tf=True),
    }
    return FeatureUnion([(part, vectorizers[part]) for part in parts])
