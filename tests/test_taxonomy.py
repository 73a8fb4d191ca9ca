"""Tests for classifier.taxonomy: the codebook in data/taxonomy.yaml and refusals of broken codebooks."""

from __future__ import annotations

import re

import pytest

from classifier.errors import InputError
from classifier.resources import resource_path
from classifier.taxonomy import Category, codebook_examples, load_taxonomy

_CJK = re.compile(r"[\u4e00-\u9fff]")

GOOD = """\
categories:
  - id: responsibility
    name: 责任落实
    cues: [主体责任, 一岗双责]
    examples: [主体责任落实不到位]
  - id: education
    name: 党员教育
"""


def refusal(path):
    with pytest.raises(InputError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    assert _CJK.search(message)
    return message


def test_default_codebook():
    categories = load_taxonomy()
    assert len(categories) == 13
    ids = [category.id for category in categories]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z_]+", category_id) for category_id in ids)
    assert all(_CJK.search(category.name) for category in categories)
    assert categories[0] == load_taxonomy(resource_path("taxonomy.yaml"))[0]


def test_default_codebook_cues():
    categories = {category.id: category for category in load_taxonomy()}
    assert categories.pop("other").cues == ()  # a catch-all has no typical words
    assert all(category.cues and all(category.cues) for category in categories.values())


def test_small_codebook(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_taxonomy(path) == [
        Category(id="responsibility", name="责任落实", cues=("主体责任", "一岗双责"), examples=("主体责任落实不到位",)),
        Category(id="education", name="党员教育"),
    ]


def test_default_codebook_examples_are_problem_statements_of_their_category():
    categories = load_taxonomy()
    assert all(category.examples for category in categories)
    texts, labels = codebook_examples(categories)
    assert len(texts) == len(set(texts)) == sum(len(category.examples) for category in categories)
    assert (labels.sum(axis=1) == 1).all()
    for text, row in zip(texts, labels, strict=True):
        assert text in categories[row.argmax()].examples


def test_codebook_examples_of_categories_without_examples():
    texts, labels = codebook_examples([Category("a", "甲"), Category("b", "乙", examples=("乙不足", "乙缺失"))])
    assert texts == ["乙不足", "乙缺失"]
    assert labels.tolist() == [[False, True], [False, True]]


def test_missing_file(tmp_path):
    message = refusal(tmp_path / "nowhere.yaml")
    assert "无法读取" in message


@pytest.mark.parametrize("content", [
    "categories: [unclosed\n  - id: x",
    "categories:\n  - id: a\n   name: 乙\n  name: 丙",
    "",
    "just a string",
    "[1, 2]",
    "categories:\n  - id: a\n",  # no name
    "categories: 42\n",
])
def test_malformed_codebook(tmp_path, content):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(content, encoding="utf-8")
    assert "格式不正确" in refusal(path)


def test_duplicate_ids(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(GOOD + "  - id: education\n    name: 另一个\n", encoding="utf-8")
    assert "重复" in refusal(path)


def test_no_categories(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text("categories: []\n", encoding="utf-8")
    assert "没有类别" in refusal(path)


def test_folder_instead_of_file(tmp_path):
    refusal(tmp_path)


def test_codebook_not_in_utf8(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    refusal(path)
