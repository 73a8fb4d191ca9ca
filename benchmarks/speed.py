"""Speed against floors measured in the same run: batch prediction, cold start, and training.

Floors: for a batch, jieba's lcut over the same sentences with the model's own tokenizer (user dictionary
loaded, already initialised), since every sentence must be tokenized whatever else is done; for a cold start,
a fresh Python that imports jieba and scikit-learn's linear models and loads jieba's dictionary.  A ratio is
taken within each repeat and the median ratio is reported.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.inputs import corpus_sentences, cycled, write_lines
from benchmarks.measure import classifier_command, median, run_process, seconds, tokenize_all
from benchmarks.peers import FastTextClassifier, fasttext_text
from classifier.features import get_tokenizer
from classifier.model import DEFAULT_MODEL, load_model
from classifier.parallel import predict_sentences
from classifier.training import load_training_data

BATCH_SENTENCES = 20_000
BREAK_EVEN_SIZES = (500, 1_000, 2_000, 4_000, 10_000, 20_000)
SAMPLE_REPORT = "data/samples/sample_report.txt"
COLD_FLOOR = "import jieba, sklearn.linear_model; jieba.initialize()"
TARGETS = {"batch": 1.5, "batch_jobs2": 1.0, "cold": 1.3, "train_seconds": 60.0}


def _summary(times: dict[str, list[float]], floor: str) -> dict:
    """Median seconds of every measurement and its median ratio to the floor of the same repeat."""
    return {name: {"median_seconds": round(median(values), 3), "runs": [round(v, 3) for v in values],
                   "ratio_to_floor": round(median([v / f for v, f in zip(values, times[floor], strict=True)]), 3)}
            for name, values in times.items()}


def batch(repeats: int, folder: Path, log) -> dict:
    """Predict 20,000 corpus sentences: in-process and through the CLI, one and two processes; fastText."""
    model = load_model(DEFAULT_MODEL)
    texts = cycled(corpus_sentences(), BATCH_SENTENCES)
    path = write_lines(folder / "batch.txt", texts)
    lcut = get_tokenizer().lcut
    categories, data = load_training_data()
    peer = FastTextClassifier([c.id for c in categories]).fit(data.texts, data.labels)
    words = [fasttext_text(text) for text in texts]
    outputs = {jobs: folder / f"batch_jobs{jobs}.json" for jobs in (1, 2)}
    times: dict[str, list[float]] = defaultdict(list)
    for repeat in range(repeats):
        log(f"speed, batch: repeat {repeat + 1}/{repeats}")
        times["floor: jieba lcut"].append(seconds(tokenize_all, lcut, texts))
        times["ours, in-process"].append(seconds(model.predict, texts))
        times["ours, in-process, 2 jobs"].append(seconds(predict_sentences, model, texts, jobs=2))
        for jobs, output in outputs.items():
            run = run_process(classifier_command("predict", str(path), "--output", str(output), "--jobs", str(jobs)))
            times[f"ours, CLI predict --jobs {jobs}"].append(run.seconds)
        times["fastText predict incl. jieba"].append(seconds(peer.scores, texts))
        times["fastText predict, pre-tokenized"].append(seconds(peer.scores_of_words, words))
    if outputs[1].read_bytes() != outputs[2].read_bytes():
        raise RuntimeError("predict --jobs 2 gave another output than --jobs 1")
    return {"sentences": len(texts), "distinct_sentences": len(set(texts)),
            "measurements": _summary(times, "floor: jieba lcut")}


def break_even(repeats: int, log) -> dict:
    """In-process time of 1 vs 2 processes (workers started afresh each call) for growing batches."""
    repeats *= 3  # a few seconds per repeat, and the noisiest comparison
    model = load_model(DEFAULT_MODEL)
    sentences = corpus_sentences()
    get_tokenizer()
    sizes = {}
    for size in BREAK_EVEN_SIZES:
        log(f"speed, break-even: {size} sentences")
        texts = cycled(sentences, size)
        one, two = [], []
        for _ in range(repeats):
            one.append(seconds(model.predict, texts))
            two.append(seconds(predict_sentences, model, texts, jobs=2, min_sentences=0))
        sizes[size] = {"jobs1_seconds": round(median(one), 3), "jobs2_seconds": round(median(two), 3),
                       "speedup": round(median(one) / median(two), 2)}
    winning = None  # the smallest size from which two processes are faster at every larger size measured
    for size in reversed(BREAK_EVEN_SIZES):
        if sizes[size]["speedup"] <= 1.0:
            break
        winning = size
    return {"sizes": sizes, "smallest_size_where_2_jobs_win": winning}


def cold(repeats: int, log) -> dict:
    """A fresh `classifier classify` of the sample report against a fresh Python that loads jieba and sklearn."""
    commands = {f"floor: python -c '{COLD_FLOOR}'": [sys.executable, "-c", COLD_FLOOR],
                "ours: classifier classify " + SAMPLE_REPORT: classifier_command("classify", SAMPLE_REPORT)}
    for command in commands.values():  # warm the file cache and jieba's dictionary cache
        run_process(command)
    times: dict[str, list[float]] = defaultdict(list)
    for repeat in range(repeats):
        log(f"speed, cold start: repeat {repeat + 1}/{repeats}")
        for name, command in commands.items():
            times[name].append(run_process(command).seconds)
    return {"measurements": _summary(times, next(iter(commands)))}


def train(repeats: int, folder: Path, log) -> dict:
    """Wall time and peak memory of `classifier train` on the full labelled data (cross-validation included)."""
    runs = []
    for repeat in range(repeats):
        log(f"speed, train: repeat {repeat + 1}/{repeats}")
        runs.append(run_process(classifier_command("train", "--output", str(folder / "model.joblib"))))
    return {"median_seconds": round(median([run.seconds for run in runs]), 2),
            "runs": [round(run.seconds, 2) for run in runs],
            "peak_rss_mb": round(max(run.peak_rss_mb for run in runs), 1)}
