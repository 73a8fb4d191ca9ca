"""Speed against floors measured in the same repeat: batch prediction, cold start, training, and where the time
of `predict` goes.

Floors: for a batch, pure-Python jieba's lcut over the same sentences with the project's user dictionary (jieba
is the reference the project's tokenizer replaced: every sentence must be tokenized whatever else is done); for a
cold start, a fresh Python that imports rjieba and scikit-learn's linear models and loads the model file with
joblib.  A ratio is taken within each repeat and the median ratio is reported.
"""

from __future__ import annotations

import copy
import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.inputs import corpus_sentences, cycled, write_lines
from benchmarks.measure import (
    classifier_command,
    first_cpus,
    jieba_floor,
    median,
    model_option,
    ratio_summary,
    run_process,
    seconds,
    tokenize_all,
)
from benchmarks.peers import FastTextClassifier, fasttext_text
from classifier.features import WithoutNumbering
from classifier.model import ProblemModel, load_model
from classifier.parallel import predict_sentences
from classifier.training import load_training_data

BATCH_SENTENCES = 20_000
BREAK_EVEN_SIZES = (500, 1_000, 2_000, 4_000, 10_000, 20_000)
SAMPLE_REPORT = "data/samples/sample_report.txt"
TRAIN_CORES = 2
FLOOR = "floor: jieba lcut (pure Python, user dictionary)"
IN_PROCESS, IN_PROCESS_JOBS2 = "ours, in-process predict, one process", "ours, in-process predict, --jobs 2"
CLI = "ours, CLI predict FILE.txt --output OUT.json --jobs {jobs}"
TARGETS = {"batch": 0.6, "cli": 1.0, "cold": 1.15, "train_seconds": 60.0}


def load_measured_model(model_path: Path) -> ProblemModel:
    """The model the benchmark measures (the shipped one unless --model says otherwise; never $CLASSIFIER_MODEL),
    its tokenizer built, as the first call of a run does."""
    model = load_model(model_path)
    model.predict(["党建工作"])
    return model


def cold_floor_code(model_path: Path) -> str:
    return f"import rjieba, sklearn.linear_model, joblib; joblib.load({str(model_path)!r})"


def batch(repeats: int, folder: Path, model_path: Path, log) -> dict:
    """Predict 20,000 corpus sentences: in-process on one and two processes, through the CLI as a fresh process
    with --jobs 1 and 2; fastText for comparison."""
    model = load_measured_model(model_path)
    texts = cycled(corpus_sentences(), BATCH_SENTENCES)
    path = write_lines(folder / "batch.txt", texts)
    lcut = jieba_floor()
    categories, data = load_training_data()
    peer = FastTextClassifier([c.id for c in categories]).fit(data.texts, data.labels)
    words = [fasttext_text(text) for text in texts]
    outputs = {jobs: folder / f"batch_jobs{jobs}.json" for jobs in (1, 2)}
    times: dict[str, list[float]] = defaultdict(list)
    for repeat in range(repeats):
        log(f"speed, batch: repeat {repeat + 1}/{repeats}")
        times[FLOOR].append(seconds(tokenize_all, lcut, texts))
        times[IN_PROCESS].append(seconds(model.predict, texts))
        times[IN_PROCESS_JOBS2].append(seconds(predict_sentences, model, texts, jobs=2))
        for jobs, output in outputs.items():
            run = run_process(classifier_command("predict", str(path), "--output", str(output), "--jobs", str(jobs),
                                                 *model_option(model_path)))
            times[CLI.format(jobs=jobs)].append(run.seconds)
        times["fastText predict, incl. the project's tokenization"].append(seconds(peer.scores, texts))
        times["fastText predict, pre-tokenized"].append(seconds(peer.scores_of_words, words))
    if outputs[1].read_bytes() != outputs[2].read_bytes():
        raise RuntimeError("predict --jobs 2 gave another output than --jobs 1")
    return {"sentences": len(texts), "distinct_sentences": len(set(texts)), "floor": FLOOR,
            "cli_outputs_identical": True, "measurements": ratio_summary(times, FLOOR)}


def break_even(repeats: int, model_path: Path, log) -> dict:
    """In-process time of 1 vs 2 processes (workers started afresh each call) for growing batches."""
    repeats *= 3  # a few seconds per repeat, and the noisiest comparison
    model = load_measured_model(model_path)
    sentences = corpus_sentences()
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
    return {"sizes": sizes, "smallest_size_where_2_jobs_win": smallest_winning_size(
        {size: figures["speedup"] for size, figures in sizes.items()})}


def smallest_winning_size(speedups: dict[int, float]) -> int | None:
    """The smallest size from which two processes are faster at every larger size measured (None: never)."""
    winning = None
    for size in sorted(speedups, reverse=True):
        if speedups[size] <= 1.0:
            break
        winning = size
    return winning


