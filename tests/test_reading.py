"""Tests for classifier.reading: report files of every kind into text, and folders into report files."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from classifier.errors import InputError
from classifier.reading import MAX_LINE_CHARS, find_report_files, join_wrapped_lines, read_report

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

REPORT = "一、存在的问题\n理论学习不够深入，对党的创新理论学习不系统。\n二、整改措施\n"


def refusal(path: Path, **kwargs: str) -> str:
    """Read ``path`` expecting a refusal; return the message after checking it is fit to show a user."""
    with pytest.raises(InputError) as caught:
        read_report(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    assert re.search(r"[\u4e00-\u9fff]", message)
    return message


def write_pdf(path: Path, pages: list[list[str]], footer: bool = False, encrypt: str | None = None) -> Path:
    """Write a PDF with one drawn line of text per item, a "- N -" footer if asked, encrypted if asked."""
    options = {"encrypt": pdfencrypt.StandardEncryption(encrypt, strength=128)} if encrypt is not None else {}
    pdf = canvas.Canvas(str(path), **options)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            pdf.drawString(50, 780 - 20 * row, line)
        if footer:
            pdf.drawCentredString(300, 40, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return path


# --- .txt


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]
)
def test_txt_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        data = "\ufeff".encode(codec) + REPORT.encode(codec)
    else:
        data = REPORT.encode(encoding)
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    assert read_report(path) == REPORT


def test_txt_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("第一行\r\n第二行\r第三行\v第四行\f第五行\n".encode())
    assert read_report(path) == "第一行\n第二行\n第三行\n第四行\n第五行\n"


def test_txt_explicit_encoding(tmp_path: Path) -> None:
    text = "理論學習不夠深入。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    assert read_report(path, encoding="big5") == text


def test_txt_explicit_encoding_drops_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("utf-8-sig"))
    assert read_report(path, encoding="utf-8") == REPORT


def test_txt_utf16_without_bom_needs_encoding(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("utf-16-le"))
    assert "--encoding" in refusal(path)
    assert read_report(path, encoding="utf-16-le") == REPORT


def test_txt_wrong_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    assert "utf-8" in refusal(path, encoding="utf-8")


def test_txt_unknown_encoding_name(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode())
    assert "no-such-codec" in refusal(path, encoding="no-such-codec")
    assert "base64" in refusal(path, encoding="base64")  # a codec, but not a text encoding


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
        "正文\x1b[31m红字\x1b[0m".encode(),
        b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)),
    ],
    ids=["nul-bytes", "escape-codes", "png"],
)
def test_binary_named_txt_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(data)
    message = refusal(path)
    assert "不是文本文件" in message
    assert "--encoding" in message


def test_binary_is_refused_even_with_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)))
    assert "不是文本文件" in refusal(path, encoding="latin-1")


def test_undecodable_txt_names_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("正文".encode("gb18030") + b"\xff\xff")
    assert "--encoding" in refusal(path)


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", "\ufeff\u3000\n".encode()], ids=["0-bytes", "spaces", "bom"])
def test_empty_txt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert "文件为空" in refusal(path)


def test_over_long_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("党" * 900_000, encoding="utf-8")
    message = refusal(path)
    assert "第1行" in message
    assert "900000" in message


def test_line_at_the_limit_is_accepted_and_the_line_number_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("前言\n" + "党" * MAX_LINE_CHARS + "\n" + "党" * (MAX_LINE_CHARS + 1), encoding="utf-8")
    assert "第3行" in refusal(path)


# --- files that cannot be read at all


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "report.txt"
    assert refusal(path) == f"找不到文件：{path}"


def test_missing_file_of_unsupported_type_is_reported_missing(tmp_path: Path) -> None:
    assert "找不到文件" in refusal(tmp_path / "report.doc")


def test_folder_is_refused(tmp_path: Path) -> None:
    assert "文件夹" in refusal(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "没有权限" in refusal(path)


@pytest.mark.parametrize("name", ["report.doc", "REPORT.DOC"])
def test_legacy_word_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert "另存为 .docx" in refusal(path)


@pytest.mark.parametrize("name", ["report.xlsx", "report.md", "report"])
def test_unsupported_suffix_lists_supported_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(REPORT, encoding="utf-8")
    message = refusal(path)
    assert all(suffix in message for suffix in (".txt", ".docx", ".pdf"))


# --- .docx


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

    assert read_report(path).split("\n") == [
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


def test_docx_tracked_changes_keep_inserted_and_drop_deleted_text(tmp_path: Path) -> None:
    document = Document()
    paragraph = document.add_paragraph("学习")
    inserted, deleted = OxmlElement("w:ins"), OxmlElement("w:del")
    for change in (inserted, deleted):
        change.set(qn("w:id"), "1")
        change.set(qn("w:author"), "审阅人")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "不够深入"
    run.append(text)
    inserted.append(run)
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = "已删除"
    gone.append(gone_text)
    deleted.append(gone)
    paragraph._p.append(inserted)
    paragraph._p.append(deleted)
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert read_report(path) == "学习不够深入"


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    Document().save(path)
    assert "文件为空" in refusal(path)


def test_docx_that_is_really_a_doc_or_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    message = refusal(path)
    assert ".doc" in message
    assert "密码" in message


def _docx_without(part: str) -> bytes:
    source = io.BytesIO()
    Document().save(source)
    damaged = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(damaged, "w") as copy:
        for name in original.namelist():
            if name != part:
                copy.writestr(name, original.read(name))
    return damaged.getvalue()


@pytest.mark.parametrize(
    "data",
    [os.urandom(2000), _docx_without("word/document.xml"), _docx_without("[Content_Types].xml")],
    ids=["random-bytes", "no-document-part", "no-content-types"],
)
def test_damaged_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "damaged.docx"
    path.write_bytes(data)
    assert "不是有效的 .docx" in refusal(path)


# --- .pdf


def test_reportlab_chinese_survives_pypdf(tmp_path: Path) -> None:
    # The PDF tests below rely on the text layer coming back out as written.
    path = write_pdf(tmp_path / "probe.pdf", [["理论学习不够深入。"]])
    assert pypdf.PdfReader(path).pages[0].extract_text().strip() == "理论学习不够深入。"


def test_pdf_wrapped_lines_are_joined_and_page_numbers_dropped(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "report.pdf",
        [
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
        ],
        footer=True,
    )
    assert read_report(path).split("\n") == [
        "一、存在的问题",
        "理论学习不够深入，对党的创新理论学习不够系统，往往满足于读原文、记笔记。",
        "（一）组织生活不够规范，三会一课有时流于形式，质量不高。",
        "二、整改措施",
    ]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.drawCentredString(300, 40, "- 1 -")  # a page number alone is no text layer
    pdf.save()
    assert "没有文字层" in refusal(path)


def test_pdf_with_undecodable_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_pdf(tmp_path / "cid.pdf", [["理论学习不够深入。"]])
    monkeypatch.setattr(pypdf.PageObject, "extract_text", lambda self, *args, **kwargs: "(cid:12)(cid:34)\n(cid:5)")
    assert "(cid:NNN)" in refusal(path)


def test_pdf_with_a_few_undecodable_glyphs_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_pdf(tmp_path / "cid.pdf", [["理论学习不够深入。"]])
    text = "(cid:7)理论学习不够深入，对党的创新理论学习不系统。"
    monkeypatch.setattr(pypdf.PageObject, "extract_text", lambda self, *args, **kwargs: text)
    assert read_report(path) == text


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked.pdf", [["理论学习不够深入。"]], encrypt="secret")
    assert "加密" in refusal(path)


def test_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "restricted.pdf", [["理论学习不够深入。"]], encrypt="")
    assert pypdf.PdfReader(path).is_encrypted
    assert read_report(path) == "理论学习不够深入。"


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_damaged_pdf(tmp_path: Path, damage: str) -> None:
    path = write_pdf(tmp_path / "damaged.pdf", [["理论学习不够深入。"]])
    data = path.read_bytes()
    path.write_bytes(os.urandom(2000) if damage == "random" else data[: len(data) // 3])
    assert "不是有效的 PDF" in refusal(path)


# --- join_wrapped_lines


def test_join_chinese_without_space() -> None:
    assert join_wrapped_lines(["理论学习不够深入，对党的创新理论", "学习不系统。"]) == [
        "理论学习不够深入，对党的创新理论学习不系统。"
    ]


def test_join_ascii_words_with_space() -> None:
    assert join_wrapped_lines(["the line wraps", "here and ends."]) == ["the line wraps here and ends."]
    assert join_wrapped_lines(["学习贯彻党的二十", "大精神"]) == ["学习贯彻党的二十大精神"]
    assert join_wrapped_lines(["全年共开展学习 12", "次"]) == ["全年共开展学习 12次"]


@pytest.mark.parametrize("end", ["。", "；", "！", "？", "：", ":", ";", "!", "?", "。”", "？）"])
def test_no_join_after_sentence_end(end: str) -> None:
    lines = [f"理论学习不够深入，对党的创新理论{end}", "学习不系统"]
    assert join_wrapped_lines(lines) == lines


@pytest.mark.parametrize(
    "start", ["一、", "（二）", "(三)", "1.", "2、", "3）", "一是", "第一，", "第二部分", "①", "●"]
)
def test_no_join_before_heading_or_item(start: str) -> None:
    lines = ["理论学习不够深入，对党的创新理论", f"{start}学习不系统"]
    assert join_wrapped_lines(lines) == lines


@pytest.mark.parametrize("start", ["1.5亿元", "2024年", "第一书记", "一些党员"])
def test_join_before_words_that_only_look_like_items(start: str) -> None:
    assert join_wrapped_lines(["理论学习不够深入，对党的创新理论", start]) == [
        f"理论学习不够深入，对党的创新理论{start}"
    ]


def test_short_line_is_not_joined() -> None:
    lines = ["存在的问题", "理论学习不够深入，对党的创新理论学习不系统，", "往往满足于读原文。"]
    assert join_wrapped_lines(lines) == [lines[0], lines[1] + lines[2]]


def test_blank_lines_are_kept_and_never_joined() -> None:
    lines = ["理论学习不够深入，对党的创新理论", "", "学习不系统"]
    assert join_wrapped_lines(lines) == lines
    assert join_wrapped_lines([]) == []


@given(st.lists(st.text(alphabet="党建学习不深入，。；：一二、（）1.ab \t", max_size=30), max_size=12))
def test_joining_keeps_every_character(lines: list[str]) -> None:
    joined = join_wrapped_lines(lines)
    assert len(joined) <= len(lines)
    assert "".join("".join(joined).split()) == "".join("".join(lines).split())


# --- find_report_files


def test_find_report_files_in_nested_folders(tmp_path: Path) -> None:
    wanted = ["b.txt", "a/c.docx", "a/z/d.pdf", "a/z/E.PDF", "年度/报告.txt"]
    skipped = [
        "notes.md",
        "a/image.png",
        ".hidden.txt",
        ".git/x.txt",
        "a/~$c.docx",
        "a/.z/y.pdf",
        "a/doc.doc",
    ]
    for name in wanted + skipped:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "a" / "folder.txt").mkdir()

    found = find_report_files([tmp_path])

    assert found == sorted(tmp_path / name for name in wanted)


def test_find_report_files_keeps_given_files_and_missing_paths(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"x")
    (folder / "b.txt").write_bytes(b"x")
    notes = tmp_path / ".notes.md"
    notes.write_bytes(b"x")
    missing = tmp_path / "missing.docx"

    found = find_report_files([notes, missing, folder, folder / "a.txt"])

    assert found == [notes, missing, folder / "a.txt", folder / "b.txt"]


def test_find_report_files_on_empty_folder(tmp_path: Path) -> None:
    assert find_report_files([tmp_path]) == []
