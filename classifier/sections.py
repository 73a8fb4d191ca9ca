"""Finding the problem section(s) of a report, whatever their heading.

A heading is recognised by what it says (data/headings.yaml: 存在的主要问题, 问题和差距, 查摆的问题, 工作中的不足,
问题清单, 反思不足 …), at any numbering level or none, on its own line (with or without a colon), running into its
paragraph ("二、存在问题。主要有…", "二、不足和薄弱环节 ㈠…", "二、存在问题（1）…"), or inline, as a clause ending in
a colon inside a paragraph ("…但也存在一些不足，主要表现在：一是…") or a sentence that announces the problems.  A
report run into one paragraph is first split at its run-in top-level headings.  Numbering gives a heading its level
(一、 1, （一） 2, 1. 3, （1） 4, ① 5, none 0); Word's automatic numbering is lost when a .docx is read, so words
decide, and numbering only bounds the section: it ends at the next heading of the same or a higher level, at a
paragraph numbered as the heading's next sibling, at a measures heading (下一步 / 整改措施 / 努力方向 …), at an
unheaded paragraph that starts the plans after the list (针对上述问题，我将…), at the closing formula (以上报告，请予
评议), or where another problem section of its level opens.  A list that restarts its numbering right below the
heading (二、存在的问题 / 一、… 二、…) is the section's own list.  A section found inline ends where the part of the
report holding it ends, or at a sentence of its paragraph that starts the plans (…三是…。对此，我将…).

When nothing says "problems", a reader still finds the part by what it says: the part under a numbered heading
of any wording (三、几点思考) whose items mostly state shortcomings (…不够深入 / …滞后 / 重业务轻党建) is read as
the problem section.

Measures inside a section are dropped, never classified as problems:
- a heading that names problems and then measures (存在问题及整改措施, 存在的问题及下一步打算) opens a *combined*
  section, in which a paragraph opening with 下一步 / 整改措施： / 针对上述问题 … starts measures;
- in any section, an unnumbered measures line ("整改措施：") between two items of the section's list (问题一,
  整改措施, 问题二 …) starts measures.
Measures last until the list goes on with its next number; without that, until the end of the section.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from classifier.layout import undo_page_layout
from classifier.sentences import HALF_WIDTH_STOP, split_sentences
from classifier.vocabulary import heading_vocabulary

# Scraped reports often start lines with stray "?" where an indent character was lost.
_LINE_NOISE = re.compile(r"^[\s?？\u3000]+")
_NUMERAL = "一二三四五六七八九十"
_NUMERAL_VALUES = {character: value for value, character in enumerate(_NUMERAL, start=1)}
_ENCLOSED_RANGES = (("①", "⑳"), ("㈠", "㈩"), ("⑴", "⒇"), ("⒈", "⒛"))
# (style, heading level or 0 when the style never makes a heading, pattern with the numeral as group 1).
_ENUMERATORS = (
    ("cn_dun", 1, re.compile(rf"^([{_NUMERAL}]+)[、.．]")),
    ("part", 1, re.compile(rf"^第([{_NUMERAL}]+)(?:部分|章)[、:：.．\s]?")),
    ("cn_paren", 2, re.compile(rf"^[（(]([{_NUMERAL}]+)[)）][、.．]?")),
    ("cn_enclosed", 2, re.compile(r"^([㈠-㈩])")),
    ("arabic", 3, re.compile(r"^(\d{1,3})(?:[、.．]+(?!\d)|\s)")),
    ("arabic_stop", 3, re.compile(r"^([⒈-⒛])")),
    ("decimal", 4, re.compile(r"^\d{1,2}[.．](\d{1,2})(?![\d.．%％])\s*")),
    ("arabic_paren", 4, re.compile(r"^[（(](\d{1,3})[)）][、.．]?")),
    ("arabic_close", 4, re.compile(r"^(\d{1,3})[)）](?!\d)")),
    ("arabic_enclosed", 4, re.compile(r"^([⑴-⒇])")),
    ("circled", 5, re.compile(r"^([①-⑳])")),
    ("cn_shi", 0, re.compile(rf"^([{_NUMERAL}]+)是")),
    ("ordinal", 0, re.compile(rf"^第([{_NUMERAL}]+)[，,、：:]")),
    ("labelled", 0, re.compile(rf"^问题([{_NUMERAL}\d]+)[：:、.．，,]?")),
    # A bar marks a top-level heading in text copied from WeChat (▍存在问题, ◎问题篇).
    ("bar", 1, re.compile(r"^([▍▌▎▋◎])")),
    # The parts of a report written as questions and answers: 一问：… 二问：…
    ("ask", 1, re.compile(rf"^([{_NUMERAL}]+)问[：:、]")),
    ("bullet", 0, re.compile(r"^([●•■◆▲□★【〖])")),
)
# Every style at once, for the hot path that only needs to know where numbering ends (classifier.features).
_ANY_NUMBERING = re.compile("|".join(f"(?:{pattern.pattern.removeprefix('^')})" for _, _, pattern in _ENUMERATORS))
# Text narrower than this (display columns: 25 Chinese characters) was not wrapped by a page.
_NARROWEST_PAGE = 50
MAX_HEADING_CHARS = 40
MAX_LEAD_IN_CHARS = 80
_SHORT_HEADING_CHARS = 12
_FULL_STOP = re.compile(f"。|{HALF_WIDTH_STOP}")
# A numbered heading runs into its paragraph up to a full stop, a gap of spaces, or its first item (存在问题（1）…).
_RUN_IN_END = re.compile(rf"。|{HALF_WIDTH_STOP}|[ \u3000]+"
                         rf"|(?=[（(][{_NUMERAL}\d]{{1,2}}[)）]|[{_NUMERAL}]是|[①-⑳㈠-㈩⑴-⒇]|\d{{1,2}}[、.．)）](?!\d))")
_JOINER = re.compile("以及|[和与及、]")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"</?(?:br|p|div|span|strong|b|i|em|font|section)\b[^>]*>", re.IGNORECASE)
# A space between two Chinese characters (or before 、), as in a heading spaced out for width.
_SPACED_OUT = re.compile(r"(?<=[\u4e00-\u9fff、])[ \u3000]+(?=[\u4e00-\u9fff、])|([\u4e00-\u9fff])[ \u3000]+(?=、)")
# Inside a longer line, only what is surely spaced out: a numeral and its 、 (三 、 存), and a run of three or more
# single characters (存 在 问 题), which ends before a character that starts a word (…成 效 村党支部…).
_SPACED_NUMERAL = re.compile(rf"^([\s\u3000]*[{_NUMERAL}]{{1,2}})[ \u3000]+([、．])")
_SPACED_NUMBERING = re.compile(rf"(?<![\u4e00-\u9fff])([{_NUMERAL}]{{1,2}})[ \u3000]*([、.．])[ \u3000]*")
_SPACED_RUN = re.compile(r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff][ \u3000]){2,}[\u4e00-\u9fff](?![\u4e00-\u9fff])")
_MID_LINE_HEADING = re.compile(rf"([{_NUMERAL}]{{1,2}})[、.．]")
_SENTENCE_ENDS = ("。", "！", "？", "：", ":", "!", "?", ".")
_TERMINATOR = re.compile(rf"[。；！？;!?：:]|{HALF_WIDTH_STOP}")
_COMMA = re.compile(r"[，,]")
_TRAILING = re.compile(r"[\s。：:；;，,.]+$")
_CLAUSE_BREAK = re.compile(rf"[。！？；;!?]|{HALF_WIDTH_STOP}")
_COLON = re.compile(r"[:：]")
_CLAUSE_OR_COMMA = re.compile(rf"[。！？；;!?，,]|{HALF_WIDTH_STOP}")
_EXISTING = re.compile("存在|面临|暴露|遇到")
_STILL_EXISTING = re.compile("(?:仍|还|依然|仍然|尚)存在")
# Quotation marks are dropped before a heading's words are matched: 二、“短板”在哪里 reads as 短板在哪里.
_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'")


@dataclass(frozen=True)
class Section:
    """A problem section: its heading, the 1-based lines it spans (heading line included), and its body as
    (line number, text) pairs, measures left out.  An inline heading's body starts on the heading's own line."""

    heading: str
    start_line: int
    end_line: int
    lines: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)


@dataclass(frozen=True)
class Enumerator:
    """The numbering at the start of a line or sentence: its style, value (一 = 1, ① = 1), length, and the
    heading level it gives (0 for styles that never make a heading: 一是, 第一，, bullets)."""

    style: str
    value: int
    length: int
    level: int


def clean(line: str) -> str:
    """The line without leading noise (spaces, full-width spaces, stray "?")."""
    return _LINE_NOISE.sub("", line).strip()


def enumerator(text: str) -> Enumerator | None:
    """The numbering at the start of ``text`` (一、 （一） 1. （1） ① 一是 第一， 第一部分 ●), or None."""
    for style, level, pattern in _ENUMERATORS:
        match = pattern.match(text)
        if match:
            return Enumerator(style, _number_value(match.group(1)), match.end(), level)
    return None


def without_numbering(text: str) -> str:
    """``text`` without the numbering at its start (and the spaces before it), or as it is when it has none."""
    stripped = text.lstrip()
    found = _ANY_NUMBERING.match(stripped)
    return stripped[found.end():] if found else text


def heading_level(line: str) -> int | None:
    """The level of a heading line (1 for 一、, 2 for （一）, 3 for 1., 4 for （1）, 5 for ①, 0 unnumbered), or
    None for prose.

    A heading is short and holds no sentence punctuation, except that it may end with a colon or a question mark
    (工作中有哪些不足？), or with 。 when it has no comma.
    """
    text = clean(line)
    if text.endswith(("：", ":", "？", "?")):
        text = text[:-1]
    elif text.endswith("。"):
        text = text.rstrip("。")
        if _COMMA.search(text):
            return None
    found = enumerator(text)
    # The numbering's own punctuation (二问：) is not the heading's.
    if not text or len(text) > MAX_HEADING_CHARS or _TERMINATOR.search(text, found.length if found else 0):
        return None
    return found.level if found else 0


def heading_words(text: str) -> str:
    """A heading's words: without noise, numbering and trailing punctuation."""
    text = clean(text)
    found = enumerator(text)
    return _TRAILING.sub("", (text[found.length:] if found else text).rstrip("】〗：: ")).strip()


