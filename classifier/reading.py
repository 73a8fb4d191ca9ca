"""Reading reports: turning a report file (.txt, .docx or .pdf) into plain text, and finding the report
files in folders.  Whatever is wrong with a file ends in an InputError whose message is one line in Chinese
naming the file.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from classifier.errors import InputError

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

# python-docx, lxml and pypdf are imported where a .docx or .pdf is read: most runs read .txt files only, and
# importing them would add about 0.15 s to every start of the command.

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".pdf")
MAX_LINE_CHARS = 100_000  # a longer line is not report prose: refuse it

# C0 controls other than \t \n \v \f \r, and DEL.  \v is let through (and read as a line break) because it
# is Word's manual line break, which text exported from Word can carry.
_CONTROL = "\x00-\x08\x0e-\x1f\x7f"
_CONTROL_TEXT = re.compile(f"[{_CONTROL}]")
_CONTROL_BYTES = re.compile(f"[{_CONTROL}]".encode())
_LINE_BREAKS = re.compile("\r\n|[\r\v\f]")

# Word's own encrypted .docx, like the old .doc, is an OLE compound file rather than a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # the "w:" namespace, as qn() spells it
_W_P, _W_TBL, _W_TR, _W_TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_W_SDT, _W_SDT_CONTENT = _W + "sdt", _W + "sdtContent"
# Runs inside tracked insertions, hyperlinks and content controls are text; deleted and moved-away runs are
# not, and text boxes are left out because Word stores each one twice (DrawingML and a VML fallback).
_VISIBLE_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"

# How pdfminer-style extractors write a glyph whose font has no mapping to Unicode; a text layer made of
# such glyphs says nothing.
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


def read_report(path: Path, encoding: str | None = None) -> str:
    """Return the text of a report, lines separated by "\\n" (\\r\\n, \\r, \\v and \\f all become "\\n").

    A .txt file is decoded with ``encoding`` when one is given, strictly.  Otherwise the order is: UTF-8 with
    its BOM, UTF-16 with its BOM, then (for files without a BOM) UTF-8 and GB18030, which covers GBK and
    GB2312.  Bytes that hold control characters are refused as binary before GB18030 is tried, since
    GB18030 decodes almost any byte string; UTF-16 without a BOM, Big5 and the like need ``encoding``.
    ``encoding`` is ignored for .docx and .pdf, which say themselves how their text is encoded.

    A .docx gives one line per paragraph, tables included, in document order.  A .pdf gives its text layer
    with page numbers dropped and lines the page wrapped joined again (see ``join_wrapped_lines``).

    Raises InputError for a file that is missing, empty, unreadable, not a report format, or holds a line
    longer than MAX_LINE_CHARS.
    """
    _check_regular_file(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{path} 是旧版 Word (.doc) 文件，请在 Word/WPS 中另存为 .docx 后再试")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{path} 不是支持的文件类型，只能读取 {'、'.join(SUPPORTED_SUFFIXES)} 文件")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _file_error(path, error) from error
    if not data:
        raise InputError(f"文件为空：{path}")

    if suffix == ".txt":
        text = _decode_text(path, data, encoding)
    elif suffix == ".docx":
        text = _docx_text(path, data)
    else:
        text = _pdf_text(path, data)
    text = _LINE_BREAKS.sub("\n", text)

    if not text.strip():
        raise InputError(f"文件为空：{path}")
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(f"{path} 第{number}行长达{len(line)}字，超过上限{MAX_LINE_CHARS}字，不像是报告正文")
    return text


def find_report_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into every supported file below them (sorted, recursive, skipping hidden files and
    Office lock files ~$*); files given directly are kept as given, whatever their suffix (so read_report
    can refuse them with a clear message).  A path that does not exist is kept too (read_report raises).

    Each path is listed once, at its first place.  Symbolic links to folders are not followed, so that a link
    back up the tree cannot loop.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(_reports_below(path)))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join again the lines of a PDF that the page wrapped in the middle of a sentence.

    A line runs on into the next when it does not end a sentence or clause (。；！？：:;!?, closing quotes
    aside), reaches nearly the full width of the text (a short line such as a heading ended on purpose), and
    the next line does not start a heading or an enumerated item (一、 （一） 1. 1、 一是 第一， ①).  Chinese
    is joined without a space; a space goes in only between two ASCII letters or digits.  Blank lines are
    kept and never joined.
    """
    widths = sorted(_width(line) for line in lines if line.strip())
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


def _check_regular_file(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise _file_error(path, error) from error
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} 是文件夹，不是报告文件")
    if not stat.S_ISREG(mode):
        # A pipe or a device would block or never end.
        raise InputError(f"{path} 不是普通文件，无法作为报告读取")


