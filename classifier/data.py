"""Labelled sentences: reading and checking the CSV, the label matrix, and the passage groups used for folds.

The CSV has columns id, source ("file:line"), text, role (问题/原因/其他) and labels (category ids joined by
"|", empty for none).  Sentences from one corpus line form a passage; passages that share near-duplicate
sentences (the compilation repeats and lightly edits passages) are merged, so that cross-validation never
puts a repeated passage on both sides of a split.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer

from classifier.errors import InputError
from classifier.taxonomy import PROBLEM_ROLES, ROLES

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data" / "labeled" / "sentences.csv"
REQUIRED_COLUMNS = ("id", "source", "text", "role", "labels")
MAX_LABELS = 3
NEAR_DUPLICATE_JACCARD = 0.5


@dataclass(frozen=True)
class LabelledData:
    """Checked labelled sentences with their label matrix (rows x categories) and passage groups."""

    frame: pd.DataFrame
    labels: np.ndarray
    groups: np.ndarray
    sha256: str

    @property
    def texts(self) -> list[str]:
        return self.frame["text"].tolist()

    @property
    def is_problem(self) -> np.ndarray:
        return self.frame["role"].isin(PROBLEM_ROLES).to_numpy()


def read_csv_table(path: Path) -> pd.DataFrame:
    """Read a UTF-8 CSV (a BOM is fine) as strings, empty cells as ""; refuse what is not one clearly."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} 是文件夹，需要一个 CSV 文件") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} 不是 UTF-8 编码的 CSV 文件，请另存为 UTF-8") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"文件为空：{path}") from None
    except (pd.errors.ParserError, OSError) as error:
        message = str(error).replace("\n", " ")
        raise InputError(f"无法读取 CSV 文件 {path}：{message}") from None


def label_matrix(label_cells: list[str], category_ids: list[str]) -> np.ndarray:
    """Turn "id|id" cells into a boolean matrix with one column per category, in ``category_ids`` order."""
    column = {category: index for index, category in enumerate(category_ids)}
    matrix = np.zeros((len(label_cells), len(category_ids)), dtype=bool)
    for row, cell in enumerate(label_cells):
        for label in filter(None, cell.split("|")):
            matrix[row, column[label]] = True
    return matrix


def passage_groups(sources: list[str], texts: list[str]) -> np.ndarray:
    """Number the passages: one per source line, merged where their sentences are near-duplicates."""
    passages = pd.factorize(pd.Series(sources))[0]
    shingles = CountVectorizer(analyzer="char", ngram_range=(3, 3), binary=True, lowercase=False)
    try:
        present = shingles.fit_transform(texts).astype(np.int32)
    except ValueError:  # every text shorter than three characters
        return passages
    shared = (present @ present.T).tocoo()
    sizes = np.asarray(present.sum(axis=1)).ravel()
    union = sizes[shared.row] + sizes[shared.col] - shared.data
    similar = shared.data >= NEAR_DUPLICATE_JACCARD * union
    rows, cols = passages[shared.row[similar]], passages[shared.col[similar]]
    count = passages.max() + 1
    graph = coo_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(count, count))
    return connected_components(graph, directed=False)[1][passages]


def _check_rows(frame: pd.DataFrame, path: Path, category_ids: set[str]) -> None:
    for index, row in frame.iterrows():
        where = f"{path} 第{index + 2}行"  # the header is line 1
        if not row["text"].strip():
            raise InputError(f"{where}：文本为空")
        if row["role"] not in ROLES:
            raise InputError(f"{where}：未知的角色“{row['role']}”，应为 {'、'.join(ROLES)} 之一")
        labels = [label for label in row["labels"].split("|") if label]
        unknown = [label for label in labels if label not in category_ids]
        if unknown:
            raise InputError(f"{where}：未知的类别“{unknown[0]}”，不在分类体系中")
        if row["role"] in PROBLEM_ROLES and not 1 <= len(labels) <= MAX_LABELS:
            raise InputError(f"{where}：{row['role']}句应有 1 到 {MAX_LABELS} 个类别，实有 {len(labels)} 个")
        if row["role"] not in PROBLEM_ROLES and labels:
            raise InputError(f"{where}：“其他”句不应有类别")
        if len(set(labels)) != len(labels):
            raise InputError(f"{where}：类别重复")


def load_labelled(path: Path, category_ids: list[str]) -> LabelledData:
    """Read and check the labelled CSV at ``path`` against the taxonomy's ``category_ids``."""
    frame = read_csv_table(path)
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"{path} 缺少列：{', '.join(missing)}（需要 {', '.join(REQUIRED_COLUMNS)}）")
    if frame.empty:
        raise InputError(f"{path} 没有数据行")
    frame = frame[list(REQUIRED_COLUMNS)].copy()
    frame["role"] = frame["role"].str.strip()
    frame["labels"] = frame["labels"].str.strip()
    _check_rows(frame, path, set(category_ids))
    return LabelledData(
        frame=frame,
        labels=label_matrix(frame["labels"].tolist(), category_ids),
        groups=passage_groups(frame["source"].tolist(), frame["text"].tolist()),
        sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
    )


def read_sentences(path: Path, text_column: str = "text", encoding: str | None = None) -> list[str]:
    """Read sentences to classify: a CSV's ``text_column``, or a text file's non-empty lines."""
    from classifier.reading import MAX_LINE_CHARS, read_report

    path = Path(path)
    if path.suffix.lower() != ".csv":
        return [line.strip() for line in read_report(path, encoding).splitlines() if line.strip()]
    frame = read_csv_table(path)
    if text_column not in frame.columns:
        raise InputError(f"{path} 没有名为“{text_column}”的列（现有列：{', '.join(map(str, frame.columns))}），"
                         f"可用 --text-column 指定")
    texts = frame[text_column].tolist()
    for index, text in enumerate(texts):
        if len(text) > MAX_LINE_CHARS:
            raise InputError(f"{path} 第{index + 2}行：文本长达{len(text)}字，超过上限{MAX_LINE_CHARS}字")
    return texts