def problem_heading_kind(words: str) -> str | None:
    """"problems" when ``words`` (a heading or a lead-in clause, numbering removed) open a problem section,
    "combined" when they name measures after the problems (存在问题及整改措施), None otherwise: no problem words, a
    measures heading that mentions problems (针对问题的整改措施), or a heading of the causes alone (问题产生的原因)."""
    vocabulary = heading_vocabulary()
    words = words.translate(_QUOTES)
    problem = vocabulary.problem.search(words)
    if problem is None or opens_measures(words) or vocabulary.dealt_with_heading.search(words):
        return None  # no problem words, measures, or last year's problems (上年度…问题整改落实情况)
    # Problems dealt with are not problems, but problems that still exist are, whatever work they are in
    # (当前整改工作中仍存在的问题).
    if _excluded(words, problem, measures=False) and not _STILL_EXISTING.search(words, 0, problem.end()):
        return None
    causes = vocabulary.causes.search(words)
    if causes and causes.start() <= problem.start() and problem.end() <= causes.end():
        return None  # the problem words only say whose causes these are: 存在问题的原因
    measures = vocabulary.measures.search(words, problem.start())
    # Measures words before problems that exist are their topic: 当前整改工作中仍存在的问题.
    if measures is None and (not vocabulary.measures.search(words) or _EXISTING.match(words, problem.start())):
        return "problems"
    return "combined" if measures is not None and measures.start() >= problem.end() else None


