"""Tests for classifier.batch: finding the reports, one run feeding every sink, duplicates, failures, reports
read whole, and finishing the sinks."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.batch import BatchOptions, BatchSummary, Duplicate, finish, report_files, run_batch
from classifier.errors import InputError
from classifier.grouping import UNGROUPED, Grouping
from classifier.output import StagedFiles
from classifier.reports import FALLBACK_NOTE, ReportFailure, ReportResult, analyse_text

REPORT = "\n".join([
    "述职报告",
    "一、履职情况",
    "今年召开党委会十次。",
    "二、存在的问题",
    "一是理论学习不深入，学习方式单一。二是党建经费保障不足。",
    "三、下一步打算",
    "加强学习。",
])
OTHER_REPORT = REPORT.replace("理论学习不深入", "组织生活不规范")
NO_SECTION = "述职报告\n今年召开党委会十次。\n党员理论学习不够深入。\n"


class Recorder:
    """A sink that remembers what it was given and says one line when finished."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.added: list[tuple[ReportResult, str]] = []
        self.summary: BatchSummary | None = None

    def add(self, result: ReportResult, group: str) -> None:
        self.added.append((result, group))

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        self.summary = summary
        return [f"{self.name}: {len(self.added)}"]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


# --- report_files ----------------------------------------------------------------------------------------------

def test_report_files_lists_reports_and_names_other_files_as_skipped(tmp_path):
    a = write(tmp_path / "reports" / "a.txt", REPORT)
    b = write(tmp_path / "reports" / "村" / "b.txt", OTHER_REPORT)
    write(tmp_path / "reports" / "photo.jpg", "x")
    write(tmp_path / "reports" / "村" / "名单.xlsx", "x")
    write(tmp_path / "reports" / ".hidden.txt", REPORT)
    files, skipped = report_files([tmp_path / "reports"])
    assert files == [a, b]
    assert sorted(Path(failure.file).name for failure in skipped) == ["photo.jpg", "名单.xlsx"]
    for failure in skipped:
        assert isinstance(failure, ReportFailure) and failure.unsupported
        assert Path(failure.file).name in failure.message and "跳过" in failure.message
        assert "\n" not in failure.message


def test_report_files_keeps_a_file_given_directly(tmp_path):
    given = write(tmp_path / "notes.odp", "x")
    report = write(tmp_path / "a.txt", REPORT)
    files, skipped = report_files([report, given])
    assert files == [report, given]  # refused later, when it is read
    assert skipped == []


def test_report_files_refuses_folders_without_reports(tmp_path):
    write(tmp_path / "empty" / "photo.jpg", "x")
    with pytest.raises(InputError) as caught:
        report_files([tmp_path / "empty"])
    assert "empty" in str(caught.value)


# --- run_batch -------------------------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "reports"
    write(root / "甲村" / "a.txt", REPORT)
    write(root / "甲村" / "a_copy.txt", "  " + REPORT.replace("\n", "\r\n\r\n"))  # the same text, respaced
    write(root / "乙村" / "b.txt", OTHER_REPORT, encoding="gb18030")
    write(root / "乙村" / "whole.txt", NO_SECTION)
    write(root / "乙村" / "empty.txt", "")
    write(root / "loose.txt", OTHER_REPORT + "\n补充说明。")
    write(root / "picture.png", "x")
    return root


def test_run_batch_feeds_every_result_to_every_sink_with_its_group(folder, small_model):
    files, skipped = report_files([folder])
    sinks = [Recorder("one"), Recorder("two")]
    summary = run_batch(files, skipped, small_model, BatchOptions(), sinks, Grouping(roots=(folder,)))
    assert sinks[0].added == sinks[1].added
    fed = {Path(result.file).name: group for result, group in sinks[0].added}
    assert fed == {"a.txt": "甲村", "b.txt": "乙村", "whole.txt": "乙村", "loose.txt": UNGROUPED}
    for result, _ in sinks[0].added:
        expected = analyse_text(Path(result.file).read_bytes().decode("utf-8" if "b.txt" not in result.file
                                                                         else "gb18030"), result.file, small_model)
        assert result.sentences == expected.sentences
    assert summary.reports == 4
    assert summary.sentences == sum(len(result.sentences) for result, _ in sinks[0].added)


def test_run_batch_without_grouping_gives_the_empty_group(folder, small_model):
    files, skipped = report_files([folder])
    sink = Recorder("one")
    run_batch(files, skipped, small_model, BatchOptions(), [sink])
    assert {group for _, group in sink.added} == {""}


def test_run_batch_counts_a_duplicate_once_and_records_it(folder, small_model):
    files, skipped = report_files([folder])
    sink = Recorder("one")
    seen: list[Duplicate] = []
    summary = run_batch(files, skipped, small_model, BatchOptions(), [sink], on_duplicate=seen.append)
    names = [Path(result.file).name for result, _ in sink.added]
    assert names.count("a.txt") + names.count("a_copy.txt") == 1
    [duplicate] = summary.duplicates
    assert seen == [duplicate]
    assert {Path(duplicate.file).name, Path(duplicate.first).name} == {"a.txt", "a_copy.txt"}
    assert Path(duplicate.first).name in names and Path(duplicate.file).name not in names


