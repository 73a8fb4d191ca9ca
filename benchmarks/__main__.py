"""`python -m benchmarks [--quick] [--only accuracy,speed,scale,headings] [--repeats N] [--output FILE] [--model FILE]`

Prints one Markdown table (ready for README) and writes the figures to benchmarks/results.json.  Inputs are
generated in a temporary folder and removed afterwards; models/default.joblib is only read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import accuracy, headings, scale, speed
from benchmarks.measure import machine, model_file, shipped_model_path
from classifier.output import write_text

SECTIONS = ("accuracy", "speed", "scale", "headings")
# What each section needs beyond the classifier's own dependencies: the `bench` extra.
NEEDS = {"accuracy": ("fasttext",), "speed": ("fasttext", "jieba"), "scale": ("jieba",), "headings": ()}
RESULTS = Path(__file__).with_name("results.json")
QUICK_RESULTS = Path(__file__).with_name("results-quick.json")


def parse_arguments(arguments: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true",
                        help="one repeat and smaller scale runs (100/1,000 reports, up to 10,000 sentences); "
                             f"writes {QUICK_RESULTS.name} unless --output is given")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, among {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats per figure (default 3, or 1 with --quick); accuracy uses seeds 0..N-1")
    parser.add_argument("--output", type=Path, default=None, help=f"results file (default {RESULTS})")
    parser.add_argument("--model", type=Path, default=None,
                        help="the model whose speed and scale are measured (default: the shipped model); accuracy "
                             "always trains its own")
    options = parser.parse_args(arguments)
    options.only = [section.strip() for section in options.only.split(",") if section.strip()]
    unknown = sorted(set(options.only) - set(SECTIONS))
    if unknown or not options.only:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose among {', '.join(SECTIONS)}")
    if options.repeats is None:
        options.repeats = 1 if options.quick else 3
    if options.repeats < 1:
        parser.error("--repeats must be at least 1")
    missing = sorted({module for section in options.only for module in NEEDS[section]
                      if importlib.util.find_spec(module) is None})
    if missing:
        parser.error(f'{" and ".join(missing)} missing: pip install -e ".[bench]"')
    if options.output is None:
        options.output = QUICK_RESULTS if options.quick else RESULTS
    if options.model is None:
        options.model = shipped_model_path()
    elif not options.model.is_file():
        parser.error(f"no model file {options.model}")
    return options


def run_sections(options: argparse.Namespace, folder: Path, log, save=lambda results: None) -> dict:
    """Run the chosen sections; ``save`` gets the results so far after each measurement, so that a run that fails
    late keeps what it measured."""
    repeats, quick, model = options.repeats, options.quick, options.model
    counts = (100, 1_000) if quick else scale.REPORT_COUNTS
    sizes = scale.GROWTH_SIZES[:-1] if quick else scale.GROWTH_SIZES
    steps = {
        "accuracy": {"": lambda: accuracy.run(repeats, log)},
        "speed": {
            "batch": lambda: speed.batch(repeats, folder, model, log),
            "break_even": lambda: speed.break_even(repeats, model, log),
            "cold": lambda: speed.cold(repeats * 3, model, log),  # cheap and the noisiest: more repeats
            "train": lambda: speed.train(repeats, folder, log),
            "profile": lambda: speed.profile(model, log),
        },
        "scale": {
            "stats": lambda: scale.stats(repeats, folder, counts, model, log),
            "growth": lambda: scale.growth(repeats, folder, sizes, model, log),
        },
        "headings": {"": lambda: headings.run(model, log)},
    }
    results: dict = {}
    for section in SECTIONS:
        if section not in options.only:
            continue
        for name, measure in steps[section].items():
            if name:
                results.setdefault(section, {})[name] = measure()
            else:
                results[section] = measure()
            save(results)
    return results


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _accuracy_text(figures: dict) -> str:
    return (f"micro-F1 {figures['micro_f1']:.3f}, macro-F1 {figures['macro_f1']:.3f}, "
            f"top-1 {figures['top1_accuracy']:.3f}, 问题/原因 given no category {figures['no_category_rate']:.1%}, "
            f"其他 given a category {figures['other_false_rate']:.1%}")


def _accuracy_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    for view, name in (("context", "ours, in context (as classify)"), ("bare", "ours, bare (as predict)")):
        target = "; ".join(f"{goal}: {_verdict(met)}" for goal, met in figures["targets"].get(view, {}).items())
        rows.append(("accuracy", name, _accuracy_text(figures["ours"][view])
                     + f", role accuracy {figures['ours'][view]['role_accuracy']:.3f}", target))
    for name, variant in figures.get("variants", {}).items():
        rows.append(("accuracy", f"{name} (in context)", _accuracy_text(variant["context"])
                     + f"; bare micro-F1 {variant['bare']['micro_f1']:.3f}", ""))
    for name, peer in figures.get("peers", {}).items():
        rows.append(("accuracy", name, _accuracy_text(peer), ""))
    curve = ", ".join(f"{float(fraction):.0%}: {summary['micro_f1']:.3f}"
                      for fraction, summary in figures["learning_curve"].items())
    rows.append(("accuracy", "ours in context, micro-F1 by share of each training fold", curve, ""))
    if figures.get("per_category"):
        by_category = ", ".join(f"{category_id} {values['f1']:.2f} ({values['support']})"
                                for category_id, values in figures["per_category"].items())
        rows.append(("accuracy", "ours in context, F1 by category (support)", by_category, ""))
    return rows


def _speed_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    if "batch" in figures:
        limits = {speed.IN_PROCESS: speed.TARGETS["batch"], **{speed.CLI.format(jobs=jobs): speed.TARGETS["cli"]
                                                               for jobs in (1, 2)}}
        sentences = figures["batch"]["sentences"]
        for name, measured in figures["batch"]["measurements"].items():
            target = ""
            if name in limits:
                target = f"<= {limits[name]}x: {_verdict(measured['ratio_to_floor'] <= limits[name])}"
            rows.append(("speed", f"{sentences:,} sentences: {name}",
                         f"{measured['median_seconds']:.2f} s, {measured['ratio_to_floor']:.2f}x floor", target))
    if "break_even" in figures:
        sizes = figures["break_even"]["sizes"]
        speedups = ", ".join(f"{int(size):,}: {values['speedup']:.2f}x" for size, values in sizes.items())
        winning = figures["break_even"]["smallest_size_where_2_jobs_win"]
        rows.append(("speed", "in-process, 2 jobs vs 1: speed-up by batch size", speedups,
                     f"2 jobs win from {winning:,} sentences on" if winning else "2 jobs never win"))
    for name, measured in figures.get("cold", {}).get("measurements", {}).items():
        target = "" if name.startswith("floor") else \
            f"<= {speed.TARGETS['cold']}x: {_verdict(measured['ratio_to_floor'] <= speed.TARGETS['cold'])}"
        rows.append(("cold start", name, f"{measured['median_seconds']:.2f} s, "
                     f"{measured['ratio_to_floor']:.2f}x floor", target))
    if "train" in figures:
        train = figures["train"]
        for name, measured in train["commands"].items():
            target = ""
            if name == "classifier train":
                target = f"< {speed.TARGETS['train_seconds']:.0f} s: " \
                         f"{_verdict(measured['median_seconds'] < speed.TARGETS['train_seconds'])}"
            rows.append(("training", f"{name}, {train['cores']} cores", f"{measured['median_seconds']:.1f} s, "
                         f"peak RSS {measured['peak_rss_mb']:.0f} MB", target))
    if "profile" in figures:
        profile = figures["profile"]
        rows.append(("speed", f"predict of {profile['sentences']:,} sentences, share of time (cProfile, "
                     f"{profile['profiled_seconds']['total']:.1f} s)", speed.shares_text(profile["profiled_shares"]),
                     ""))
        rows.append(("speed", "the same parts timed apart, no profiler "
                     f"({profile['unprofiled_seconds']['total']:.1f} s)",
                     speed.shares_text(profile["unprofiled_shares"]), ""))
    return rows


def _scale_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    stats = figures.get("stats", {"runs": {}})
    for name, measured in stats["runs"].items():
        target = ""
        if measured["jobs"] == 1:
            target = f"peak RSS < {stats['peak_rss_limit_mb']} MB: " \
                     f"{_verdict(measured['peak_rss_mb'] < stats['peak_rss_limit_mb'])}"
        rows.append(("scale", f"classifier stats, {name}",
                     f"{measured['median_seconds']:.1f} s, {measured['reports_per_second']:.0f} reports/s, "
                     f"peak RSS {measured['peak_rss_mb']:.0f} MB", target))
    for size, measured in figures.get("growth", {"sizes": {}})["sizes"].items():
        rows.append(("scale", f"{int(size):,} sentences: µs per sentence",
                     f"in-process {measured['ours_us_per_sentence']:.0f} ({measured['ratio_to_floor']:.2f}x "
                     f"floor {measured['floor_us_per_sentence']:.0f}), CLI {measured['cli_us_per_sentence']:.0f}",
                     "flat"))
    return rows


def _headings_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    # No verdict: a set the finder was developed on says nothing about reports it has not seen
    # (benchmarks/headings/README.md says which figure is a test).
    rows = [("sections", f"set {name}: reports whose problem section is found and bounded (problems counted right)",
             f"{found['passed']}/{found['reports']} ({found['problems_counted_right']}/{found['reports']})", "")
            for name, found in figures["sets"].items()]
    unknown, removed = figures["unknown_headings"], figures["removed_sections"]
    rows.append(("sections", "problem headings renamed to an unknown wording (几点思考): found and bounded",
                 f"{unknown['passed']}/{unknown['reports']}", ""))
    rows.append(("sections", "reports with their problem section cut out: a section still found",
                 f"{removed['still_found']}/{removed['reports']}", ""))
    return rows


def table_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(section, measurement, median result, target and verdict) for every figure in ``results``."""
    rows = []
    if "accuracy" in results:
        rows.extend(_accuracy_rows(results["accuracy"]))
    if "speed" in results:
        rows.extend(_speed_rows(results["speed"]))
    if "scale" in results:
        rows.extend(_scale_rows(results["scale"]))
    if "headings" in results:
        rows.extend(_headings_rows(results["headings"]))
    return rows