def is_measures_heading(line: str) -> bool:
    """Whether ``line`` is a heading that opens measures or plans: measures words, and no problem named before
    them or shortcoming stated (the heading "（二）整改落实不到位" states a problem), unless it opens as measures
    do ("针对以上不足，今后我将…：")."""
    return heading_level(line) is not None and _names_measures(heading_words(line))


def _names_measures(words: str) -> bool:
    vocabulary = heading_vocabulary()
    return (bool(vocabulary.measures.search(words)) and not vocabulary.area_label.search(words)
            and (opens_measures(words) or not vocabulary.shortcoming.search(words))
            and problem_heading_kind(words) is None)


def is_causes_heading(line: str) -> bool:
    """Whether ``line`` is a heading that opens the causes part (原因分析, 产生问题的原因)."""
    return heading_level(line) is not None and bool(heading_vocabulary().causes.search(heading_words(line)))


def is_sequence_item(text: str) -> bool:
    """Whether ``text`` opens with a word of an unnumbered list (首先， / 其一， / 一方面， / ——)."""
    return bool(heading_vocabulary().sequence_markers.match(clean(text)))


def opens_item(text: str) -> bool:
    """Whether ``text`` opens a list item: with numbering or with a word of an unnumbered list."""
    return enumerator(clean(text)) is not None or is_sequence_item(text)


def _opens_list_item(text: str) -> bool:
    """Whether ``text`` opens with numbering that never makes a heading (一是 / 第一， / ●) or with a word of an
    unnumbered list."""
    found = enumerator(clean(text))
    return found is not None and not found.level or is_sequence_item(text)


def opens_measures(text: str) -> bool:
    """Whether a paragraph or sentence opens with measures words (下一步， / 整改措施： / 针对上述问题 …)."""
    return bool(heading_vocabulary().measures_openers.search(heading_words(text) if text else ""))


@dataclass(frozen=True)
class _Opening:
    level: int
    heading: str
    body: str
    combined: bool
    numbering: Enumerator | None
    inline: bool


def _opening(line: str, enclosing_level: int) -> _Opening | None:
    """How ``line`` opens a problem section, if it does: as a heading running into its paragraph; as a heading
    line; inline, at a clause ending in a colon (the section starts after the colon); or at a sentence that
    announces the problems, at the end of the line or followed by an item (the section starts after it)."""
    text = clean(line)
    run_in = _run_in_opening(text, enclosing_level)
    if run_in is not None:
        return run_in  # before the heading-line test: "二、存在问题（1）…。" is short enough to pass for a heading
    level = heading_level(line)
    if level is not None:
        kind = problem_heading_kind(heading_words(text))
        if kind is not None:
            return _Opening(level, _TRAILING.sub("", text), "", kind == "combined", enumerator(text), inline=False)
        if not text.endswith(("：", ":")):
            return None
    return _labelled_opening(text) or _colon_opening(text, enclosing_level) \
        or _lead_in_opening(text, enclosing_level)


def _labelled_opening(text: str) -> _Opening | None:
    """A numbered heading in two parts, a figurative label and its title (三、把脉问诊：短板在哪里 / 二、照镜子：
    找准短板弱项): it opens a section by its title, at its numbering's level, when its label names no problem
    (二、存在问题：党员老化 is a heading that runs into its first item)."""
    labelled = _labelled_heading(text)
    if labelled is None:
        return None
    numbering, label, title = labelled
    kind = problem_heading_kind(title) if problem_heading_kind(label) is None else None
    if kind is None:
        return None
    return _Opening(numbering.level, _TRAILING.sub("", text), "", kind == "combined", numbering, inline=False)


