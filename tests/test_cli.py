"""The command line, through typer's CliRunner: outputs, formats, exit codes and every kind of bad input."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "corpus" / "000_4d81973d73741c05.txt"
SMALL_DATA = Path(__file__).parent / "fixtures" / "labelled_small.csv"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(arg) for arg in args])


def assert_one_line_error(result, name):
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert name in lines[0] and CHINESE.search(lines[0])


def read_csv(path):
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture()
def report_dir(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(REPORT.read_bytes())
    second = "前言\n存在的问题和不足\n一是理论学习不够深入。二是党建经费保障不足。\n"
    (folder / "sub" / "b.txt").write_text(second, encoding="gb18030")
    return folder


def test_classify_table_shows_sections_sentences_and_chinese_categories():
    result = run("classify", REPORT)
    assert result.exit_code == 0, result.stderr
    assert "二、存在的主要问题及原因" in result.stdout
    assert "党建工作机制不够健全" in result.stdout
    assert "队伍建设" in result.stdout
    assert "下一步" not in result.stdout  # the section stops at 三、下一步工作目标和具体措施


def test_classify_json_follows_the_documented_shape():
    result = run("classify", REPORT, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)
    assert report["file"] == str(REPORT)
    assert report["sections"] == [{"heading": "二、存在的主要问题及原因", "start_line": 7, "end_line": 12}]
    assert report["sentences"], "the problem section has sentences"
    for sentence in report["sentences"]:
        assert sentence["section"] == 0 and sentence["text"]
        scores = [category["score"] for category in sentence["categories"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
        assert all(set(c) == {"id", "name", "score"} for c in sentence["categories"])
    assert "\\u" not in result.stdout  # ensure_ascii=False


def test_classify_csv_to_output_file(tmp_path):
    target = tmp_path / "out.csv"
    result = run("classify", REPORT, "--format", "csv", "--output", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = read_csv(target)
    assert rows and set(rows[0]) == {"file", "section", "text", "category_ids", "categories", "scores"}
    assert any("team" in row["category_ids"].split("|") for row in rows)


def test_classify_all_sentences_when_no_problem_section(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("今年党员教育培训针对性不强。\n党建经费投入不足。\n", encoding="utf-8")
    refused = run("classify", plain)
    assert_one_line_error(refused, "plain.txt")
    assert "--all-sentences" in refused.stderr
    accepted = run("classify", plain, "--all-sentences", "--format", "json")
    assert accepted.exit_code == 0
    texts = [s["text"] for s in json.loads(accepted.stdout)[0]["sentences"]]
    assert texts == ["今年党员教育培训针对性不强。", "党建经费投入不足。"]


def test_classify_folder_goes_on_past_a_bad_file(report_dir, tmp_path):
    (report_dir / "broken.docx").write_bytes(b"not a zip at all")
    target = tmp_path / "out.json"
    result = run("classify", report_dir, "--format", "json", "--output", target)
    assert result.exit_code == 1
    files = [Path(report["file"]).name for report in json.loads(target.read_text(encoding="utf-8"))]
    assert files == ["a.txt", "b.txt"]
    last = result.stderr.strip().splitlines()[-1]
    assert "broken.docx" in last and "1" in last


def test_usage_errors_exit_2():
    assert run("classify", REPORT, "--format", "xml").exit_code == 2
    assert run("stats", REPORT).exit_code == 2  # no --output, --per-report, --xlsx or --chart
    assert run("report", REPORT).exit_code == 2  # --html is required
    assert run("no-such-command").exit_code == 2


def _textless_pdf(path):
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.rect(100, 100, 200, 200)
    page.save()


BAD_REPORTS = {
    "missing.txt": None,
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 4,
    "damaged.docx": b"PK\x03\x04 definitely not a whole docx",
    "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "long.txt": ("党" * 900_000).encode("utf-8"),
}


@pytest.mark.parametrize("name", [*BAD_REPORTS, "scan.pdf"])
def test_each_bad_report_gets_one_chinese_line_and_exit_1(tmp_path, name):
    path = tmp_path / name
    if name == "scan.pdf":
        _textless_pdf(path)
    elif BAD_REPORTS[name] is not None:
        path.write_bytes(BAD_REPORTS[name])
    assert_one_line_error(run("classify", path), name)


def test_model_that_is_not_a_model(tmp_path):
    fake = tmp_path / "fake.joblib"
    fake.write_bytes(b"\x00garbage")
    assert_one_line_error(run("classify", REPORT, "--model", fake), "fake.joblib")


def test_predict_csv_in_input_order(tmp_path):
    source = tmp_path / "sentences.csv"
    sentences = ["党建经费投入不足，保障标准不高。", "今天天气很好。", "三会一课制度落实不到位。"]
    source.write_text("句子\n" + "\n".join(sentences) + "\n", encoding="utf-8")
    result = run("predict", source, "--text-column", "句子")
    assert result.exit_code == 0, result.stderr
    predictions = json.loads(result.stdout)
    assert [p["text"] for p in predictions] == sentences
    assert predictions[0]["categories"][0]["id"] == "funding"
    assert predictions[1]["categories"] == []
    assert predictions[2]["categories"][0]["id"] == "org_life"


def test_predict_txt_as_csv(tmp_path):
    source = tmp_path / "lines.txt"
    source.write_text("党员理论学习不深入不系统。\n\n活动场所面积小，设施不全。\n", encoding="utf-16")
    target = tmp_path / "predictions.csv"
    result = run("predict", source, "--format", "csv", "--output", target)
    assert result.exit_code == 0, result.stderr
    rows = read_csv(target)
    assert [row["text"] for row in rows] == ["党员理论学习不深入不系统。", "活动场所面积小，设施不全。"]
    assert rows[0]["category_ids"].split("|")[0] == "education"
    assert rows[1]["category_ids"].split("|")[0] == "venue"


def test_predict_csv_without_text_column(tmp_path):
    source = tmp_path / "wrong.csv"
    source.write_text("sentence\n党建经费投入不足。\n", encoding="utf-8")
    result = run("predict", source)
    assert_one_line_error(result, "wrong.csv")
    assert "text" in result.stderr


def test_stats_over_folder_with_per_report(report_dir, tmp_path):
    summary, per_report = tmp_path / "stats.csv", tmp_path / "per_report.csv"
    result = run("stats", report_dir, "--output", summary, "--per-report", per_report)
    assert result.exit_code == 0, result.stderr
    rows = read_csv(summary)
    assert list(rows[0]) == ["category_id", "category", "sentences", "reports", "share"]
    assert len(rows) == 13
    counts = [int(row["sentences"]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    by_id = {row["category_id"]: row for row in rows}
    assert int(by_id["funding"]["reports"]) == 2  # both reports name a shortage of funds
    per = read_csv(per_report)
    assert [Path(row["file"]).name for row in per] == ["a.txt", "b.txt"]
    assert sum(int(row["funding"]) for row in per) == int(by_id["funding"]["sentences"])


def test_stats_batch_with_bad_file_writes_good_results_and_exits_1(report_dir, tmp_path):
    (report_dir / "empty.txt").write_bytes(b"")
    summary = tmp_path / "stats.csv"
    result = run("stats", report_dir, "--output", summary)
    assert result.exit_code == 1
    assert summary.exists() and len(read_csv(summary)) == 13
    assert "empty.txt" in result.stderr.strip().splitlines()[-1]


def test_stats_workbook_and_chart_agree_with_the_csv_of_the_same_run(report_dir, tmp_path):
    import openpyxl
    from matplotlib.image import imread

    summary, workbook, chart = tmp_path / "stats.csv", tmp_path / "summary.xlsx", tmp_path / "chart.png"
    result = run("stats", report_dir, "--output", summary, "--xlsx", workbook, "--chart", chart)
    assert result.exit_code == 0, result.stderr
    rows = read_csv(summary)
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["汇总", "按报告", "问题句"]
    sheet_rows = list(book["汇总"].iter_rows(min_row=2, values_only=True))
    assert [(name, category_id, sentences, reports) for name, category_id, sentences, reports, _ in sheet_rows] == [
        (row["category"], row["category_id"], int(row["sentences"]), int(row["reports"])) for row in rows]
    assert [share for *_, share in sheet_rows] == [float(row["share"]) for row in rows]
    per_report = list(book["按报告"].iter_rows(values_only=True))
    assert [Path(row[0]).name for row in per_report[1:]] == ["a.txt", "b.txt"]
    by_name = {row["category"]: int(row["sentences"]) for row in rows}
    for column, name in enumerate(per_report[0][1:], start=1):
        assert sum(row[column] for row in per_report[1:]) == by_name[name]
    sentences = list(book["问题句"].iter_rows(min_row=2, values_only=True))
    classified = json.loads(run("classify", report_dir, "--format", "json").stdout)
    assert [row[2] for row in sentences] == [s["text"] for report in classified for s in report["sentences"]]
    for name, count in by_name.items():
        assert sum(name in (row[3] or "").split("|") for row in sentences) == count
    height, width, _ = imread(chart).shape
    assert (width, height) == (1000, 686)


def test_stats_with_only_a_workbook(tmp_path):
    workbook = tmp_path / "summary.xlsx"
    result = run("stats", REPORT, "--xlsx", workbook)
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["summary.xlsx"]
    assert "summary.xlsx" in result.stderr


@pytest.mark.parametrize("option", ["--output", "--per-report", "--xlsx", "--chart"])
def test_stats_refuses_a_path_in_a_missing_folder_before_reading(tmp_path, option):
    good, bad = tmp_path / "good.csv", tmp_path / "missing" / "out"
    args = ["--per-report", good] if option != "--per-report" else ["--output", good]
    result = run("stats", REPORT, *args, option, bad)
    assert_one_line_error(result, str(bad))
    assert not good.exists()


def test_report_page_for_a_folder_goes_on_past_a_bad_file(report_dir, tmp_path):
    (report_dir / "broken.docx").write_bytes(b"not a zip at all")
    page = tmp_path / "report.html"
    result = run("report", report_dir, "--html", page)
    assert result.exit_code == 1
    assert "broken.docx" in result.stderr.strip().splitlines()[-1]
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert str(report_dir / "a.txt") in text and str(report_dir / "sub" / "b.txt") in text
    assert "未能处理的文件（1 个）" in text and "broken.docx" in text
    assert "二是党建经费保障不足。" in text


def test_report_refuses_a_page_in_a_missing_folder(tmp_path):
    target = tmp_path / "missing" / "report.html"
    assert_one_line_error(run("report", REPORT, "--html", target), str(target))


def test_report_all_sentences_and_encoding(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("黨員教育培訓針對性不強。\n", encoding="big5")
    page = tmp_path / "report.html"
    assert_one_line_error(run("report", plain, "--encoding", "big5", "--html", page), "plain.txt")
    assert not page.exists()
    result = run("report", plain, "--encoding", "big5", "--all-sentences", "--html", page)
    assert result.exit_code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert "（全文）" in text and "黨員教育培訓針對性不強。" in text


def test_train_evaluate_and_audit_on_small_data(tmp_path):
    model = tmp_path / "small.joblib"
    trained = run("train", "--data", SMALL_DATA, "--output", model, "--seed", "3")
    assert trained.exit_code == 0, trained.stderr
    assert "micro-F1" in trained.stdout and "responsibility" in trained.stdout
    assert model.exists()
    evaluated = run("evaluate", "--data", SMALL_DATA, "--model", model)
    assert evaluated.exit_code == 0, evaluated.stderr
    assert "micro-F1" in evaluated.stdout
    audit = tmp_path / "audit.csv"
    audited = run("audit", "--data", SMALL_DATA, "--output", audit, "--margin", "0.6")
    assert audited.exit_code == 0, audited.stderr
    assert list(read_csv_header(audit)) == ["id", "source", "text", "role", "labels", "doubtful_labels",
                                            "suggested_labels", "strength"]


def read_csv_header(path):
    return next(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize(("row", "problem"), [
    ("x1,a.txt:1,经费不足。,问题,money", "money"),
    ("x1,a.txt:1,,问题,funding", "文本为空"),
])
def test_train_refuses_bad_labels_naming_the_row_and_keeps_the_old_model(tmp_path, row, problem):
    data = tmp_path / "bad.csv"
    data.write_text(SMALL_DATA.read_text(encoding="utf-8").rstrip("\n") + "\n" + row + "\n", encoding="utf-8")
    rows = len(SMALL_DATA.read_text(encoding="utf-8").rstrip("\n").splitlines())
    model = tmp_path / "model.joblib"
    model.write_bytes(b"the user's old model")
    result = run("train", "--data", data, "--output", model)
    assert_one_line_error(result, "bad.csv")
    assert f"第{rows + 1}行" in result.stderr and problem in result.stderr
    assert model.read_bytes() == b"the user's old model"


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "classifier", "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert "classify" in result.stdout and "stats" in result.stdout


def test_classify_does_not_load_chart_or_excel_libraries():
    # Cold start of classify is benchmarked: matplotlib and openpyxl load only for the outputs that need them.
    code = ("import sys; from typer.testing import CliRunner; from classifier.cli import app; "
            f"assert CliRunner().invoke(app, ['classify', {str(REPORT)!r}]).exit_code == 0; "
            "print(' '.join(m for m in ('matplotlib', 'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
