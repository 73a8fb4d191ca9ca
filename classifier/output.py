"""Writing results: atomic file replacement, and CSV (UTF-8 with BOM, for Excel) and JSON serialisation."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from classifier.errors import OutputPathError


def _target_mode(path: Path) -> int:
    """Keep the mode of the file being replaced; give a new file the usual mode (mkstemp makes it 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_writable(path: Path) -> Path:
    """Raise InputError unless ``path`` names a file in an existing folder; return that folder.

    Commands that run long call this before they start, so that a mistyped output path fails at once.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise OutputPathError(f"无法写入 {path}：文件夹 {folder} 不存在")
    if path.is_dir():
        raise OutputPathError(f"无法写入 {path}：这是一个文件夹，请给出文件名")
    return folder


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "w", encoding: str | None = "utf-8",
                  newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it over ``path`` only once writing has succeeded.

    A failure or an interruption leaves whatever was at ``path`` untouched.
    """
    path = Path(path)
    folder = check_writable(path)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputPathError(f"无法写入 {path}：{error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _target_mode(path))
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            # A full disk, or (on Windows) the target open in Excel: the old file is still there.
            raise OutputPathError(f"无法写入 {path}：{error.strerror or error}（磁盘已满，或文件正被其他程序打开？）"
                                  "，原有文件未改动") from None
        raise


def display_width(value: Any) -> int:
    """The width of ``value`` in a fixed-width font or Excel's character units: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return CSV text (with a leading BOM, so Excel reads the Chinese as UTF-8)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(document: Any) -> str:
    """Return indented JSON that keeps Chinese characters readable."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, as UTF-8."""
    with atomic_writer(path, newline="") as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_writer(path, mode="wb", encoding=None) as handle:
        handle.write(data)