def _labelled_heading(text: str) -> tuple[Enumerator, str, str] | None:
    """A numbered heading in two parts, split: its numbering, label and title (三、内省：正视前行之憾)."""
    found = enumerator(text)
    parts = _COLON.split(text[found.length:], maxsplit=1) if found is not None and found.level else []
    if len(parts) != 2 or len(text) > MAX_HEADING_CHARS:
        return None
    label, title = parts[0].strip(), parts[1].strip().rstrip("？?")
    if not label or not title or _TERMINATOR.search(title) or _CLAUSE_OR_COMMA.search(label):
        return None
    return found, label, title


def _run_in_opening(text: str, enclosing_level: int) -> _Opening | None:
    """A heading that runs into its paragraph, ended by a full stop ("二、存在问题。主要有…", "第二，党建工作中的
    短板。一是…") or, numbered, by a gap of spaces or its first item ("二、不足和薄弱环节 ㈠…", "二、存在问题（1）
    …"); unnumbered, it must be as short as a heading ("存在的不足。一是…")."""
    run_in = _run_in_heading(text)
    if run_in is None:
        return None
    found, heading, body = run_in
    kind = problem_heading_kind(heading_words(heading))
    if kind is None:
        return None
    return _in_line(found, enclosing_level, heading, body, combined=kind == "combined")


def _run_in_heading(text: str) -> tuple[Enumerator | None, str, str] | None:
    """A heading that runs into its paragraph, split off: its numbering, the heading and the body after it."""
    found = enumerator(text)
    if found is not None and not found.level and found.style != "ordinal":
        return None  # 一是… / 问题一：… open items, not headings
    start = len(text) - len(text[found.length:].lstrip()) if found else 0
    stop = (_RUN_IN_END if found else _FULL_STOP).search(text, start)
    if stop is None:
        return None
    # A colon may close the heading before its gap or first item: "二、存在问题: 1.…" (copied text).
    words, body = _TRAILING.sub("", text[start:stop.start()]), text[stop.end():].strip()
    if not words or not body or len(words) > (MAX_HEADING_CHARS if found else _SHORT_HEADING_CHARS) \
            or _CLAUSE_OR_COMMA.search(words) or _COLON.search(words):
        return None
    return found, text[:stop.start()], body


def _in_line(numbering: Enumerator | None, enclosing_level: int, heading: str, body: str,
             combined: bool = False) -> _Opening:
    """A section opened inside a line: of its heading numbering's level (二、存在问题。…), else inline, at the level
    of the part that holds it; ``numbering`` is kept to find the next sibling (第二，… ends at 第三，…)."""
    numbered = numbering is not None and numbering.level > 0
    return _Opening(numbering.level if numbered else enclosing_level, heading, body, combined, numbering,
                    inline=not numbered)


def _colon_opening(text: str, enclosing_level: int) -> _Opening | None:
    vocabulary = heading_vocabulary()
    for colon in _COLON.finditer(text):
        body = text[colon.end():].strip()
        sentence_start = max((match.end() for match in _CLAUSE_BREAK.finditer(text, 0, colon.start())), default=0)
        clause_start = max([sentence_start, *(match.end() for match in _COMMA.finditer(text, sentence_start,
                                                                                       colon.start()))])
        clause = text[clause_start:colon.start()]
        if not body or len(clause) > MAX_HEADING_CHARS:
            continue
        words = heading_words(clause)
        if _points_to_list(clause):
            if not _announces(text[sentence_start:colon.start()]):
                continue
        # Inline, a clause that mentions measures at all introduces them: "针对存在的问题，采取了以下措施：".
        elif problem_heading_kind(words) != "problems" or vocabulary.measures.search(words) \
                or opens_measures(words) or vocabulary.lead_in_exclusions.search(text[sentence_start:colon.start()]):
            continue
        found = enumerator(text) if sentence_start == 0 else None
        heading = text[sentence_start:colon.end()].strip()
        return _in_line(found if found and found.level else None, enclosing_level, heading, body)
    return None


def _lead_in_opening(text: str, enclosing_level: int) -> _Opening | None:
    sentences = split_sentences(text)
    offset = 0
    for index, sentence in enumerate(sentences):
        offset = text.index(sentence, offset) + len(sentence)
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        body_start = offset
        if following is not None and _points_to_list(following):
            # "…还有一定差距。具体来说：" then the items: the pointer belongs to the announcement.
            body_start = text.index(following, offset) + len(following)
            following = sentences[index + 2] if index + 2 < len(sentences) else None
        # A sentence numbered as an item ("二是运用理论指导实践还有差距，…") is never an announcement.
        if not _opens_list_item(sentence) and _announces(sentence) and (following is None or opens_item(following)):
            # Numbered as a heading (二、述责：履职中存在的问题), it is one, of its level.
            found = enumerator(clean(sentence)) if index == 0 else None
            return _in_line(found if found and found.level else None, enclosing_level,
                            text[:body_start].strip() if body_start > offset else sentence, text[body_start:].strip())
    return None


