"""Tests for classifier.data: reading and checking labelled tables (CSV in any encoding, workbooks), labels by id
or name, where rows come from, corrections overriding the base, passage groups, and read_sentences."""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd
import pytest

from classifier.data import (
    PARAPHRASE,
    REAL,
    WRITTEN,
    data_warnings,
    label_matrix,
    load_labelled,
    origin_of,
    passage_groups,
    read_sentences,
    read_table,
    shipped_data_paths,
)
from classifier.errors import InputError
from classifier.taxonomy import Category

CATEGORIES = [Category("responsibility", "责任落实"), Category("education", "党员教育"),
              Category("management", "党员管理"), Category("mechanism", "制度机制")]
IDS = [category.id for category in CATEGORIES]
HEADER = ("id", "source", "text", "role", "labels")
GOOD_ROWS = [
    ("s1", "a.txt:1", "对党建工作重视不够，主体责任落实不到位。", "问题", "responsibility"),
    ("s2", "a.txt:1", "理论学习不够深入，考核机制不健全。", "问题", "education|mechanism"),
    ("s3", "b.txt:4", "一、工作情况", "其他", ""),
    ("s4", "b.txt:9", "思想认识不到位。", "原因", "responsibility"),
]


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def refusal(path, *words):
    with pytest.raises(InputError) as caught:
        load_labelled(path, CATEGORIES)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message
    return message


def test_good_file(tmp_path):
    data = load_labelled(write_csv(tmp_path / "l.csv", GOOD_ROWS), CATEGORIES)
    assert data.texts == [row[2] for row in GOOD_ROWS]
    assert data.labels.tolist() == [[True, False, False, False], [False, True, False, True],
                                    [False, False, False, False], [True, False, False, False]]
    assert data.is_problem.tolist() == [True, True, False, True]
    assert data.scored.all()
    assert data.groups[0] == data.groups[1]
    assert re.fullmatch(r"[0-9a-f]{64}", data.sha256)


def test_labels_by_name_and_full_width_bar(tmp_path):
    rows = [("s1", "a.txt:1", "重视不够，理论学习也不深入。", "问题", "责任落实｜党员教育")]
    data = load_labelled(write_csv(tmp_path / "l.csv", rows), CATEGORIES)
    assert data.frame["labels"].tolist() == ["responsibility|education"]


def test_unknown_category_lists_the_valid_names(tmp_path):
    rows = [*GOOD_ROWS[:2], ("s9", "c.txt:1", "经费不足。", "问题", "经费问题")]
    message = refusal(write_csv(tmp_path / "l.csv", rows), "第4行", "经费问题")
    assert all(category.name in message for category in CATEGORIES)


def test_gbk_csv_from_excel(tmp_path):
    path = write_csv(tmp_path / "l.csv", GOOD_ROWS, encoding="gbk")
    assert load_labelled(path, CATEGORIES).texts == [row[2] for row in GOOD_ROWS]


def test_explicit_wrong_encoding_is_refused(tmp_path):
    path = write_csv(tmp_path / "l.csv", GOOD_ROWS, encoding="gbk")
    with pytest.raises(InputError, match="utf-8"):
        load_labelled(path, CATEGORIES, encoding="utf-8")


def test_chinese_headers_of_the_sentence_sheet(tmp_path):
    rows = [("报告.txt", "12", "学习走过场。", "问题", "党员教育")]
    path = write_csv(tmp_path / "l.csv", rows, header=("报告", "行", "句子", "角色", "类别"))
    data = load_labelled(path, CATEGORIES)
    assert data.frame[["source", "text", "labels"]].values.tolist() == [["报告.txt:12", "学习走过场。", "education"]]


def test_workbook_sentence_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "汇总"
    sheet = workbook.create_sheet("问题句")
    sheet.append(["报告", "行", "句子", "角色", "类别"])
    sheet.append(["甲.docx", 3, "经常不开会。", "问题", "制度机制"])
    workbook.save(tmp_path / "s.xlsx")
    assert load_labelled(tmp_path / "s.xlsx", CATEGORIES).frame["labels"].tolist() == ["mechanism"]


def test_corrections_override_the_same_sentence_of_the_base(tmp_path):
    base = write_csv(tmp_path / "base.csv", GOOD_ROWS)
    fix = write_csv(tmp_path / "fix.csv", [("", "x.txt:2", "理论学习不够深入, 考核机制不健全。", "问题", "education")])
    data = load_labelled(base, CATEGORIES, corrections=[fix])
    assert len(data.frame) == len(GOOD_ROWS)
    corrected = data.frame[data.frame["source"] == "x.txt:2"]
    assert corrected["labels"].tolist() == ["education"]


