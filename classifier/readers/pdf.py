"""PDF reports with a text layer: pypdf's text, page numbers dropped, lines the page wrapped joined again.

Scans (no text layer) and fonts that do not map to Unicode are refused: the tool does no OCR.  pypdf caps the
output of every decompression filter itself, so a hostile PDF cannot inflate without bound.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from classifier.errors import UnreadableFileError
from classifier.output import display_width

# How pdfminer-style extractors write a glyph whose font has no mapping to Unicode; a text layer made of such
# glyphs says nothing.
_CID = re.compile(r"\(cid:\d+\)")
_MAX_CID_SHARE = 0.1
# A footer line holding nothing but the page number: "3", "- 3 -", "第3页 共10页", "3/10".
_PAGE_NUMBER = re.compile(
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


class PdfReader:
    suffixes = (".pdf",)

    def read(self, path: Path, data: bytes, encoding: str | None) -> str:
        import pypdf
        from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

        try:
            pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
        except FileNotDecryptedError:
            raise UnreadableFileError(f"{path} 是加密的 PDF，需要密码才能打开，本工具无法读取") from None
        except DependencyError:
            raise UnreadableFileError(f"{path} 使用了本工具不支持的加密或压缩方式，请另存为普通 PDF 后再试") from None
        # pypdf lets plain Python errors through on some malformed files; nothing but pypdf runs in this block.
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, ZeroDivisionError, NotImplementedError,
                RecursionError):
            raise UnreadableFileError(f"{path} 不是有效的 PDF 文件（可能已损坏）") from None

        lines = [line.strip() for page in pages for line in page.splitlines()]
        lines = [line for line in lines if not _PAGE_NUMBER.fullmatch(line)]
        if not any(lines):
            raise UnreadableFileError(f"{path} 没有文字层（可能是扫描件），本工具不做 OCR")
        text = "\n".join(lines)
        undecodable = len(_CID.findall(text))
        glyphs = undecodable + len("".join(_CID.sub("", text).split()))
        if undecodable > _MAX_CID_SHARE * glyphs:
            raise UnreadableFileError(
                f"{path} 的字体无法解码成文字（提取出的是 (cid:NNN) 字形编号），请换用其他方式导出 PDF")
        return "\n".join(join_wrapped_lines(lines))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join again the lines of a PDF that the page wrapped in the middle of a sentence.

    A line runs on into the next when it does not end a sentence or clause (。；！？：:;!?, closing quotes
    aside), reaches nearly the full width of the text (a short line such as a heading ended on purpose), and
    the next line does not start a heading or an enumerated item (一、 （一） 1. 1、 一是 第一， ①).  Chinese
    is joined without a space; a space goes in only between two ASCII letters or digits.  Blank lines are
    kept and never joined.
    """
    widths = sorted(_line_width(line) for line in lines if line.strip())
    if not widths:
        return list(lines)
    # A high quantile rather than the maximum, so that one over-long line (a table row) does not make every
    # other line look short.
    full_width = widths[round(0.9 * (len(widths) - 1))]

    joined: list[str] = []
    previous = ""
    for line in lines:
        if joined and _runs_on(previous, line, full_width):
            joined[-1] = _glue(joined[-1], line)
        else:
            joined.append(line)
        previous = line
    return joined


def _line_width(line: str) -> int:
    return display_width(line.strip())


def _runs_on(line: str, following: str, full_width: int) -> bool:
    line, following = line.strip(), following.strip()
    if not line or not following or _line_width(line) < _FULL_LINE_SHARE * full_width:
        return False
    unclosed = line.rstrip(_CLOSERS)
    return bool(unclosed) and unclosed[-1] not in _SENTENCE_END and not _ITEM_START.match(following)


def _glue(line: str, following: str) -> str:
    line, following = line.rstrip(), following.lstrip()
    if _is_ascii_word_char(line[-1]) and _is_ascii_word_char(following[0]):
        return f"{line} {following}"
    return line + following


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
