"""Undoing the page layout of text taken from a page: the page-number lines of its footers dropped, and the lines
the page wrapped in the middle of a sentence joined again.  The PDF reader needs it for pypdf's text, and the
section finder for a report copied out of a PDF into a .txt or .docx (where the lines are the user's: the
finder keeps their numbers)."""

from __future__ import annotations

import re

from classifier.output import display_width

# A footer line holding nothing but the page number: "3", "- 3 -", "第3页 共10页", "3/10".
PAGE_NUMBER = re.compile(
    r"[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?"
    r"(?:\s*[/／]\s*(?:共\s*)?\d{1,4}(?:\s*页)?|\s*[，,]?\s*共\s*\d{1,4}\s*页)?[-—–－\s]*"
)
_SENTENCE_END = "。；！？：:;!?"
_CLOSERS = "”’\"'）)】》」』"
_NUMERAL = "一二三四五六七八九十"
_ITEM_START = re.compile(
    rf"[{_NUMERAL}]+[、.．]"
    rf"|[（(][{_NUMERAL}\d]+[)）]"
    rf"|\d+(?:[、)）]|[.．](?!\d))"
    rf"|[{_NUMERAL}]+是"
    rf"|第[{_NUMERAL}\d]+[，,、：:章节部分条]"
    r"|[①-⑳●•■◆]"
)
# A line shorter than this share of the text width ended where its author ended it, not where the page did.
_FULL_LINE_SHARE = 0.8


def undo_page_layout(lines: list[str], narrowest_page: int = 0) -> list[tuple[int, int, str]]:
    """The lines of a text taken from pages, as (index of the first line, index of the last line, text): page-number
    lines (and the blank lines around them, which the page break made) dropped, lines the page wrapped joined
    again.  A text whose full lines are narrower than ``narrowest_page`` display columns was not wrapped by a
    page (a column of short lines such as a list of names)."""
    kept: list[tuple[int, int, str]] = []
    after_footer = False
    for index, line in enumerate(lines):
        if line.strip() and PAGE_NUMBER.fullmatch(line.strip()):
            while kept and not kept[-1][2].strip():
                kept.pop()
            after_footer = True
        elif not (after_footer and not line.strip()):
            kept.append((index, index, line))
            after_footer = False
    return _joined(kept, narrowest_page)


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join again the lines of a PDF that the page wrapped in the middle of a sentence.

    A line runs on into the next when it does not end a sentence or clause (。；！？：:;!?, closing quotes
    aside), reaches nearly the full width of the text (a short line such as a heading ended on purpose), and
    the next line does not start a heading or an enumerated item (一、 （一） 1. 1、 一是 第一， ①).  Chinese
    is joined without a space; a space goes in only between two ASCII letters or digits.  Blank lines are
    kept and never joined.
    """
    return [text for _, _, text in _joined([(index, index, line) for index, line in enumerate(lines)], 0)]


def _joined(lines: list[tuple[int, int, str]], narrowest_page: int) -> list[tuple[int, int, str]]:
    widths = sorted(_line_width(line) for _, _, line in lines if line.strip())
    if not widths:
        return list(lines)
    # A high quantile rather than the maximum, so that one over-long line (a table row) does not make every
    # other line look short.
    full_width = max(widths[round(0.9 * (len(widths) - 1))], narrowest_page)

    joined: list[tuple[int, int, str]] = []
    previous = ""
    for first, last, line in lines:
        if joined and _runs_on(previous, line, full_width):
            joined[-1] = (joined[-1][0], last, _glue(joined[-1][2], line))
        else:
            joined.append((first, last, line))
        previous = line
    return joined


def _line_width(line: str) -> int:
    return display_width(line.strip())


def _runs_on(line: str, following: str, full_width: int) -> bool:
    line, following = line.strip(), following.strip()
    if not line or not following or _line_width(line) < _FULL_LINE_SHARE * full_width:
        return False
    unclosed = line.rstrip(_CLOSERS)
    if not unclosed:
        return False
    # A half-width "." after anything but a digit ends a sentence too (text copied with half-width punctuation).
    ends = unclosed[-1] in _SENTENCE_END or unclosed[-1] == "." and not unclosed[-2:-1].isdigit()
    return not ends and not _ITEM_START.match(following)


def _glue(line: str, following: str) -> str:
    line, following = line.rstrip(), following.lstrip()
    if _is_ascii_word_char(line[-1]) and _is_ascii_word_char(following[0]):
        return f"{line} {following}"
    return line + following


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
