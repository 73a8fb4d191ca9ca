"""The category chart (matplotlib, drawn without a screen) as PNG or SVG, and the colour of each category.

A category's colour comes from a fixed palette indexed by its position in the taxonomy, so it is the same in the
chart, the HTML page and every run made with the same taxonomy.  matplotlib is imported only when a chart is drawn,
which keeps the start of the other commands fast.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from classifier.fonts import cjk_font_path
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
    """Two horizontal bar panels sharing the category axis: sentences per category, and reports with it.

    Categories are sorted by sentence count, the most frequent at the top.
    """
    from matplotlib.figure import Figure  # a bare Figure draws with Agg (PNG) or the SVG backend, no GUI
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=cjk_font_path())
    colours = category_colours(statistics.categories)
    rows = statistics.rows()[::-1]  # barh draws bottom-up; the most frequent category goes on top
    names = [name for _, name, *_ in rows]
    figure = Figure(figsize=(FIGURE_WIDTH, ROW_HEIGHT * len(rows) + 1.4), dpi=DPI, layout="constrained")
    sentence_axes, report_axes = figure.subplots(1, 2, sharey=True)
    for axes, column, title in ((sentence_axes, 2, "句数"), (report_axes, 3, "报告数")):
        values = [row[column] for row in rows]
        bars = axes.barh(names, values, color=[colours[row[0]] for row in rows])
        axes.bar_label(bars, padding=3, fontproperties=font)
        axes.set_title(title, fontproperties=font, fontsize=12)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(max(values, default=0), 1) * 1.15)  # room for the value labels
        axes.spines[["top", "right"]].set_visible(False)
        for label in axes.get_yticklabels():
            label.set_fontproperties(font)
            label.set_fontsize(11)
    figure.suptitle(f"各类问题：句数与报告数（{len(statistics.per_report)} 份报告，"
                    f"{statistics.categorised_sentences} 句有类别）", fontproperties=font, fontsize=13)
    return figure


def chart_png(statistics: CategoryStatistics) -> bytes:
    """The category chart as PNG bytes (1000 pixels wide)."""
    buffer = io.BytesIO()
    category_figure(statistics).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_svg(statistics: CategoryStatistics) -> str:
    """The category chart as an <svg> element to put inside an HTML page (text drawn as outlines)."""
    from matplotlib import rc_context

    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "path"}):  # outlines need no font in the browser
        category_figure(statistics).savefig(buffer, format="svg", metadata={"Date": None})
    document = buffer.getvalue().decode("utf-8")
    return document[document.index("<svg"):]  # drop the XML declaration and doctype, which HTML does not take
