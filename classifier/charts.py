"""The category chart (matplotlib, drawn without a screen) as PNG or SVG, and the colour of each category.

A category's colour comes from a fixed palette indexed by its position in the taxonomy, so it is the same in the
chart, the HTML page and every run made with the same taxonomy.  matplotlib is imported only when a chart is drawn,
which keeps the start of the other commands fast.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from classifier.batch import BatchSummary
from classifier.fonts import cjk_font_path
from classifier.output import StagedFiles
from classifier.reports import ReportResult
from classifier.statistics import CategoryStatistics
from classifier.taxonomy import Category

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Distinct hues, dark enough for white-on-colour tags and for bars; grey is left for "no category".
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#17becf", "#9c755f", "#d6a300",
           "#ff6f91", "#1f7a5c", "#8cb63c", "#7b4173", "#e8743b", "#2f4b7c", "#a05195", "#636efa")
FIGURE_WIDTH = 10.0  # inches
ROW_HEIGHT = 0.42  # inches per category
DPI = 100


def category_colours(categories: Sequence[Category]) -> dict[str, str]:
    """Map each category id to its colour: the palette entry at the category's taxonomy position (cycling)."""
    return {category.id: PALETTE[index % len(PALETTE)] for index, category in enumerate(categories)}


def category_figure(statistics: CategoryStatistics) -> Figure:
    """Two horizontal bar panels sharing the category axis: problems per category, and reports with it; with
    groups, one panel comparing the groups' shares of problems per category instead.

    Categories are sorted by number of problems, the most frequent at the top.
    """
    from matplotlib.figure import Figure  # a bare Figure draws with Agg (PNG) or the SVG backend, no GUI
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=cjk_font_path())
    rows = statistics.rows()[::-1]  # barh draws bottom-up; the most frequent category goes on top
    names = [name for _, name, *_ in rows]
    figure = Figure(figsize=(FIGURE_WIDTH, ROW_HEIGHT * len(rows) * (1 + 0.35 * len(statistics.groups)) + 1.4),
                    dpi=DPI, layout="constrained")
    if statistics.groups:
        _group_panel(figure, statistics, rows, names, font)
    else:
        _count_panels(figure, statistics, rows, names, font)
    return figure


def _count_panels(figure: Figure, statistics: CategoryStatistics, rows: list, names: list[str], font) -> None:
    from matplotlib.ticker import MaxNLocator

    colours = category_colours(statistics.categories)
    problem_axes, report_axes = figure.subplots(1, 2, sharey=True)
    for axes, column, title in ((problem_axes, 3, "问题数"), (report_axes, 4, "报告数")):
        values = [row[column] for row in rows]
        bars = axes.barh(names, values, color=[colours[row[0]] for row in rows])
        axes.bar_label(bars, padding=3, fontproperties=font)
        axes.set_title(title, fontproperties=font, fontsize=12)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(max(values, default=0), 1) * 1.15)  # room for the value labels
        _style(axes, font)
    figure.suptitle(f"各类问题：问题数与报告数（{statistics.total.report_count} 份报告，"
                    f"{statistics.total.categorised_problems} 个问题有类别）", fontproperties=font, fontsize=13)


def _group_panel(figure: Figure, statistics: CategoryStatistics, rows: list, names: list[str], font) -> None:
    import numpy as np

    axes = figure.subplots(1, 1)
    groups = sorted(statistics.groups)
    height = 0.8 / len(groups)
    positions = np.arange(len(rows))
    for offset, group in enumerate(groups):
        tally = statistics.groups[group]
        shares = [tally.share(row[0]) * 100 for row in rows]
        # The first group on top of each category's bars, as it is first in the legend.
        bars = axes.barh(positions - (offset - (len(groups) - 1) / 2) * height, shares, height=height,
                         color=PALETTE[offset % len(PALETTE)],
                         label=f"{group}（{tally.report_count} 份报告，{tally.categorised_problems} 个问题）")
        axes.bar_label(bars, labels=[f"{tally.problems[row[0]]}" for row in rows], padding=2, fontproperties=font,
                       fontsize=8)
    axes.set_yticks(positions, names)
    axes.set_xlabel("占本组有类别问题的百分比（条末数字为问题数）", fontproperties=font)
    figure.legend(prop=font, loc="outside lower center", ncols=2, frameon=False)
    _style(axes, font)
    figure.suptitle("各组问题类别对比", fontproperties=font, fontsize=13)


def _style(axes, font) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
        label.set_fontsize(11)


def chart_png(statistics: CategoryStatistics) -> bytes:
    """The category chart as PNG bytes (1000 pixels wide)."""
    buffer = io.BytesIO()
    category_figure(statistics).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_svg(statistics: CategoryStatistics) -> str:
    """The category chart as an SVG document, its text drawn as outlines (it needs no font where it is shown)."""
    from matplotlib import rc_context

    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "classifier"}):
        category_figure(statistics).savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")


def svg_element(document: str) -> str:
    """The <svg> element of an SVG document, to put inside an HTML page (HTML takes no XML declaration)."""
    return document[document.index("<svg"):]


CHART_SUFFIXES = (".png", ".svg")


class ChartOutput:
    """The chart sink of `stats`: PNG or SVG, by the file's suffix."""

    def __init__(self, statistics: CategoryStatistics, path: Path) -> None:
        self.statistics = statistics
        self.path = Path(path)

    def add(self, result: ReportResult, group: str) -> None:
        pass  # drawn from the shared CategoryStatistics

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        if self.path.suffix.lower() == ".svg":
            files.write_text(self.path, chart_svg(self.statistics))
        else:
            files.write_bytes(self.path, chart_png(self.statistics))
        return [f"已写入 {self.path}"]
