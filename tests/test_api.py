"""The public API: the names README documents import from the package, lazily, and README's example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import classifier

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme_library_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Library", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_every_public_name_is_importable():
    for name in classifier.__all__:
        assert getattr(classifier, name) is not None, name
    with pytest.raises(AttributeError):
        classifier.no_such_name  # noqa: B018


def test_importing_the_package_loads_no_model_library():
    code = "import sys, classifier; print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_readme_library_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CLASSIFIER_MODEL", raising=False)
    exec(compile(readme_library_example(), str(README), "exec"), {"__name__": "readme_example"})
    printed = capsys.readouterr().out.splitlines()
    assert any("经费保障" in line or "党员教育" in line for line in printed[:-1])
    assert printed[-1].startswith(("问题", "原因")) and "funding" in printed[-1]


def test_analyse_text_and_the_model_variable(monkeypatch, tmp_path, small_model):
    from classifier.model import save_model

    path = tmp_path / "mine.joblib"
    save_model(small_model, path)
    monkeypatch.setenv("CLASSIFIER_MODEL", str(path))
    assert classifier.default_model_path() == path
    result = classifier.analyse_text("二、存在的问题\n理论学习不够深入，学习方式单一。\n三、下一步打算\n加强学习。\n",
                                     name="甲")
    assert [sentence.text for sentence in result.sentences] == ["理论学习不够深入，学习方式单一。"]
    assert result.sections[0].heading == "二、存在的问题"
