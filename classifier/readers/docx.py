"""Word reports (.docx): one line per paragraph, in document order, tables read cell by cell.

Only the main document part is decompressed and parsed (with lxml, entities off), after checking its size in the
zip's directory: a .docx is a zip, and one whose document part would decompress past MAX_DOCUMENT_XML_BYTES is
refused before any of it is inflated, so a zip bomb cannot exhaust memory.  Pictures and other parts are never
read.

Tables: a header row (short labels such as 序号 / 问题 / 具体表现) and numbering cells are dropped.  A problem list
kept as a table (a column headed 问题, with 表现 / 原因 / 措施 columns beside it) is read by what each column
means: the problems become a numbered list under the problem column's own header, each followed by its
evidence; the causes follow as a list under the cause column's header; measures, deadlines and people in charge
are left out.  Other tables give one line per meaningful cell.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from classifier.errors import UnreadableFileError
from classifier.vocabulary import table_column_kind

MAX_DOCUMENT_XML_BYTES = 20 * 1024 * 1024  # a 300-page report's document part is about 5 MB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .doc, and Word's own encrypted .docx
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_NAMESPACES = {"w": _W[1:-1]}
# Runs inside tracked insertions, hyperlinks and content controls are text; deleted and moved-away runs are not,
# and text boxes are left out because Word stores each one twice (DrawingML and a VML fallback).
_VISIBLE_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"
_RUN_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_NUMBER_CELL = re.compile(r"[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）.．、]?")
_HEADER_CELL_CHARS = 12
_SENTENCE_MARK = re.compile(r"[。；！？;!?]")


class DocxReader:
    suffixes = (".docx",)

    def read(self, path: Path, data: bytes, encoding: str | None) -> str:
        if data.startswith(_OLE_MAGIC):
            from classifier.readers.office import OfficeReader

            # A .doc saved under a .docx name, or a .docx with a password: LibreOffice reads the one, names the other.
            return OfficeReader().read(path, data, encoding)
        body = _document_body(path, data)
        return "\n".join(_block_lines(body))


def _document_body(path: Path, data: bytes) -> Any:
    from lxml import etree

    damaged = f"{path} 不是有效的 .docx 文件（可能已损坏）"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            name = _main_part_name(archive)
            info = archive.getinfo(name)
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                raise UnreadableFileError(
                    f"{path} 的正文部分解压后有 {info.file_size // (1024 * 1024)} MB，超过上限 "
                    f"{MAX_DOCUMENT_XML_BYTES // (1024 * 1024)} MB，不像是一份报告（文件可能已损坏或被构造过）")
            xml = archive.read(info)
    # zipfile raises RuntimeError for an encrypted member and NotImplementedError for an unknown compression.
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, KeyError, ValueError):
        raise UnreadableFileError(damaged) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise UnreadableFileError(damaged) from None
    body = root.find(_W + "body")
    if body is None:
        raise UnreadableFileError(damaged)
    return body


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The main document part, as the package's relationships name it (word/document.xml almost always)."""
    from lxml import etree

    try:
        relationships = etree.fromstring(archive.read("_rels/.rels"),
                                         etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for relationship in relationships:
        if relationship.get("Type") in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
            return relationship.get("Target", "").lstrip("/")
    return "word/document.xml"


def _block_lines(container: Any) -> Iterator[str]:
    """Yield one line per paragraph of a body, table cell or content control, in document order."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            yield _paragraph_text(child)
        elif child.tag == _W + "tbl":
            yield from _table_lines(child)
        elif child.tag == _W + "sdt":
            for content in child.iterchildren(_W + "sdtContent"):
                yield from _block_lines(content)


def _paragraph_text(paragraph: Any) -> str:
    pieces = []
    for run in paragraph.xpath(_VISIBLE_RUNS, namespaces=_NAMESPACES):
        for element in run.iterchildren():
            if element.tag in _RUN_TEXT:
                pieces.append(element.text or "" if _RUN_TEXT[element.tag] is None else _RUN_TEXT[element.tag])
    return "".join(pieces)


def _table_lines(table: Any) -> Iterator[str]:
    rows = []
    for row in table.iterchildren(_W + "tr"):
        cells = []
        for cell in row.iterchildren(_W + "tc"):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            # The lower cells of a vertical merge repeat the top one, which holds the text.
            continued = merge is not None and merge.get(_W + "val", "continue") == "continue"
            cells.append([] if continued else [line for line in _block_lines(cell) if line.strip()])
        rows.append(cells)
    if not rows:
        return
    header = _header_kinds(rows)
    if header is None:
        yield from _plain_table_lines(rows)
    elif "problem" in header.values():
        yield from _problem_table_lines(rows, header)
    else:
        yield from _plain_table_lines(rows[1:], header)


def _header_kinds(rows: list[list[list[str]]]) -> dict[int, str] | None:
    """The meaning of each column, when the first row is a header of short labels; None otherwise."""
    if len(rows) < 2:
        return None
    labels = [" ".join(cell).strip() for cell in rows[0]]
    if not any(labels) or any(len(label) > _HEADER_CELL_CHARS or _SENTENCE_MARK.search(label) for label in labels):
        return None
    kinds = {index: table_column_kind(label) for index, label in enumerate(labels)}
    return kinds if any(kind != "content" for kind in kinds.values()) else None


def _plain_table_lines(rows: list[list[list[str]]], header: dict[int, str] | None = None) -> Iterator[str]:
    for cells in rows:
        for index, lines in enumerate(cells):
            kind = header.get(index, "content") if header else "content"
            if kind in ("number", "measure"):
                continue
            for line in lines:
                if not _NUMBER_CELL.fullmatch(line.strip()):
                    yield line


def _problem_table_lines(rows: list[list[list[str]]], header: dict[int, str]) -> Iterator[str]:
    titles = {kind: " ".join(rows[0][index]).strip() for index, kind in reversed(header.items())}
    causes = []
    yield titles["problem"]
    number = 0
    for cells in rows[1:]:
        by_kind: dict[str, list[str]] = {}
        for index, lines in enumerate(cells):
            by_kind.setdefault(header.get(index, "content"), []).extend(lines)
        if by_kind.get("aspect"):
            yield from by_kind["aspect"]
        problem = by_kind.get("problem", [])
        if problem:
            number += 1
            yield f"{number}.{problem[0]}"
            yield from problem[1:]
        yield from by_kind.get("evidence", [])
        yield from by_kind.get("content", [])
        causes.extend(by_kind.get("cause", []))
    if causes:
        yield titles["cause"]
        yield from (f"{number}.{cause}" for number, cause in enumerate(causes, start=1))