def _file_error(path: Path, error: OSError) -> InputError:
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return InputError(f"找不到文件：{path}")
    if isinstance(error, PermissionError):
        return InputError(f"没有权限读取文件：{path}")
    return InputError(f"读取文件失败：{path}（{error.strerror or type(error).__name__}）")


def _decode_text(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        text = _decode_strictly(path, data, encoding)
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_strictly(path, data, "utf-8-sig")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_strictly(path, data, "utf-16")
    else:
        # Checked before decoding so that binary content is called binary, not text in an unknown encoding.
        binary = _CONTROL_BYTES.search(data)
        if binary:
            raise _binary_error(path, binary.group()[0], data.count(b"\n", 0, binary.start()) + 1)
        text = _decode_utf8_or_gb18030(path, data)

    # An explicit encoding (or a stray BOM) can still turn binary into "text" full of control characters.
    control = _CONTROL_TEXT.search(text)
    if control:
        raise _binary_error(path, ord(control.group()), text.count("\n", 0, control.start()) + 1)
    return text.removeprefix("\ufeff")


def _decode_strictly(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise InputError(f"不认识的编码名 {encoding}（读取 {path} 时），可用 utf-8、gb18030、big5 等") from error
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} 不能按 {encoding} 编码读取（第{error.start + 1}字节出错），可用 --encoding 指定其他编码"
        ) from error


def _decode_utf8_or_gb18030(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} 既不是 UTF-8 也不是 GB18030/GBK 编码（第{error.start + 1}字节无法解码），请用 --encoding 指定编码"
        ) from error


def _binary_error(path: Path, code: int, line: int) -> InputError:
    return InputError(
        f"{path} 不是文本文件（第{line}行含控制字符 0x{code:02X}，像是二进制内容），"
        "如果是其他编码的文本，可用 --encoding 指定编码"
    )


def _docx_text(path: Path, data: bytes) -> str:
    from docx import Document
    from lxml import etree

    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{path} 实际上是旧版 Word (.doc) 文件或加了密码的 Word 文件，请在 Word/WPS 中去掉密码、另存为 .docx 后再试"
        )
    try:
        body = Document(io.BytesIO(data)).element.body
    # zipfile raises RuntimeError for an encrypted member and NotImplementedError for an unknown compression.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
    ) as error:
        raise InputError(f"{path} 不是有效的 .docx 文件（可能已损坏）") from error
    return "\n".join(_block_lines(body))


def _block_lines(container: BaseOxmlElement) -> Iterator[str]:
    """Yield one line per paragraph of a body, table cell or content control, in document order."""
    for child in container.iterchildren():
        if child.tag == _W_P:
            yield "".join(run.text for run in child.xpath(_VISIBLE_RUNS))
        elif child.tag == _W_TBL:
            for row in child.iterchildren(_W_TR):
                for cell in row.iterchildren(_W_TC):
                    # The lower cells of a vertical merge repeat the top one, which holds the text.
                    if cell.vMerge != "continue":
                        yield from _block_lines(cell)
        elif child.tag == _W_SDT:
            for content in child.iterchildren(_W_SDT_CONTENT):
                yield from _block_lines(content)


def _pdf_text(path: Path, data: bytes) -> str:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    except FileNotDecryptedError as error:
        raise InputError(f"{path} 是加密的 PDF，需要密码才能打开，本工具无法读取") from error
    except DependencyError as error:
        raise InputError(f"{path} 使用了本工具不支持的加密或压缩方式，请另存为普通 PDF 后再试") from error
    # pypdf lets plain Python errors through on some malformed files; nothing but pypdf runs in this block.
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        ZeroDivisionError,
        NotImplementedError,
    ) as error:
        raise InputError(f"{path} 不是有效的 PDF 文件（可能已损坏）") from error

    lines = [line.strip() for page in pages for line in page.splitlines()]
    lines = [line for line in lines if not _PAGE_NUMBER.fullmatch(line)]
    if not any(lines):
        raise InputError(f"{path} 没有文字层（可能是扫描件），本工具不做 OCR")
    text = "\n".join(lines)
    undecodable = len(_CID.findall(text))
    glyphs = undecodable + len("".join(_CID.sub("", text).split()))
    if undecodable > _MAX_CID_SHARE * glyphs:
        raise InputError(f"{path} 的字体无法解码成文字（提取出的是 (cid:NNN) 字形编号），请换用其他方式导出 PDF")
    return "\n".join(join_wrapped_lines(lines))


def _reports_below(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            # "~$" files are the lock files Office keeps next to an open document.
            if name.startswith((".", "~$")):
                continue
            if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line.strip())


def _runs_on(line: str, following: str, full_width: int) -> bool:
    line, following = line.strip(), following.strip()
    if not line or not following or _width(line) < _FULL_LINE_SHARE * full_width:
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
