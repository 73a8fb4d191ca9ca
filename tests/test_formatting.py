"""Tests for classifier.formatting: the table, JSON and CSV of `classify` (the CSV being the per-sentence table a
person corrects and `train --add` reads back), the files that failed named in the table and the JSON, and the
JSON and CSV of `predict`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from classifier.batch import BatchSummary, Duplicate, finish
from classifier.data import load_labelled, read_table
from classifier.explain import Contribution, Explanation
from classifier.formatting import (
    REPORT_FORMATS,
    SENTENCE_FORMATS,
    ReportsOutput,
    joined,
    reports_csv,
    reports_json,
    reports_table,
    sentences_csv,
    sentences_json,
)
from classifier.model import CategoryScore, Prediction
from classifier.reports import FALLBACK_NOTE, ReportFailure, ReportResult, SentenceResult, analyse_text
from classifier.sections import Section
from classifier.sentence_table import HEADER

RESPONSIBILITY = CategoryScore("responsibility", "责任落实", 0.9123)
EDUCATION = CategoryScore("education", "党员教育", 0.5)
EXPLANATION = Explanation("责任落实", [Contribution("“责任”", 1.234), Contribution("小标题“党建”", 0.5)], 0.25)
RESULT = ReportResult(
    file="报告/甲.txt",
    sections=[Section("二、存在问题", 4, 6, ((5, "…"),)), Section("主要问题", 9, 10, ((10, "…"),))],
    sentences=[
        SentenceResult("（一）对党建重视不够，理论学习不深入。", 5, 0, "问题", 1, "", "item", "问题", 0.97,
                       [RESPONSIBILITY, EDUCATION], (0.9123, 0.1, 0.5), (EXPLANATION,)),
        SentenceResult("产生问题的原因：", 6, 0, "原因", 2, "", "lead_in", "其他", 0.2, []),
        SentenceResult("学习不够，\"引号\"也要对，逗号,也是。", 10, 1, "原因", 3, "学习不够", "body", "原因", 0.81,
                       [EDUCATION]),
    ],
)
WHOLE = ReportResult("乙.txt", [Section("（全文）", 1, 2, ((1, "…"),))],
                     [SentenceResult("党建经费不足。", 1, 0, "", 1, "", "text", "问题", 0.7,
                                     [CategoryScore("funding", "经费保障", 0.8)])], FALLBACK_NOTE)
SUMMARY = BatchSummary(
    reports=2,
    failures=[ReportFailure("坏.docx", "坏.docx：文件已损坏"),
              ReportFailure("图.jpg", "图.jpg 不是支持的文件类型，已跳过", True)],
    duplicates=[Duplicate("副本.txt", "报告/甲.txt")])


def parse_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# --- table -----------------------------------------------------------------------------------------------------

def test_table_shows_reports_sections_and_every_sentence_with_role_and_categories():
    table = reports_table([RESULT])
    lines = table.splitlines()
    assert lines[0] == "== 报告/甲.txt =="
    assert "【二、存在问题】（第 4-6 行）" in lines and "【主要问题】（第 9-10 行）" in lines
    first = lines.index("  1. （一）对党建重视不够，理论学习不深入。")
    assert "问题" in lines[first + 1] and "责任落实 0.91" in lines[first + 1] and "党员教育 0.50" in lines[first + 1]
    assert any("依据" in line and "责任落实" in line and "“责任”" in line for line in lines)
    second = lines.index("  2. 产生问题的原因：")
    assert "其他" in lines[second + 1] and "责任落实" not in lines[second + 1]
    third = lines.index("【主要问题】（第 9-10 行）")
    assert lines[third + 1].strip() == "1. 学习不够，\"引号\"也要对，逗号,也是。"  # numbering restarts per section
    assert "原因" in lines[third + 2] and "党员教育 0.50" in lines[third + 2]


def test_table_shows_the_note_of_a_report_read_whole():
    table = reports_table([WHOLE])
    assert FALLBACK_NOTE in table
    assert "== 乙.txt ==" in table


def test_table_names_the_files_that_failed_were_skipped_or_repeated():
    table = reports_table([RESULT], SUMMARY)
    assert "坏.docx：文件已损坏" in table
    assert "图.jpg" in table
    assert "副本.txt" in table and table.index("副本.txt") > table.index("== 报告/甲.txt ==")
    assert reports_table([RESULT]).count("坏.docx") == 0


# --- JSON ------------------------------------------------------------------------------------------------------

def test_json_holds_each_report_with_its_sentences_in_their_place():
    text = reports_json([RESULT, WHOLE])
    assert "责任落实" in text and "\\u" not in text  # Chinese kept readable
    documents = json.loads(text)
    assert [document["file"] for document in documents] == ["报告/甲.txt", "乙.txt"]
    first = documents[0]
    assert first["note"] == "" and documents[1]["note"] == FALLBACK_NOTE
    assert first["sections"] == [{"heading": "二、存在问题", "start_line": 4, "end_line": 6},
                                 {"heading": "主要问题", "start_line": 9, "end_line": 10}]
    sentence = first["sentences"][0]
    assert {key: sentence[key] for key in ("section", "line", "part", "problem", "kind", "heading", "text", "role",
                                           "problem_score")} == {
        "section": 0, "line": 5, "part": "问题", "problem": 1, "kind": "item", "heading": "",
        "text": "（一）对党建重视不够，理论学习不深入。", "role": "问题", "problem_score": 0.97}
    assert sentence["categories"] == [{"id": "responsibility", "name": "责任落实", "score": 0.9123},
                                      {"id": "education", "name": "党员教育", "score": 0.5}]
    assert sentence["explanations"] == [{"category": "责任落实", "context_share": 0.25,
                                         "features": [{"feature": "“责任”", "weight": 1.234},
                                                      {"feature": "小标题“党建”", "weight": 0.5}]}]
    assert first["sentences"][1]["categories"] == [] and first["sentences"][1]["role"] == "其他"
    assert "explanations" not in first["sentences"][1]
    assert first["sentences"][2]["text"] == "学习不够，\"引号\"也要对，逗号,也是。"


def test_json_names_the_files_that_failed_were_skipped_or_repeated():
    documents = json.loads(reports_json([RESULT], SUMMARY))
    errors = {document["file"]: document["error"] for document in documents if "error" in document}
    assert errors["坏.docx"] == "坏.docx：文件已损坏"
    assert "图.jpg" in errors
    assert "报告/甲.txt" in errors["副本.txt"]
    assert documents[0]["file"] == "报告/甲.txt" and "error" not in documents[0]


def test_json_of_nothing_is_an_empty_list():
    assert json.loads(reports_json([])) == []
    assert reports_json([]).endswith("\n")


# --- CSV: the per-sentence table -------------------------------------------------------------------------------

def test_csv_is_the_per_sentence_table_with_role_and_labels_prefilled_with_names():
    rows = parse_csv(reports_csv([RESULT, WHOLE]))
    assert list(rows[0]) == list(HEADER)
    assert len(rows) == 4
    first = rows[0]
    assert first["file"] == "报告/甲.txt" and first["line"] == "5" and first["section"] == "二、存在问题"
    assert (first["part"], first["problem"], first["kind"], first["heading"]) == ("问题", "1", "item", "")
    assert first["role"] == "问题"
    assert first["labels"] == "责任落实|党员教育"  # names, for a person to correct
    assert first["categories"] == "责任落实|党员教育"
    assert first["scores"] == "0.9123|0.5"
    assert first["problem_score"] == "0.97"
    assert (rows[1]["role"], rows[1]["labels"], rows[1]["categories"], rows[1]["scores"]) == ("其他", "", "", "")
    assert rows[2]["section"] == "主要问题" and rows[2]["heading"] == "学习不够" and rows[2]["role"] == "原因"
    assert rows[2]["text"] == "学习不够，\"引号\"也要对，逗号,也是。"
    assert rows[3]["note"] == FALLBACK_NOTE and rows[0]["note"] == ""


def test_csv_corrected_by_a_person_is_read_back_as_labelled_data(tmp_path, taxonomy):
    path = tmp_path / "corrections.csv"
    text = reports_csv([RESULT, WHOLE])
    rows = parse_csv(text)
    rows[1]["role"], rows[1]["labels"] = "原因", "制度机制"  # the person's correction
    rows[0]["labels"] = "责任落实"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(HEADER), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    data = load_labelled(path, taxonomy)
    frame = data.frame
    assert frame["text"].tolist() == [row["text"] for row in rows]
    assert frame["role"].tolist() == ["问题", "原因", "原因", "问题"]
    assert frame["labels"].tolist() == ["responsibility", "mechanism", "education", "funding"]
    assert frame["part"].tolist() == ["问题", "原因", "原因", ""]
    assert frame["heading"].tolist()[2] == "学习不够"
    assert frame["source"].tolist()[0] == "报告/甲.txt:5"


def test_csv_of_the_small_model_reads_back_unchanged(small_model, taxonomy, tmp_path):
    report = ("述职报告\n二、存在的问题\n一是理论学习不深入。二是党建经费保障不足。三是三会一课流于形式。\n"
              "三、下一步打算\n加强学习。\n")
    result = analyse_text(report, "甲.txt", small_model)
    path = tmp_path / "classified.csv"
    path.write_text(reports_csv([result]), encoding="utf-8")
    frame = read_table(path)
    assert frame["text"].tolist() == [s.text for s in result.sentences]
    assert frame["role"].tolist() == [s.role for s in result.sentences]
    data = load_labelled(path, taxonomy)
    assert data.frame["labels"].tolist() == ["|".join(c.id for c in s.categories) for s in result.sentences]


def test_failures_are_not_rows_of_the_csv():
    rows = parse_csv(reports_csv([RESULT], SUMMARY))
    assert {row["file"] for row in rows} == {"报告/甲.txt"}


# --- predict ---------------------------------------------------------------------------------------------------

PREDICTIONS = [Prediction("问题", 0.93, [EDUCATION, RESPONSIBILITY]), Prediction("其他", 0.12, []),
               Prediction("原因", 0.66, [RESPONSIBILITY])]
TEXTS = ["学习不够，\"引号\"。", "今年发展党员3名。", "认识不到位。"]


def test_predict_json():
    documents = json.loads(sentences_json(TEXTS, PREDICTIONS))
    assert documents == [
        {"text": TEXTS[0], "role": "问题", "problem_score": 0.93,
         "categories": [{"id": "education", "name": "党员教育", "score": 0.5},
                        {"id": "responsibility", "name": "责任落实", "score": 0.9123}]},
        {"text": TEXTS[1], "role": "其他", "problem_score": 0.12, "categories": []},
        {"text": TEXTS[2], "role": "原因", "problem_score": 0.66,
         "categories": [{"id": "responsibility", "name": "责任落实", "score": 0.9123}]},
    ]
    assert "党员教育" in sentences_json(TEXTS, PREDICTIONS)
    lines = sentences_json(TEXTS, PREDICTIONS).splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(TEXTS) + 2  # one prediction per line


def test_predict_json_of_nothing_is_an_empty_list():
    assert json.loads(sentences_json([], [])) == []


def test_predict_csv():
    text = sentences_csv(TEXTS, PREDICTIONS)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [
        ["text", "role", "labels", "problem_score", "category_ids", "scores"],
        [TEXTS[0], "问题", "党员教育|责任落实", "0.93", "education|responsibility", "0.5|0.9123"],
        [TEXTS[1], "其他", "", "0.12", "", ""],
        [TEXTS[2], "原因", "责任落实", "0.66", "responsibility", "0.9123"],
    ]


def test_predict_csv_reads_back_as_labelled_data(tmp_path, taxonomy):
    path = tmp_path / "predicted.csv"
    path.write_text(sentences_csv(TEXTS, PREDICTIONS), encoding="utf-8")
    data = load_labelled(path, taxonomy)
    assert data.frame["labels"].tolist() == ["education|responsibility", "", "responsibility"]


@pytest.mark.parametrize("render", [sentences_json, sentences_csv])
def test_predict_needs_one_prediction_per_text(render):
    with pytest.raises(ValueError):
        render(TEXTS, PREDICTIONS[:2])


def test_formats_and_joined():
    assert set(REPORT_FORMATS) == {"table", "json", "csv"}
    assert set(SENTENCE_FORMATS) == {"json", "csv"}
    assert joined([EDUCATION, RESPONSIBILITY], "name") == "党员教育|责任落实"
    assert joined([EDUCATION, RESPONSIBILITY], "score") == "0.5|0.9123"
    assert joined([], "id") == ""


# --- the sink --------------------------------------------------------------------------------------------------

def test_reports_output_writes_to_the_screen_or_a_file(tmp_path):
    written = []
    screen = ReportsOutput("json", None, written.append)
    screen.add(RESULT, "")
    assert finish([screen], SUMMARY) == []
    assert json.loads(written[0]) == json.loads(reports_json([RESULT], SUMMARY))
    path = tmp_path / "out.csv"
    to_file = ReportsOutput("csv", path, written.append)
    to_file.add(RESULT, "")
    [message] = finish([to_file], BatchSummary())
    assert str(path) in message
    assert path.read_text(encoding="utf-8") == reports_csv([RESULT])
    assert len(written) == 1


def test_reports_output_says_nothing_when_nothing_was_read():
    written = []
    assert finish([ReportsOutput("table", None, written.append)], BatchSummary()) == []
    assert written == []
    only_failures = ReportsOutput("table", None, written.append)
    finish([only_failures], SUMMARY)
    assert "坏.docx" in written[0]