def cold(repeats: int, model_path: Path, log) -> dict:
    """A fresh `classifier classify` of the sample report against a fresh Python that imports rjieba and sklearn's
    linear models and loads the model file."""
    commands = {"floor: python -c 'import rjieba, sklearn.linear_model, joblib; joblib.load(MODEL)'":
                [sys.executable, "-c", cold_floor_code(model_path)],
                "ours: classifier classify " + SAMPLE_REPORT: classifier_command("classify", SAMPLE_REPORT,
                                                                                 *model_option(model_path))}
    for command in commands.values():  # warm the file cache
        run_process(command)
    times: dict[str, list[float]] = defaultdict(list)
    for repeat in range(repeats):
        log(f"speed, cold start: repeat {repeat + 1}/{repeats}")
        for name, command in commands.items():
            times[name].append(run_process(command).seconds)
    return {"measurements": ratio_summary(times, next(iter(commands)))}


def train(repeats: int, folder: Path, log) -> dict:
    """Wall time and peak memory of `classifier train` (no cross-validation, the default) and `classifier train
    --cv` on the full shipped data, on two cores, written to a temporary file."""
    cpus = first_cpus(TRAIN_CORES)
    results = {}
    for name, extra in (("classifier train", ()), ("classifier train --cv", ("--cv",))):
        runs = []
        for repeat in range(repeats):
            log(f"speed, {name}: repeat {repeat + 1}/{repeats}")
            runs.append(run_process(classifier_command("train", *extra, "--output", str(folder / "model.joblib")),
                                    cpus))
        results[name] = {"median_seconds": round(median([run.seconds for run in runs]), 2),
                         "runs": [round(run.seconds, 2) for run in runs],
                         "peak_rss_mb": round(max(run.peak_rss_mb for run in runs), 1)}
    return {"cores": TRAIN_CORES, "pinned_to": cpus, "commands": results}


# --- Where the time of predict goes -------------------------------------------------------------------------

# What each part of predict is called in the results.  A block of the fitted feature extractor
# (classifier.features.build_features) is a part of its own, under its block name, except the heading's cue
# indicators, counted with the sentence's; the sentence's word tokenizer is labelled apart from the word TF-IDF it
# serves.  A block unknown here is reported under its own name.
PROFILE_PARTS = {
    "characters": "character 1-3-gram TF-IDF",
    "words": "word TF-IDF (without tokenization)",
    "tokenizer": "tokenization (jieba-rs)",
    "cues": "cue indicators (sentence and heading)",
    "shape": "shape features",
    "heading": "heading TF-IDF",
    "place": "place features",
    "regressions": "regressions (role and categories)",
    "decide": "decisions (gate, thresholds)",
    "frame": "context frame",
    "other": "the rest (stacking blocks, weights, checks)",
}
_BLOCK_PARTS = {"heading_cues": "cues"}
APART_REPEATS = 3


def _part_of(block: str) -> str:
    return _BLOCK_PARTS.get(block, block)


def part_label(part: str) -> str:
    return PROFILE_PARTS.get(part, f"{part} block")


def feature_blocks(model: ProblemModel) -> list[tuple[str, Any, Any]]:
    """(name, fitted transformer, columns) of every block of the model's feature extractor."""
    features = model.pipeline.named_steps["features"]
    return [(name, transformer, columns) for name, transformer, columns in features.transformers_
            if not isinstance(transformer, str)]  # "drop" / "passthrough" (the remainder) transform nothing


def _relabelled_method(instance: Any, method: str, label: str) -> None:
    """Give ``instance`` a subclass whose ``method`` calls the original under a code object of its own, so that
    the profile tells it apart from the same method of other instances; the computation is unchanged."""
    base = type(instance)
    original = getattr(base, method)

    def relabelled(self, *arguments, **keywords):
        return original(self, *arguments, **keywords)

    relabelled.__code__ = relabelled.__code__.replace(co_name=label, co_qualname=label)
    keywords = {"auto_wrap_output_keys": None} if hasattr(base, "set_output") else {}
    instance.__class__ = type(f"{label}_{base.__name__}", (base,), {method: relabelled}, **keywords)


def labelled_for_profile(model: ProblemModel) -> ProblemModel:
    """A copy of ``model`` whose feature blocks (and the sentence's word tokenizer) carry their own names."""
    copied = copy.deepcopy(model)
    for name, transformer, _ in feature_blocks(copied):
        _relabelled_method(transformer, "transform", f"block_{name}")
        if name == "words":
            _relabelled_method(transformer.tokenizer, "__call__", "sentence_tokenizer")
    return copied


