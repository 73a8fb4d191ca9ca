"""Grouping reports for comparison: by the first folder level below each folder given (村/乡镇/学校…, or one
folder per year), or by a table that names each file's group (unit type, town, year…)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from classifier.errors import InputError

FOLDER = "folder"
UNGROUPED = "（未分组）"


class Grouping:
    """Which group each report belongs to: by folder (``roots``) or by a table (``table``: file -> group, the
    file as the table writes it: a path, relative to the working folder or to the table's folder, or a name)."""

    def __init__(self, roots: Iterable[Path] = (), table: Mapping[str, str] | None = None,
                 table_folder: Path | None = None) -> None:
        self.roots = tuple(Path(os.path.abspath(root)) for root in roots)
        self.by_table = table is not None
        self.table: dict[str, str] = {}
        for file, group in (table or {}).items():
            for key in _keys(Path(file), table_folder):
                self.table.setdefault(key, group)

    def group_of(self, path: Path) -> str:
        """The group of the report at ``path`` (UNGROUPED when it has none)."""
        if self.by_table:
            return next((self.table[key] for key in _keys(Path(path)) if key in self.table), UNGROUPED)
        resolved = Path(os.path.abspath(path))
        for root in self.roots:
            try:
                relative = resolved.relative_to(root)
            except ValueError:
                continue
            return relative.parts[0] if len(relative.parts) > 1 else UNGROUPED
        return UNGROUPED


def _keys(path: Path, folder: Path | None = None) -> list[str]:
    """The ways a file can be matched: its absolute path (from the working folder, and from ``folder``), its path
    as written, its name; case-folded where the file system ignores case (Windows)."""
    keys = [os.path.abspath(path), os.path.normpath(path), path.name]
    if folder is not None and not path.is_absolute():
        keys.append(os.path.abspath(folder / path))
    return [os.path.normcase(key) for key in keys]


def grouping_for(spec: str, paths: Sequence[Path]) -> Grouping:
    """The grouping ``--group-by`` asks for: "folder", or a CSV file (any Chinese encoding) with columns file and
    group."""
    if spec == FOLDER:
        return Grouping(roots=[Path(path) for path in paths if Path(path).is_dir()])
    from classifier.data import read_table

    path = Path(spec)
    if not path.is_file():
        raise InputError(f"--group-by 应为 folder 或一个 CSV 文件（列 file、group），找不到文件：{spec}")
    frame = read_table(path)
    missing = [column for column in ("file", "group") if column not in frame.columns]
    if missing:
        raise InputError(f"{path} 缺少列：{', '.join(missing)}（分组表需要 file、group 两列）")
    rows = [(str(file).strip(), str(group).strip()) for file, group in zip(frame["file"], frame["group"], strict=True)
            if str(file).strip()]
    empty = [file for file, group in rows if not group]
    if empty:
        raise InputError(f"{path} 中 {empty[0]} 的 group 为空")
    return Grouping(table=dict(rows), table_folder=path.parent)