def _announces(sentence: str) -> bool:
    """Whether a sentence announces problems; one that ends in a pointer ("…我们的党建工作差距依然明显，主要表现
    在：") by its end, which says what the list is, however long the achievements before it."""
    clauses = _CLAUSE_OR_COMMA.split(_TRAILING.sub("", sentence))
    if len(clauses) > 1 and _points_to_list(clauses[-1]):
        return _announces_problems(sentence[-MAX_LEAD_IN_CHARS:])
    return _announces_problems(sentence)


def _points_to_list(clause: str) -> bool:
    """Whether ``clause`` only points to the list after it (具体表现在： / 具体来说： / 主要有以下几点：)."""
    return bool(heading_vocabulary().list_pointers.search(heading_words(clause)))


def _announces_problems(sentence: str) -> bool:
    """Whether a sentence announces problems ("…还存在不少不足。"), rather than reporting problems dealt with
    ("着力解决了…突出问题") or introducing measures: an exclusion word counts only in the announcing clause."""
    vocabulary = heading_vocabulary()
    if len(sentence) > MAX_LEAD_IN_CHARS or vocabulary.lead_in_done.search(sentence):
        return False
    opener = vocabulary.report_opener.search(sentence)
    if opener is not None and not vocabulary.problem.search(opener.group()):
        return False  # 认真查摆问题，现对照检查如下。: the opening of the whole report
    return any(not _excluded(sentence, match) for match in vocabulary.lead_ins.finditer(sentence))


def _excluded(text: str, match: re.Match[str], measures: bool = True) -> bool:
    """Whether the clause holding a problem phrase reports problems dealt with ("着力解决了…突出问题", "补齐短板
    弱项") or, with ``measures``, introduces measures ("针对存在问题的措施"), judged within that clause only."""
    vocabulary = heading_vocabulary()
    start = max((found.end() for found in _CLAUSE_OR_COMMA.finditer(text, 0, match.start())), default=0)
    clause_end = next((found.start() for found in _CLAUSE_OR_COMMA.finditer(text, match.end())), len(text))
    return bool(vocabulary.lead_in_exclusions.search(text, start, match.end())
                or measures and vocabulary.measures.search(text, start, clause_end))


