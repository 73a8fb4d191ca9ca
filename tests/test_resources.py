"""Tests for classifier.resources: the run-time files are found in a checkout, and the wheel carries every one of
them so that an installed tool works from any folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from classifier.resources import PACKAGED, PROJECT_LAYOUT, project_root, resource_path

ROOT = Path(__file__).resolve().parents[1]


def test_every_resource_is_found_in_the_checkout():
    assert project_root() == ROOT
    for name, relative in PROJECT_LAYOUT.items():
        assert resource_path(name) == ROOT / relative
        assert resource_path(name).is_file(), name


def test_pyproject_maps_every_resource_into_the_package():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = text.split("[tool.hatch.build.targets.wheel.force-include]", 1)[1].split("\n[", 1)[0]
    mapped = dict(re.findall(r'^"([^"]+)" = "([^"]+)"$', table, flags=re.MULTILINE))
    assert mapped == {relative: f"classifier/{PACKAGED}/{name}" for name, relative in PROJECT_LAYOUT.items()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder), str(ROOT)],
                   check=True, capture_output=True)
    [built] = folder.glob("classifier-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_package_and_every_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in PROJECT_LAYOUT:
        assert f"classifier/{PACKAGED}/{name}" in names, name
    assert "classifier/cli.py" in names and "classifier/readers/docx.py" in names
    assert not any(name.startswith(("data/", "models/", "tests/")) for name in names)
    assert any(name.endswith("entry_points.txt") for name in names)


@pytest.mark.slow
def test_the_installed_wheel_classifies_the_sample_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = elsewhere / "报告.txt"
    sample.write_bytes((ROOT / "data" / "samples" / "sample_report.txt").read_bytes())
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CLASSIFIER_MODEL")}
    environment["PYTHONPATH"] = str(site)
    found = subprocess.run([sys.executable, "-c", "import classifier.resources as r; print(r.resource_path("
                            "'default.joblib'))"], cwd=elsewhere, env=environment, capture_output=True, text=True)
    assert Path(found.stdout.strip()).is_relative_to(site)
    result = subprocess.run([sys.executable, "-m", "classifier", "classify", "报告.txt"], cwd=elsewhere,
                            env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "二、存在的问题及原因" in result.stdout and "党员教育" in result.stdout
