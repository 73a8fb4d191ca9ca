"""The command line as its users meet it, through `classifier.cli.main` (the installed `classifier` entry point):
exit codes, usage errors and help in Chinese, one-line messages for bad input, output paths checked before any
work, outputs that never replace a user's file on failure, the outputs of classify and stats, batches that go on
past bad, unsupported and duplicate files, grouping and comparison, where the model comes from, and interrupts.

Training, evaluating and the corrections round trip are in test_cli_train.py.  Most tests use the small model of
conftest (68 sentences) for speed and assert what holds whatever a model decides: shapes, agreement between the
outputs of one run, exit codes and messages; none pins the shipped model's scores.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from classifier import __version__

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "sample_report.txt"
CORPUS = [ROOT / "data" / "corpus" / name for name in
          ("000_4d81973d73741c05.txt", "001_7bef53cec2fe8cb1.txt", "002_b7f2587cc61f8a9d.txt")]
SHIPPED_MODEL = ROOT / "models" / "default.joblib"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# What typer/click would say in English; none of it may reach a user.
ENGLISH = re.compile(r"Usage:|Error:|Missing (argument|option|parameter)|No such (option|command)|Try '|"
                     r"Invalid value|Got unexpected|is not a valid|Options|Arguments|Commands|\[required\]|"
                     r"\[default|Show this message")
ROLES = ("问题", "原因", "其他")
SENTENCE_KEYS = {"section", "line", "part", "problem", "kind", "heading", "text", "role", "problem_score",
                 "categories"}
NO_SECTION_NOTE = "未找到问题部分，已按全文分析"
NO_SECTION_REPORT = "今年党员教育培训针对性不强，学习形式单一。\n村级党建经费投入不足，活动场所面积偏小。\n"


# ---------------------------------------------------------------------------------------------------- helpers


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.out + result.err, result.err


def assert_one_line_error(result, *names: str, code: int = 1) -> str:
    """Exit ``code``, no traceback, exactly one line on stderr, in Chinese, naming every one of ``names``."""
    assert_no_traceback(result)
    assert result.code == code, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err_lines
    line = result.err_lines[0]
    assert CHINESE.search(line), line
    for name in names:
        assert name in line, (name, line)
    return line


def assert_usage_error(result, *names: str) -> str:
    """Exit 2, no traceback, a few lines in Chinese and none in typer's English, the first naming ``names``."""
    assert_no_traceback(result)
    assert result.code == 2, (result.code, result.err)
    lines = result.err_lines
    assert 1 <= len(lines) <= 4, lines
    assert CHINESE.search(lines[0]), lines
    assert not ENGLISH.search(result.err), result.err
    for name in names:
        assert name in lines[0], (name, lines)
    return lines[0]


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path} must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def csv_header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()


def sheet_names(path: Path) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book.sheetnames
    finally:
        book.close()