def test_within_the_base_the_first_copy_is_kept(tmp_path):
    first = write_csv(tmp_path / "a.csv", GOOD_ROWS[:1])
    second = write_csv(tmp_path / "b.csv", [("w1", "written/x/01.txt:1", GOOD_ROWS[0][2], "问题", "education")])
    data = load_labelled([first, second], CATEGORIES)
    assert data.frame["labels"].tolist() == ["responsibility"]


def test_origins_decide_what_is_scored_and_paraphrases_share_their_originals_group(tmp_path):
    rows = [*GOOD_ROWS,
            ("w1", "written/village/01.txt:3", "村里党员老化严重。", "问题", "management"),
            ("p1", "paraphrase:s4", "思想上没有真正重视。", "原因", "responsibility")]
    data = load_labelled(write_csv(tmp_path / "l.csv", rows), CATEGORIES)
    assert data.frame["origin"].tolist() == [REAL] * 4 + [WRITTEN, PARAPHRASE]
    assert data.scored.tolist() == [True] * 4 + [False, False]
    assert data.groups[4] == -1
    assert data.groups[5] == data.groups[3]


def test_origin_of_sources():
    assert (origin_of("a.txt:3"), origin_of("written/x/1.txt:2"), origin_of("paraphrase:s1")) == (
        REAL, WRITTEN, PARAPHRASE)


def test_context_columns_are_kept_and_checked(tmp_path):
    header = (*HEADER, "heading", "part", "kind")
    rows = [("s1", "a.txt:1", "一半以上已转岗。", "问题", "management", "教师党员老化", "问题", "body")]
    data = load_labelled(write_csv(tmp_path / "l.csv", rows, header=header), CATEGORIES)
    assert data.context.values.tolist() == [["一半以上已转岗。", "教师党员老化", "问题", "body"]]
    bad = write_csv(tmp_path / "bad.csv", [(*rows[0][:5], "", "措施", "body")], header=header)
    refusal(bad, "第2行", "上下文")


def test_missing_column(tmp_path):
    path = write_csv(tmp_path / "l.csv", [row[:4] for row in GOOD_ROWS], header=HEADER[:4])
    refusal(path, "缺少列", "labels")


def test_header_only(tmp_path):
    refusal(write_csv(tmp_path / "l.csv", []), "没有数据行")


@pytest.mark.parametrize(("row", "words"), [
    (("s9", "c.txt:1", "一、工作情况", "其他", "education"), ("第2行", "其他")),
    (("s9", "c.txt:1", "经费不足。", "问题", ""), ("第2行", "1 到 3")),
    (("s9", "c.txt:1", "都不足。", "原因", "responsibility|education|management|mechanism"), ("实有 4 个",)),
    (("s9", "c.txt:1", "学习不够。", "问题", "education|education"), ("重复",)),
    (("s9", "c.txt:1", "学习不够。", "措施", ""), ("措施",)),
    (("s9", "c.txt:1", "   ", "其他", ""), ("文本为空",)),
])
def test_bad_rows_name_the_row(tmp_path, row, words):
    refusal(write_csv(tmp_path / "l.csv", [row]), *words)


def test_missing_file(tmp_path):
    refusal(tmp_path / "nowhere.csv", "找不到")


def test_label_matrix():
    assert label_matrix(["education", "", "mechanism|responsibility"], IDS).tolist() == [
        [False, True, False, False], [False, False, False, False], [True, False, False, True]]


def test_passage_groups():
    sources = ["a.txt:1", "a.txt:1", "b.txt:7", "c.txt:3", "d.txt:2"]
    texts = ["党员理论学习不够深入，学用结合不紧密。", "制度执行不到位。", "党员理论学习不够深入，学用结合还不够紧密。",
             "经费保障不足，阵地建设滞后。", "好"]
    groups = passage_groups(sources, texts)
    assert groups[0] == groups[1] == groups[2]  # same source, and a near-duplicate from another
    assert len({groups[0], groups[3], groups[4]}) == 3


def test_passage_groups_of_very_short_texts():
    assert passage_groups(["a", "b", "a"], ["好", "坏", "行"]).tolist() == [0, 1, 0]