class _SectionReader:
    """Follows the lines after a section's heading and decides where the section ends and what is measures."""

    def __init__(self, opening: _Opening, lines: list[str], start: int) -> None:
        self.opening = opening
        self.lines = lines
        self.start = start
        self.own_list: str | None = None  # the style of the heading's own list, once its first item is seen
        self.seen_numbered = False
        self.list_style: str | None = None  # the style of the section's first list item
        self.last_value = 0
        self.paired = False  # measures have come between two items of the list (问题一 / 整改措施 / 问题二)
        self.has_body = bool(opening.body)  # a line of the section has been kept

    def read(self) -> tuple[list[tuple[int, str]], int]:
        """The kept body lines (index, text) and the index of the section's last line."""
        kept: list[tuple[int, str]] = []
        end = self.start
        measures, restarted = False, False
        if self.opening.body:
            body = self._before_measures(self.opening.body)
            kept.append((self.start, body or self.opening.body))
            self._note_item(self.opening.body)
            if body is not None and self.opening.inline:
                return kept, self.start
        for index in range(self.start + 1, len(self.lines)):
            line = self.lines[index]
            text = clean(line)
            if measures:
                if self._ends(line, in_measures=True):
                    break
                if not restarted and self._continues_list(text) and not _introduces_measures(text):
                    measures = False
                else:
                    # A measures list numbered like the problems (下一步 / 一是… 二是…) never gives way to them again.
                    restarted = restarted or self._restarts_list(text)
            elif self._starts_measures(text, index):
                measures = True
            elif self._ends(line, in_measures=False):
                break
            if line.strip():
                end = index
            if not measures:
                self._adopt_own_list(text)
                shortened = self._before_measures(line)
                kept.append((index, shortened or line))
                self.has_body = self.has_body or bool(text)
                self._note_item(text)
                if shortened is not None and self.opening.inline:
                    break
            self.seen_numbered = self.seen_numbered or enumerator(text) is not None
        return [(index, line) for index, line in kept if index <= end], end

    def _before_measures(self, text: str) -> str | None:
        """In a section found inline or a combined one, ``text`` without the sentences from one after its first
        that opens measures, or None when there is none: the paragraph that holds an inline list goes on with the
        plans ("…三是…。对此，我将…"), a problem of a combined section with its own (1.…。整改措施：…).  Measures
        give way to the paragraph's next problem numbered after the last (问题1:….整改措施:….问题2:…), unless
        they have started a list of their own (下一步：一是…)."""
        if not (self.opening.inline or self.opening.combined):
            return None
        kept: list[str] = []
        style, value = None, 0  # the paragraph's list of problems
        start, measures_from, restarted, offset = 0, None, False, 0
        for index, sentence in enumerate(split_sentences(text)):
            offset = text.index(sentence, offset)
            found = enumerator(sentence)
            same_list = found is not None and found.style == style
            if measures_from is None:
                if index and opens_measures(sentence):
                    measures_from = offset
                elif found is not None and (style is None or same_list):
                    style, value = found.style, found.value
            elif same_list and not restarted and found.value == value + 1:
                kept.append(text[start:measures_from].rstrip())
                start, measures_from, value = offset, None, found.value
            else:
                restarted = restarted or same_list and found.value <= value
            offset += len(sentence)
        if not kept and measures_from is None:
            return None
        kept.append(text[start:measures_from].rstrip() if measures_from is not None else text[start:])
        return " ".join(kept)

    def _adopt_own_list(self, text: str) -> None:
        """The first numbered line under the heading starts the heading's own list when it counts from one
        (二、存在问题 / 一、…, or 第二部分 存在的问题 / 一、…) or restarts the heading's numbering."""
        found = enumerator(text)
        if found is not None and found.level and not self.seen_numbered and self._would_adopt(found):
            self.own_list = found.style

    def _note_item(self, text: str) -> None:
        found = enumerator(clean(text))
        if found is None:
            return
        if self.list_style is None:
            self.list_style = found.style
        if found.style == self.list_style:
            self.last_value = found.value

    def _continues_list(self, text: str) -> bool:
        found = enumerator(text)
        return found is not None and found.style == self.list_style and found.value == self.last_value + 1

    def _restarts_list(self, text: str) -> bool:
        found = enumerator(text)
        return found is not None and found.style == self.list_style and found.value <= self.last_value

    def _starts_measures(self, text: str, index: int) -> bool:
        level = heading_level(text)
        if self.opening.combined and _introduces_measures(text) and (not level or level > self.opening.level):
            return True  # 三、存在的问题及下一步打算 … 下一步，我将… (or a measures sub-heading)
        if heading_level(text) == 0 and is_measures_heading(text) or opens_measures(text) and _COLON.search(text):
            # "整改措施：" between two problems of a paired list, not the section's closing plans: the next line
            # numbered like the list goes on with its numbers.
            if self.list_style is None:
                return False
            if self.paired:
                return True
            following = next((clean(line) for line in self.lines[index + 1:index + 40]
                              if (found := enumerator(clean(line))) and found.style == self.list_style), None)
            self.paired = following is not None and self._continues_list(following)
            return self.paired
        return False

    def _ends(self, line: str, in_measures: bool) -> bool:
        text = clean(line)
        if heading_vocabulary().closings.search(text):
            return True  # 以上报告，请予评议。
        level = heading_level(line)
        if level is None and self._next_part_in_prose(text):
            return True
        if is_measures_heading(line):
            # Inside measures only the plans of the whole report (a heading of the section's level) end it.
            return not in_measures or bool(level) and level <= max(self.opening.level, 1)
        if not in_measures and self.has_body and opens_measures(text) and (
                self.opening.inline or enumerator(text) is None):
            return True  # 下一步，我将… / 针对上述问题，… after the list
        if not level:
            # Unnumbered short lines never close a section: they are usually sub-headings whose Word numbering
            # was lost.  Only another unnumbered problem heading closes an unnumbered section (a compilation's
            # next text).
            return (level == 0 and self.opening.level == 0 and not self.opening.inline
                    and _opening(line, 0) is not None)
        found = enumerator(clean(line))
        assert found is not None
        if found.style == self.own_list or (not self.seen_numbered and self._would_adopt(found)):
            return False
        if is_causes_heading(line) and level == self.opening.level:
            return False  # （一）存在的问题 … （二）原因分析: the causes belong to the problems
        return level <= max(self.opening.level, 1)

    def _next_part_in_prose(self, text: str) -> bool:
        """Whether a line that is no heading line opens the next part: numbered as the heading's next sibling
        (二、存在问题：1）… then 三、下步打算：1）…), a measures heading running into its paragraph (▍存在问题 ◆…
        then ▍下步打算 ◆…), or a label and its title of the section's level (◎问题篇：… then ◎举措篇：明年的打算)."""
        top = max(self.opening.level, 1)
        run_in = _run_in_heading(text)
        labelled = _labelled_heading(text)
        return (self._next_sibling(text)
                or run_in is not None and run_in[0] is not None and run_in[0].level <= top
                and _names_measures(heading_words(run_in[1]))
                or labelled is not None and labelled[0].level <= top)

    def _next_sibling(self, text: str) -> bool:
        """Whether ``text`` is numbered as the next sibling of the section's heading."""
        own, found = self.opening.numbering, enumerator(text)
        return (own is not None and found is not None and found.style == own.style != self.own_list
                and found.value == own.value + 1)

    def _would_adopt(self, found: Enumerator) -> bool:
        own = self.opening.numbering
        return found.value == 1 or (own is not None and own.style == found.style and found.value <= own.value)


def _joins_other_words(words: str) -> bool:
    """Whether a problem heading names something else first (履职情况及存在的问题, 成绩与不足)."""
    joiner = _JOINER.search(words)
    return joiner is not None and joiner.start() > 0 and heading_vocabulary().problem.search(
        words[:joiner.start()]) is None


def _introduces_measures(text: str) -> bool:
    return is_measures_heading(text) or opens_measures(text)


