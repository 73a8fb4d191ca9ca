"""Extract the sentences of data/corpus/ that are to be labelled, one copy of each.

Writes data/labeled/candidates.csv with columns id, source (file:line), passage, text.  A sentence whose
normalised text was already seen is skipped, so the compilation's repeated passages are labelled once.
`passage` is the corpus line the sentence came from; data/labeled/groups are built from it later.
Run from the repository root: python data/scripts/extract_candidates.py
"""

import csv
import re
from pathlib import Path

from classifier.sentences import split_sentences

CORPUS = Path("data/corpus")
OUTPUT = Path("data/labeled/candidates.csv")


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def main() -> None:
    seen: set[str] = set()
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line_number, line in enumerate(lines, start=1):
            for sentence in split_sentences(line):
                key = normalise(sentence)
                if not key or key in seen:
                    continue
                seen.add(key)
                rows.append((f"s{len(rows) + 1:04d}", f"{path.name}:{line_number}",
                             f"{path.stem[:3]}:{line_number}", sentence))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "source", "passage", "text"])
        writer.writerows(rows)
    print(f"{len(rows)} sentences -> {OUTPUT}")


if __name__ == "__main__":
    main()
