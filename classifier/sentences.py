"""Splitting a section of a report into sentences.

A sentence ends at 。；！？ (or their half-width forms ; and !), at a real line break, and at a colon that
introduces an enumeration ("主要有：一是…").  Enumerators (一是、（一）、1.) stay at the start of their sentence,
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

_SENTENCE = re.compile(
    rf"[^{_TERMINATORS}]+?(?:[{_TERMINATORS}]+[{re.escape(_CLOSERS)}]*|[:：](?={_ENUMERATOR})|$)"
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
