"""`classifier train`, `evaluate` and `audit` on the command line: the shipped model is never replaced by accident,
corrections made to the CSV of `classify` (saved in GBK, as Excel saves it on a Chinese Windows) are learned,
unknown labels are refused with the valid names, thin data is warned about, and two models are compared with an
interval that says when the data cannot tell them apart.

Training uses tests/fixtures/labelled_small.csv (68 sentences) plus a few corrections: a real training run on the
shipped data takes minutes.  Tests that train are marked slow.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "sample_report.txt"
SMALL_DATA = Path(__file__).parent / "fixtures" / "labelled_small.csv"
SHIPPED_MODEL = ROOT / "models" / "default.joblib"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NUMBER = r"[-+]?\d+\.\d+"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_one_line_error(result, *names: str) -> str:
    assert "Traceback" not in result.out + result.err, result.err
    assert result.code == 1, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err_lines
    line = result.err_lines[0]
    assert CHINESE.search(line)
    for name in names:
        assert name in line, (name, line)
    return line


def taxonomy_names() -> list[str]:
    from classifier.resources import resource_path
    from classifier.taxonomy import load_taxonomy

    return [category.name for category in load_taxonomy(resource_path("taxonomy.yaml"))]


def classify_rows(cli, model_path: Path, report: Path = SAMPLE) -> list[dict[str, str]]:
    result = cli("classify", report, "--format", "csv", "--model", model_path)
    assert result.code == 0, result.err
    return list(csv.DictReader(io.StringIO(result.out.lstrip("\ufeff"))))


def save_gbk(rows: list[dict[str, str]], path: Path) -> Path:
    """Save rows as Excel does on a Chinese Windows: GBK, no BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


# ---------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("option", ["--data", "--add"])
def test_training_on_own_data_without_output_is_refused_before_any_work(cli, tmp_path, monkeypatch, option):
    monkeypatch.chdir(tmp_path)
    before = digest(SHIPPED_MODEL)
    result = cli("train", option, SMALL_DATA)
    line = assert_one_line_error(result)
    assert "--output" in line
    assert "训练……" not in result.err, "refused before reading or training"
    assert digest(SHIPPED_MODEL) == before, "the shipped model must not change"
    assert list(tmp_path.iterdir()) == []


def test_unknown_label_in_corrections_is_refused_with_the_valid_names(cli, model, tmp_path):
    rows = classify_rows(cli, model)
    rows[0]["role"], rows[0]["labels"] = "问题", "党员教育|不存在的类别"
    corrections = save_gbk(rows, tmp_path / "更正.csv")
    target = tmp_path / "new.joblib"
    line = assert_one_line_error(cli("train", "--data", SMALL_DATA, "--add", corrections, "--output", target),
                                 "更正.csv", "不存在的类别")
    for name in taxonomy_names():
        assert name in line, f"{name} missing from the list of valid names"
    assert not target.exists()


def test_train_data_without_the_text_column(cli, tmp_path):
    data = tmp_path / "labels.csv"
    data.write_text("sentence,role,labels\n经费不足。,问题,funding\n", encoding="utf-8")
    line = assert_one_line_error(cli("train", "--data", data, "--output", tmp_path / "m.joblib"), "labels.csv")
    assert "text" in line


@pytest.mark.parametrize(("row", "problem"), [
    ("x1,a.txt:1,经费不足。,问题,money", "money"),
    ("x1,a.txt:1,,问题,funding", "文本为空"),
    ("x1,a.txt:1,经费不足。,缺点,funding", "缺点"),
])
def test_bad_labels_name_the_row_and_keep_the_users_old_model(cli, tmp_path, row, problem):
    data = tmp_path / "bad.csv"
    lines = SMALL_DATA.read_text(encoding="utf-8").rstrip("\n").splitlines()
    data.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    target = tmp_path / "model.joblib"
    target.write_bytes(b"the user's old model")
    line = assert_one_line_error(cli("train", "--data", data, "--output", target), "bad.csv")
    assert f"第{len(lines) + 1}行" in line and problem in line
    assert target.read_bytes() == b"the user's old model"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.csv", "model.joblib"]


def test_evaluate_compare_with_a_file_that_is_not_a_model(cli, model, tmp_path):
    fake = tmp_path / "other.joblib"
    fake.write_bytes(b"not a model")
    assert_one_line_error(cli("evaluate", "--data", SMALL_DATA, "--model", model, "--compare", fake),
                          "other.joblib")


# ---------------------------------------------------------------------------------------------------- comparing


