"""Split written training passages into sentences to label, and check a labelled file against them.

Written passages (data/written/<batch>/*.txt, one paragraph per line, UTF-8) are text we author to teach the
model; they are never scored.  Their sentences are labelled like the corpus: one row per sentence that the
project's own splitter yields, in file and line order, with source "written/<batch>/<file>:<line>".

    python data/scripts/written_sentences.py split data/written/village --prefix wa > candidates.csv
    python data/scripts/written_sentences.py check data/written/village data/labeled/written_village.csv

`split` writes id, source, text, role, labels, note (role and labels empty).  `check` verifies that a
labelled CSV holds exactly those sentences in that order, that every role and label is valid against
data/taxonomy.yaml, and prints the counts per role and per category.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from classifier.sentences import split_sentences
from classifier.taxonomy import PROBLEM_ROLES, ROLES, load_taxonomy

DATA = Path(__file__).resolve().parents[1]
COLUMNS = ("id", "source", "text", "role", "labels", "note")


def written_sentences(folder: Path) -> list[tuple[str, str]]:
    """(source, sentence) for every sentence of every passage file in ``folder``, in order."""
    rows = []
    for path in sorted(Path(folder).glob("*.txt")):
        source = path.resolve().relative_to(DATA).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            rows.extend((f"{source}:{number}", sentence) for sentence in split_sentences(line))
    return rows


def split(folder: Path, prefix: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for index, (source, text) in enumerate(written_sentences(folder), start=1):
        writer.writerow((f"{prefix}{index:04d}", source, text, "", "", ""))


def check(folder: Path, labelled: Path) -> int:
    expected = written_sentences(folder)
    with labelled.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = {category.id for category in load_taxonomy(DATA / "taxonomy.yaml")}
    problems = []
    if [(row["source"], row["text"]) for row in rows] != expected:
        got = [(row["source"], row["text"]) for row in rows]
        pairs = zip(got, expected, strict=False)
        first = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(got), len(expected)))
        problems.append(f"sentences differ from the split at row {first + 2}: "
                        f"{got[first] if first < len(got) else 'nothing'} vs "
                        f"{expected[first] if first < len(expected) else 'nothing'}")
    roles: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for line, row in enumerate(rows, start=2):
        labels = [label for label in row["labels"].split("|") if label]
        roles[row["role"]] += 1
        categories.update(labels)
        if row["role"] not in ROLES:
            problems.append(f"row {line}: role {row['role']!r}")
        elif row["role"] in PROBLEM_ROLES and not 1 <= len(labels) <= 3:
            problems.append(f"row {line}: {row['role']} needs 1-3 labels")
        elif row["role"] not in PROBLEM_ROLES and labels:
            problems.append(f"row {line}: 其他 takes no label")
        if set(labels) - ids or len(set(labels)) != len(labels):
            problems.append(f"row {line}: bad labels {row['labels']!r}")
    if len({row["id"] for row in rows}) != len(rows):
        problems.append("ids are not unique")
    print(f"{len(rows)} sentences; roles {dict(roles)}; categories {dict(sorted(categories.items()))}")
    for problem in problems[:50]:
        print("PROBLEM", problem)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    split_parser = commands.add_parser("split")
    split_parser.add_argument("folder", type=Path)
    split_parser.add_argument("--prefix", required=True)
    check_parser = commands.add_parser("check")
    check_parser.add_argument("folder", type=Path)
    check_parser.add_argument("labelled", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "split":
        split(arguments.folder, arguments.prefix)
        return 0
    return check(arguments.folder, arguments.labelled)


if __name__ == "__main__":
    sys.exit(main())
