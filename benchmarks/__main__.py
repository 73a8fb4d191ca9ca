"""`python -m benchmarks [--quick] [--only accuracy,speed,scale] [--repeats N] [--output FILE]`

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

from benchmarks import accuracy, scale, speed
from benchmarks.measure import machine
from classifier.output import write_text

SECTIONS = ("accuracy", "speed", "scale")
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
    options = parser.parse_args(arguments)
    options.only = [section.strip() for section in options.only.split(",") if section.strip()]
    unknown = sorted(set(options.only) - set(SECTIONS))
    if unknown or not options.only:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose among {', '.join(SECTIONS)}")
    if options.repeats is None:
        options.repeats = 1 if options.quick else 3
    if options.repeats < 1:
        parser.error("--repeats must be at least 1")
    if {"accuracy", "speed"} & set(options.only) and importlib.util.find_spec("fasttext") is None:
        parser.error('fastText is missing: pip install -e ".[bench]"')
    if options.output is None:
        options.output = QUICK_RESULTS if options.quick else RESULTS
    return options


def run_sections(options: argparse.Namespace, folder: Path, log) -> dict:
    repeats, quick = options.repeats, options.quick
    results: dict = {}
    if "accuracy" in options.only:
        results["accuracy"] = accuracy.run(repeats, log)
    if "speed" in options.only:
        results["speed"] = {
            "batch": speed.batch(repeats, folder, log),
            "break_even": speed.break_even(repeats, log),
            "cold": speed.cold(repeats * 3, log),  # cheap and the noisiest: more repeats
            "train": speed.train(repeats, folder, log),
        }
    if "scale" in options.only:
        counts = (100, 1_000) if quick else scale.REPORT_COUNTS
        sizes = scale.GROWTH_SIZES[:-1] if quick else scale.GROWTH_SIZES
        results["scale"] = {"stats": scale.stats(repeats, folder, counts, log),
                            "growth": scale.growth(repeats, folder, sizes, log)}
    return results


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _speed_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    batch = figures["batch"]["measurements"]
    targets = {"ours, in-process": f"<= {speed.TARGETS['batch']}x",
               "ours, in-process, 2 jobs": f"< {speed.TARGETS['batch_jobs2']}x"}
    limits = {"ours, in-process": speed.TARGETS["batch"], "ours, in-process, 2 jobs": speed.TARGETS["batch_jobs2"]}
    sentences = figures["batch"]["sentences"]
    for name, measured in batch.items():
        target = ""
        if name in targets:
            target = f"{targets[name]}: {_verdict(measured['ratio_to_floor'] <= limits[name])}"
        rows.append(("speed", f"{sentences:,} sentences: {name}",
                     f"{measured['median_seconds']:.2f} s, {measured['ratio_to_floor']:.2f}x floor", target))
    sizes = figures["break_even"]["sizes"]
    speedups = ", ".join(f"{int(size):,}: {values['speedup']:.2f}x" for size, values in sizes.items())
    rows.append(("speed", "in-process, 2 jobs vs 1: speed-up by batch size", speedups,
                 f"2 jobs win from {figures['break_even']['smallest_size_where_2_jobs_win']} sentences on"))
    for name, measured in figures["cold"]["measurements"].items():
        target = "" if name.startswith("floor") else \
            f"<= {speed.TARGETS['cold']}x: {_verdict(measured['ratio_to_floor'] <= speed.TARGETS['cold'])}"
        rows.append(("cold start", name, f"{measured['median_seconds']:.2f} s, "
                     f"{measured['ratio_to_floor']:.2f}x floor", target))
    train = figures["train"]
    rows.append(("training", "classifier train (5-fold CV + fit)",
                 f"{train['median_seconds']:.1f} s, peak RSS {train['peak_rss_mb']:.0f} MB",
                 f"< {speed.TARGETS['train_seconds']:.0f} s: "
                 f"{_verdict(train['median_seconds'] < speed.TARGETS['train_seconds'])}"))
    return rows


def table_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(section, measurement, median result, target and verdict) for every figure in ``results``."""
    rows = []
    if "accuracy" in results:
        figures = results["accuracy"]
        for system, medians in figures["medians"].items():
            target = ""
            if system == accuracy.OURS:
                target = "; ".join(f"{name}: {_verdict(met)}" for name, met in figures["targets"].items())
            rows.append(("accuracy", system, f"micro-F1 {medians['micro_f1']:.3f}, macro-F1 {medians['macro_f1']:.3f}, "
                         f"top-1 {medians['top1_accuracy']:.3f}, 其他 given a category "
                         f"{medians['other_false_rate']:.1%}", target))
        curve = ", ".join(f"{float(fraction):.0%}: {summary['micro_f1']:.3f}"
                          for fraction, summary in figures["learning_curve"].items())
        rows.append(("accuracy", "ours, micro-F1 by share of each training fold (seed 0)", curve, ""))
    if "speed" in results:
        rows.extend(_speed_rows(results["speed"]))
    if "scale" in results:
        stats = results["scale"]["stats"]
        for name, measured in stats["runs"].items():
            target = ""
            if measured["jobs"] == 1:
                target = f"peak RSS < {stats['peak_rss_limit_mb']} MB: " \
                         f"{_verdict(measured['peak_rss_mb'] < stats['peak_rss_limit_mb'])}"
            rows.append(("scale", f"classifier stats, {name}",
                         f"{measured['median_seconds']:.1f} s, {measured['reports_per_second']:.0f} reports/s, "
                         f"peak RSS {measured['peak_rss_mb']:.0f} MB", target))
        for size, measured in results["scale"]["growth"]["sizes"].items():
            rows.append(("scale", f"{int(size):,} sentences: µs per sentence",
                         f"in-process {measured['ours_us_per_sentence']:.0f} ({measured['ratio_to_floor']:.2f}x "
                         f"floor {measured['floor_us_per_sentence']:.0f}), CLI {measured['cli_us_per_sentence']:.0f}",
                         "flat"))
    return rows


def markdown_table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| section | measurement | result (median) | target |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines) + "\n"


def main(arguments: list[str] | None = None) -> None:
    options = parse_arguments(arguments)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    about = machine()
    with tempfile.TemporaryDirectory(prefix="classifier-benchmarks-") as folder:
        results = run_sections(options, Path(folder), log)
    document = {"command": "python -m benchmarks " + " ".join(sys.argv[1:] if arguments is None else arguments),
                "machine": about, "repeats": options.repeats, "quick": options.quick,
                "wall_seconds": round(time.perf_counter() - started, 1), "results": results,
                "table": [list(row) for row in table_rows(results)]}
    write_text(options.output, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    print(f"{about['date']} · {about['cpu']} · {about['cores']} cores · Python {about['python']}")
    print(markdown_table(table_rows(results)))
    log(f"wrote {options.output}")


if __name__ == "__main__":
    main()
