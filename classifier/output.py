"""Writing results: atomic file replacement (one file, or all the outputs of a batch together), and CSV (UTF-8
with BOM, for Excel) and JSON serialisation."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from classifier.errors import OutputPathError

# The signals that would stop the program half-way through moving a batch's outputs into place.
SIGNALS_HELD = frozenset({signal.SIGINT, signal.SIGTERM})


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


class StagedFiles:
    """Files written beside their targets under temporary names, then moved into place together by ``commit``.

    A batch writes all its outputs (CSV files, workbook, chart, page) before any of them replaces what was there:
    an error or an interruption while writing leaves every earlier output untouched, never a mix of old and new.
    (Only a rename refused during ``commit`` — on Windows, a target open in Excel — stops the moves at that file,
    and its message names it.)  Used as a context manager, it commits on success and discards on any exception.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    @contextlib.contextmanager
    def open(self, path: Path, mode: str = "w", encoding: str | None = "utf-8",
             newline: str | None = None) -> Iterator[IO[Any]]:
        """Open a temporary file beside ``path``; once written, it waits for ``commit`` to replace ``path``."""
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
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(error, OSError):
                raise _write_error(path, error) from None
            raise
        self._staged.append((temporary, path))

    def write_text(self, path: Path, text: str) -> None:
        """Stage ``text`` for ``path``, as UTF-8."""
        with self.open(path, newline="") as handle:
            handle.write(text)

    def write_bytes(self, path: Path, data: bytes) -> None:
        """Stage ``data`` for ``path``."""
        with self.open(path, mode="wb", encoding=None) as handle:
            handle.write(data)

    def commit(self) -> None:
        """Move every staged file into place; SIGINT and SIGTERM wait until the last one is moved."""
        with _signals_held():
            while self._staged:
                temporary, path = self._staged.pop(0)
                try:
                    os.replace(temporary, path)
                except OSError as error:
                    self.discard()
                    raise _write_error(path, error) from None

    def discard(self) -> None:
        """Remove the staged files: the targets keep what they had."""
        while self._staged:
            temporary, _ = self._staged.pop()
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _write_error(path: Path, error: OSError) -> OutputPathError:
    # A full disk, or (on Windows) the target open in Excel: the old file is still there.
    return OutputPathError(f"无法写入 {path}：{error.strerror or error}（磁盘已满，或文件正被其他程序打开？）"
                           "，原有文件未改动")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    # The handlers are swapped, not the signals masked: a signal sent to the process reaches any thread that does not
    # block it (a pool's worker-management thread, say), and Python then runs the handler in the main thread anyway.
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    pending: list[int] = []
    previous = {number: signal.signal(number, lambda received, _frame: pending.append(received))
                for number in SIGNALS_HELD}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in dict.fromkeys(pending):
            signal.raise_signal(number)


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "w", encoding: str | None = "utf-8",
                  newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it over ``path`` only once writing has succeeded.

    A failure or an interruption leaves whatever was at ``path`` untouched.
    """
    with StagedFiles() as files, files.open(path, mode, encoding, newline) as handle:
        yield handle


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


def json_records_text(records: Sequence[Any]) -> str:
    """Return a JSON array with one compact record per line, Chinese characters readable.  For many small records
    it reads as well as indented JSON and is written by json's C encoder (indenting takes its pure-Python one: a
    second for 20,000 predictions)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join("  " + json.dumps(record, ensure_ascii=False) for record in records) + "\n]\n"


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, as UTF-8."""
    with atomic_writer(path, newline="") as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_writer(path, mode="wb", encoding=None) as handle:
        handle.write(data)