def test_the_same_report_as_docx_and_as_text_is_counted_once(tmp_path, small_model):
    from docx import Document

    document = Document()
    for line in REPORT.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "a.docx")
    write(tmp_path / "a.txt", REPORT, encoding="utf-8-sig")
    write(tmp_path / "b.txt", OTHER_REPORT)
    files, skipped = report_files([tmp_path])
    sink = Recorder("one")
    summary = run_batch(files, skipped, small_model, BatchOptions(), [sink])
    assert [Path(result.file).name for result, _ in sink.added] == ["a.docx", "b.txt"]
    assert [(Path(d.file).name, Path(d.first).name) for d in summary.duplicates] == [("a.txt", "a.docx")]
    assert summary.reports == 2


def test_run_batch_records_failures_skipped_files_and_reports_read_whole(folder, small_model):
    files, skipped = report_files([folder])
    seen: list = []
    calls: list[int] = []
    summary = run_batch(files, skipped, small_model, BatchOptions(), [Recorder("one")], on_report=seen.append,
                        progress=lambda: calls.append(1))
    assert [Path(failure.file).name for failure in summary.failed] == ["empty.txt"]
    assert [Path(failure.file).name for failure in summary.skipped] == ["picture.png"]
    assert len(summary.failures) == 2
    assert [Path(file).name for file in summary.whole_text] == ["whole.txt"]
    assert len(calls) == len(files)
    # on_report sees every result and every failure, the skipped files included
    assert len(seen) == len(files) + len(skipped)
    assert any(isinstance(item, ReportResult) and item.note == FALLBACK_NOTE for item in seen)


def test_strict_makes_a_report_without_a_section_a_failure(folder, small_model):
    files, skipped = report_files([folder])
    summary = run_batch(files, skipped, small_model, BatchOptions(strict=True), [Recorder("one")])
    assert sorted(Path(failure.file).name for failure in summary.failed) == ["empty.txt", "whole.txt"]
    assert summary.whole_text == []


def test_options_reach_the_analysis(folder, small_model):
    files, skipped = report_files([folder / "甲村"])
    whole, explained = Recorder("whole"), Recorder("explained")
    run_batch(files, skipped, small_model, BatchOptions(all_sentences=True), [whole])
    run_batch(files, skipped, small_model, BatchOptions(explained=True), [explained])
    [(result, _)] = whole.added
    assert "加强学习。" in [sentence.text for sentence in result.sentences] and result.note == ""
    [(result, _)] = explained.added
    assert any(sentence.explanations for sentence in result.sentences)


def test_two_jobs_feed_the_sinks_the_same(folder, small_model, monkeypatch):
    from classifier import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_REPORTS", 0)
    files, skipped = report_files([folder])
    one, two = Recorder("one"), Recorder("two")
    first = run_batch(files, skipped, small_model, BatchOptions(jobs=1), [one])
    second = run_batch(files, skipped, small_model, BatchOptions(jobs=2), [two])
    assert one.added == two.added
    assert first == second


def test_finish_returns_the_sinks_messages_in_order(folder, small_model):
    files, skipped = report_files([folder])
    sinks = [Recorder("one"), Recorder("two")]
    summary = run_batch(files, skipped, small_model, BatchOptions(), sinks)
    assert all(sink.summary is None for sink in sinks)  # run_batch does not finish the sinks
    assert finish(sinks, summary) == ["one: 4", "two: 4"]
    assert all(sink.summary is summary for sink in sinks)
    assert finish([], summary) == []


def test_summary_splits_failed_and_skipped():
    summary = BatchSummary(failures=[ReportFailure("a.txt", "坏"), ReportFailure("b.jpg", "跳过", True)])
    assert [failure.file for failure in summary.failed] == ["a.txt"]
    assert [failure.file for failure in summary.skipped] == ["b.jpg"]


def test_an_output_that_fails_leaves_every_earlier_output_untouched(folder, small_model, tmp_path):
    class Written(Recorder):
        def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
            files.write_text(self.name, "新内容")
            return [f"已写入 {self.name}"]

    class Broken(Recorder):
        def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
            raise RuntimeError("磁盘满了")

    first, second = tmp_path / "stats.csv", tmp_path / "chart.svg"
    first.write_text("旧统计", encoding="utf-8")
    files, skipped = report_files([folder])
    sinks = [Written(first), Broken("broken"), Written(second)]
    summary = run_batch(files, skipped, small_model, BatchOptions(), sinks)
    with pytest.raises(RuntimeError):
        finish(sinks, summary)
    assert first.read_text(encoding="utf-8") == "旧统计" and not second.exists()
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == ["stats.csv"]
    assert finish([Written(first), Written(second)], summary) == [f"已写入 {first}", f"已写入 {second}"]
    assert first.read_text(encoding="utf-8") == "新内容" == second.read_text(encoding="utf-8")