def find_problem_sections(text: str) -> list[Section]:
    """Return the problem sections of ``text`` in document order (empty when there is none)."""
    # The lines read, and the first and last line of the text each comes from: a report copied out of a PDF has
    # its page layout undone first, a report run into one paragraph is split at its run-in headings.
    lines, firsts, lasts = [], [], []
    for first, last, line in undo_page_layout([_without_markup(line) for line in text.splitlines()],
                                              _NARROWEST_PAGE):
        for part in _split_run_together(_unspaced(line)):
            lines.append(part)
            firsts.append(first + 1)
            lasts.append(last + 1)
    sections: list[Section] = []
    enclosing_level = 0
    index = 0
    while index < len(lines):
        opening = _opening(lines[index], enclosing_level)
        if opening is None:
            level = heading_level(lines[index])
            if level:
                enclosing_level = level
            index += 1
            continue
        kept, end = _SectionReader(opening, lines, index).read()
        if opening.inline and not any(opens_item(text) for _, text in kept) \
                and _opening(next((line for line in lines[end + 1:] if line.strip()), ""), opening.level):
            # "…感到自己还有不少差距。" closing a paragraph of the achievements, no list after it, and the real
            # problem heading next: the sentence announced nothing.
            index += 1
            continue
        if _joins_other_words(heading_words(opening.heading)):
            # 一、履职情况及存在的薄弱环节: the problems' own sub-heading, when there is one, opens the section.
            nested = next(((line, found) for line in range(index + 1, end + 1)
                           if (found := _opening(lines[line], opening.level)) is not None), None)
            if nested is not None:
                index, opening = nested
                kept, end = _SectionReader(opening, lines, index).read()
        if _listed_after_problems(lines, index, opening):
            # (3)党风廉政建设还有薄弱环节 after (1)… and (2)… that state problems too: an item of a list whose
            # heading was not recognised, not a heading; the list is found by its content below.
            index += 1
            continue
        if any(line.strip() for _, line in kept):
            sections.append(_section(opening, index, kept, end, firsts, lasts))
        index = end + 1
    if not sections:
        found = _section_by_content(lines)
        if found is not None:
            index, opening, kept, end = found
            sections.append(_section(opening, index, kept, end, firsts, lasts))
    return sections


def _listed_after_problems(lines: list[str], index: int, opening: _Opening) -> bool:
    """Whether the heading that opens a section is numbered after siblings that state shortcomings themselves."""
    own = opening.numbering
    if own is None or own.value < 2 or opening.inline:
        return False
    # Each sibling by its first sentence: its heading, or the statement of its problem.
    previous = [split_sentences(clean(line))[0] for line in lines[:index]
                if (found := enumerator(clean(line))) is not None and found.style == own.style
                and found.value < own.value]
    return len(previous) >= own.value - 1 and all(_states_shortcoming(first)
                                                  for first in previous[-(own.value - 1):])


def _section(opening: _Opening, index: int, kept: list[tuple[int, str]], end: int, firsts: list[int],
             lasts: list[int]) -> Section:
    """The Section of what a reader kept, in the text's own line numbers: a joined line is kept at its first
    line, the lines joined into it stay in the section, empty."""
    numbered = [(firsts[line], text) for line, text in kept]
    joined = {number for line, _ in kept for number in range(firsts[line] + 1, lasts[line] + 1)}
    numbered += [(number, "") for number in sorted(joined - {number for number, _ in numbered})]
    return Section(heading=opening.heading, start_line=firsts[index], end_line=lasts[end],
                   lines=tuple(sorted(numbered, key=lambda pair: pair[0])))


# A part of the report is read as a problem section by its content when it has at least this many items (or
# paragraphs) and at least this share of them state shortcomings.
_MIN_STATEMENTS = 2
_STATEMENT_SHARE = 2 / 3


def _section_by_content(lines: list[str]) -> tuple[int, _Opening, list[tuple[int, str]], int] | None:
    """The part under a heading whose items mostly state shortcomings, when no heading or announcement says it
    holds problems: a reader finds "三、几点思考 / 一是…不够深入…；二是…滞后…" by what it says.  Of several such
    parts, the one with the largest share of shortcomings (then the most) wins; measures and causes headings are
    never taken."""
    best: tuple[tuple[float, int], int, _Opening, list[tuple[int, str]], int] | None = None
    for index, line in enumerate(lines):
        opening = _any_heading(clean(line))
        if opening is None:
            continue
        kept, end = _SectionReader(opening, lines, index).read()
        statements = [_states_shortcoming(item) for item in _items(kept)]
        stated = sum(statements)
        if stated < _MIN_STATEMENTS or stated < _STATEMENT_SHARE * len(statements):
            continue
        score = (stated / len(statements), stated)
        if best is None or score > best[0]:
            best = (score, index, opening, kept, end)
    return None if best is None else best[1:]


def _any_heading(text: str) -> _Opening | None:
    """``text`` as a numbered heading of any wording, on its own line (三、内省：正视前行之憾 too) or running into
    its paragraph, unless it opens measures or causes or closes the report.  Unnumbered lines are left out:
    nothing bounds their part (the title of the report would hold all of it)."""
    numbering = enumerator(text)
    if numbering is None or not numbering.level:
        return None
    whole = heading_level(text) is not None or _labelled_heading(text) is not None
    run_in = None if whole else _run_in_heading(text)
    if not whole and run_in is None:
        return None
    heading = text if whole else run_in[1]
    vocabulary = heading_vocabulary()
    # A heading that states a shortcoming (（三）党建工作创新不足) is an item of the list, not its heading.
    if vocabulary.closings.search(heading) or _introduces_measures(heading) \
            or vocabulary.causes.search(heading_words(heading)) or _states_shortcoming(heading):
        return None
    if run_in is not None:
        return _in_line(numbering, 0, heading, run_in[2])
    return _Opening(numbering.level, _TRAILING.sub("", text), "", False, numbering, inline=False)


