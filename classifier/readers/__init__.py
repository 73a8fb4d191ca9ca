"""Reading report files: one small reader per format, all behind one interface, and the folder walk.

A reader says which suffixes it takes and turns a file's bytes into plain text, one line per paragraph.  READERS
is the one list of them: the supported formats, the folder walk and the help text all come from it.  Whatever is
wrong with a file ends in an InputError whose message is one line in Chinese naming the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from classifier.errors import InputError, UnreadableFileError, UnsupportedFormatError
from classifier.readers.docx import DocxReader
from classifier.readers.office import OfficeReader
from classifier.readers.pdf import PdfReader
from classifier.readers.text import TextReader

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report is well under 1 MB; this leaves room for pictures in a .docx
MAX_LINE_CHARS = 100_000  # a longer line is not report prose: refuse it


class Reader(Protocol):
    """One input format: its suffixes, and how to turn a file's bytes into text."""

    suffixes: tuple[str, ...]

    def read(self, path: Path, data: bytes, encoding: str | None) -> str:
        """Return the text of the file at ``path`` (whose content is ``data``), or raise InputError."""
        ...


READERS: tuple[Reader, ...] = (TextReader(), DocxReader(), PdfReader(), OfficeReader())
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(suffix for reader in READERS for suffix in reader.suffixes)


@dataclass(frozen=True)
class FoundFiles:
    """What a walk over files and folders found: reports to read, and files skipped as not reports."""

    reports: list[Path]
    unsupported: list[Path]


def supported_formats() -> str:
    """The supported suffixes, for help texts and messages: ".txt/.docx/.pdf/…"."""
    return "/".join(SUPPORTED_SUFFIXES)


def reader_for(path: Path) -> Reader | None:
    """The reader that takes files like ``path``, by suffix (any case), or None."""
    suffix = Path(path).suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), None)


def read_report(path: Path, encoding: str | None = None) -> str:
    """Return the text of a report, lines separated by "\\n" (\\r\\n, \\r, \\v and \\f all become "\\n").

    ``encoding`` applies to text files; other formats say themselves how their text is encoded.  Raises
    UnsupportedFormatError for a suffix no reader takes, UnreadableFileError for a file that is missing, empty,
    too large, damaged, or holds a line longer than MAX_LINE_CHARS.
    """
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        raise UnsupportedFormatError(f"{path} 不是支持的文件类型，只能读取 {supported_formats()} 文件")
    size = _check_regular_file(path)
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(f"{path} 有 {size // (1024 * 1024)} MB，"
                                  f"超过上限 {MAX_FILE_BYTES // (1024 * 1024)} MB，"
                                  "不像是一份报告")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _file_error(path, error) from error
    if not data:
        raise UnreadableFileError(f"文件为空：{path}")
    text = reader.read(path, data, encoding).replace("\r\n", "\n").translate(_LINE_BREAKS)
    if not text.strip():
        raise UnreadableFileError(f"文件为空：{path}")
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise UnreadableFileError(
                f"{path} 第{number}行长达{len(line)}字，超过上限{MAX_LINE_CHARS}字，不像是报告正文")
    return text


_LINE_BREAKS = str.maketrans({"\r": "\n", "\v": "\n", "\f": "\n"})


def find_report_files(paths: Iterable[Path]) -> FoundFiles:
    """Expand folders into the report files below them (sorted, recursive) and the other files found there.

    Hidden files and folders and Office lock files (~$*) are left out.  Files given directly are kept as given,
    whatever their suffix, so that read_report can refuse them with a clear message; so is a path that does not
    exist.  Each path is listed once, at its first place.  Symbolic links to folders are not followed, so that a
    link back up the tree cannot loop.
    """
    reports: list[Path] = []
    unsupported: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(_files_below(path)):
                (reports if reader_for(found) else unsupported).append(found)
        else:
            reports.append(path)
    return FoundFiles(list(dict.fromkeys(reports)), list(dict.fromkeys(unsupported)))


def _files_below(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            # "~$" files are the lock files Office keeps next to an open document.
            if not name.startswith((".", "~$")):
                yield Path(root) / name


def _check_regular_file(path: Path) -> int:
    try:
        status = path.stat()
    except OSError as error:
        raise _file_error(path, error) from error
    if stat.S_ISDIR(status.st_mode):
        raise UnreadableFileError(f"{path} 是文件夹，不是报告文件")
    if not stat.S_ISREG(status.st_mode):
        # A pipe or a device would block or never end.
        raise UnreadableFileError(f"{path} 不是普通文件，无法作为报告读取")
    return status.st_size


def _file_error(path: Path, error: OSError) -> InputError:
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return UnreadableFileError(f"找不到文件：{path}")
    if isinstance(error, PermissionError):
        return UnreadableFileError(f"没有权限读取文件：{path}")
    return UnreadableFileError(f"读取文件失败：{path}（{error.strerror or type(error).__name__}）")
