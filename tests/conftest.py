"""Shared fixtures: the codebook and a small model trained on tests/fixtures/labelled_small.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.data import load_labelled
from classifier.model import fit_model
from classifier.taxonomy import load_taxonomy

FIXTURES = Path(__file__).with_name("fixtures")
LABELLED_SMALL = FIXTURES / "labelled_small.csv"


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="session")
def small_data(taxonomy):
    return load_labelled(LABELLED_SMALL, [category.id for category in taxonomy])


@pytest.fixture(scope="session")
def small_model(taxonomy, small_data):
    """A model fitted on 68 labelled sentences (68 sources, six categories, some 其他)."""
    return fit_model(small_data.texts, small_data.labels, small_data.groups, taxonomy)


@pytest.fixture(scope="session")
def make_report(taxonomy):
    """Build a ReportResult without a model: one sentence per list of taxonomy positions (its categories)."""
    from classifier.model import CategoryScore
    from classifier.reports import ReportResult, SentenceResult
    from classifier.sections import Section

    def make(file, *sentence_categories, texts=None):
        texts = texts or [f"第{i}句，问题不少。" for i in range(len(sentence_categories))]
        sentences = [SentenceResult(0, text, [CategoryScore(taxonomy[p].id, taxonomy[p].name, round(0.9 - 0.1 * n, 4))
                                              for n, p in enumerate(positions)])
                     for text, positions in zip(texts, sentence_categories, strict=True)]
        return ReportResult(file, [Section("二、存在的问题", 3, 9, "…")], sentences)

    return make
