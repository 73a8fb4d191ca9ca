"""Tests for classifier.readers: one reader per format behind one interface, the folder walk, and the limits.

The fixtures are made here, at test time: Word files with python-docx, PDF files with reportlab (its built-in
STSong-Light CID font), .doc/.rtf/.odt by converting a .docx with LibreOffice, a zip bomb with zipfile.  Tests
that need LibreOffice are skipped where it is missing, except in CI, where they must run.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import classifier.readers.office as office
from classifier.errors import InputError, UnreadableFileError, UnsupportedFormatError
from classifier.readers import (
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    READERS,
    SUPPORTED_SUFFIXES,
    find_report_files,
    read_report,
    reader_for,
    supported_formats,
)
from classifier.readers.docx import MAX_DOCUMENT_XML_BYTES

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

ROOT = Path(__file__).resolve().parents[1]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt")

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; CI installs it and runs these tests",
)

REPORT = "一、存在的问题\n理论学习不够深入，对党的创新理论学习不系统。\n二、整改措施\n"
PARAGRAPHS = [
    "第三党支部书记抓基层党建工作述职报告",
    "一、存在的主要问题",
    "一是理论学习不够深入，满足于读原文、记笔记，联系支部实际思考不够。",
    "二是组织生活质量不高，“三会一课”有时流于形式，批评与自我批评辣味不足。",
    "二、下一步打算",
]


def refusal(path: Path, kind: type[InputError] = InputError, **kwargs: str) -> str:
    """Read ``path`` expecting a refusal; return the message after checking it is fit to show a user.

    Every failure is a subclass of InputError (never InputError itself, nor any other exception), and its message
    is one line of Chinese that names the file.
    """
    with pytest.raises(InputError) as caught:
        read_report(path, **kwargs)
    error = caught.value
    assert type(error) is not InputError, "a failure must say its kind through an InputError subclass"
    assert isinstance(error, kind), f"expected {kind.__name__}, got {type(error).__name__}: {error}"
    message = str(error)
    assert str(path) in message, message
    assert "\n" not in message and "\r" not in message, message
    assert CHINESE.search(message), message
    return message


def lines_of(path: Path, **kwargs: str) -> list[str]:
    return read_report(path, **kwargs).split("\n")


def numbered(number: int, text: str) -> re.Pattern[str]:
    """A line of a numbered list: "1." / "1、" / "1．" / "（1）" and the like before ``text``."""
    return re.compile(rf"[（(]?{number}[.、．)）]\s*{re.escape(text)}")


def write_pdf(path: Path, pages: list[list[str]], footer: str | None = None, encrypt: str | None = None) -> Path:
    """Write a PDF with one drawn line of text per item, a footer ("{n}" for the page number), encrypted if asked."""
    options = {"encrypt": pdfencrypt.StandardEncryption(encrypt, strength=128)} if encrypt is not None else {}
    pdf = canvas.Canvas(str(path), **options)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            pdf.drawString(50, 780 - 20 * row, line)
        if footer is not None:
            pdf.drawCentredString(300, 40, footer.format(n=number, total=len(pages)))
        pdf.showPage()
    pdf.save()
    return path


def docx_of_paragraphs(path: Path, paragraphs: list[str]) -> Path:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def fill_table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


# --- one reader per format behind one interface


def test_every_reader_has_suffixes_and_read() -> None:
    assert READERS
    for reader in READERS:
        assert reader.suffixes and all(re.fullmatch(r"\.[a-z0-9]+", suffix) for suffix in reader.suffixes)
        assert callable(reader.read)


def test_one_reader_per_format() -> None:
    suffixes = [suffix for reader in READERS for suffix in reader.suffixes]
    assert len(suffixes) == len(set(suffixes)), "a suffix taken by two readers"
    assert len({type(reader) for reader in READERS}) == len(READERS)


def test_supported_suffixes_come_from_readers() -> None:
    assert SUPPORTED_SUFFIXES == tuple(suffix for reader in READERS for suffix in reader.suffixes)
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".docx", ".pdf", ".doc", ".wps", ".rtf", ".odt"}


def test_supported_formats_lists_every_suffix_and_nothing_else() -> None:
    formats = supported_formats()
    assert "\n" not in formats
    assert re.findall(r"\.[a-z0-9]+", formats) == list(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".doc", ".wps", ".rtf", ".odt"])
def test_reader_for_each_suffix_in_any_case(suffix: str) -> None:
    reader = reader_for(Path("述职报告" + suffix))
    assert reader is not None and suffix in reader.suffixes
    assert reader_for(Path("述职报告" + suffix.upper())) is reader


@pytest.mark.parametrize("name", ["report.xlsx", "report.md", "scan.jpg", "report", "report.txt.bak"])
def test_no_reader_for_other_files(name: str) -> None:
    assert reader_for(Path(name)) is None


@pytest.mark.parametrize("name", ["report.xlsx", "report.md", "report"])
def test_unsupported_suffix_is_refused_listing_the_supported_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(REPORT, encoding="utf-8")
    message = refusal(path, UnsupportedFormatError)
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)


# --- find_report_files


def make_files(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


def test_find_report_files_in_nested_folders(tmp_path: Path) -> None:
    reports = ["b.txt", "a/c.docx", "a/z/d.pdf", "a/z/E.PDF", "年度/报告.txt", "旧/一支部.doc", "旧/二支部.wps",
               "旧/三支部.rtf", "旧/四支部.odt", "旧/五支部.DOCX"]
    unsupported = ["notes.md", "a/image.jpg", "年度/统计.xlsx", "a/z/readme"]
    left_out = [".hidden.txt", ".git/x.txt", "a/~$c.docx", "a/.z/y.pdf", "~$报告.doc", ".git/统计.xlsx"]
    make_files(tmp_path, reports + unsupported + left_out)
    (tmp_path / "a" / "folder.txt").mkdir()  # a folder named like a report is walked, not listed

    found = find_report_files([tmp_path])

    assert found.reports == sorted(tmp_path / name for name in reports)
    assert found.unsupported == sorted(tmp_path / name for name in unsupported)


def test_find_report_files_keeps_given_files_whatever_their_suffix(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    make_files(folder, ["a.txt", "b.txt", "c.xlsx"])
    notes = tmp_path / ".notes.md"
    sheet = tmp_path / "统计.xlsx"
    lock = tmp_path / "~$报告.docx"
    make_files(tmp_path, [notes.name, sheet.name, lock.name])
    missing = tmp_path / "missing.docx"

    found = find_report_files([notes, sheet, lock, missing, folder])

    assert found.reports == [notes, sheet, lock, missing, folder / "a.txt", folder / "b.txt"]
    assert found.unsupported == [folder / "c.xlsx"]


def test_find_report_files_lists_each_path_once(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    make_files(folder, ["a.txt", "b.txt", "sub/c.pdf", "photo.jpg"])

    found = find_report_files([folder / "b.txt", folder, folder / "sub", folder, str(folder / "b.txt")])

    assert found.reports == [folder / "b.txt", folder / "a.txt", folder / "sub" / "c.pdf"]
    assert found.unsupported == [folder / "photo.jpg"]


def test_find_report_files_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    outside = tmp_path / "elsewhere"
    make_files(folder, ["a.txt"])
    make_files(outside, ["b.txt", "c.xlsx"])
    (folder / "link").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a link back up the tree

    found = find_report_files([folder])

    assert found.reports == [folder / "a.txt"]
    assert found.unsupported == []


def test_find_report_files_on_empty_folder(tmp_path: Path) -> None:
    found = find_report_files([tmp_path])
    assert found.reports == [] and found.unsupported == []


# --- .txt (the encodings in detail are in test_encodings.py)

TRADITIONAL = "一、存在的主要問題\n理論學習不夠深入，對黨的創新理論學得不夠系統，聯繫實際思考不夠。\n二、整改措施\n"


@pytest.mark.parametrize(
    ("text", "codec", "bom"),
    [
        (REPORT, "utf-8", b""),
        (REPORT, "utf-8", b"\xef\xbb\xbf"),
        (REPORT, "utf-16-le", b"\xff\xfe"),
        (REPORT, "utf-16-be", b"\xfe\xff"),
        (REPORT, "utf-16-le", b""),
        (REPORT, "utf-16-be", b""),
        (REPORT, "gb18030", b""),
        (REPORT, "gbk", b""),
        (TRADITIONAL, "big5", b""),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be", "gb18030", "gbk", "big5"],
)
def test_txt_encodings_are_detected(tmp_path: Path, text: str, codec: str, bom: bytes) -> None:
    path = tmp_path / "述职报告.txt"
    path.write_bytes(bom + text.encode(codec))
    assert read_report(path) == text


def test_txt_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("第一行\r\n第二行\r第三行\v第四行\f第五行\n".encode())
    assert read_report(path) == "第一行\n第二行\n第三行\n第四行\n第五行\n"


def test_txt_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert read_report(path, encoding="big5") == TRADITIONAL


def test_txt_explicit_encoding_drops_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("utf-8-sig"))
    assert read_report(path, encoding="utf-8") == REPORT


def test_txt_wrong_explicit_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "第一党支部 述职报告.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    message = refusal(path, UnreadableFileError, encoding="utf-8")
    assert "utf-8" in message


@pytest.mark.parametrize("name", ["no-such-codec", "base64"])  # base64 is a codec, but not a text encoding
def test_txt_unknown_encoding_name_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode())
    assert name in refusal(path, UnreadableFileError, encoding=name)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
        "正文\x1b[31m红字\x1b[0m".encode(),
        b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)),
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8,
    ],
    ids=["zip", "escape-codes", "png", "jpeg"],
)
def test_binary_named_txt_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(data)
    assert "不是文本文件" in refusal(path, UnreadableFileError)


def test_binary_is_refused_even_with_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)))
    assert "不是文本文件" in refusal(path, UnreadableFileError, encoding="latin-1")


def test_undecodable_txt_asks_for_encoding(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("正文".encode("gb18030") + b"\xff\xff")
    assert "--encoding" in refusal(path, UnreadableFileError)


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", "\ufeff\u3000\n".encode()], ids=["0-bytes", "spaces", "bom"])
def test_empty_txt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert "文件为空" in refusal(path, UnreadableFileError)


# --- limits: file size and line length


def test_over_long_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("党" * (MAX_LINE_CHARS * 3), encoding="utf-8")
    message = refusal(path, UnreadableFileError)
    assert "第1行" in message


def test_line_at_the_limit_is_accepted_and_the_long_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("前言\n" + "党" * MAX_LINE_CHARS + "\n" + "党" * (MAX_LINE_CHARS + 1), encoding="utf-8")
    assert "第3行" in refusal(path, UnreadableFileError)
    path.write_text("前言\n" + "党" * MAX_LINE_CHARS + "\n结尾", encoding="utf-8")
    assert len(lines_of(path)[1]) == MAX_LINE_CHARS


def test_over_long_docx_paragraph_is_refused(tmp_path: Path) -> None:
    path = docx_of_paragraphs(tmp_path / "long.docx", ["前言", "学" * (MAX_LINE_CHARS + 1)])
    assert "第2行" in refusal(path, UnreadableFileError)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".doc", ".odt"])
def test_file_over_the_size_limit_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / ("大文件" + suffix)
    with path.open("wb") as file:  # sparse: nothing is written to disk
        file.write(REPORT.encode())
        file.truncate(MAX_FILE_BYTES + 1)
    started = time.monotonic()
    refusal(path, UnreadableFileError)
    assert time.monotonic() - started < 2, "the size must be checked before the file is read"


@pytest.mark.slow
def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = "理论学习不够深入，对党的创新理论学习不系统。\n".encode()
    data = line * (MAX_FILE_BYTES // len(line))
    path.write_bytes(data + b" " * (MAX_FILE_BYTES - len(data)))
    assert read_report(path).startswith("理论学习不够深入")


# --- files that cannot be read at all


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "report.txt"
    assert "找不到文件" in refusal(path, UnreadableFileError)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".doc", ".wps"])
def test_missing_file_of_other_kinds_is_reported_missing(tmp_path: Path, suffix: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    assert "找不到文件" in refusal(tmp_path / ("report" + suffix), UnreadableFileError)


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "报告.txt"
    folder.mkdir()
    assert "文件夹" in refusal(folder, UnreadableFileError)


def test_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    refusal(pipe, UnreadableFileError)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "没有权限" in refusal(path, UnreadableFileError)


# --- .docx: paragraphs and plain tables


def test_docx_one_line_per_paragraph_in_order(tmp_path: Path) -> None:
    path = docx_of_paragraphs(tmp_path / "第一党支部 述职报告.docx", PARAGRAPHS)
    assert lines_of(path) == PARAGRAPHS


def test_docx_paragraphs_and_table_in_document_order(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("一、存在的问题")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
    table.cell(0, 2).text = "右上"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    table.cell(1, 1).text = "中间"
    table.cell(1, 2).paragraphs[0].text = "右中第一段"
    table.cell(1, 2).add_paragraph("右中第二段")
    table.cell(2, 1).text = "左下"
    table.cell(2, 2).text = "右下"
    document.add_paragraph("二、整改措施")
    path = tmp_path / "report.docx"
    document.save(path)

    assert lines_of(path) == [
        "一、存在的问题",
        "横向合并",
        "右上",
        "纵向合并",
        "中间",
        "右中第一段",
        "右中第二段",
        "左下",
        "右下",
        "二、整改措施",
    ]


def test_docx_table_numbering_cells_and_empty_cells_are_dropped(tmp_path: Path) -> None:
    document = Document()
    fill_table(document, [
        ["1", "理论学习不够深入，联系实际思考不够。", ""],
        ["（二）", "组织生活质量不高，“三会一课”有时流于形式。", " "],
        ["三", "为民服务意识不强，联系群众不够紧密。", ""],
    ])
    path = tmp_path / "table.docx"
    document.save(path)
    assert lines_of(path) == [
        "理论学习不够深入，联系实际思考不够。",
        "组织生活质量不高，“三会一课”有时流于形式。",
        "为民服务意识不强，联系群众不够紧密。",
    ]


def test_docx_header_row_of_short_labels_is_dropped(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("附表：支部工作情况")
    fill_table(document, [
        ["序号", "类别", "具体内容"],
        ["1", "理论学习", "全年组织集中学习十二次，撰写心得体会二十篇。"],
        ["2", "组织建设", "按期完成支部换届，发展党员两名。"],
    ])
    path = tmp_path / "table.docx"
    document.save(path)
    assert lines_of(path) == [
        "附表：支部工作情况",
        "理论学习",
        "全年组织集中学习十二次，撰写心得体会二十篇。",
        "组织建设",
        "按期完成支部换届，发展党员两名。",
    ]


def test_docx_first_row_of_sentences_is_not_taken_for_a_header(tmp_path: Path) -> None:
    document = Document()
    fill_table(document, [
        ["问题：理论学习不够深入。", "表现：满足于读原文、记笔记。"],
        ["问题：组织生活质量不高。", "表现：批评与自我批评辣味不足。"],
    ])
    path = tmp_path / "table.docx"
    document.save(path)
    assert lines_of(path) == [
        "问题：理论学习不够深入。",
        "表现：满足于读原文、记笔记。",
        "问题：组织生活质量不高。",
        "表现：批评与自我批评辣味不足。",
    ]


# --- .docx: a problem list kept as a table

PROBLEM_ROWS = [
    ("理论学习不够深入", "学习满足于读原文、记笔记，联系支部实际思考不够。", "学习的自觉性和主动性不强。",
     "制定支部年度学习计划，每月开展集中学习。", "2024年12月底", "张明"),
    ("组织生活质量不高", "“三会一课”有时流于形式，批评与自我批评辣味不足。", "从严治党的责任压得不实。",
     "严格落实组织生活制度，支委带头开展批评。", "长期坚持", "李华"),
]
MEASURE_WORDS = ["制定支部年度学习计划", "严格落实组织生活制度", "2024年12月底", "长期坚持", "张明", "李华"]


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "存在问题", "具体表现", "原因分析", "整改措施", "完成时限", "责任人"],
        ["问题", "具体表现", "原因", "整改措施", "完成时限", "责任人"],
    ],
    ids=["with-number-column", "brief-columns"],
)
def test_docx_problem_table_is_read_by_column_meaning(tmp_path: Path, header: list[str]) -> None:
    numbered_column = header[0] == "序号"
    rows = [header] + [([str(n)] if numbered_column else []) + list(row) for n, row in enumerate(PROBLEM_ROWS, 1)]
    document = Document()
    document.add_paragraph("二、存在的问题及原因")
    fill_table(document, rows)
    document.add_paragraph("三、下一步打算")
    path = tmp_path / "problems.docx"
    document.save(path)

    lines = lines_of(path)

    problem_title, cause_title = header[1 if numbered_column else 0], header[3 if numbered_column else 2]
    expected = [
        "二、存在的问题及原因",
        problem_title,
        numbered(1, PROBLEM_ROWS[0][0]),
        PROBLEM_ROWS[0][1],
        numbered(2, PROBLEM_ROWS[1][0]),
        PROBLEM_ROWS[1][1],
        cause_title,
        numbered(1, PROBLEM_ROWS[0][2]),
        numbered(2, PROBLEM_ROWS[1][2]),
        "三、下一步打算",
    ]
    assert len(lines) == len(expected), lines
    for line, wanted in zip(lines, expected, strict=True):
        assert (wanted.fullmatch(line) if isinstance(wanted, re.Pattern) else line == wanted), (line, wanted, lines)
    assert not any(word in line for line in lines for word in MEASURE_WORDS)
    assert "序号" not in lines and "整改措施" not in lines and "完成时限" not in lines and "责任人" not in lines


def test_docx_problem_table_with_vertically_merged_cells_reads_them_once(tmp_path: Path) -> None:
    document = Document()
    table = fill_table(document, [
        ["问题", "具体表现", "原因", "整改措施"],
        ["理论学习不够深入", "满足于读原文、记笔记。", "", "每月集中学习。"],
        ["", "学用结合不紧密，联系实际思考不够。", "", "开展专题研讨。"],
        ["组织生活质量不高", "“三会一课”有时流于形式。", "", "严格落实组织生活制度。"],
    ])
    table.cell(1, 0).merge(table.cell(2, 0)).text = "理论学习不够深入"
    table.cell(1, 2).merge(table.cell(3, 2)).text = "抓党建的责任压得不实。"
    path = tmp_path / "merged.docx"
    document.save(path)

    lines = lines_of(path)

    assert lines[0] == "问题"
    assert numbered(1, "理论学习不够深入").fullmatch(lines[1]), lines
    assert lines[2:4] == ["满足于读原文、记笔记。", "学用结合不紧密，联系实际思考不够。"]
    assert numbered(2, "组织生活质量不高").fullmatch(lines[4]), lines
    assert lines[5:7] == ["“三会一课”有时流于形式。", "原因"]
    assert [line for line in lines if "责任压得不实" in line] == [lines[7]] and len(lines) == 8, lines
    assert numbered(1, "抓党建的责任压得不实。").fullmatch(lines[7])
    assert sum("理论学习不够深入" in line for line in lines) == 1


# --- .docx: tracked changes


def _run(text: str, tag: str = "w:t") -> OxmlElement:
    run = OxmlElement("w:r")
    element = OxmlElement(tag)
    element.text = text
    run.append(element)
    return run


def _change(kind: str, run: OxmlElement) -> OxmlElement:
    change = OxmlElement(kind)
    change.set(qn("w:id"), "1")
    change.set(qn("w:author"), "审阅人")
    change.append(run)
    return change


def test_docx_tracked_changes_keep_inserted_and_drop_deleted_text(tmp_path: Path) -> None:
    document = Document()
    paragraph = document.add_paragraph("理论学习")
    paragraph._p.append(_change("w:ins", _run("不够深入")))
    paragraph._p.append(_change("w:del", _run("已经很扎实", "w:delText")))
    paragraph._p.append(_change("w:del", _run("删掉的正文")))  # a deleted run whose text is still a w:t
    table = fill_table(document, [["组织生活质量不高", "原来的说法"]])
    cell = table.cell(0, 1).paragraphs[0]
    cell._p.clear()
    cell._p.append(_change("w:del", _run("原来的说法")))
    cell._p.append(_run("批评辣味不足"))
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert lines_of(path) == ["理论学习不够深入", "组织生活质量不高", "批评辣味不足"]


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    Document().save(path)
    assert "文件为空" in refusal(path, UnreadableFileError)


# --- .docx: damaged, hollow and hostile files


def _docx_bytes(paragraphs: list[str] = PARAGRAPHS) -> bytes:
    buffer = io.BytesIO()
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(buffer)
    return buffer.getvalue()


def _docx_with(replace: dict[str, bytes | None]) -> bytes:
    """A real .docx with some parts replaced (or left out, for None)."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as original, \
            zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            if name not in replace:
                copy.writestr(name, original.read(name))
        for name, data in replace.items():
            if data is not None:
                copy.writestr(name, data)
    return damaged.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(2000),
        _docx_bytes()[:1500],
        _docx_bytes()[: len(_docx_bytes()) - 200],
        _docx_with({"word/document.xml": None}),
        _docx_with({"word/document.xml": b"<w:document>not xml"}),
        _docx_with({"word/document.xml": b'<?xml version="1.0"?><other xmlns="urn:x"/>'}),
    ],
    ids=["random-bytes", "truncated-head", "truncated-tail", "no-document-part", "bad-xml", "no-body"],
)
def test_damaged_docx_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "第一党支部 述职报告.docx"
    path.write_bytes(data)
    refusal(path, UnreadableFileError)


