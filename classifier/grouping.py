"""Grouping reports for comparison: by the first folder level below each folder given (村/乡镇/学校…, or one
folder per year), or by a table that names each file's group (unit type, town, year…)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from classifier.errors import InputError

FOLDER = "folder"
UNGROUPED = "（未分组）"


@dataclass(frozen=True)
class Grouping:
    """Which group each report belongs to: by folder (``roots``) or by a table (``table``: file -> group)."""

    roots: tuple[Path, ...] = ()
    table: tuple[tuple[str, str], ...] = ()

    def group_of(self, path: Path) -> str:
        """The group of the report at ``path`` (UNGROUPED when it has none)."""
        if self.table:
            groups = dict(self.table)
            for key in (str(path), os.path.normpath(path), path.name):
                if key in groups:
                    return groups[key]
            return UNGROUPED
        resolved = Path(os.path.abspath(path))
        for root in self.roots:
            try:
                relative = resolved.relative_to(Path(os.path.abspath(root)))
            except ValueError:
                continue
            return relative.parts[0] if len(relative.parts) > 1 else UNGROUPED
        return UNGROUPED


def grouping_for(spec: str, paths: Sequence[Path], encoding: str | None = None) -> Grouping:
    """The grouping ``--group-by`` asks for: "folder", or a CSV file with columns file and group."""
    if spec == FOLDER:
        return Grouping(roots=tuple(Path(path) for path in paths if Path(path).is_dir()))
    from classifier.data import read_table

    path = Path(spec)
    if not path.is_file():
        raise InputError(f"--group-by 应为 folder 或一个 CSV 文件（列 file、group），找不到文件：{spec}")
    frame = read_table(path, encoding)
    missing = [column for column in ("file", "group") if column not in frame.columns]
    if missing:
        raise InputError(f"{path} 缺少列：{', '.join(missing)}（分组表需要 file、group 两列）")
    rows = [(str(file).strip(), str(group).strip()) for file, group in zip(frame["file"], frame["group"], strict=True)
            if str(file).strip()]
    empty = [file for file, group in rows if not group]
    if empty:
        raise InputError(f"{path} 中 {empty[0]} 的 group 为空")
    keys = [(key, group) for file, group in rows for key in {file, os.path.normpath(file)}]
    return Grouping(table=tuple(keys))
