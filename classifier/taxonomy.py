"""The taxonomy of problem categories, read from the codebook (data/taxonomy.yaml, shipped inside the package);
nothing else names them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from classifier.errors import InputError
from classifier.resources import resource_path

ROLES = ("问题", "原因", "其他")
PROBLEM_ROLES = ("问题", "原因")


@dataclass(frozen=True)
class Category:
    """One category: a stable English id, its Chinese name and the reading aids of the codebook.

    ``cues`` are typical words (the rule baseline and the model's cue features use them); ``examples`` are the
    codebook's typical problem statements, which the model also learns from.
    """

    id: str
    name: str
    covers: str = ""
    cues: tuple[str, ...] = field(default_factory=tuple)
    examples: tuple[str, ...] = field(default_factory=tuple)


def load_taxonomy(path: Path | None = None) -> list[Category]:
    """Return the categories of the codebook at ``path`` (default: the shipped one), in codebook order."""
    path = path or resource_path("taxonomy.yaml")
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        categories = [
            Category(id=str(entry["id"]), name=str(entry["name"]), covers=str(entry.get("covers", "")),
                     cues=tuple(str(cue) for cue in entry.get("cues") or ()),
                     examples=tuple(str(example) for example in entry.get("examples") or ()))
            for entry in document["categories"]
        ]
    except OSError as error:
        raise InputError(f"无法读取分类体系文件 {path}：{error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputError(f"分类体系文件 {path} 不是 UTF-8 编码") from None
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise InputError(f"分类体系文件 {path} 格式不正确：{type(error).__name__} {error}".replace("\n", " ")) from None
    ids = [category.id for category in categories]
    if not ids or len(set(ids)) != len(ids):
        raise InputError(f"分类体系文件 {path} 没有类别或类别 id 重复")
    return categories


def codebook_examples(categories: list[Category]) -> tuple[list[str], np.ndarray]:
    """Return the codebook's example problem statements and their label matrix (one category each)."""
    texts = [example for category in categories for example in category.examples]
    labels = np.zeros((len(texts), len(categories)), dtype=bool)
    row = 0
    for column, category in enumerate(categories):
        labels[row:row + len(category.examples), column] = True
        row += len(category.examples)
    return texts, labels
