"""Section finding on reports written blind: sets of short reports, each written by someone who had seen none of
the code, with the problem items a reader finds and the neighbouring sentences that must stay out
(benchmarks/headings/*/expected.json; see benchmarks/headings/README.md for how each set was used).

A report passes when a problem section is found (not the whole-text fallback), the opening of every problem item
is in it and none of the listed neighbours is.  Its items are right when `stats` would count as many problems
(problem items with a category) as a reader does.
"""

from __future__ import annotations

import json
from pathlib import Path

from classifier.model import ProblemModel, load_model
from classifier.reports import analyse_report

SETS = Path(__file__).with_name("headings")


def score(folder: Path, model: ProblemModel) -> dict:
    """How many reports of one set pass, how many have the right number of problems, and what went wrong."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    passed, counted, failures = 0, 0, {}
    for name, wanted in sorted(expected.items()):
        result = analyse_report(folder / name, model)
        # An item's first characters may run over into its second sentence: look in the sentences joined.
        read = "".join(sentence.text for sentence in result.sentences).replace(" ", "")
        missing = [start for start in wanted["problems"] if start not in read]
        included = [start for start in wanted["not_problems"] if start in read]
        problems = {sentence.problem for sentence in result.sentences
                    if sentence.part == "问题" and sentence.categories}
        ok = not result.note and not missing and not included
        passed += ok
        counted += ok and len(problems) == len(wanted["problems"])
        if not ok or len(problems) != len(wanted["problems"]):
            failures[name] = {"style": wanted["style"], "fallback": bool(result.note), "missing": missing,
                              "included": included, "problems": len(problems), "expected": len(wanted["problems"])}
    return {"reports": len(expected), "passed": passed, "problems_counted_right": counted, "failures": failures}


def run(model_path: Path, log) -> dict:
    model = load_model(model_path)
    results = {}
    for folder in sorted(path for path in SETS.iterdir() if path.is_dir()):
        log(f"headings: set {folder.name}")
        results[folder.name] = score(folder, model)
    return results
