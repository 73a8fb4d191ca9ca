"""Timing and memory measurement, and a description of the machine the figures were measured on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scikit-learn", "numpy", "scipy", "jieba", "joblib", "pandas", "typer", "fasttext")


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


# A small Python starts the command, times it and reads its peak RSS from wait4.  Starting the command straight
# from this benchmark would not do: Linux keeps a process's peak RSS across exec, so a child of this large
# process would report this process's size (measured: 583 MB for `python -c pass` from a 600 MB parent).
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(arguments: Sequence[str]) -> ProcessRun:
    """Run a command to completion from ROOT (its stdout discarded); raise RuntimeError when it fails."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "run.txt"
        finished = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *arguments], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed, max_rss_kb, exit_code = report.read_text().split()
    if finished.returncode != 0 or int(exit_code) != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed ({exit_code}): {finished.stderr.decode(errors='replace')}")
    # ru_maxrss is in kilobytes on Linux.
    return ProcessRun(float(elapsed), int(max_rss_kb) / 1024, int(exit_code))


def classifier_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "classifier", *arguments]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


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
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "commit": commit.stdout.strip() or None,
    }