def _items(kept: list[tuple[int, str]]) -> list[str]:
    """The items of a part before its causes, each with the sentences that explain it, or, when it has fewer
    than two items, its paragraphs."""
    vocabulary = heading_vocabulary()
    paragraphs = []
    for _, text in kept:
        if is_causes_heading(text) or vocabulary.causes.match(heading_words(text)):
            break  # 二、产生问题的原因 / 究其原因，…: what follows explains the problems
        # An area label (（一）在理论学习方面) only groups: the sentences after it state the problems.
        paragraphs.append([sentence for sentence in split_sentences(text)
                           if not vocabulary.area_label.search(heading_words(sentence))])
    sentences = [sentence for paragraph in paragraphs for sentence in paragraph]
    if sum(opens_item(sentence) for sentence in sentences) < _MIN_STATEMENTS:
        return ["".join(paragraph) for paragraph in paragraphs if paragraph]
    items: list[str] = []
    for sentence in sentences:
        if opens_item(sentence) or not items:
            items.append(sentence)
        else:
            items[-1] += sentence
    return items


def _states_shortcoming(text: str) -> bool:
    """Whether ``text`` states a shortcoming (…不够深入 / …滞后 / 重业务轻党建) in a clause that is not a measure
    against one (针对…不到位的问题，… / 解决…难题)."""
    return not opens_measures(text) and any(
        not _excluded(text, found, measures=False)
        for found in heading_vocabulary().shortcoming_statement.finditer(text))


def _without_markup(line: str) -> str:
    """A line copied out of a web page's source without its markup: entities decoded (&nbsp; → space), line
    break and formatting tags dropped."""
    if "&" not in line and "<" not in line:
        return line
    return html.unescape(_MARKUP.sub("", line))


def _unspaced(line: str) -> str:
    """A line with headings spaced out character by character (二 、存 在 问 题), closed up: a short line
    wholly, a longer one (a report run together) in its spaced-out numbering and runs of single characters.  A
    numeral set off from its 、 at the start of a line (二 、存在的主要问题) is always closed up."""
    if len(_SPACES.sub("", line)) > MAX_HEADING_CHARS:
        if not _SPACED_RUN.search(line):
            return _SPACED_NUMERAL.sub(r"\1\2", line)
        closed = _SPACED_RUN.sub(lambda run: _SPACES.sub("", run.group()), line)
        return _SPACED_NUMBERING.sub(r"\1\2", closed)
    if len(_SPACED_OUT.findall(line)) < 2:
        return _SPACED_NUMERAL.sub(r"\1\2", line)
    return _SPACED_OUT.sub(r"\1", line)


def _split_run_together(line: str) -> list[str]:
    """A report run into one paragraph (copied from a web page), split before its top-level headings: "…汇报如下：
    一、主要工作 1、… 二、存在问题 1、…".  A heading counts only after the end of a sentence or a gap, and only
    when it runs into an item or a gap; a line with fewer than two of them, in order, is left whole, unless its
    one heading ends it (a heading stuck to the paragraph before it: "…研究不够。三、2021年工作计划") or names
    problems or measures ("…拨付不及时. 三、措施要落实 (1)…")."""
    cuts, values, at_end, named = [], [], False, False
    for found in _MID_LINE_HEADING.finditer(line):
        before = line[:found.start()].rstrip(" \u3000")
        end = _RUN_IN_END.search(line, found.end())
        if not clean(before) or not (before.endswith(_SENTENCE_ENDS) or len(before) < found.start()) \
                or end is not None and end.group() in ("。", "."):
            continue
        words = _TRAILING.sub("", line[found.end():end.start() if end else len(line)])
        if words and len(words) <= _SHORT_HEADING_CHARS * 2 and not _CLAUSE_OR_COMMA.search(words) \
                and not _COLON.search(words) and not _TERMINATOR.search(words):
            cuts.append(found.start())
            values.append(_number_value(found.group(1)))
            at_end = end is None
            # A lone heading that names problems or measures: "…资金拨付不及时. 三、措施要落实 (1)…".
            named = problem_heading_kind(words) is not None or _names_measures(words)
    if not (len(cuts) >= 2 and values == sorted(values) or len(cuts) == 1 and (at_end or named)):
        return [line]
    return [line[start:stop] for start, stop in zip([0, *cuts], [*cuts, len(line)], strict=True)]


def _number_value(numeral: str) -> int:
    for first, last in _ENCLOSED_RANGES:
        if first <= numeral <= last:
            return ord(numeral) - ord(first) + 1
    if numeral.isdecimal():
        return int(numeral)
    tens, ten, ones = numeral.partition("十")
    if not ten:
        return _NUMERAL_VALUES.get(numeral, 0)
    return (_NUMERAL_VALUES.get(tens, 1) if tens else 1) * 10 + _NUMERAL_VALUES.get(ones, 0)
