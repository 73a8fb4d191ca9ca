"""The shipped model is exactly what `classifier train` makes from data/, and it is small."""

from pathlib import Path

import numpy as np
import pytest

from classifier.data import load_labelled, shipped_data_paths
from classifier.reports import place_every_sentence
from classifier.resources import resource_path
from classifier.taxonomy import load_taxonomy
from classifier.training import train

ROOT = Path(__file__).resolve().parents[1]


def corpus_sentences():
    return [sentence for path in sorted((ROOT / "data" / "corpus").glob("*.txt"))
            for sentence in place_every_sentence(path.read_text(encoding="utf-8"))]


def decisions(model, sentences):
    return [(p.role, [category.id for category in p.categories]) for p in model.predict(sentences)]


def test_shipped_model_is_small():
    assert resource_path("default.joblib").stat().st_size < 5 * 1024 * 1024


def test_shipped_model_matches_current_data_and_taxonomy(shipped_model):
    categories = load_taxonomy()
    assert shipped_model.metadata["taxonomy"] == [{"id": c.id, "name": c.name} for c in categories]
    data = load_labelled(shipped_data_paths(), categories)
    assert shipped_model.metadata["training_data"]["sha256"] == data.sha256, "data changed: run `classifier train`"
    assert shipped_model.metadata["training_data"]["sentences"] == len(data.frame)
    assert set(shipped_model.metadata["thresholds"]) == {c.id for c in categories}
    assert "cross_validation" in shipped_model.metadata, "the shipped model is trained with --cv"


@pytest.mark.slow
def test_retraining_with_the_default_seed_reproduces_the_shipped_predictions(shipped_model):
    categories = load_taxonomy()
    retrained = train(load_labelled(shipped_data_paths(), categories), categories, seed=0).model
    sentences = corpus_sentences()
    np.testing.assert_array_equal(retrained.thresholds, shipped_model.thresholds)
    assert retrained.gate_threshold == shipped_model.gate_threshold
    assert decisions(retrained, sentences) == decisions(shipped_model, sentences)
    # Another CPU or BLAS build may round the last float32 digit differently; nothing larger may move.
    new, old = retrained.scores(sentences), shipped_model.scores(sentences)
    np.testing.assert_allclose(new.categories, old.categories, rtol=0, atol=1e-6)
    np.testing.assert_allclose(new.roles, old.roles, rtol=0, atol=1e-6)
