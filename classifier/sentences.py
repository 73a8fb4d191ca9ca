"""Splitting a section of a report into sentences.

A sentence ends at 。；！？ (or their half-width forms ; and !), at a half-width full stop "." right after a
Chinese character or a closing bracket (text copied with half-width punctuation: "…讲不清楚.下步打算:…"; "1.5",
"1." and "二.存在问题" are numbers and numbering), at a real line break, and at a colon that introduces an
enumeration ("主要有：一是…").  Enumerators (一是、（一）、1.) stay at the start of their sentence,
closing quotes and brackets stay with the sentence they close, and no non-space character is ever dropped:
the sentences of a text, joined, hold exactly its non-space characters.
"""

from __future__ import annotations

import re

# The half-width "?" is left out on purpose: scraped reports carry stray "?" where a character was lost.
_TERMINATORS = "。；！？;!"
_CLOSERS = "”’\"'）)】》」』"
_ENUMERATOR = (r"(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]"
               r"|第[一二三四五六七八九十]+[，,、]|[①-⑳])")

# A half-width "." ending a sentence: after a Chinese character, a closing quote or bracket, or %, but not the
# "." of a Chinese numeral that numbers a heading (二.存在问题) nor one of an ellipsis ("...").
HALF_WIDTH_STOP = (r"(?<=[\u4e00-\u9fff”’\"）)%])(?<![\s。；;，,：:！？!?][一二三四五六七八九十])"
                   r"(?<!^[一二三四五六七八九十])\.(?!\.)")

_SENTENCE = re.compile(
    rf"[^{_TERMINATORS}]+?(?:[{_TERMINATORS}]+[{re.escape(_CLOSERS)}]*|{HALF_WIDTH_STOP}[{re.escape(_CLOSERS)}]*"
    rf"|[:：](?={_ENUMERATOR})|$)"
    rf"|[{_TERMINATORS}]+[{re.escape(_CLOSERS)}]*"
)
_WORD = re.compile(r"\w")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` in order, stripped of surrounding whitespace."""
    sentences: list[str] = []
    for line in text.splitlines():
        for match in _SENTENCE.finditer(line):
            piece = match.group().strip()
            if not piece:
                continue
            if sentences and not _WORD.search(piece):
                # A lone run of punctuation belongs to the sentence before it.
                sentences[-1] += piece
            else:
                sentences.append(piece)
    return sentences
