"""A report's problem sections read the way a person reads them: parts, items, and each sentence in its place.

A section holds a problems part and often a causes part (opened by 原因分析 / 产生问题的原因 / 究其原因 …).  Each
part is a list of items: a sentence that opens with numbering (（一） 1. 一是 第一， ① …) or with a word of an
unnumbered list (首先， 其次， 一方面， …) starts an item, and the sentences after it explain it until the next
item; an unnumbered short line (a heading whose Word numbering was lost) starts one too.  Styles nest in the
order the author uses them: a style not seen yet opens a sub-list, a style seen before goes back to that level.

A sub-heading that names the problems (（一）存在的问题) opens the problems part, as 原因分析 opens the causes.

Every sentence gets its place: its part, the problem it belongs to (the top-level item; in no list, the paragraph
in a section and the sentence alone in a whole text), the words of the heading it sits under (its item's opening
sentence, or the parent item's for the opening sentence itself), and its kind: opens an item, explains one,
announces a list, or plain text.
This is the context the model reads beside the sentence, and the unit `stats` counts as one problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from classifier.sections import (
    clean,
    enumerator,
    heading_level,
    heading_words,
    is_sequence_item,
    problem_heading_kind,
)
from classifier.sentences import split_sentences
from classifier.vocabulary import heading_vocabulary

PROBLEMS, CAUSES, UNKNOWN = "问题", "原因", ""
KINDS = ("item", "body", "lead_in", "text")
# A sentence that opens with a causes phrase switches to the causes part only when it is short or announces a
# list ("究其原因，主要有以下几点："); a long one ("问题产生的原因在于…并且…") stays where it is.
_MAX_CAUSES_OPENER_CHARS = 30
_CAUSES_OPENER_REACH = 8  # the causes phrase must start within the first characters


@dataclass(frozen=True)
class PlacedSentence:
    """A sentence of a report and its place in it.

    ``line`` is 1-based; ``section`` indexes the report's sections; ``part`` is 问题, 原因 or "" (read outside any
    problem section); ``problem`` numbers the report's problems from 1 (a top-level item, or a sentence in no
    list); ``heading`` holds the words of the heading the sentence sits under ("" when none); ``kind`` is one of
    KINDS.
    """

    text: str
    line: int
    section: int
    part: str
    problem: int
    heading: str
    kind: str


def place_sentences(lines: Iterable[tuple[int, str]], section: int, part: str, first_problem: int = 1
                    ) -> list[PlacedSentence]:
    """Split numbered ``lines`` (a section's body, or a whole text) into sentences and place each one.

    ``part`` is where the lines start (PROBLEMS for a section, UNKNOWN for text outside sections, where it
    never changes); problems are numbered from ``first_problem``.
    """
    placed: list[PlacedSentence] = []
    stack: list[tuple[str, str]] = []  # (style, words of the item's opening sentence), outermost first
    problem = first_problem - 1
    for number, line in lines:
        if not clean(line):
            continue
        line_is_heading = heading_level(line) is not None
        for position, sentence in enumerate(split_sentences(line)):
            found = enumerator(clean(sentence))
            marker = found.style if found else "sequence" if is_sequence_item(sentence) else None
            if part and position == 0 and _opens_causes(sentence, line_is_heading):
                part, kind, heading = CAUSES, "lead_in" if _announces(sentence) else "text", ""
                stack.clear()
                problem += 1
            elif part and position == 0 and line_is_heading and problem_heading_kind(heading_words(sentence)):
                # （一）存在的问题 under 二、存在的问题及原因: the problems part opens, its list is the top level.
                part, kind, heading = PROBLEMS, "lead_in", ""
                stack.clear()
                problem += 1
            elif marker or (position == 0 and line_is_heading and not _announces(sentence)
                            and not sentence.rstrip().endswith("。")):
                style = marker or "plain"
                styles = [entry[0] for entry in stack]
                if style in styles:
                    del stack[styles.index(style):]
                if not stack:
                    problem += 1
                heading, kind = (stack[-1][1] if stack else ""), "item"
                stack.append((style, heading_words(sentence)))
            elif _announces(sentence):
                kind, heading = "lead_in", stack[-1][1] if stack else ""
                if not stack:
                    problem += 1
            elif stack:
                kind, heading = "body", stack[-1][1]
            else:
                kind, heading = "text", ""
                # In a section, a paragraph in no list is one problem (its topic sentence and what explains it);
                # in a whole text, each sentence is.
                if not part or position == 0 or placed[-1].kind != "text":
                    problem += 1
            placed.append(PlacedSentence(sentence, number, section, part, problem, heading, kind))
    return placed


def _announces(sentence: str) -> bool:
    return sentence.rstrip().endswith(("：", ":"))


def _opens_causes(sentence: str, line_is_heading: bool) -> bool:
    words = heading_words(sentence)
    match = heading_vocabulary().causes.search(words)
    return bool(match) and match.start() <= _CAUSES_OPENER_REACH and (
        line_is_heading or _announces(sentence) or len(words) <= _MAX_CAUSES_OPENER_CHARS)
