"""Timing and memory measurement, the floors the speed figures are ratios against, and a description of the
machine the figures were measured on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from classifier.resources import MODEL_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scikit-learn", "numpy", "scipy", "rjieba", "jieba", "joblib", "pandas", "typer", "fasttext")
# The CLI reads its model from this variable when it is set; the benchmark always measures the shipped model.


@dataclass(frozen=True)
class ProcessRun:
    """A finished child process: wall time (s), peak resident memory (MB) and exit code."""

    seconds: float
    peak_rss_mb: float
    exit_code: int


def seconds(function: Callable[..., object], *arguments: object, **keywords: object) -> float:
    """Wall time of one call of ``function(*arguments, **keywords)``."""
    start = time.perf_counter()
    function(*arguments, **keywords)
    return time.perf_counter() - start


def tokenize_all(lcut: Callable[[str], list[str]], texts: list[str]) -> list[list[str]]:
    """The tokenization floor: jieba over every text, nothing else."""
    return [lcut(text) for text in texts]


def jieba_floor(user_dictionary: Path | None = None) -> Callable[[str], list[str]]:
    """The reference floor's ``lcut``: pure-Python jieba (the `bench` extra), its own Tokenizer with the project's
    user dictionary loaded and already initialised, HMM on as in the project's tokenizer."""
    import logging

    import jieba

    from classifier.resources import resource_path

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(user_dictionary or resource_path("userdict.txt")))
    tokenizer.lcut("党建")  # nothing left to load lazily
    return tokenizer.lcut


# A small Python starts the command, times it and reads its peak RSS from wait4.  Starting the command straight
# from this benchmark would not do: Linux keeps a process's peak RSS across exec, so a child of this large
# process would report this process's size (measured: 583 MB for `python -c pass` from a 600 MB parent).  When
# given CPUs, the launcher pins itself to them before starting the command, which inherits the affinity.
_LAUNCHER = """
import os, sys, time
if sys.argv[2]:
    os.sched_setaffinity(0, {int(cpu) for cpu in sys.argv[2].split(",")})
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[3], sys.argv[3:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(arguments: Sequence[str], cpus: Collection[int] | None = None) -> ProcessRun:
    """Run a command to completion from ROOT (its stdout discarded), on ``cpus`` only when given; raise
    RuntimeError when it fails.  The command never sees $CLASSIFIER_MODEL: it runs the shipped model."""
    environment = {name: value for name, value in os.environ.items() if name != MODEL_VARIABLE}
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "run.txt"
        finished = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report),
                                   ",".join(str(cpu) for cpu in sorted(cpus or ())), *arguments],
                                  cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if not report.is_file():
            raise RuntimeError(f"{' '.join(arguments)} did not start: {finished.stderr.decode(errors='replace')}")
        elapsed, max_rss_kb, exit_code = report.read_text().split()
    if finished.returncode != 0 or int(exit_code) != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed ({exit_code}): {finished.stderr.decode(errors='replace')}")
    # ru_maxrss is in kilobytes on Linux.
    return ProcessRun(float(elapsed), int(max_rss_kb) / 1024, int(exit_code))


def first_cpus(count: int) -> list[int] | None:
    """``count`` of the CPUs this process may run on, or None when it may run on no more than that anyway."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    return allowed[:count] if len(allowed) > count else None


def classifier_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "classifier", *arguments]


def shipped_model_path() -> Path:
    from classifier.resources import resource_path

    return resource_path("default.joblib")


def model_option(model_path: Path) -> list[str]:
    """The --model option a command needs to run ``model_path``: none for the shipped model, so that the commands
    measured are exactly those a user types."""
    return [] if Path(model_path).resolve() == shipped_model_path().resolve() else ["--model", str(model_path)]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def ratio_summary(times: dict[str, list[float]], floor: str) -> dict:
    """Median seconds of every measurement and its median ratio to the floor of the same repeat."""
    return {name: {"median_seconds": round(median(values), 3), "runs": [round(v, 3) for v in values],
                   "ratio_to_floor": round(median([v / f for v, f in zip(values, times[floor], strict=True)]), 3)}
            for name, values in times.items()}


def model_file(path: Path) -> dict[str, object]:
    """Which model file the speed and scale figures are of: path, size, SHA-256 and the metadata it was saved with
    (creation time, seed, training data hash)."""
    import hashlib

    from classifier.model import load_model

    path = Path(path)
    metadata = load_model(path).metadata
    return {"path": str(path), "bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "shipped": path.resolve() == shipped_model_path().resolve(), "created": metadata.get("created"),
            "seed": metadata.get("seed"), "training_data": metadata.get("training_data")}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, object]:
    """Date, CPU, cores, Python and package versions, load and commit: what a reader needs to compare runs."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True)
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "commit": commit.stdout.strip() or None,
        "uncommitted_changes": bool(dirty.stdout.strip()),
    }
