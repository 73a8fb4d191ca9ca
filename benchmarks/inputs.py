"""Benchmark inputs built from data/corpus: sentence batches of any size and generated reports."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

from classifier.sections import heading_level
from classifier.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
REPORT_BYTES = (3_000, 10_000)
# A passage is at most this long (UTF-8 bytes), so that a report can stop between its target size and the top
# of the size range.
MAX_PASSAGE_BYTES = 1_200
_MIN_PASSAGE_CHARS = 20
_HEADINGS = ("一、工作开展情况", "二、存在的主要问题及原因", "三、下一步工作打算")
PROBLEM_SECTION = 1


def corpus_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]


def corpus_sentences() -> list[str]:
    """Every sentence of the corpus, in file order (2,840 at the time of writing)."""
    return [sentence for text in corpus_texts() for sentence in split_sentences(text)]


def cycled(sentences: list[str], count: int) -> list[str]:
    """The first ``count`` sentences of ``sentences`` repeated end to end."""
    return list(itertools.islice(itertools.cycle(sentences), count))


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_passages() -> list[str]:
    """Distinct prose lines of the corpus (no headings) that fit in a report: the material of fake reports."""
    lines = (line.strip() for text in corpus_texts() for line in text.splitlines())
    passages = [line for line in lines if len(line) >= _MIN_PASSAGE_CHARS and heading_level(line) is None
                and len(line.encode("utf-8")) <= MAX_PASSAGE_BYTES]
    return list(dict.fromkeys(passages))


def report_texts(count: int, seed: int = 0) -> Iterator[str]:
    """Yield ``count`` reports of 3,000-10,000 UTF-8 bytes: three numbered sections, the second a problem
    section (二、存在的主要问题及原因), filled in turn with corpus passages drawn with a fixed seed."""
    passages = corpus_passages()
    random_state = random.Random(seed)
    smallest, largest = REPORT_BYTES
    for number in range(count):
        title = f"第{number + 1}号 党支部书记抓基层党建工作述职报告"
        sections: list[list[str]] = [[heading] for heading in _HEADINGS]
        size = sum(len(line.encode("utf-8")) + 1 for line in [title, *_HEADINGS])
        target = random_state.randint(smallest + MAX_PASSAGE_BYTES, largest)
        turn = PROBLEM_SECTION  # the problem section gets the first passage, so it is never empty
        while size < target:
            passage = random_state.choice(passages)
            added = len(passage.encode("utf-8")) + 1
            if size + added > largest:
                break
            sections[turn].append(passage)
            size += added
            turn = (turn + 1) % len(sections)
        yield "\n".join([title, *itertools.chain.from_iterable(sections)]) + "\n"


def write_reports(folder: Path, count: int, seed: int = 0, per_folder: int = 1_000) -> list[Path]:
    """Write ``count`` generated reports below ``folder``, ``per_folder`` to a subfolder; return their paths."""
    paths = []
    for number, text in enumerate(report_texts(count, seed)):
        path = folder / f"part{number // per_folder:03d}" / f"report{number:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
