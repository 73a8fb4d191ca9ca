"""The Dask example of README ("Beyond one machine") runs as written and gives the model's own predictions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classifier import load_model

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_dask_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Beyond one machine", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.mark.slow  # imports Dask and the shipped model: most of ten seconds
def test_readme_dask_example(tmp_path, monkeypatch):
    pytest.importorskip("dask.bag")
    lines = ["党建经费投入不足，保障标准不高。", "三会一课制度落实不到位，组织生活流于形式。", "今年共发展党员12名。",
             "对流动党员底数掌握不清，联系不够经常。"]
    (tmp_path / "sentences-1.txt").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    (tmp_path / "sentences-2.txt").write_text("\n\n".join(lines[2:]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(readme_dask_example(), str(README), "exec"), namespace)
    expected = [[category.id for category in found.categories] for found in load_model().predict(lines)]
    assert namespace["categories"] == expected
