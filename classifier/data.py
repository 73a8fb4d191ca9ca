"""Labelled sentences: reading and checking labelled tables, the label matrix, the sentences' context, and the
passage groups that keep cross-validation honest.

A labelled table has columns text, role (问题/原因/其他) and labels (categories joined by "|", by id or by name,
empty for 其他), and usually id, source ("file:line"), note and the sentence's context (heading, part, kind: see
classifier.structure).  It may be a CSV in any Chinese encoding, or the workbook of `stats --xlsx` (its 问题句
sheet), so that the per-sentence output of `classify` or `stats`, corrected, can be trained on as it is.

Where a sentence comes from decides how it is used (ORIGINS): real report sentences are trained on and scored;
text written for training (source "written/…"), paraphrases ("paraphrase:<id of the original>") and the codebook's
examples are trained on but never scored, and a paraphrase always sits in the fold of its original.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer

from classifier.encodings import decode_text
from classifier.errors import InputError, LabelError, UnreadableFileError
from classifier.features import CONTEXT_COLUMNS
from classifier.resources import resource_path
from classifier.sentence_table import SENTENCE_SHEET, canonical_columns
from classifier.structure import KINDS
from classifier.taxonomy import PROBLEM_ROLES, ROLES, Category

SHIPPED_DATA = ("sentences.csv", "written.csv", "paraphrases.csv")
REQUIRED_COLUMNS = ("text", "role", "labels")
COLUMNS = ("id", "source", "text", "role", "labels", "heading", "part", "kind", "origin")
MAX_LABELS = 3
NEAR_DUPLICATE_JACCARD = 0.5
REAL, WRITTEN, PARAPHRASE = "real", "written", "paraphrase"
PARTS = ("问题", "原因", "")
# Below these a model's categories are too thin to trust (README, "train, evaluate, audit").
MIN_PROBLEM_SENTENCES = 400
MIN_PER_CATEGORY = 25


@dataclass(frozen=True)
class LabelledData:
    """Checked labelled sentences: the table (COLUMNS), the label matrix (rows x categories), each row's passage
    group (a paraphrase has its original's; text written for training, -1), and a hash of the files read."""

    frame: pd.DataFrame
    labels: np.ndarray
    groups: np.ndarray
    sha256: str

    @property
    def texts(self) -> list[str]:
        return self.frame["text"].tolist()

    @property
    def roles(self) -> np.ndarray:
        return self.frame["role"].to_numpy()

    @property
    def is_problem(self) -> np.ndarray:
        return self.frame["role"].isin(PROBLEM_ROLES).to_numpy()

    @property
    def scored(self) -> np.ndarray:
        """Rows that measure a model: real report sentences only."""
        return (self.frame["origin"] == REAL).to_numpy()

    @property
    def context(self) -> pd.DataFrame:
        """The model's input for every row: the sentence and its context (classifier.features)."""
        return self.frame[list(CONTEXT_COLUMNS)].reset_index(drop=True)

    def subset(self, rows: np.ndarray) -> LabelledData:
        return LabelledData(self.frame.iloc[rows].reset_index(drop=True), self.labels[rows], self.groups[rows],
                            self.sha256)


def shipped_data_paths() -> list[Path]:
    """The labelled data the shipped model is trained on: real sentences, written text, paraphrases."""
    return [resource_path(name) for name in SHIPPED_DATA]


def origin_of(source: str) -> str:
    """REAL, WRITTEN or PARAPHRASE, from a row's source."""
    if source.startswith("written/"):
        return WRITTEN
    if source.startswith("paraphrase:"):
        return PARAPHRASE
    return REAL


def read_table(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV (any Chinese encoding, detected unless ``encoding`` is given) or a workbook's sentence sheet
    as strings, empty cells as "", columns under their canonical names (classifier.sentence_table)."""
    path = Path(path)
    if path.is_dir():
        raise UnreadableFileError(f"{path} 是文件夹，需要一个 CSV 文件")
    if path.suffix.lower() == ".xlsx":
        frame = _read_workbook(path)
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableFileError(f"找不到文件：{path}") from None
        except OSError as error:
            raise UnreadableFileError(f"读取文件失败：{path}（{error.strerror or error}）") from None
        if not data.strip():
            raise UnreadableFileError(f"文件为空：{path}")
        text = decode_text(data, str(path), encoding)
        try:
            # index_col=False: a trailing comma on the data rows must not turn the first column into an index.
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise UnreadableFileError(f"无法读取 CSV 文件 {path}：{str(error).strip()}".replace("\n", " ")) from None
    frame = frame.rename(columns=canonical_columns(frame.columns))
    repeated = sorted({str(column) for column in frame.columns if list(frame.columns).count(column) > 1})
    if repeated:
        raise LabelError(f"{path} 有重复的列：{'、'.join(repeated)}（如同时有 text 和 句子 两列），请只留一列")
    return frame


def _read_workbook(path: Path) -> pd.DataFrame:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UnreadableFileError(f"找不到文件：{path}") from None
    except (BadZipFile, OSError, KeyError, ValueError):
        raise UnreadableFileError(f"{path} 不是有效的 Excel 工作簿（.xlsx）") from None
    try:
        sheet = workbook[SENTENCE_SHEET] if SENTENCE_SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise UnreadableFileError(f"文件为空：{path}")
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def label_matrix(label_cells: Sequence[str], category_ids: Sequence[str]) -> np.ndarray:
    """Turn "id|id" cells into a boolean matrix with one column per category, in ``category_ids`` order."""
    column = {category: index for index, category in enumerate(category_ids)}
    matrix = np.zeros((len(label_cells), len(category_ids)), dtype=bool)
    for row, cell in enumerate(label_cells):
        for label in filter(None, cell.split("|")):
            matrix[row, column[label]] = True
    return matrix


def passage_groups(sources: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Number the passages: one per source line, merged where their sentences are near-duplicates."""
    passages = pd.factorize(pd.Series(list(sources), dtype=object))[0]
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


def check_labelled(frame: pd.DataFrame, path: Path, categories: Sequence[Category]) -> pd.DataFrame:
    """Check a labelled table and return it in COLUMNS, labels as ids; raise LabelError naming the row."""
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise LabelError(f"{path} 缺少列：{', '.join(missing)}（至少需要 {', '.join(REQUIRED_COLUMNS)}）")
    frame = frame.copy()
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = frame[column].astype(str).str.strip()
    if "file" in frame.columns and "line" in frame.columns:
        located = frame["source"] == ""
        frame.loc[located, "source"] = (frame.loc[located, "file"].astype(str) + ":"
                                        + frame.loc[located, "line"].astype(str))
    by_name = {category.name: category.id for category in categories}
    ids = {category.id for category in categories}
    valid = "、".join(category.name for category in categories)
    checked_labels = []
    for index, row in enumerate(frame.itertuples(index=False), start=2):  # the header is line 1
        where = f"{path} 第{index}行"
        if not row.text:
            raise LabelError(f"{where}：文本为空")
        if row.role not in ROLES:
            raise LabelError(f"{where}：未知的角色“{row.role}”，应为 {'、'.join(ROLES)} 之一")
        labels = [by_name.get(label.strip(), label.strip())
                  for label in re.split(r"[|｜]", row.labels) if label.strip()]
        unknown = [label for label in labels if label not in ids]
        if unknown:
            raise LabelError(f"{where}：未知的类别“{unknown[0]}”，可用的类别：{valid}")
        if row.role in PROBLEM_ROLES and not 1 <= len(labels) <= MAX_LABELS:
            raise LabelError(f"{where}：{row.role}句应有 1 到 {MAX_LABELS} 个类别，实有 {len(labels)} 个")
        if row.role not in PROBLEM_ROLES and labels:
            raise LabelError(f"{where}：“其他”句不应有类别（如果它说的是问题，请把角色改为 问题）")
        if len(set(labels)) != len(labels):
            raise LabelError(f"{where}：类别重复")
        if row.part not in PARTS or row.kind not in ("", *KINDS):
            raise LabelError(f"{where}：上下文列不正确（part 应为 问题、原因 或空，kind 应为 {'、'.join(KINDS)} 或空）")
        checked_labels.append("|".join(labels))
    frame["labels"] = checked_labels
    frame["origin"] = [origin_of(source) for source in frame["source"]]
    return frame[list(COLUMNS)].reset_index(drop=True)


def load_labelled(paths: Path | Sequence[Path], categories: Sequence[Category], encoding: str | None = None,
                  corrections: Sequence[Path] = ()) -> LabelledData:
    """Read and check labelled tables against the taxonomy's ``categories``.

    A sentence (same text, spaces and punctuation aside) is kept once: from ``paths``, its first appearance; a
    sentence of ``corrections`` replaces it wherever it was.
    """
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(path) for path in paths]
    digest = hashlib.sha256()
    frames = []
    for group in (paths, [Path(path) for path in corrections]):
        tables = []
        for path in group:
            table = read_table(path, encoding)
            if table.empty:
                raise LabelError(f"{path} 没有数据行")
            tables.append(check_labelled(table, path, categories))
            digest.update(path.read_bytes())
        if tables:
            frame = pd.concat(tables, ignore_index=True)
            frames.append(frame[~frame["text"].map(_normalised).duplicated(keep="last" if frames else "first")])
    frame = pd.concat(frames, ignore_index=True)
    keys = frame["text"].map(_normalised)
    replaced = keys.duplicated(keep="last").to_numpy()
    # A correction keeps the id of the sentence it replaces, and that sentence's paraphrases, which carry the old
    # labels, go with it.
    replaced_ids = dict(zip(keys[replaced], frame["id"][replaced], strict=True))
    kept = frame[~replaced].reset_index(drop=True)
    ids = [replaced_ids.get(key) or row_id for key, row_id in zip(keys[~replaced], kept["id"], strict=True)]
    kept["id"] = [row_id or f"row{index + 1}" for index, row_id in enumerate(ids)]
    stale = {f"paraphrase:{row_id}" for row_id in replaced_ids.values() if row_id}
    frame = kept[~kept["source"].isin(stale)].reset_index(drop=True)
    return LabelledData(frame=frame, labels=label_matrix(frame["labels"].tolist(), [c.id for c in categories]),
                        groups=_groups(frame), sha256=digest.hexdigest())


def data_warnings(data: LabelledData, categories: Sequence[Category]) -> list[str]:
    """Say, in Chinese, where labelled data is too thin for a model to be trusted, and how much more is needed."""
    problems = data.is_problem
    messages = []
    if problems.sum() < MIN_PROBLEM_SENTENCES:
        messages.append(f"只有 {int(problems.sum())} 句问题/原因句，训练出的模型不可靠："
                        f"建议至少 {MIN_PROBLEM_SENTENCES} 句"
                        f"（还差 {MIN_PROBLEM_SENTENCES - int(problems.sum())} 句），或用 --add 在随附数据上追加")
    counts = data.labels[problems].sum(axis=0)
    thin = [f"{category.name} {int(count)} 句" for category, count in zip(categories, counts, strict=True)
            if count < MIN_PER_CATEGORY]
    if thin:
        messages.append(f"这些类别的例句少于 {MIN_PER_CATEGORY} 句，模型很难学会：{'、'.join(thin)}")
    return messages


def _groups(frame: pd.DataFrame) -> np.ndarray:
    groups = np.full(len(frame), -1)
    real = (frame["origin"] == REAL).to_numpy()
    if real.any():
        groups[real] = passage_groups(frame.loc[real, "source"].tolist(), frame.loc[real, "text"].tolist())
    by_id = dict(zip(frame["id"], groups, strict=True))
    for index, (origin, source) in enumerate(zip(frame["origin"], frame["source"], strict=True)):
        if origin == PARAPHRASE:
            groups[index] = by_id.get(source.removeprefix("paraphrase:"), -1)
    return groups


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def read_sentences(path: Path, text_column: str = "text", encoding: str | None = None) -> list[str]:
    """Read sentences to classify: a CSV's ``text_column``, or a text file's non-empty lines."""
    from classifier.readers import MAX_LINE_CHARS, read_report

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return [line.strip() for line in read_report(path, encoding).splitlines() if line.strip()]
    frame = read_table(path, encoding)
    column = canonical_columns([text_column])[text_column]
    if column not in frame.columns:
        raise InputError(f"{path} 没有名为“{text_column}”的列（现有列：{', '.join(map(str, frame.columns))}），"
                         f"可用 --text-column 指定")
    texts = frame[column].astype(str).tolist()
    for index, text in enumerate(texts):
        if len(text) > MAX_LINE_CHARS:
            raise UnreadableFileError(f"{path} 第{index + 2}行：文本长达{len(text)}字，超过上限{MAX_LINE_CHARS}字")
    return texts