def markdown_table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| section | measurement | result (median) | target |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows]
    return "\n".join(lines) + "\n"


def check_model(path: Path) -> str | None:
    """Why the model at ``path`` cannot be measured with this code (None: it can): a model saved by an older
    version of the features fails on its first sentence."""
    from benchmarks.speed import load_measured_model

    try:
        load_measured_model(path)
    except Exception as error:  # any failure means the same: retrain before measuring
        return f"{path} does not run with this code ({type(error).__name__}: {error}); retrain it " \
               "(classifier train) or pass --model"
    return None


def main(arguments: list[str] | None = None) -> None:
    options = parse_arguments(arguments)
    if {"speed", "scale", "headings"} & set(options.only) and (problem := check_model(options.model)):
        sys.exit(f"python -m benchmarks: {problem}")
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    about, model = machine(), model_file(options.model)
    command = "python -m benchmarks " + " ".join(sys.argv[1:] if arguments is None else arguments)

    partial = options.output.with_name(options.output.stem + ".partial.json")

    def save(results: dict, complete: bool = False) -> None:
        """The results so far to a .partial.json beside the output (kept if the run fails), all of them to the
        output at the end."""
        document = {"command": command, "complete": complete, "machine": about, "model": model,
                    "repeats": options.repeats, "quick": options.quick,
                    "wall_seconds": round(time.perf_counter() - started, 1), "results": results,
                    "table": [list(row) for row in table_rows(results)]}
        if complete:  # the code may change while a long run goes on; say so
            document["commit_at_end"] = machine()["commit"]
        write_text(options.output if complete else partial, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        if complete:
            partial.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="classifier-benchmarks-") as folder:
        results = run_sections(options, Path(folder), log, save)
    save(results, complete=True)
    print(f"{about['date']} · {about['cpu']} · {about['cores']} cores · Python {about['python']} · "
          f"load {about['load_average_at_start'][0]} at the start")
    print(markdown_table(table_rows(results)))
    log(f"wrote {options.output}")


if __name__ == "__main__":
    main()
