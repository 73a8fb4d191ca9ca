"""Fill in the context columns (heading, part, kind) of the labelled data from the texts the sentences come from.

A corpus or written sentence gets the place `classify` gives it in its file (classifier.reports.
place_every_sentence); a paraphrase gets its original's.  Run from the repository root after changing the
section finder or the structure parser (tests/test_data.py checks the stored columns are current):

    python data/scripts/contexts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from classifier.reports import place_every_sentence

DATA = Path(__file__).resolve().parents[1]
LABELLED = [DATA / "labeled" / name for name in ("sentences.csv", "written.csv", "paraphrases.csv")]
CONTEXT = ["heading", "part", "kind"]


def source_file(source: str) -> Path:
    name = source.rsplit(":", 1)[0]
    return DATA / name if name.startswith("written/") else DATA / "corpus" / name


def contexts(frame: pd.DataFrame) -> tuple[list[tuple[str, str, str]], int]:
    """The context of every row, and how many rows were not found in their file (they get an empty context)."""
    places: dict[Path, dict[tuple[int, str], tuple[str, str, str]]] = {}
    found, missing = [], 0
    for source, text in zip(frame["source"], frame["text"], strict=True):
        path = source_file(source)
        if path not in places:
            placed = place_every_sentence(path.read_text(encoding="utf-8"))
            places[path] = {}
            for sentence in placed:
                context = (sentence.heading, sentence.part, sentence.kind)
                places[path].setdefault((sentence.line, sentence.text), context)
        context = places[path].get((int(source.rsplit(":", 1)[1]), text))
        missing += context is None
        found.append(context or ("", "", "text"))
    return found, missing


def main() -> int:
    originals: dict[str, tuple[str, str, str]] = {}
    for path in LABELLED:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.name == "paraphrases.csv":
            rows = [originals[source.removeprefix("paraphrase:")] for source in frame["source"]]
            missing = 0
        else:
            rows, missing = contexts(frame)
        frame[CONTEXT] = pd.DataFrame(rows, columns=CONTEXT)
        if path.name == "sentences.csv":
            originals = dict(zip(frame["id"], rows, strict=True))
        frame.to_csv(path, index=False)
        print(f"{path.relative_to(DATA)}: {len(frame)} rows, {missing} not found in their file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
