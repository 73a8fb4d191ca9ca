"""Tests for classifier.data: checking the labelled CSV, the label matrix, passage groups and read_sentences."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from classifier.data import DEFAULT_DATA, label_matrix, load_labelled, passage_groups, read_sentences
from classifier.errors import InputError
from classifier.taxonomy import load_taxonomy

IDS = ["responsibility", "education", "management", "mechanism"]
HEADER = ("id", "source", "text", "role", "labels")
GOOD_ROWS = [
    ("s1", "a.txt:1", "对党建工作重视不够，主体责任落实不到位。", "问题", "responsibility"),
    ("s2", "a.txt:1", "理论学习不够深入，考核机制不健全。", "问题", "education|mechanism"),
    ("s3", "b.txt:4", "一、工作情况", "其他", ""),
    ("s4", "b.txt:9", "思想认识不到位。", "原因", "responsibility"),
]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def refusal(path, *words):
    with pytest.raises(InputError) as caught:
        load_labelled(path, IDS)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


def test_good_file(tmp_path):
    data = load_labelled(write_csv(tmp_path / "l.csv", GOOD_ROWS), IDS)
    assert data.texts == [row[2] for row in GOOD_ROWS]
    assert data.labels.tolist() == [
        [True, False, False, False],
        [False, True, False, True],
        [False, False, False, False],
        [True, False, False, False],
    ]
    assert data.is_problem.tolist() == [True, True, False, True]
    assert data.groups[0] == data.groups[1]
    assert re.fullmatch(r"[0-9a-f]{64}", data.sha256)


def test_bom_and_extra_columns_are_fine(tmp_path):
    path = tmp_path / "l.csv"
    write_csv(path, [(*row, "备注") for row in GOOD_ROWS], header=(*HEADER, "note"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(load_labelled(path, IDS).frame.columns) == list(HEADER)


def test_unknown_category_names_file_and_row(tmp_path):
    rows = [*GOOD_ROWS[:2], ("s9", "c.txt:1", "经费不足。", "问题", "funding")]
    assert "第4行" in refusal(write_csv(tmp_path / "l.csv", rows), "funding")


def test_first_data_row_is_line_2(tmp_path):
    rows = [("s1", "a.txt:1", "经费不足。", "问题", "nonsense"), *GOOD_ROWS]
    refusal(write_csv(tmp_path / "l.csv", rows), "第2行", "nonsense")


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_names_row(tmp_path, text):
    rows = [*GOOD_ROWS, ("s9", "c.txt:1", text, "其他", "")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第6行", "文本为空")


def test_missing_column(tmp_path):
    path = write_csv(tmp_path / "l.csv", [row[:4] for row in GOOD_ROWS], header=HEADER[:4])
    refusal(path, "缺少列", "labels")


def test_header_only(tmp_path):
    refusal(write_csv(tmp_path / "l.csv", []), "没有数据行")


def test_other_with_labels(tmp_path):
    rows = [*GOOD_ROWS, ("s9", "c.txt:1", "一、工作情况", "其他", "education")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第6行", "其他")


def test_problem_without_labels(tmp_path):
    rows = [("s9", "c.txt:1", "经费不足。", "问题", "")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第2行", "1 到 3")


def test_more_than_three_labels(tmp_path):
    rows = [("s9", "c.txt:1", "什么都不足。", "原因", "responsibility|education|management|mechanism")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第2行", "实有 4 个")


def test_duplicate_label(tmp_path):
    rows = [("s9", "c.txt:1", "学习不够。", "问题", "education|education")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第2行", "重复")


def test_unknown_role(tmp_path):
    rows = [("s9", "c.txt:1", "学习不够。", "措施", "")]
    refusal(write_csv(tmp_path / "l.csv", rows), "第2行", "措施")


def test_missing_file(tmp_path):
    refusal(tmp_path / "nowhere.csv", "找不到")


def test_not_utf8(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("id,source,text,role,labels\ns1,a,学习不够深入，浅尝辄止。,其他,\n".encode("gbk"))
    refusal(path, "UTF-8")


def test_label_matrix():
    matrix = label_matrix(["education", "", "mechanism|responsibility"], IDS)
    assert matrix.dtype == bool
    assert matrix.tolist() == [
        [False, True, False, False],
        [False, False, False, False],
        [True, False, False, True],
    ]


def test_passage_groups():
    sources = ["a.txt:1", "a.txt:1", "b.txt:7", "c.txt:3", "d.txt:2"]
    texts = [
        "党员理论学习不够深入，学用结合不紧密。",
        "制度执行不到位。",
        "党员理论学习不够深入，学用结合还不够紧密。",  # a lightly edited repeat of the first text
        "经费保障不足，阵地建设滞后。",
        "好",
    ]
    groups = passage_groups(sources, texts)
    assert len(groups) == len(texts)
    assert groups[0] == groups[1]  # same source
    assert groups[2] == groups[0]  # near-duplicate from another source
    assert len({groups[0], groups[3], groups[4]}) == 3  # unrelated sources stay apart


def test_passage_groups_of_very_short_texts():
    assert passage_groups(["a", "b", "a"], ["好", "坏", "行"]).tolist() == [0, 1, 0]


def test_read_sentences_csv_column(tmp_path):
    path = tmp_path / "in.csv"
    write_csv(path, [("1", "学习不够。"), ("2", "制度不全。")], header=("n", "句子"))
    assert read_sentences(path, text_column="句子") == ["学习不够。", "制度不全。"]


def test_read_sentences_missing_column(tmp_path):
    path = write_csv(tmp_path / "in.csv", [("1", "学习不够。")], header=("n", "句子"))
    with pytest.raises(InputError) as caught:
        read_sentences(path)
    message = str(caught.value)
    assert str(path) in message
    assert "“text”" in message
    assert "\n" not in message


def test_read_sentences_txt_skips_blank_lines(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("学习不够。\n\n   \n  制度不全。  \n", encoding="utf-8")
    assert read_sentences(path) == ["学习不够。", "制度不全。"]


def test_real_labelled_data():
    categories = load_taxonomy()
    data = load_labelled(DEFAULT_DATA, [category.id for category in categories])
    frame = data.frame
    assert len(frame) >= 1200
    assert frame["id"].is_unique
    assert frame["text"].is_unique
    assert data.labels.shape == (len(frame), len(categories))
    assert np.array_equal(data.labels.any(axis=1), data.is_problem)
    assert (data.labels.sum(axis=1) <= 3).all()