def test_docx_document_part_over_the_limit_is_refused(tmp_path: Path) -> None:
    body = b"\xe5\x85\x9a" * ((MAX_DOCUMENT_XML_BYTES + 3) // 3)  # "党" repeated, just over the limit
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + body + b"</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "big.docx"
    path.write_bytes(_docx_with({"word/document.xml": xml}))
    assert path.stat().st_size < MAX_FILE_BYTES
    refusal(path, UnreadableFileError)


def test_docx_entities_are_not_expanded(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "党建">{laughs}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           "<w:p><w:r><w:t>理论学习不够深入&l9;</w:t></w:r></w:p></w:body></w:document>").encode()
    path = tmp_path / "laughs.docx"
    path.write_bytes(_docx_with({"word/document.xml": xml}))
    started = time.monotonic()
    try:
        text = read_report(path)
    except InputError:
        refusal(path, UnreadableFileError)
    else:
        assert len(text) < 1000
    assert time.monotonic() - started < 5


ZIP_BOMB_BYTES = 400 * 1024 * 1024

# Runs in a fresh interpreter, which runs the reading in a child of its own and reports that child's peak RSS.
_MEASURE = r"""
import json, resource, subprocess, sys
READ = '''
import json, sys, time
from pathlib import Path
from classifier.errors import InputError
from classifier.readers import read_report
started = time.monotonic()
try:
    read_report(Path(sys.argv[1]))
    outcome = {"outcome": "read"}
except InputError as error:
    outcome = {"outcome": "refused", "kind": type(error).__name__, "message": str(error)}
except BaseException as error:
    outcome = {"outcome": "crashed", "kind": type(error).__name__, "message": str(error)[:300]}
outcome["seconds"] = time.monotonic() - started
print(json.dumps(outcome, ensure_ascii=False))
'''
child = subprocess.run([sys.executable, "-c", READ, sys.argv[1]], capture_output=True, text=True, timeout=300)
result = json.loads(child.stdout.strip().splitlines()[-1]) if child.stdout.strip() else {"outcome": "died"}
result.update(returncode=child.returncode, stderr=child.stderr[-500:],
              peak_rss_kib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps(result, ensure_ascii=False))
"""


def write_zip_bomb(path: Path) -> None:
    """A .docx whose document.xml is ~400 MB of paragraphs of one repeated character, compressed (to ~400 KB)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>')
    paragraph = f"<w:p><w:r><w:t>{'党' * 4000}</w:t></w:r></w:p>".encode()
    chunk = paragraph * (1024 * 1024 // len(paragraph))
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as original, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for name in original.namelist():
            if name != "word/document.xml":
                bomb.writestr(name, original.read(name))
        with bomb.open("word/document.xml", "w") as part:
            part.write(head)
            written = len(head)
            while written < ZIP_BOMB_BYTES:
                part.write(chunk)
                written += len(chunk)
            part.write(b"</w:body></w:document>")


@pytest.mark.slow
def test_docx_zip_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.docx"
    write_zip_bomb(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").file_size > ZIP_BOMB_BYTES > MAX_DOCUMENT_XML_BYTES
    assert path.stat().st_size < 1024 * 1024

    measured = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True,
                              cwd=ROOT, timeout=600, check=True)
    result = json.loads(measured.stdout)

    assert result["outcome"] == "refused", result
    assert result["kind"] == "UnreadableFileError", result
    assert str(path) in result["message"] and "\n" not in result["message"] and CHINESE.search(result["message"])
    assert result["seconds"] < 2, result
    assert result["peak_rss_kib"] < 300 * 1024, result


# --- .pdf


def test_reportlab_chinese_survives_pypdf(tmp_path: Path) -> None:
    # The PDF tests below rely on the text layer coming back out as written.
    path = write_pdf(tmp_path / "probe.pdf", [["理论学习不够深入。"]])
    assert pypdf.PdfReader(path).pages[0].extract_text().strip() == "理论学习不够深入。"


PDF_PAGES = [
    [
        "一、存在的问题",
        "理论学习不够深入，对党的创新理论学习不够系统，",
        "往往满足于读原文、记笔记。",
        "（一）组织生活不够规范，三会一课有时流于形式，",
    ],
    [
        "质量不高。",
        "二、整改措施",
    ],
]
PDF_LINES = [
    "一、存在的问题",
    "理论学习不够深入，对党的创新理论学习不够系统，往往满足于读原文、记笔记。",
    "（一）组织生活不够规范，三会一课有时流于形式，质量不高。",
    "二、整改措施",
]


@pytest.mark.parametrize("footer", [None, "- {n} -", "{n}", "第{n}页 共{total}页", "{n}/{total}", "第 {n} 页"])
def test_pdf_wrapped_lines_are_joined_and_page_numbers_dropped(tmp_path: Path, footer: str | None) -> None:
    path = write_pdf(tmp_path / "第一党支部 述职报告.pdf", PDF_PAGES, footer=footer)
    assert lines_of(path) == PDF_LINES


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    scan = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(scan)
    for row in range(60, 760, 24):
        draw.rectangle((60, row, 540, row + 10), fill=40)  # lines of "text", as a scanner sees them
    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(scan), 0, 0, width=595, height=842)
    pdf.drawCentredString(300, 20, "- 1 -")  # a page number alone is no text layer
    pdf.showPage()
    pdf.save()
    assert "OCR" in refusal(path, UnreadableFileError)


def test_pdf_with_undecodable_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_pdf(tmp_path / "cid.pdf", [["理论学习不够深入。"]])
    monkeypatch.setattr(pypdf.PageObject, "extract_text", lambda self, *args, **kwargs: "(cid:12)(cid:34)\n(cid:5)")
    assert "(cid:" in refusal(path, UnreadableFileError)


def test_pdf_with_a_few_undecodable_glyphs_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_pdf(tmp_path / "cid.pdf", [["理论学习不够深入。"]])
    text = "(cid:7)理论学习不够深入，对党的创新理论学习不系统。"
    monkeypatch.setattr(pypdf.PageObject, "extract_text", lambda self, *args, **kwargs: text)
    assert read_report(path) == text


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "加密.pdf", [["理论学习不够深入。"]], encrypt="secret")
    message = refusal(path, UnreadableFileError)
    assert "加密" in message or "密码" in message


def test_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "restricted.pdf", [["理论学习不够深入。"]], encrypt="")
    assert pypdf.PdfReader(path).is_encrypted
    assert read_report(path) == "理论学习不够深入。"


@pytest.mark.parametrize("damage", ["random", "truncated", "empty-pdf-header"])
def test_damaged_pdf_is_refused(tmp_path: Path, damage: str) -> None:
    path = write_pdf(tmp_path / "damaged.pdf", [["理论学习不够深入。"]])
    data = path.read_bytes()
    path.write_bytes({"random": os.urandom(2000), "truncated": data[: len(data) // 3],
                      "empty-pdf-header": b"%PDF-1.4\n%%EOF\n"}[damage])
    refusal(path, UnreadableFileError)


# --- .doc / .wps / .rtf / .odt through LibreOffice


def soffice_convert(source: Path, target: str, folder: Path) -> Path:
    """Convert ``source`` with LibreOffice (its own profile, so that nothing else blocks it) to ``target``."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "CI must install LibreOffice (.ci/run)"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(folder), str(source)],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=180, check=True)
    converted = folder / (source.stem + "." + target)
    assert converted.is_file() and converted.stat().st_size, f"LibreOffice did not write {converted}"
    return converted


OFFICE_TABLE = [["序号", "类别", "具体内容"], ["1", "理论学习", "全年组织集中学习十二次。"]]


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same report as .doc, .wps (a .doc under WPS's name, as WPS writes it), .rtf and .odt."""
    folder = tmp_path_factory.mktemp("office")
    document = Document()
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    fill_table(document, OFFICE_TABLE)
    # Word always ends a document with a paragraph; LibreOffice's .doc export loses a table that ends it.
    document.add_paragraph(PARAGRAPHS[-1])
    source = folder / "述职报告.docx"
    document.save(source)
    files = {suffix: soffice_convert(source, suffix[1:], folder / suffix[1:]) for suffix in (".doc", ".rtf", ".odt")}
    files[".wps"] = files[".doc"].with_suffix(".wps")
    shutil.copyfile(files[".doc"], files[".wps"])
    assert files[".doc"].read_bytes().startswith(OLE_MAGIC)
    return files


OFFICE_LINES = PARAGRAPHS + ["理论学习", "全年组织集中学习十二次。", PARAGRAPHS[-1]]


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("suffix", OFFICE_SUFFIXES)
def test_office_formats_are_read_through_libreoffice(office_files: dict[str, Path], suffix: str) -> None:
    assert [line for line in lines_of(office_files[suffix]) if line.strip()] == OFFICE_LINES


@pytest.mark.slow
@needs_soffice
def test_upper_case_office_suffix_is_read(office_files: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "述职报告.WPS"
    shutil.copyfile(office_files[".doc"], path)
    assert [line for line in lines_of(path) if line.strip()] == OFFICE_LINES


@pytest.mark.slow
@needs_soffice
def test_doc_renamed_docx_goes_to_libreoffice(office_files: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "其实是doc.docx"
    shutil.copyfile(office_files[".doc"], path)
    assert [line for line in lines_of(path) if line.strip()] == OFFICE_LINES


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name", ["损坏.doc", "损坏.wps", "加密或损坏.docx"])
def test_damaged_word_97_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(OLE_MAGIC + bytes(500))
    refusal(path, UnreadableFileError)


@pytest.mark.parametrize("name", ["report.doc", "report.wps", "report.rtf", "report.odt", "REPORT.DOC", "旧.docx"])
def test_without_libreoffice_office_formats_name_the_package(tmp_path: Path, name: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    path = tmp_path / name
    path.write_bytes(OLE_MAGIC + bytes(500) if name.lower().endswith((".doc", ".wps", ".docx"))
                     else b"{\\rtf1 x}" if name.endswith(".rtf") else b"PK\x03\x04" + bytes(200))
    message = refusal(path, UnsupportedFormatError)
    assert "LibreOffice" in message and "安装" in message
    assert "libreoffice" in message  # the package name, as a package manager spells it