def docx_of(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def copy_report(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def files_in(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write could leave beside its outputs."""
    return [path.name for path in folder.iterdir() if path.name.endswith(".tmp") or ".tmp" in path.suffixes]


@pytest.fixture()
def batch(tmp_path):
    """A folder of reports: two good ones (one in a subfolder), nothing else."""
    folder = tmp_path / "reports"
    copy_report(SAMPLE, folder / "sample.txt")
    copy_report(CORPUS[0], folder / "sub" / "corpus0.txt")
    return folder


# ---------------------------------------------------------------------------------------------------- usage


USAGE_ERRORS = {
    "unknown command": (["clasify", SAMPLE], ["clasify"]),
    "unknown option": (["classify", SAMPLE, "--formt", "json"], ["--formt", "--format"]),
    "missing argument": (["classify"], []),
    "missing --html": (["report", SAMPLE], ["--html"]),
    "bad --format": (["classify", SAMPLE, "--format", "xml"], ["--format"]),
    "bad predict --format": (["predict", SAMPLE, "--format", "table"], ["--format"]),
    "--jobs 0": (["classify", SAMPLE, "--jobs", "0"], ["--jobs"]),
    "stats without output": (["stats", SAMPLE], ["--output", "--xlsx", "--chart"]),
    "--compare without --group-by": (["stats", SAMPLE, "--output", "stats.csv", "--compare", "a", "b"],
                                     ["--compare", "--group-by"]),
    "option without its value": (["classify", SAMPLE, "--model"], ["--model"]),
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_usage_errors_are_a_few_chinese_lines_naming_what_is_wrong_with_exit_2(cli, tmp_path, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    args, names = USAGE_ERRORS[case]
    first = assert_usage_error(cli(*args), *names)
    if case == "missing argument":
        assert re.search(r"reports|报告", first, re.IGNORECASE), first
    assert files_in(tmp_path) == set(), "a usage error does no work"


def test_usage_line_of_an_error_shows_plain_argument_names(cli):
    result = cli("classify", SAMPLE, "--formt", "json")
    usage = [line for line in result.err_lines if line.startswith("用法")]
    assert usage, result.err
    assert "{" not in usage[0] and "}" not in usage[0], usage[0]


def _commands():
    import typer.main

    from classifier.cli import app

    return typer.main.get_command(app).commands


def test_app_help_has_chinese_headings_and_every_command_summary_whole(cli):
    result = cli("--help")
    assert result.code == 0
    assert "用法" in result.out and "命令" in result.out and "选项" in result.out
    assert not ENGLISH.search(result.out), result.out
    listing = re.sub(r"\s+", "", result.out)
    commands = _commands()
    assert set(commands) == {"classify", "predict", "stats", "report", "train", "evaluate", "audit"}
    for name, command in commands.items():
        summary = command.short_help or (command.help or "").strip().splitlines()[0]
        assert summary and CHINESE.search(summary), name
        assert re.sub(r"\s+", "", summary) in listing, f"summary of {name} cut off or missing"


@pytest.mark.parametrize("name", ["classify", "predict", "stats", "report", "train", "evaluate", "audit"])
def test_command_help_has_chinese_headings_and_its_whole_summary(cli, name):
    result = cli(name, "--help")
    assert result.code == 0, result.err
    assert "用法" in result.out and "选项" in result.out
    assert not ENGLISH.search(result.out), result.out
    docstring = (_commands()[name].help or "").strip().splitlines()[0]
    assert re.sub(r"\s+", "", docstring) in re.sub(r"\s+", "", result.out)


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_version_and_exits_0(cli, flag):
    result = cli(flag)
    assert result.code == 0
    assert __version__ in result.out


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "classifier", "--help"], capture_output=True, text=True,
                            check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "classify" in result.stdout and "stats" in result.stdout


# ---------------------------------------------------------------------------------------------------- bad input


def _make_bad_input(tmp_path: Path, kind: str) -> tuple[list, str]:
    """The arguments after `classify` and the name the message must give."""
    if kind == "missing file":
        return [tmp_path / "missing.txt"], "missing.txt"
    if kind == "empty file":
        (tmp_path / "empty.txt").write_bytes(b"")
        return [tmp_path / "empty.txt"], "empty.txt"
    if kind == "binary file":
        (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
        return [tmp_path / "binary.txt"], "binary.txt"
    if kind == "damaged docx":
        (tmp_path / "damaged.docx").write_bytes(b"PK\x03\x04 definitely not a whole docx")
        return [tmp_path / "damaged.docx"], "damaged.docx"
    if kind == "folder without reports":
        folder = tmp_path / "nothing"
        folder.mkdir()
        return [folder], "nothing"
    if kind == "unknown encoding":
        copy_report(SAMPLE, tmp_path / "report.txt")
        return [tmp_path / "report.txt", "--encoding", "no-such-encoding"], "no-such-encoding"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["missing file", "empty file", "binary file", "damaged docx",
                                  "folder without reports", "unknown encoding"])
def test_bad_report_gets_one_chinese_line_naming_it_and_exit_1(cli, model, tmp_path, kind):
    args, name = _make_bad_input(tmp_path, kind)
    assert_one_line_error(cli("classify", *args, "--model", model), name)


def test_unknown_encoding_is_refused_once_before_any_file_is_read(cli, model, tmp_path):
    args, _ = _make_bad_input(tmp_path, "unknown encoding")
    result = cli("classify", *args, tmp_path / "second.txt", "--model", model)
    assert result.code == 1
    assert len(result.err_lines) == 1 and "no-such-encoding" in result.err
    assert_no_traceback(result)


def test_predict_csv_without_the_text_column(cli, model, tmp_path):
    source = tmp_path / "wrong.csv"
    source.write_text("sentence\n党建经费投入不足。\n", encoding="utf-8")
    line = assert_one_line_error(cli("predict", source, "--model", model), "wrong.csv")
    assert "text" in line


def test_group_table_without_its_columns(cli, model, tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("name,kind\nsample.txt,村\n", encoding="utf-8")
    result = cli("stats", SAMPLE, "--output", tmp_path / "stats.csv", "--group-by", groups, "--model", model)
    assert_one_line_error(result, "groups.csv")
    assert not (tmp_path / "stats.csv").exists()


@pytest.mark.parametrize("content", [b"\x00garbage", b"", b"PK\x03\x04 a zip?"])
def test_model_file_that_is_not_a_model(cli, tmp_path, content):
    fake = tmp_path / "fake.joblib"
    fake.write_bytes(content)
    assert_one_line_error(cli("classify", SAMPLE, "--model", fake), "fake.joblib")


def test_missing_model_file(cli, tmp_path):
    assert_one_line_error(cli("classify", SAMPLE, "--model", tmp_path / "nowhere.joblib"), "nowhere.joblib")


# ---------------------------------------------------------------------------------------------------- output paths


WRONG_SUFFIXES = {
    "--chart x.jpg": (["stats"], "--chart", "chart.jpg"),
    "--chart without suffix": (["stats"], "--chart", "chart"),
    "--xlsx x.xls": (["stats"], "--xlsx", "book.xls"),
    "--xlsx x.csv": (["stats"], "--xlsx", "book.csv"),
    "--output x.txt": (["stats"], "--output", "stats.txt"),
    "--per-report x.xlsx": (["stats"], "--per-report", "per.xlsx"),
    "--html x.txt": (["report"], "--html", "page.txt"),
}


@pytest.mark.parametrize("case", WRONG_SUFFIXES)
def test_output_with_a_wrong_extension_is_refused_before_any_work(cli, tmp_path, case):
    command, option, name = WRONG_SUFFIXES[case]
    out = tmp_path / "out"
    out.mkdir()
    fake = tmp_path / "fake.joblib"  # were the model loaded first, the message would name it instead
    fake.write_bytes(b"not a model")
    others = ["--per-report", out / "good.csv"] if command == ["stats"] and option != "--per-report" else []
    if command == ["stats"] and option == "--per-report":
        others = ["--output", out / "good.csv"]
    result = cli(*command, SAMPLE, *others, option, out / name, "--model", fake)
    assert_one_line_error(result, name)
    assert files_in(out) == set()


@pytest.mark.parametrize("args", [
    ["stats", SAMPLE, "--output"], ["stats", SAMPLE, "--per-report"], ["stats", SAMPLE, "--xlsx"],
    ["stats", SAMPLE, "--chart"], ["classify", SAMPLE, "--output"], ["report", SAMPLE, "--html"],
    ["predict", SAMPLE, "--output"], ["train", "--output"], ["audit", "--output"],
], ids=lambda args: " ".join(str(arg) for arg in args if not isinstance(arg, Path)))
def test_output_in_a_missing_folder_is_refused_before_any_work(cli, tmp_path, args):
    suffix = {"--output": ".csv", "--per-report": ".csv", "--xlsx": ".xlsx", "--chart": ".png", "--html": ".html"}
    target = tmp_path / "missing" / f"out{'.joblib' if args[0] == 'train' else suffix[args[-1]]}"
    good = tmp_path / "good.csv"
    extra = []
    if args[0] == "stats":
        extra = ["--per-report", good] if args[-1] != "--per-report" else ["--output", good]
    if args[0] in ("train", "audit"):
        extra = ["--data", ROOT / "tests" / "fixtures" / "labelled_small.csv"]
    fake = tmp_path / "fake.joblib"
    fake.write_bytes(b"not a model")
    model = ["--model", fake] if args[0] not in ("train", "audit") else []
    started = time.monotonic()
    result = cli(*args, target, *extra, *model)
    assert_one_line_error(result, str(target))
    assert not good.exists() and not target.parent.exists()
    assert time.monotonic() - started < 5, "refused after doing work"


def test_chart_format_follows_its_extension(cli, model, tmp_path):
    svg, png = tmp_path / "chart.svg", tmp_path / "chart.PNG"
    assert cli("stats", SAMPLE, "--chart", svg, "--model", model).code == 0
    assert cli("stats", SAMPLE, "--chart", png, "--model", model).code == 0
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and text.rstrip().endswith("</svg>")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_stats_writes_only_the_outputs_asked_for(cli, model, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", SAMPLE, "--xlsx", out / "summary.xlsx", "--model", model)
    assert result.code == 0, result.err
    assert files_in(out) == {"summary.xlsx"}
    assert "summary.xlsx" in result.err
    assert {"汇总", "按报告", "问题句", "未计入文件"} <= set(sheet_names(out / "summary.xlsx"))


# ---------------------------------------------------------------------------------------------------- keeping files


def test_existing_outputs_are_untouched_when_the_model_is_bad(cli, tmp_path):
    fake = tmp_path / "fake.joblib"
    fake.write_bytes(b"not a model")
    outputs = {tmp_path / "stats.csv": b"old stats", tmp_path / "book.xlsx": b"old book",
               tmp_path / "chart.png": b"old chart", tmp_path / "page.html": b"old page",
               tmp_path / "out.json": b"old json"}
    for path, content in outputs.items():
        path.write_bytes(content)
    cli("stats", SAMPLE, "--output", tmp_path / "stats.csv", "--xlsx", tmp_path / "book.xlsx",
        "--chart", tmp_path / "chart.png", "--model", fake)
    cli("report", SAMPLE, "--html", tmp_path / "page.html", "--model", fake)
    cli("classify", SAMPLE, "--format", "json", "--output", tmp_path / "out.json", "--model", fake)
    for path, content in outputs.items():
        assert path.read_bytes() == content, path.name
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["fake.joblib", *(p.name for p in outputs)])


def test_existing_outputs_are_untouched_when_the_run_is_interrupted(cli, model, batch, tmp_path, monkeypatch):
    """Ctrl-C while the second report is read: exit 130, one line, every existing output as it was, no temporary
    file beside the outputs nor in the temporary folder (openpyxl streams sheets there)."""
    import tempfile

    import classifier.reports

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    copy_report(CORPUS[1], batch / "corpus1.txt")
    original = classifier.reports.analyse_report
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(classifier.reports, "analyse_report", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    outputs = {out / "stats.csv": b"old stats", out / "per.csv": b"old per", out / "book.xlsx": b"old book",
               out / "chart.svg": b"old chart"}
    for path, content in outputs.items():
        path.write_bytes(content)
    result = cli("stats", batch, "--output", out / "stats.csv", "--per-report", out / "per.csv",
                 "--xlsx", out / "book.xlsx", "--chart", out / "chart.svg", "--model", model, "--jobs", "1")
    for path, content in outputs.items():
        assert path.read_bytes() == content, path.name
    assert files_in(out) == {path.name for path in outputs}, "nothing new beside the outputs"
    assert list(temporary.iterdir()) == []
    assert result.code == 130

    calls.clear()
    (out / "out.json").write_bytes(b"old json")
    classified = cli("classify", batch, "--format", "json", "--output", out / "out.json", "--model", model)
    assert (out / "out.json").read_bytes() == b"old json"
    assert leftovers(out) == []
    assert classified.code == 130

    for interrupted_run in (result, classified):
        assert_no_traceback(interrupted_run)
        assert len(interrupted_run.err_lines) == 1, "one line says the run was interrupted"
        assert CHINESE.search(interrupted_run.err)


# ---------------------------------------------------------------------------------------------------- classify


def classify_json(cli, *args) -> list[dict]:
    result = cli("classify", *args, "--format", "json")
    assert result.code in (0, 1, 3), result.err
    return json.loads(result.out)


def test_classify_json_follows_the_documented_shape(cli, model):
    result = cli("classify", SAMPLE, "--format", "json", "--model", model)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "\\u" not in result.out, "Chinese is written as it is"
    [report] = json.loads(result.out)
    assert set(report) == {"file", "note", "sections", "sentences"}
    assert report["file"] == str(SAMPLE) and report["note"] == ""
    assert report["sections"] == [{"heading": "二、存在的问题及原因", "start_line": 5, "end_line": 11}]
    texts = [sentence["text"] for sentence in report["sentences"]]
    assert texts[0] == "（一）党建责任落实还有差距。"
    assert "二是考核机制不够健全，督促检查不经常，问责追责不严格。" in texts
    assert not any("下一步" in text or "压实党建责任" in text for text in texts), "measures are not problems"
    problems = [sentence["problem"] for sentence in report["sentences"]]
    assert problems == sorted(problems) and len(set(problems)) >= 5, "five numbered problems at least"
    for sentence in report["sentences"]:
        assert set(sentence) == SENTENCE_KEYS, sentence
        assert sentence["section"] == 0 and 5 <= sentence["line"] <= 11
        assert sentence["role"] in ROLES and 0 <= sentence["problem_score"] <= 1
        scores = [category["score"] for category in sentence["categories"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
        assert all(set(category) == {"id", "name", "score"} for category in sentence["categories"])
        if sentence["role"] == "其他":
            assert sentence["categories"] == [], sentence


def test_classify_table_shows_every_sentence_with_its_role_and_categories(cli, model):
    [report] = classify_json(cli, SAMPLE, "--model", model)
    result = cli("classify", SAMPLE, "--model", model)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert str(SAMPLE) in result.out and "二、存在的问题及原因" in result.out
    for sentence in report["sentences"]:
        [index] = [i for i, line in enumerate(lines) if line.rstrip().endswith(sentence["text"])]
        decision = lines[index + 1]
        assert sentence["role"] in decision
        for category in sentence["categories"]:
            assert category["name"] in decision


def test_classify_csv_is_the_sentence_table_prefilled_with_the_models_decision(cli, model, tmp_path):
    from classifier.sentence_table import HEADER

    [report] = classify_json(cli, SAMPLE, "--model", model)
    target = tmp_path / "sentences.csv"
    result = cli("classify", SAMPLE, "--format", "csv", "--output", target, "--model", model)
    assert result.code == 0, result.err
    assert result.out == ""
    assert str(target) in result.err
    assert csv_header(target) == list(HEADER)
    assert {"file", "line", "text", "role", "labels", "heading", "part", "kind", "note"} <= set(HEADER)
    rows = read_csv(target)
    assert [row["text"] for row in rows] == [sentence["text"] for sentence in report["sentences"]]
    for row, sentence in zip(rows, report["sentences"], strict=True):
        assert row["file"] == str(SAMPLE) and int(row["line"]) == sentence["line"]
        assert row["role"] == sentence["role"]
        assert row["labels"] == "|".join(category["name"] for category in sentence["categories"])
        assert row["section"] == "二、存在的问题及原因"


def test_classify_csv_to_stdout(cli, model):
    result = cli("classify", SAMPLE, "--format", "csv", "--model", model)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out.lstrip("\ufeff"))))
    assert rows and all(row["role"] in ROLES for row in rows)


def test_explain_adds_the_features_that_decided_each_category(cli, model):
    plain = classify_json(cli, SAMPLE, "--model", model)[0]
    assert all("explanations" not in sentence for sentence in plain["sentences"])
    [report] = classify_json(cli, SAMPLE, "--model", model, "--explain")
    categorised = [sentence for sentence in report["sentences"] if sentence["categories"]]
    assert categorised
    for sentence in categorised:
        explained = [explanation["category"] for explanation in sentence["explanations"]]
        assert explained == [category["name"] for category in sentence["categories"]]
        for explanation in sentence["explanations"]:
            assert explanation["features"] and all(feature["feature"] for feature in explanation["features"])
    table = cli("classify", SAMPLE, "--model", model, "--explain")
    assert table.code == 0
    assert table.out.count("依据") >= sum(len(sentence["categories"]) for sentence in categorised)
    assert "依据" not in cli("classify", SAMPLE, "--model", model).out


@pytest.fixture()
def no_section(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(NO_SECTION_REPORT, encoding="utf-8")
    return path


def test_report_without_a_problem_section_is_read_whole_and_says_so_everywhere(cli, model, no_section, tmp_path):
    table = cli("classify", no_section, "--model", model)
    assert table.code == 0, table.err
    assert NO_SECTION_NOTE in table.out
    assert any("plain.txt" in line and NO_SECTION_NOTE in line for line in table.err_lines), table.err
    as_json = cli("classify", no_section, "--model", model, "--format", "json")
    [report] = json.loads(as_json.out)
    assert report["note"] == NO_SECTION_NOTE
    assert [sentence["text"] for sentence in report["sentences"]] == [
        "今年党员教育培训针对性不强，学习形式单一。", "村级党建经费投入不足，活动场所面积偏小。"]
    rows = list(csv.DictReader(io.StringIO(cli("classify", no_section, "--model", model, "--format", "csv")
                                           .out.lstrip("\ufeff"))))
    assert rows and all(row["note"] == NO_SECTION_NOTE for row in rows)

    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", no_section, SAMPLE, "--output", out / "stats.csv", "--xlsx", out / "book.xlsx",
                 "--model", model)
    assert result.code == 0, result.err
    assert any("plain.txt" in line and NO_SECTION_NOTE in line for line in result.err_lines), result.err
    failures = read_csv(out / "stats.failures.csv")
    assert [row["file"] for row in failures] == [str(no_section)]
    assert NO_SECTION_NOTE in failures[0]["message"] + failures[0]["kind"]
    rows = sheet_rows(out / "book.xlsx", "未计入文件")
    assert any(str(no_section) in row and NO_SECTION_NOTE in " ".join(map(str, row)) for row in rows[1:]), rows
    sentences = sheet_rows(out / "book.xlsx", "问题句")
    assert any(NO_SECTION_NOTE in row for row in sentences[1:])

    page = out / "page.html"
    assert cli("report", no_section, "--html", page, "--model", model).code == 0
    text = page.read_text(encoding="utf-8")
    assert NO_SECTION_NOTE in text and "plain.txt" in text


def test_strict_refuses_a_report_without_a_problem_section(cli, model, no_section, batch):
    result = cli("classify", no_section, "--model", model, "--strict")
    assert result.code == 1
    assert_no_traceback(result)
    assert "plain.txt" in result.err_lines[0] and CHINESE.search(result.err_lines[0])
    shutil.copyfile(no_section, batch / "plain.txt")
    documents = json.loads(cli("classify", batch, "--model", model, "--strict", "--format", "json").out)
    assert [Path(document["file"]).name for document in documents if "error" in document] == ["plain.txt"]
    assert len([document for document in documents if "sentences" in document]) == 2


# ---------------------------------------------------------------------------------------------------- batches


def test_classify_folder_goes_on_past_a_bad_file_and_names_it(cli, model, batch, tmp_path):
    (batch / "broken.docx").write_bytes(b"not a zip at all")
    target = tmp_path / "out.json"
    result = cli("classify", batch, "--format", "json", "--output", target, "--model", model)
    assert result.code == 1
    assert_no_traceback(result)
    documents = json.loads(target.read_text(encoding="utf-8"))
    good = [Path(document["file"]).name for document in documents if "sentences" in document]
    assert sorted(good) == ["corpus0.txt", "sample.txt"]
    [failed] = [document for document in documents if "error" in document]
    assert set(failed) == {"file", "error"} and Path(failed["file"]).name == "broken.docx"
    assert CHINESE.search(failed["error"])
    assert "broken.docx" in result.err_lines[-1], "the last line names the files that failed"
    table = cli("classify", batch, "--model", model)
    assert table.code == 1 and "broken.docx" in table.out and "broken.docx" in table.err


def test_unsupported_files_in_a_folder_are_named_as_skipped_with_exit_3(cli, model, batch, tmp_path):
    (batch / "table.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (batch / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    target = tmp_path / "stats.csv"
    result = cli("stats", batch, "--output", target, "--model", model)
    assert result.code == 3, result.err
    assert_no_traceback(result)
    for name in ("table.xlsx", "photo.jpg"):
        assert any(name in line and "跳过" in line for line in result.err_lines), (name, result.err)
    assert len(read_csv(target)) == 13
    assert sorted(Path(row["file"]).name for row in read_csv(tmp_path / "stats.failures.csv")) == [
        "photo.jpg", "table.xlsx"]
    documents = classify_json(cli, batch, "--model", model)
    assert sorted(Path(document["file"]).name for document in documents if "error" in document) == [
        "photo.jpg", "table.xlsx"]


def test_a_failed_file_outweighs_a_skipped_one(cli, model, batch, tmp_path):
    (batch / "table.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (batch / "empty.txt").write_bytes(b"")
    assert cli("stats", batch, "--output", tmp_path / "stats.csv", "--model", model).code == 1


def test_the_same_report_read_twice_is_counted_once_with_a_warning_naming_both(cli, model, tmp_path):
    folder = tmp_path / "reports"
    copy_report(SAMPLE, folder / "a" / "sample.txt")
    copy_report(SAMPLE, folder / "b" / "copy.txt")
    docx_of(CORPUS[0].read_text(encoding="utf-8"), folder / "corpus0.docx")
    copy_report(CORPUS[0], folder / "corpus0.txt")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", folder, "--output", out / "stats.csv", "--per-report", out / "per.csv",
                 "--xlsx", out / "book.xlsx", "--model", model)
    assert result.code == 0, result.err
    for pair in (("sample.txt", "copy.txt"), ("corpus0.docx", "corpus0.txt")):
        assert any(all(name in line for name in pair) for line in result.err_lines), (pair, result.err)
    assert len(read_csv(out / "per.csv")) == 2
    assert max(int(row["reports"]) for row in read_csv(out / "stats.csv")) <= 2
    assert [row["kind"] for row in read_csv(out / "stats.failures.csv")] == ["重复", "重复"]
    assert len(sheet_rows(out / "book.xlsx", "按报告")) == 3
    documents = classify_json(cli, folder, "--model", model)
    assert len([document for document in documents if "sentences" in document]) == 2


def test_stats_goes_on_past_a_bad_file_and_names_it_in_every_output(cli, model, batch, tmp_path):
    (batch / "broken.docx").write_bytes(b"not a zip at all")
    (batch / "sub" / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", batch, "--output", out / "stats.csv", "--per-report", out / "per.csv",
                 "--xlsx", out / "book.xlsx", "--chart", out / "chart.png", "--model", model)
    assert result.code == 1
    assert_no_traceback(result)
    assert "broken.docx" in result.err_lines[-1] and "empty.txt" in result.err_lines[-1]
    assert files_in(out) == {"stats.csv", "stats.failures.csv", "per.csv", "book.xlsx", "chart.png"}
    assert sorted(Path(row["file"]).name for row in read_csv(out / "per.csv")) == ["corpus0.txt", "sample.txt"]
    failures = read_csv(out / "stats.failures.csv")
    assert csv_header(out / "stats.failures.csv")[0] == "file"
    assert sorted(Path(row["file"]).name for row in failures) == ["broken.docx", "empty.txt"]
    assert all(CHINESE.search(row["message"]) for row in failures)
    assert "未计入文件" in sheet_names(out / "book.xlsx")
    listed = " ".join(str(cell) for row in sheet_rows(out / "book.xlsx", "未计入文件") for cell in row)
    assert "broken.docx" in listed and "empty.txt" in listed


def test_report_page_goes_on_past_a_bad_file_and_names_it(cli, model, batch, tmp_path):
    (batch / "broken.docx").write_bytes(b"not a zip at all")
    (batch / "sub" / "empty.txt").write_bytes(b"")
    page = tmp_path / "page.html"
    result = cli("report", batch, "--html", page, "--model", model)
    assert result.code == 1
    assert_no_traceback(result)
    assert "broken.docx" in result.err_lines[-1] and "empty.txt" in result.err_lines[-1]
    text = page.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "broken.docx" in text and "empty.txt" in text
    assert "二是考核机制不够健全，督促检查不经常，问责追责不严格。" in text


# ---------------------------------------------------------------------------------------------------- stats


STATISTICS_HEADER = ["category_id", "category", "sentences", "problems", "reports", "share"]


def expected_counts(documents: list[dict]) -> dict[str, dict[str, float]]:
    """Per category id, from classify's JSON: sentences with it, problems (items) with it, reports with it."""
    sentences, problems, reports = Counter(), defaultdict(set), defaultdict(set)
    categorised = set()
    for document in documents:
        for sentence in document.get("sentences", []):
            for category in sentence["categories"]:
                sentences[category["id"]] += 1
                problems[category["id"]].add((document["file"], sentence["problem"]))
                reports[category["id"]].add(document["file"])
                categorised.add((document["file"], sentence["problem"]))
    return {category: {"sentences": sentences[category], "problems": len(problems[category]),
                       "reports": len(reports[category]),
                       "share": len(problems[category]) / len(categorised) if categorised else 0.0}
            for category in sentences}


def test_stats_counts_sentences_problems_and_reports_as_classify_finds_them(cli, model, batch, tmp_path):
    copy_report(CORPUS[1], batch / "corpus1.txt")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", batch, "--output", out / "stats.csv", "--per-report", out / "per.csv",
                 "--xlsx", out / "book.xlsx", "--model", model)
    assert result.code == 0, result.err
    assert csv_header(out / "stats.csv") == STATISTICS_HEADER
    rows = read_csv(out / "stats.csv")
    assert len(rows) == 13 and len({row["category_id"] for row in rows}) == 13
    expected = expected_counts(classify_json(cli, batch, "--model", model))
    assert any(int(row["problems"]) < int(row["sentences"]) for row in rows), "a problem holds several sentences"
    for row in rows:
        counts = expected.get(row["category_id"], {"sentences": 0, "problems": 0, "reports": 0, "share": 0.0})
        assert int(row["sentences"]) == counts["sentences"], row
        assert int(row["problems"]) == counts["problems"], row
        assert int(row["reports"]) == counts["reports"], row
        assert float(row["share"]) == pytest.approx(counts["share"], abs=1e-3), row
    per = read_csv(out / "per.csv")
    assert len(per) == 3
    for row in rows:
        assert sum(int(report[row["category_id"]]) for report in per) == int(row["sentences"])
    summary = sheet_rows(out / "book.xlsx", "汇总")
    by_id = {row[1]: row for row in summary[1:]}
    for row in rows:
        assert by_id[row["category_id"]][2:5] == (int(row["sentences"]), int(row["problems"]), int(row["reports"]))


@pytest.fixture()
def years(tmp_path):
    """Reports of two years, one folder each, one of them a level deeper."""
    folder = tmp_path / "years"
    copy_report(SAMPLE, folder / "2023" / "sample.txt")
    copy_report(CORPUS[0], folder / "2023" / "村" / "corpus0.txt")
    copy_report(CORPUS[1], folder / "2024" / "corpus1.txt")
    copy_report(CORPUS[2], folder / "2024" / "corpus2.txt")
    return folder


def _comparison_lines(out: str, name: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(f"{name}：")]


def assert_comparison_agrees(out: str, group_rows: list[dict], first: str, second: str) -> None:
    """stdout names, for every category, both groups' problem counts and shares and which way it moved."""
    by_group = {(row["group"], row["category"]): row for row in group_rows}
    for (group, name), row in by_group.items():
        if group != first:
            continue
        other = by_group[(second, name)]
        [line] = _comparison_lines(out, name)
        a, b = int(row["problems"]), int(other["problems"])
        assert f"{first} {a} " in line and f"{second} {b} " in line, line
        share_a, share_b = float(row["share"]), float(other["share"])
        assert f"{share_a:.1%}" in line and f"{share_b:.1%}" in line, line
        change = round((share_b - share_a) * 100, 1)
        word = "上升" if change > 0 else "下降" if change < 0 else "持平"
        assert word in line, line


def test_group_by_folder_counts_per_group_and_compares_the_two(cli, model, years, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", years, "--group-by", "folder", "--output", out / "stats.csv",
                 "--per-report", out / "per.csv", "--xlsx", out / "book.xlsx", "--chart", out / "chart.png",
                 "--model", model)
    assert result.code == 0, result.err
    assert csv_header(out / "stats.csv")[0] == "group"
    assert csv_header(out / "stats.csv")[1:] == STATISTICS_HEADER
    rows = read_csv(out / "stats.csv")
    assert {row["group"] for row in rows} == {"2023", "2024"}
    assert len(rows) == 26
    per = read_csv(out / "per.csv")
    assert {Path(row["file"]).name: row["group"] for row in per} == {
        "sample.txt": "2023", "corpus0.txt": "2023", "corpus1.txt": "2024", "corpus2.txt": "2024"}
    for group in ("2023", "2024"):
        documents = classify_json(cli, years / group, "--model", model)
        expected = expected_counts(documents)
        for row in (row for row in rows if row["group"] == group):
            counts = expected.get(row["category_id"], {"sentences": 0, "problems": 0, "reports": 0})
            assert (int(row["sentences"]), int(row["problems"]), int(row["reports"])) == (
                counts["sentences"], counts["problems"], counts["reports"]), row
    assert_comparison_agrees(result.out, rows, "2023", "2024")
    assert {"按组", "对比"} <= set(sheet_names(out / "book.xlsx"))
    comparison = sheet_rows(out / "book.xlsx", "对比")
    assert len(comparison) == 14, "a header and one row per category"
    by_group = {(row["group"], row["category"]): row for row in rows}
    for name, group_a, problems_a, _, group_b, problems_b, *_ in comparison[1:]:
        assert (group_a, group_b) == ("2023", "2024")
        assert problems_a == int(by_group[("2023", name)]["problems"])
        assert problems_b == int(by_group[("2024", name)]["problems"])


def test_group_by_table_with_compare_picks_the_two_groups(cli, model, tmp_path):
    folder = tmp_path / "reports"
    for index, source in enumerate([SAMPLE, *CORPUS]):
        copy_report(source, folder / f"r{index}.txt")
    groups = tmp_path / "groups.csv"
    groups.write_bytes("file,group\nr0.txt,社区\nr1.txt,村\nr2.txt,村\nr3.txt,学校\n".encode("gbk"))
    out = tmp_path / "out"
    out.mkdir()
    result = cli("stats", folder, "--group-by", groups, "--compare", "村", "社区", "--output", out / "stats.csv",
                 "--xlsx", out / "book.xlsx", "--model", model)
    assert result.code == 0, result.err
    rows = read_csv(out / "stats.csv")
    assert {row["group"] for row in rows} == {"社区", "村", "学校"}
    assert_comparison_agrees(result.out, rows, "村", "社区")
    comparison = sheet_rows(out / "book.xlsx", "对比")
    assert {(row[1], row[4]) for row in comparison[1:]} == {("村", "社区")}

    three = cli("stats", folder, "--group-by", groups, "--output", out / "three.csv", "--model", model)
    assert three.code == 0
    assert not _comparison_lines(three.out, "责任落实"), "three groups and no --compare: nothing to compare"


# ---------------------------------------------------------------------------------------------------- the model


@pytest.mark.slow
def test_model_from_option_then_environment_then_shipped(cli, model, tmp_path, monkeypatch):
    missing = tmp_path / "from-environment.joblib"
    monkeypatch.setenv("CLASSIFIER_MODEL", str(missing))
    assert_one_line_error(cli("classify", SAMPLE), "from-environment.joblib")
    assert cli("classify", SAMPLE, "--model", model).code == 0, "--model wins over the environment"
    monkeypatch.setenv("CLASSIFIER_MODEL", str(model))
    from_environment = cli("classify", SAMPLE, "--format", "json")
    assert from_environment.code == 0, from_environment.err
    assert from_environment.out == cli("classify", SAMPLE, "--format", "json", "--model", model).out
    monkeypatch.delenv("CLASSIFIER_MODEL")
    shipped = cli("classify", SAMPLE, "--format", "json")
    assert shipped.code == 0, shipped.err
    assert shipped.out == cli("classify", SAMPLE, "--format", "json", "--model", SHIPPED_MODEL).out


# ---------------------------------------------------------------------------------------------------- predict, report


def test_predict_keeps_input_order(cli, model, tmp_path):
    source = tmp_path / "sentences.csv"
    sentences = ["党建经费投入不足，保障标准不高。", "今天天气很好。", "三会一课制度落实不到位。"]
    source.write_text("句子\n" + "\n".join(sentences) + "\n", encoding="gbk")
    result = cli("predict", source, "--text-column", "句子", "--model", model)
    assert result.code == 0, result.err
    predictions = json.loads(result.out)
    assert [prediction["text"] for prediction in predictions] == sentences
    assert all(prediction["role"] in ROLES for prediction in predictions)
    target = tmp_path / "predictions.csv"
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(sentences[:2]) + "\n\n", encoding="utf-16")
    assert cli("predict", lines, "--format", "csv", "--output", target, "--model", model).code == 0
    assert [row["text"] for row in read_csv(target)] == sentences[:2]


def test_report_page_with_an_explicit_encoding(cli, model, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("二、存在的問題\n黨員教育培訓針對性不強。\n", encoding="big5")
    page = tmp_path / "report.html"
    result = cli("report", plain, "--encoding", "big5", "--html", page, "--model", model)
    assert result.code == 0, result.err
    assert "黨員教育培訓針對性不強。" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_classify_does_not_load_chart_or_excel_libraries(model):
    # Cold start of classify is benchmarked: matplotlib and openpyxl load only for the outputs that need them.
    code = ("import sys; from classifier.cli import main; "
            f"assert main(['classify', {str(SAMPLE)!r}, '--model', {str(model)!r}]) == 0; "
            "print(' '.join(m for m in ('matplotlib', 'openpyxl') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip() == ""


# ---------------------------------------------------------------------------------------------------- interrupts


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _as_in_a_terminal() -> None:
    # A command started in the background by a non-interactive shell (as CI runners may start the tests) inherits
    # SIGINT ignored, and Python then keeps it ignored; a command run in a terminal has the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes through /proc")
@pytest.mark.parametrize(("signal_name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_stats_stopped_by_a_signal_keeps_existing_outputs_and_leaves_no_temporary_file(
        model, tmp_path, signal_name, code):
    """1,000 reports on two processes, so that a fast machine does not finish first; the signal comes a second after
    the workers start (SIGINT to the whole process group, as Ctrl-C in a terminal sends it)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in CORPUS]
    for index in range(1000):
        (reports / f"r{index:04d}.txt").write_text(f"{texts[index % 3]}\n（第 {index} 份）\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    outputs = {out / "stats.csv": b"old stats", out / "book.xlsx": b"old book", out / "chart.png": b"old chart"}
    for path, content in outputs.items():
        path.write_bytes(content)
    environment = {**os.environ, "TMPDIR": str(temporary)}
    environment.pop("CLASSIFIER_MODEL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "classifier", "stats", reports, "--output", out / "stats.csv", "--xlsx",
         out / "book.xlsx", "--chart", out / "chart.png", "--jobs", "2", "--model", model],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
        preexec_fn=_as_in_a_terminal)
    try:
        deadline = time.monotonic() + 60
        while not _children(process.pid):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.05)
        time.sleep(1)
        assert process.poll() is None, "the run ended before the signal: make it longer"
        if signal_name == "SIGINT":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    for path, content in outputs.items():
        assert path.read_bytes() == content, path.name
    assert files_in(out) == {path.name for path in outputs}, "no temporary or half-written file beside them"
    assert [path.name for path in temporary.iterdir() if path.name.startswith("openpyxl")] == []
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and CHINESE.search(lines[0]), lines


def test_an_output_that_is_an_input_is_refused_before_any_work(cli, model, tmp_path):
    report = tmp_path / "报告.txt"
    copy_report(SAMPLE, report)
    before = report.read_bytes()
    result = cli("classify", report, "--model", model, "--output", report)
    assert result.code == 1 and "以免覆盖" in result.err
    assert report.read_bytes() == before
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_report(SAMPLE, folder / "a.txt")
    assert cli("classify", folder, "--model", model, "--output", folder / "a.txt").code == 1
    assert cli("stats", folder, "--model", model, "--output", tmp_path / "s.csv",
               "--per-report", tmp_path / "s.failures.csv").code == 1  # the failures CSV's own name


def test_redirected_data_is_utf8_whatever_the_locale(tmp_path, model):
    import os
    import subprocess
    import sys

    sentences = tmp_path / "s.txt"
    sentences.write_text("党建经费投入不足。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "classifier", "predict", str(sentences), "--format", "csv",
                             "--model", str(model)], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "gbk"})
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert result.stdout.startswith(b"\xef\xbb\xbf") and "党建经费投入不足".encode() in result.stdout
