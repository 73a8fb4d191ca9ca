"""Scale: `classifier stats` over thousands of generated reports (time, peak memory), and how the cost per
sentence grows with the size of a batch."""

from __future__ import annotations

from pathlib import Path

from benchmarks.inputs import corpus_sentences, cycled, write_lines, write_reports
from benchmarks.measure import classifier_command, jieba_floor, median, model_option, run_process, seconds, tokenize_all
from benchmarks.speed import load_measured_model

REPORT_COUNTS = (1_000, 10_000)
GROWTH_SIZES = (100, 1_000, 10_000, 100_000)
RSS_LIMIT_MB = 400


def stats(repeats: int, folder: Path, counts: tuple[int, int], model_path: Path, log) -> dict:
    """Run `classifier stats` (one process, then two) on a small and a large set of generated reports (counts)."""
    small, large = counts
    log(f"scale: writing {large} reports")
    # `small` reports to a subfolder: the small run is the first subfolder, the large run all of them.
    write_reports(folder / "reports", large, seed=0, per_folder=small)
    results = {}
    for count in counts:
        target = folder / "reports" / "part000" if count == small else folder / "reports"
        for jobs in (1, 2):
            runs = []
            for repeat in range(repeats):
                log(f"scale: stats on {count} reports, --jobs {jobs}, repeat {repeat + 1}/{repeats}")
                runs.append(run_process(classifier_command(
                    "stats", str(target), "--output", str(folder / "stats.csv"),
                    "--per-report", str(folder / "per_report.csv"), "--jobs", str(jobs),
                    *model_option(model_path))))
            wall = median([run.seconds for run in runs])
            results[f"{count} reports, --jobs {jobs}"] = {
                "reports": count, "jobs": jobs, "median_seconds": round(wall, 2),
                "runs": [round(run.seconds, 2) for run in runs], "reports_per_second": round(count / wall, 1),
                "peak_rss_mb": round(max(run.peak_rss_mb for run in runs), 1)}
    single = [figures["peak_rss_mb"] for figures in results.values() if figures["jobs"] == 1]
    return {"runs": results, "peak_rss_limit_mb": RSS_LIMIT_MB, "rss_under_limit": max(single) < RSS_LIMIT_MB}


def growth(repeats: int, folder: Path, sizes: tuple[int, ...], model_path: Path, log) -> dict:
    """Microseconds per sentence for growing batches: in-process (with the pure-Python jieba floor) and the CLI
    (`classifier predict`, one process, start-up included)."""
    model = load_measured_model(model_path)
    sentences = corpus_sentences()
    lcut = jieba_floor()
    results = {}
    for size in sizes:
        texts = cycled(sentences, size)
        path = write_lines(folder / f"growth{size}.txt", texts)
        floor, ours, cli = [], [], []
        for repeat in range(repeats):
            log(f"scale: {size} sentences, repeat {repeat + 1}/{repeats}")
            floor.append(seconds(tokenize_all, lcut, texts))
            ours.append(seconds(model.predict, texts))
            cli.append(run_process(classifier_command("predict", str(path), "--output", str(folder / "growth.json"),
                                                      "--jobs", "1", *model_option(model_path))).seconds)
        results[size] = {
            "floor_us_per_sentence": round(median(floor) / size * 1e6, 1),
            "ours_us_per_sentence": round(median(ours) / size * 1e6, 1),
            "ratio_to_floor": round(median([o / f for o, f in zip(ours, floor, strict=True)]), 3),
            "cli_us_per_sentence": round(median(cli) / size * 1e6, 1),
        }
    return {"sizes": results}
