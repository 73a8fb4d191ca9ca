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
from classifier.reports import ReportResult, analyse_report, analyse_text
from classifier.sections import clean, enumerator, find_problem_sections

SETS = Path(__file__).with_name("headings")
# Wordings no heading vocabulary knows, put in place of a problem heading's words (unknown_headings).
UNKNOWN_WORDINGS = ("几点思考", "回头再看")


def _passes(result: ReportResult, wanted: dict) -> tuple[bool, list[str], list[str]]:
    """Whether a report's problem section is found and bounded: no fallback, every problem item in, none of the
    neighbours; and the items missing and the neighbours included."""
    # An item's first characters may run over into its second sentence: look in the sentences joined.
    read = "".join(sentence.text for sentence in result.sentences).replace(" ", "")
    missing = [start for start in wanted["problems"] if start not in read]
    included = [start for start in wanted["not_problems"] if start in read]
    return not result.note and not missing and not included, missing, included


def score(folder: Path, model: ProblemModel) -> dict:
    """How many reports of one set pass, how many have the right number of problems, and what went wrong."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    passed, counted, failures = 0, 0, {}
    for name, wanted in sorted(expected.items()):
        result = analyse_report(folder / name, model)
        ok, missing, included = _passes(result, wanted)
        problems = {sentence.problem for sentence in result.sentences
                    if sentence.part == "问题" and sentence.categories}
        passed += ok
        counted += ok and len(problems) == len(wanted["problems"])
        if not ok or len(problems) != len(wanted["problems"]):
            failures[name] = {"style": wanted["style"], "fallback": bool(result.note), "missing": missing,
                              "included": included, "problems": len(problems), "expected": len(wanted["problems"])}
    return {"reports": len(expected), "passed": passed, "problems_counted_right": counted, "failures": failures}


def unknown_headings(model: ProblemModel, sets: Path = SETS) -> dict:
    """Robustness to heading wordings nobody listed: in every report whose problem section opens at a numbered
    heading line, that heading's words are replaced by a wording no vocabulary knows (三、几点思考), and the
    report is scored again.  What finds the section then is its content, or an announcing sentence."""
    reports = passed = 0
    for folder in sorted(path for path in sets.iterdir() if path.is_dir()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        for name, wanted in sorted(expected.items()):
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
            sections = find_problem_sections("\n".join(lines))
            if len(sections) != 1:
                continue
            heading = clean(lines[sections[0].start_line - 1])
            found = enumerator(heading)
            if found is None or not found.level or heading.rstrip("：:") != sections[0].heading.rstrip("：:"):
                continue  # an inline or run-in opening: no heading line to rename
            lines[sections[0].start_line - 1] = heading[:found.length] + UNKNOWN_WORDINGS[reports % 2]
            passed += _passes(analyse_text("\n".join(lines), name, model), wanted)[0]
            reports += 1
    return {"reports": reports, "passed": passed}


def removed_sections(sets: Path = SETS) -> dict:
    """False sections: every report with its problem section cut out; how many still open one."""
    reports = still_found = 0
    for path in sorted(sets.glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        sections = find_problem_sections("\n".join(lines))
        if len(sections) != 1 or sections[0].start_line == sections[0].end_line:
            continue
        rest = lines[:sections[0].start_line - 1] + lines[sections[0].end_line:]
        still_found += bool(find_problem_sections("\n".join(rest)))
        reports += 1
    return {"reports": reports, "still_found": still_found}


def run(model_path: Path, log) -> dict:
    model = load_model(model_path)
    results: dict = {"sets": {}}
    for folder in sorted(path for path in SETS.iterdir() if path.is_dir()):
        log(f"headings: set {folder.name}")
        results["sets"][folder.name] = score(folder, model)
    log("headings: unknown headings, removed sections")
    results["unknown_headings"] = unknown_headings(model)
    results["removed_sections"] = removed_sections()
    return results
