"""The shipped model is exactly what `classifier train` makes from data/, and it is small."""

import glob
from pathlib import Path

import numpy as np

from classifier.data import DEFAULT_DATA, load_labelled
from classifier.model import DEFAULT_MODEL, load_model
from classifier.sentences import split_sentences
from classifier.taxonomy import load_taxonomy
from classifier.training import train_default

ROOT = Path(__file__).resolve().parents[1]


def corpus_sentences():
    return [sentence for path in sorted(glob.glob(str(ROOT / "data" / "corpus" / "*.txt")))
            for sentence in split_sentences(Path(path).read_text(encoding="utf-8"))]


def assigned_ids(model, sentences):
    return [[category.id for category in row] for row in model.predict(sentences)]


def test_shipped_model_is_small():
    assert DEFAULT_MODEL.stat().st_size < 5 * 1024 * 1024


def test_shipped_model_matches_current_data_and_taxonomy():
    model = load_model(DEFAULT_MODEL)
    categories = load_taxonomy()
    assert model.metadata["taxonomy"] == [{"id": c.id, "name": c.name} for c in categories]
    data = load_labelled(DEFAULT_DATA, [c.id for c in categories])
    assert model.metadata["training_data"]["sha256"] == data.sha256, "data changed: run `classifier train`"
    assert model.metadata["training_data"]["sentences"] == len(data.frame)
    assert set(model.metadata["thresholds"]) == {c.id for c in categories}


def test_retraining_with_the_default_seed_reproduces_the_shipped_predictions(tmp_path):
    shipped = load_model(DEFAULT_MODEL)
    retrained, _, _, _ = train_default(model_path=tmp_path / "retrained.joblib", seed=0)
    sentences = corpus_sentences()
    np.testing.assert_array_equal(retrained.thresholds, shipped.thresholds)
    assert assigned_ids(retrained, sentences) == assigned_ids(shipped, sentences)
    # Another CPU or BLAS build may round the last float32 digit differently; nothing larger may move.
    np.testing.assert_allclose(retrained.scores(sentences), shipped.scores(sentences), rtol=0, atol=1e-6)
    assert retrained.metadata["cross_validation"] == shipped.metadata["cross_validation"]