def test_data_warnings_say_how_much_more_is_needed(tmp_path):
    data = load_labelled(write_csv(tmp_path / "l.csv", GOOD_ROWS), CATEGORIES)
    messages = data_warnings(data, CATEGORIES)
    assert any("还差" in message for message in messages)
    assert any("党员管理 0 句" in message for message in messages)


def test_read_sentences_csv_column_in_gbk(tmp_path):
    path = write_csv(tmp_path / "in.csv", [("1", "学习不够。"), ("2", "制度不全。")], header=("n", "内容"),
                     encoding="gbk")
    assert read_sentences(path, text_column="内容") == ["学习不够。", "制度不全。"]


def test_read_sentences_missing_column(tmp_path):
    path = write_csv(tmp_path / "in.csv", [("1", "学习不够。")], header=("n", "内容"))
    with pytest.raises(InputError) as caught:
        read_sentences(path)
    assert str(path) in str(caught.value) and "“text”" in str(caught.value)


def test_read_sentences_txt_skips_blank_lines(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("学习不够。\n\n   \n  制度不全。  \n", encoding="utf-8")
    assert read_sentences(path) == ["学习不够。", "制度不全。"]


def test_read_table_refuses_a_folder(tmp_path):
    with pytest.raises(InputError, match="文件夹"):
        read_table(tmp_path)


def test_shipped_data(taxonomy):
    data = load_labelled(shipped_data_paths(), taxonomy)
    frame = data.frame
    assert frame["id"].is_unique
    assert np.array_equal(data.labels.any(axis=1), data.is_problem)
    assert (data.labels.sum(axis=1) <= 3).all()
    counts = frame["origin"].value_counts()
    assert counts[REAL] >= 1900 and counts[WRITTEN] >= 3000 and counts[PARAPHRASE] >= 600
    written = data.labels[(frame["origin"] == WRITTEN).to_numpy()].sum(axis=0)
    assert written.min() >= 150, dict(zip([c.id for c in taxonomy], written, strict=True))
    real_problems = frame[(frame["origin"] == REAL) & data.is_problem]
    paraphrased = set(frame.loc[frame["origin"] == PARAPHRASE, "source"].str.removeprefix("paraphrase:"))
    assert set(real_problems["id"]) <= paraphrased


def test_stored_contexts_are_what_the_parser_gives():
    """The context columns of the shipped data come from data/scripts/contexts.py; rerun it after changing the
    section finder or the structure parser."""
    from pathlib import Path

    from classifier.reports import place_every_sentence

    data_folder = Path(__file__).resolve().parents[1] / "data"
    for name in ("sentences.csv", "written.csv"):
        frame = pd.read_csv(data_folder / "labeled" / name, dtype=str, keep_default_na=False)
        places = {}
        for source, text, heading, part, kind in frame[["source", "text", "heading", "part", "kind"]].itertuples(
                index=False):
            file, line = source.rsplit(":", 1)
            path = data_folder / file if file.startswith("written/") else data_folder / "corpus" / file
            if path not in places:
                places[path] = {}
                for placed in place_every_sentence(path.read_text(encoding="utf-8")):
                    places[path].setdefault((placed.line, placed.text), (placed.heading, placed.part, placed.kind))
            assert places[path].get((int(line), text), ("", "", "text")) == (heading, part, kind), source


def test_a_correction_keeps_the_replaced_id_and_drops_its_stale_paraphrase(tmp_path):
    base = write_csv(tmp_path / "base.csv", [*GOOD_ROWS, ("p4", "paraphrase:s4", "思想上没有真正重视。", "原因",
                                                          "responsibility")])
    fix = write_csv(tmp_path / "fix.csv", [("", "mine.docx:3", "思想认识不到位。", "问题", "education")])
    data = load_labelled(base, CATEGORIES, corrections=[fix])
    corrected = data.frame[data.frame["text"] == "思想认识不到位。"]
    assert corrected[["id", "source", "labels"]].values.tolist() == [["s4", "mine.docx:3", "education"]]
    assert "paraphrase:s4" not in set(data.frame["source"])


def test_a_trailing_comma_does_not_shift_the_columns(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("text,role,labels\n党建经费投入不足。,问题,经费保障,\n", encoding="utf-8")
    assert read_sentences(path) == ["党建经费投入不足。"]


def test_two_headers_for_the_same_column_are_refused(tmp_path):
    path = write_csv(tmp_path / "l.csv", [("学习不够。", "学习不够。", "问题", "education")],
                     header=("text", "句子", "role", "labels"))
    with pytest.raises(InputError, match="重复的列"):
        load_labelled(path, CATEGORIES)