def _cumulative(stats: dict, name: str, file_suffix: str | None = None) -> float:
    """Cumulative seconds of the functions called ``name`` (in a file ending with ``file_suffix``) in a profile."""
    return sum(values[3] for (file, _, function), values in stats.items()
               if function == name and (file_suffix is None or file.replace("\\", "/").endswith(file_suffix)))


def _ordered(parts: dict[str, float]) -> dict[str, float]:
    """Known parts in PROFILE_PARTS order, unknown blocks before "other"."""
    known = [name for name in PROFILE_PARTS if name in parts and name != "other"]
    return {name: parts[name] for name in [*known, *(n for n in parts if n not in PROFILE_PARTS), "other"]}


def profile_shares(stats: dict, blocks: list[str]) -> dict[str, float]:
    """Seconds of each part of ProblemModel.predict ("total" first) in a profile (pstats.Stats(...).stats) of a
    model from labelled_for_profile whose feature blocks are ``blocks``."""
    model_file = "classifier/model.py"
    total = _cumulative(stats, "predict", model_file)
    parts: dict[str, float] = defaultdict(float)
    for block in blocks:
        parts[_part_of(block)] += _cumulative(stats, f"block_{block}")
    if "words" in blocks:
        parts["tokenizer"] = _cumulative(stats, "sentence_tokenizer")
        parts["words"] -= parts["tokenizer"]
    parts["regressions"] = _cumulative(stats, "role_proba", model_file) + _cumulative(stats, "predict_proba",
                                                                                         model_file)
    parts["decide"] = _cumulative(stats, "decide", model_file)
    parts["frame"] = _cumulative(stats, "context_frame", "classifier/features.py")
    parts["other"] = total - sum(parts.values())
    return {"total": total, **_ordered(parts)}


def timed_apart(model: ProblemModel, texts: list[str]) -> dict[str, float]:
    """The same parts timed one by one without a profiler (which slows Python-level code more than C-level);
    "other" is what the whole call took beyond the parts (never below 0: the parts are timed in other calls)."""
    from classifier.features import context_frame

    parts: dict[str, float] = defaultdict(float)
    parts["frame"] = seconds(context_frame, texts)
    frame = context_frame(texts)
    for name, transformer, columns in feature_blocks(model):
        parts[_part_of(name)] += seconds(transformer.transform, frame[columns])
        if name == "words":
            unnumbered = WithoutNumbering()
            parts["tokenizer"] = seconds(tokenize_all, transformer.tokenizer, [unnumbered(text) for text in texts])
            parts["words"] -= parts["tokenizer"]
    matrix = model.pipeline.named_steps["features"].transform(frame)
    classifier = model.pipeline[-1]
    parts["regressions"] = seconds(classifier.role_proba, matrix) + seconds(classifier.predict_proba, matrix)
    parts["decide"] = seconds(model.decide, model.scores(texts))
    total = seconds(model.predict, texts)
    parts["other"] = max(total - sum(parts.values()), 0.0)
    return {"total": total, **_ordered(parts)}


def profile(model_path: Path, log, size: int = BATCH_SENTENCES) -> dict:
    """The next bottleneck after tokenization: cProfile of model.predict over ``size`` corpus sentences, the time
    split into parts; the same parts timed apart without the profiler (median of APART_REPEATS); the top
    functions by own time."""
    plain = load_measured_model(model_path)
    model = labelled_for_profile(plain)
    model.predict(["党建工作"])
    texts = cycled(corpus_sentences(), size)
    log(f"speed, profile: cProfile of predict over {size:,} sentences")
    profiler = cProfile.Profile()
    profiler.runcall(model.predict, texts)
    stats = pstats.Stats(profiler)
    found = profile_shares(stats.stats, [name for name, _, _ in feature_blocks(model)])
    own = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:12]
    log(f"speed, profile: the same parts timed apart, {APART_REPEATS} times")
    runs = [timed_apart(plain, texts) for _ in range(APART_REPEATS)]
    apart = {name: median([run[name] for run in runs]) for name in runs[0]}
    parts = [name for name in found if name != "total"]
    return {
        "sentences": size,
        "labels": {name: part_label(name) for name in parts},
        "profiled_seconds": {name: round(value, 3) for name, value in found.items()},
        "profiled_shares": {name: round(found[name] / found["total"], 4) for name in parts},
        "unprofiled_seconds": {name: round(value, 3) for name, value in apart.items()},
        "unprofiled_shares": {name: round(apart[name] / apart["total"], 4) for name in parts},
        "top_own_time": [{"function": f"{Path(file).name}:{line}({function})", "calls": values[1],
                          "own_seconds": round(values[2], 3), "share": round(values[2] / found["total"], 4)}
                         for (file, line, function), values in own],
    }


def shares_text(shares: dict[str, float]) -> str:
    """"character 1-3-gram TF-IDF 41%, …", largest first."""
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return ", ".join(f"{part_label(name)} {share:.0%}" for name, share in ordered)