def assert_comparison_table(out: str, first: str, second: str) -> None:
    """Both models per category and overall, then the difference of micro-F1 with its interval and a verdict that
    agrees with the interval."""
    lines = out.splitlines()
    assert any(first in line and second in line for line in lines[:3]), "the header names both models"
    for name in taxonomy_names():
        [row] = [line for line in lines if line.startswith(name)]
        assert len(re.findall(r"\d+\.\d{3}", row)) == 2, row
    for label in ("micro-F1", "macro-F1"):
        assert any(line.startswith(label) and len(re.findall(r"\d+\.\d{3}", line)) == 2 for line in lines), label
    [verdict] = [line for line in lines if "区间" in line]
    low, high = (float(value) for value in re.search(rf"\[({NUMBER}),\s*({NUMBER})\]", verdict).groups())
    assert low <= high
    assert re.search(r"\d+ 句", verdict), "says how many sentences it rests on"
    undecided = low <= 0 <= high
    assert ("数据太少" in verdict) == undecided, verdict


@pytest.mark.slow
def test_evaluate_compares_two_models_with_a_bootstrap_interval(cli, model):
    result = cli("evaluate", "--data", SMALL_DATA, "--model", model, "--compare", SHIPPED_MODEL)
    assert result.code == 0, result.err
    assert_comparison_table(result.out, model.name, SHIPPED_MODEL.name)


# ---------------------------------------------------------------------------------------------------- training


@pytest.mark.slow
def test_training_on_a_few_dozen_sentences_warns_how_much_more_is_needed(cli, tmp_path):
    target = tmp_path / "small.joblib"
    result = cli("train", "--data", SMALL_DATA, "--output", target, "--seed", "3")
    assert result.code == 0, result.err
    assert target.is_file()
    warnings = [line for line in result.err_lines if line.startswith("警告")]
    assert warnings, result.err
    assert any(re.search(r"还差 ?\d+", line) for line in warnings), warnings
    evaluated = cli("evaluate", "--data", SMALL_DATA, "--model", target)
    assert evaluated.code == 0, evaluated.err
    assert "micro-F1" in evaluated.out


@pytest.mark.slow
def test_corrections_round_trip_through_a_gbk_csv(cli, model, tmp_path):
    """classify → a person corrects two rows by category name and saves in GBK → train --add → the new model
    follows the corrections → evaluate compares it with the old one."""
    old_rows = classify_rows(cli, model)
    by_text = {row["text"]: row for row in old_rows}
    funding = "党建工作经费主要靠上级拨付，来源单一。"
    announcing = "产生问题的原因："
    assert funding in by_text and announcing in by_text
    venue = "阵地建设"
    assert by_text[funding]["labels"].split("|")[0] != venue, "the correction must change something"
    by_text[funding]["role"], by_text[funding]["labels"] = "问题", venue
    by_text[announcing]["role"], by_text[announcing]["labels"] = "其他", ""
    corrections = save_gbk(old_rows, tmp_path / "更正.csv")
    with pytest.raises(UnicodeDecodeError):
        corrections.read_bytes().decode("utf-8")

    new_model = tmp_path / "new.joblib"
    before = digest(SHIPPED_MODEL)
    trained = cli("train", "--data", SMALL_DATA, "--add", corrections, "--output", new_model)
    assert trained.code == 0, trained.err
    assert new_model.is_file()
    assert digest(SHIPPED_MODEL) == before

    new_rows = {row["text"]: row for row in classify_rows(cli, new_model)}
    assert new_rows[funding]["labels"].split("|")[0] == venue, new_rows[funding]
    assert new_rows[announcing]["role"] == "其他" and new_rows[announcing]["labels"] == ""

    compared = cli("evaluate", "--data", SMALL_DATA, "--model", new_model, "--compare", model)
    assert compared.code == 0, compared.err
    assert_comparison_table(compared.out, new_model.name, model.name)


@pytest.mark.slow
def test_audit_lists_sentences_whose_labels_the_model_doubts(cli, tmp_path):
    target = tmp_path / "audit.csv"
    result = cli("audit", "--data", SMALL_DATA, "--output", target, "--margin", "0.6")
    assert result.code == 0, result.err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {"id", "source", "text", "role", "labels", "doubtful_labels", "suggested_labels", "strength"} <= set(
        rows[0] if rows else csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))).fieldnames)
    strengths = [float(row["strength"]) for row in rows]
    assert strengths == sorted(strengths, reverse=True), "worst first"
    assert all(strength >= 0.6 for strength in strengths)
    known = {row["text"] for row in csv.DictReader(io.StringIO(SMALL_DATA.read_text(encoding="utf-8")))}
    assert {row["text"] for row in rows} <= known
