"""Tests for classifier.output: atomic writing, CSV and JSON text."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import threading
import time

import pytest

from classifier.errors import InputError
from classifier.output import (
    StagedFiles,
    atomic_writer,
    check_writable,
    csv_text,
    json_records_text,
    json_text,
    write_bytes,
    write_text,
)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_replaces_file_on_success(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("旧内容", encoding="utf-8")
    with atomic_writer(path) as handle:
        handle.write("新内容")
        assert path.read_text(encoding="utf-8") == "旧内容"  # nothing visible until the block succeeds
    assert path.read_text(encoding="utf-8") == "新内容"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_failure_leaves_old_content_and_no_temporary_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("旧内容", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(path) as handle:
        handle.write("写了一半")
        raise RuntimeError("boom")
    assert path.read_text(encoding="utf-8") == "旧内容"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_interruption_leaves_no_file(tmp_path):
    path = tmp_path / "new.txt"
    with pytest.raises(KeyboardInterrupt), atomic_writer(path) as handle:
        handle.write("写了一半")
        raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_staged_files_replace_their_targets_together(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.png"
    first.write_text("旧表", encoding="utf-8")
    with StagedFiles() as files:
        files.write_text(first, "新表")
        files.write_bytes(second, b"\x89PNG")
        assert first.read_text(encoding="utf-8") == "旧表" and not second.exists()  # nothing moved yet
    assert first.read_text(encoding="utf-8") == "新表" and second.read_bytes() == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["a.csv", "b.png"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failure_after_some_files_are_staged_leaves_every_target_untouched(tmp_path, error):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("旧一", encoding="utf-8")
    second.write_text("旧二", encoding="utf-8")
    with pytest.raises(error), StagedFiles() as files:
        files.write_text(first, "新一")
        with files.open(second) as handle:
            handle.write("写了一半")
            raise error
    assert first.read_text(encoding="utf-8") == "旧一" and second.read_text(encoding="utf-8") == "旧二"
    assert sorted(os.listdir(tmp_path)) == ["a.csv", "b.csv"]


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="SIGUSR1 is POSIX")
def test_a_signal_during_the_commit_waits_until_every_file_is_moved(tmp_path):
    # Another thread is alive, as in a batch with a process pool: a signal sent to the process may reach it instead.
    idle = threading.Event()
    threading.Thread(target=idle.wait, daemon=True).start()
    paths = [tmp_path / f"{index}.txt" for index in range(3)]
    caught = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: caught.append(sorted(os.listdir(tmp_path))))
    try:
        files = StagedFiles()
        for path in paths:
            files.write_text(path, path.name)
        original = os.replace

        def replace_and_signal(source, target):
            original(source, target)
            if len(caught) == 0 and target == paths[0]:
                os.kill(os.getpid(), signal.SIGUSR1)
                time.sleep(0.2)  # time for the other thread to take the signal, were it only masked

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("classifier.output.os.replace", replace_and_signal)
            patch.setattr("classifier.output.SIGNALS_HELD", {signal.SIGINT, signal.SIGTERM, signal.SIGUSR1})
            files.commit()
    finally:
        idle.set()
        signal.signal(signal.SIGUSR1, previous)
    assert caught == [["0.txt", "1.txt", "2.txt"]]  # the handler ran only once all three were in place


def test_missing_folder(tmp_path):
    path = tmp_path / "missing" / "out.txt"
    with pytest.raises(InputError) as caught, atomic_writer(path) as handle:
        handle.write("x")
    assert str(path) in str(caught.value)
    assert not (tmp_path / "missing").exists()


def test_target_is_a_folder(tmp_path):
    # LIBRARY BUG (classifier/output.py, atomic_writer): os.replace onto an existing folder raises
    # IsADirectoryError, which escapes as a raw OSError (a traceback from `classify -o some_folder`).
    folder = tmp_path / "results"
    folder.mkdir()
    with pytest.raises(InputError):
        write_text(folder, "内容")
    assert os.listdir(tmp_path) == ["results"]


def test_new_file_gets_usual_mode(tmp_path, umask_022):
    path = tmp_path / "new.txt"
    write_text(path, "内容")
    assert mode(path) == 0o644


def test_replaced_file_keeps_its_mode(tmp_path, umask_022):
    path = tmp_path / "out.txt"
    path.write_text("旧内容", encoding="utf-8")
    path.chmod(0o640)
    write_text(path, "新内容")
    assert mode(path) == 0o640
    assert path.read_text(encoding="utf-8") == "新内容"


def test_binary_mode(tmp_path):
    path = tmp_path / "out.bin"
    with atomic_writer(path, mode="wb", encoding=None) as handle:
        handle.write(b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"


def test_write_bytes(tmp_path):
    path = tmp_path / "chart.png"
    write_bytes(path, b"\x89PNG")
    assert path.read_bytes() == b"\x89PNG"
    assert os.listdir(tmp_path) == ["chart.png"]


def test_check_writable_before_a_long_run(tmp_path):
    assert check_writable(tmp_path / "new.xlsx") == tmp_path
    with pytest.raises(InputError, match="不存在"):
        check_writable(tmp_path / "missing" / "new.xlsx")
    with pytest.raises(InputError, match="文件夹"):
        check_writable(tmp_path)
    assert os.listdir(tmp_path) == []  # checking writes nothing


def test_write_text_keeps_line_endings(tmp_path):
    path = tmp_path / "out.csv"
    write_text(path, "a\r\nb\n")
    assert path.read_bytes() == b"a\r\nb\n"


def test_csv_text():
    text = csv_text(("text", "labels"), [("学习不够，浅尝辄止。", "education|management"), ("有\"引号\"", "")])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["text", "labels"], ["学习不够，浅尝辄止。", "education|management"], ["有\"引号\"", ""]]


def test_json_text_keeps_chinese_readable():
    text = json_text({"名称": "责任落实"})
    assert "责任落实" in text and "\\u" not in text
    assert text.endswith("\n")
    assert json.loads(text) == {"名称": "责任落实"}


def test_json_records_are_one_per_line_and_read_back():
    records = [{"text": "经费“不足”\n", "score": 0.5, "categories": [{"id": "funding"}]},
               {"text": "", "categories": []}]
    text = json_records_text(records)
    assert json.loads(text) == records
    assert text.splitlines()[1:-1] == ['  {"text": "经费“不足”\\n", "score": 0.5, "categories": [{"id": "funding"}]},',
                                       '  {"text": "", "categories": []}']
    assert json.loads(json_records_text([])) == []
