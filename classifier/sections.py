"""Finding the problem section(s) of a report: 存在的主要问题及原因, 问题和不足, "主要问题：一是…" and the like.

Headings are recognised by their words, not by their numbering (Word's automatic numbering is lost when a
.docx is read), but the numbering, when present, tells the heading's level: a section runs until the next
heading of the same or a higher level, or until a 下一步 / 整改措施 / 对策 / 努力方向 heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Scraped reports often start lines with stray "?" where an indent character was lost.
_LINE_NOISE = re.compile(r"^[\s?？\u3000]+")
_LEVEL_PATTERNS = (
    (1, re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分[、:：\s]?)")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^(?:\d+[、.．]+(?!\d)|[（(]\d+[)）]|[①-⑳])")),
)
_MAX_HEADING_CHARS = 40
_TERMINATOR = re.compile(r"[。；！？;!?：:]")
_COMMA = re.compile(r"[，,]")
_PROBLEM_WORDS = re.compile(
    r"存在的?(?:主要|突出)?(?:问题|不足)|(?:主要|突出)问题|问题(?:和|与|及)(?:不足|原因)|不足(?:和|与|及|之处)"
    r"|正视不足|差距(?:和|与)不足|短板|薄弱环节"
)
_NEXT_STEP_WORDS = re.compile(r"下一步|下步|整改|对策|努力方向|改进措施|工作措施|工作打算|今后|意见建议|措施和建议")
_INLINE_PROBLEM_HEADING = re.compile(
    r"^(?P<heading>(?:存在的?)?(?:主要|突出)?(?:问题和不足|问题与不足|问题及原因|不足之处|问题|不足))[:：]\s*(?=\S)"
)


@dataclass(frozen=True)
class Section:
    """A problem section: its heading, its 1-based line span (heading line included) and its body text."""

    heading: str
    start_line: int
    end_line: int
    text: str


def _clean(line: str) -> str:
    return _LINE_NOISE.sub("", line).strip()


def heading_level(line: str) -> int | None:
    """Return the level of a heading line (1 for 一、, 2 for （一）, 3 for 1., 0 unnumbered), None for prose.

    A heading is short and holds no sentence punctuation, except that it may end with 。 when it has no comma.
    """
    text = _clean(line)
    if text.endswith("。"):
        text = text.rstrip("。")
        if _COMMA.search(text):
            return None
    if not text or len(text) > _MAX_HEADING_CHARS or _TERMINATOR.search(text):
        return None
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def _strip_enumerator(text: str) -> str:
    for _, pattern in _LEVEL_PATTERNS:
        text = pattern.sub("", text, count=1)
    return text


def _is_next_step_heading(line: str) -> bool:
    return heading_level(line) is not None and bool(_NEXT_STEP_WORDS.search(_clean(line)))


def _problem_heading(line: str) -> tuple[int, str, str] | None:
    """Return (level, heading, body on the same line) when ``line`` opens a problem section."""
    text = _clean(line)
    level = heading_level(line)
    if level is not None:
        if _PROBLEM_WORDS.search(text) and not _NEXT_STEP_WORDS.search(text):
            return level, text, ""
        return None
    for level, pattern in ((0, None), *_LEVEL_PATTERNS):
        enumerator = pattern.match(text) if pattern else None
        if pattern and not enumerator:
            continue
        rest = text[enumerator.end():] if enumerator else text
        inline = _INLINE_PROBLEM_HEADING.match(rest)
        if inline:
            heading = text[: (enumerator.end() if enumerator else 0) + len(inline.group("heading"))]
            return level, heading, rest[inline.end():]
        if enumerator:
            break
    return None


def _ends_section(line: str, section_level: int) -> bool:
    if _is_next_step_heading(line):
        return True
    level = heading_level(line)
    # Unnumbered short lines never close a section: they are usually sub-headings whose Word numbering was
    # lost.  An unnumbered section (level 0) is closed by a top-level numbered heading.
    return bool(level) and level <= max(section_level, 1)


def find_problem_sections(text: str) -> list[Section]:
    """Return the problem sections of ``text`` in document order (empty when there is none)."""
    lines = text.splitlines()
    sections: list[Section] = []
    index = 0
    while index < len(lines):
        opened = _problem_heading(lines[index])
        if opened is None:
            index += 1
            continue
        level, heading, first_body = opened
        body = [first_body] if first_body else []
        end = index
        for following in range(index + 1, len(lines)):
            line = lines[following]
            if _ends_section(line, level) or _problem_heading(line):
                break
            body.append(line)
            end = following
        content = "\n".join(body).strip()
        if content:
            sections.append(Section(heading=heading, start_line=index + 1, end_line=end + 1, text=content))
        index = end + 1
    return sections
