"""Tests for classifier.grouping: groups by the first folder level below each folder given, or by a CSV table
(file, group) matched by path or by file name."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from classifier.errors import InputError
from classifier.grouping import FOLDER, UNGROUPED, Grouping, grouping_for

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("述职报告", encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "报告"
    for name in ("甲村/一号.txt", "甲村/二组/二号.txt", "乙镇/三号.docx", "散件.txt"):
        touch(root / name)
    other = tmp_path / "2024"
    for name in ("学校/四号.txt", "五号.txt"):
        touch(other / name)
    touch(tmp_path / "单独.txt")
    return tmp_path


# --- by folder -------------------------------------------------------------------------------------------------

def test_the_group_is_the_first_folder_level_below_the_folder_given(tree):
    grouping = grouping_for(FOLDER, [tree / "报告"])
    assert FOLDER == "folder"
    assert grouping.group_of(tree / "报告" / "甲村" / "一号.txt") == "甲村"
    assert grouping.group_of(tree / "报告" / "甲村" / "二组" / "二号.txt") == "甲村"  # deeper still the first level
    assert grouping.group_of(tree / "报告" / "乙镇" / "三号.docx") == "乙镇"


def test_files_directly_in_the_folder_given_are_ungrouped(tree):
    grouping = grouping_for(FOLDER, [tree / "报告"])
    assert UNGROUPED == "（未分组）"
    assert grouping.group_of(tree / "报告" / "散件.txt") == UNGROUPED


def test_each_folder_given_is_its_own_root(tree):
    grouping = grouping_for(FOLDER, [tree / "报告", tree / "2024", tree / "单独.txt"])
    assert grouping.group_of(tree / "2024" / "学校" / "四号.txt") == "学校"
    assert grouping.group_of(tree / "2024" / "五号.txt") == UNGROUPED
    assert grouping.group_of(tree / "报告" / "甲村" / "一号.txt") == "甲村"
    # a file given by itself is below no folder
    assert grouping.group_of(tree / "单独.txt") == UNGROUPED


def test_relative_and_absolute_paths_give_the_same_group(tree, monkeypatch):
    monkeypatch.chdir(tree)
    grouping = grouping_for(FOLDER, [Path("报告")])
    assert grouping.group_of(Path("报告/甲村/一号.txt")) == "甲村"
    assert grouping.group_of(tree / "报告" / "甲村" / "一号.txt") == "甲村"
    assert grouping.group_of(Path("./报告/乙镇/../乙镇/三号.docx")) == "乙镇"
    absolute = grouping_for(FOLDER, [tree / "报告"])
    assert absolute.group_of(Path("报告/甲村/一号.txt")) == "甲村"


def test_a_file_outside_every_folder_given_is_ungrouped(tree):
    grouping = grouping_for(FOLDER, [tree / "报告"])
    assert grouping.group_of(tree / "2024" / "学校" / "四号.txt") == UNGROUPED


def test_groups_from_the_folder_walk(tree):
    from classifier.batch import report_files

    files, _ = report_files([tree / "报告", tree / "2024"])
    grouping = grouping_for(FOLDER, [tree / "报告", tree / "2024"])
    groups = {path.name: grouping.group_of(path) for path in files}
    assert groups == {"一号.txt": "甲村", "二号.txt": "甲村", "三号.docx": "乙镇", "散件.txt": UNGROUPED,
                      "四号.txt": "学校", "五号.txt": UNGROUPED}


# --- by a table ------------------------------------------------------------------------------------------------

def write_table(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_table_matches_by_path_or_by_file_name(tree, monkeypatch):
    monkeypatch.chdir(tree)
    table = write_table(tree / "groups.csv", "file,group\n报告/甲村/一号.txt,村\n三号.docx,镇\n2024/五号.txt,学校\n")
    grouping = grouping_for(str(table), [Path("报告")])
    assert grouping.group_of(Path("报告/甲村/一号.txt")) == "村"  # by path
    assert grouping.group_of(Path("./报告/甲村/一号.txt")) == "村"  # the same path written another way
    assert grouping.group_of(Path("报告/乙镇/三号.docx")) == "镇"  # by file name
    assert grouping.group_of(tree / "elsewhere" / "三号.docx") == "镇"
    assert grouping.group_of(Path("2024/五号.txt")) == "学校"
    assert grouping.group_of(Path("报告/散件.txt")) == UNGROUPED  # not in the table


def test_a_table_in_gbk_with_spaces_and_extra_columns(tree):
    table = write_table(tree / "groups.csv", "序号,file,group,备注\n1, 一号.txt , 2023 ,x\n2,二号.txt,2024,\n",
                        encoding="gbk")
    grouping = grouping_for(str(table), [])
    assert grouping.group_of(Path("甲村/一号.txt")) == "2023"
    assert grouping.group_of(Path("二号.txt")) == "2024"


@pytest.mark.parametrize(("content", "missing"), [
    ("file,组\n一号.txt,村\n", "group"),
    ("文件,group\n一号.txt,村\n", "file"),
    ("name,kind\n一号.txt,村\n", "file"),
])
def test_a_table_without_its_columns_is_refused_in_chinese(tree, content, missing):
    table = write_table(tree / "groups.csv", content)
    with pytest.raises(InputError) as caught:
        grouping_for(str(table), [])
    message = str(caught.value)
    assert CHINESE.search(message) and missing in message and "groups.csv" in message
    assert "\n" not in message


@pytest.mark.parametrize("content", ["file,group\n一号.txt,村\n二号.txt,\n", "file,group\n一号.txt,   \n"])
def test_an_empty_group_is_refused_in_chinese(tree, content):
    table = write_table(tree / "groups.csv", content)
    with pytest.raises(InputError) as caught:
        grouping_for(str(table), [])
    message = str(caught.value)
    assert CHINESE.search(message) and "group" in message and "groups.csv" in message
    assert "号.txt" in message  # names the row's file


def test_a_missing_table_is_refused_in_chinese(tree):
    with pytest.raises(InputError) as caught:
        grouping_for(str(tree / "nothing.csv"), [])
    assert CHINESE.search(str(caught.value)) and "nothing.csv" in str(caught.value)


def test_rows_without_a_file_are_ignored(tree):
    table = write_table(tree / "groups.csv", "file,group\n,村\n一号.txt,镇\n")
    assert grouping_for(str(table), []).group_of(Path("一号.txt")) == "镇"


def test_grouping_by_table_feeds_the_batch(tree, small_model):
    from classifier.batch import BatchOptions, report_files, run_batch

    report = "述职报告\n二、存在的问题\n一是理论学习不深入。二是经费保障不足。\n三、下一步打算\n加强学习。\n"
    (tree / "报告" / "甲村" / "一号.txt").write_text(report, encoding="utf-8")
    (tree / "报告" / "散件.txt").write_text(report.replace("不深入", "不系统"), encoding="utf-8")
    loose = os.path.join(tree, "报告", "散件.txt")
    table = write_table(tree / "groups.csv", f"file,group\n{loose},城区\n一号.txt,乡村\n")
    files, skipped = report_files([tree / "报告" / "甲村" / "一号.txt", tree / "报告" / "散件.txt"])
    seen = []

    class Sink:
        def add(self, result, group):
            seen.append((Path(result.file).name, group))

        def finish(self, summary, files):
            return []

    run_batch(files, skipped, small_model, BatchOptions(), [Sink()], grouping_for(str(table), []))
    assert seen == [("一号.txt", "乡村"), ("散件.txt", "城区")]


def test_grouping_without_roots_or_table_is_ungrouped(tree):
    assert Grouping().group_of(tree / "报告" / "甲村" / "一号.txt") == UNGROUPED


def test_a_table_path_may_be_relative_to_the_table_and_unmatched_reports_are_listed(tmp_path, monkeypatch,
                                                                                     small_model):
    from classifier.batch import BatchOptions, report_files, run_batch
    from classifier.grouping import UNGROUPED, grouping_for

    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("甲.txt", "乙.txt"):
        (reports / name).write_text(f"二、存在的问题\n{name}理论学习不够深入。\n", encoding="utf-8")
    table = tmp_path / "tables" / "groups.csv"
    table.parent.mkdir()
    table.write_text("file,group\n../reports/甲.txt,村\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "tables")
    grouping = grouping_for(str(table), [reports])
    assert grouping.group_of(reports / "甲.txt") == "村"
    assert grouping.group_of(reports / "乙.txt") == UNGROUPED
    files, skipped = report_files([reports])
    summary = run_batch(files, skipped, small_model, BatchOptions(), [], grouping)
    assert summary.ungrouped == [str(reports / "乙.txt")]
