"""PDF reports with a text layer: pypdf's text, page numbers dropped, lines the page wrapped joined again.

Scans (no text layer) and fonts that do not map to Unicode are refused: the tool does no OCR.  pypdf caps the
output of every decompression filter itself, so a hostile PDF cannot inflate without bound.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from classifier.errors import UnreadableFileError
from classifier.layout import PAGE_NUMBER, join_wrapped_lines

# How pdfminer-style extractors write a glyph whose font has no mapping to Unicode; a text layer made of such
# glyphs says nothing.
_CID = re.compile(r"\(cid:\d+\)")
_MAX_CID_SHARE = 0.1


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
        lines = [line for line in lines if not PAGE_NUMBER.fullmatch(line)]
        if not any(lines):
            raise UnreadableFileError(f"{path} 没有文字层（可能是扫描件），本工具不做 OCR")
        text = "\n".join(lines)
        undecodable = len(_CID.findall(text))
        glyphs = undecodable + len("".join(_CID.sub("", text).split()))
        if undecodable > _MAX_CID_SHARE * glyphs:
            raise UnreadableFileError(
                f"{path} 的字体无法解码成文字（提取出的是 (cid:NNN) 字形编号），请换用其他方式导出 PDF")
        return "\n".join(join_wrapped_lines(lines))
