"""Tests for classifier.charts: colours from the taxonomy order, bars that match the statistics, a comparison
panel when reports are grouped, Chinese labels that render (no tofu) as PNG and as inline SVG, and the chart
sink."""

from __future__ import annotations

import io
import struct
import warnings

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from classifier.batch import BatchSummary, finish
from classifier.charts import (
    DPI,
    FIGURE_WIDTH,
    PALETTE,
    ROW_HEIGHT,
    ChartOutput,
    category_colours,
    category_figure,
    chart_png,
    chart_svg,
    svg_element,
)
from classifier.fonts import cjk_font_path
from classifier.statistics import CategoryStatistics
from classifier.taxonomy import Category

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def statistics(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("a.txt", [0, 2], [2], [3], []))
    statistics.add(make_report("b.txt", [2], [9], [0]))
    return statistics


@pytest.fixture
def grouped(taxonomy, make_report):
    statistics = CategoryStatistics(taxonomy)
    statistics.add(make_report("2023/a.txt", [0, 2], [2], [3], []), "2023年")
    statistics.add(make_report("2024/b.txt", [2], [9], [0], [9]), "2024年")
    return statistics


def missing_glyph_warnings(draw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]


def png_size(data):
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def chinese_texts(figure):
    figure.canvas.draw()  # tick labels exist only once drawn
    return [text for text in figure.findobj(Text)
            if text.get_visible() and any(ord(c) > 0x2e80 for c in text.get_text())]


def test_colours_follow_taxonomy_positions(taxonomy):
    colours = category_colours(taxonomy)
    assert list(colours) == [category.id for category in taxonomy]
    assert list(colours.values()) == list(PALETTE[:len(taxonomy)])
    assert len(set(colours.values())) == len(taxonomy)  # the shipped taxonomy fits the palette without repeats


def test_colours_cycle_past_the_palette():
    many = [Category(f"c{i}", f"类{i}") for i in range(len(PALETTE) + 2)]
    colours = category_colours(many)
    assert colours["c0"] == colours[f"c{len(PALETTE)}"] == PALETTE[0]


def test_bars_match_the_problems_and_reports_most_frequent_on_top(statistics):
    figure = category_figure(statistics)
    problem_axes, report_axes = figure.axes
    rows = statistics.rows()[::-1]  # drawn bottom-up
    assert [label.get_text() for label in problem_axes.get_yticklabels()] == [row[1] for row in rows]
    assert [bar.get_width() for bar in problem_axes.patches] == [row[3] for row in rows]
    assert [bar.get_width() for bar in report_axes.patches] == [row[4] for row in rows]
    assert problem_axes.get_yticklabels()[-1].get_text() == "党员教育"  # 3 problems, the most
    colours = category_colours(statistics.categories)
    assert [bar.get_facecolor()[:3] for bar in problem_axes.patches] == [
        tuple(int(colours[row[0]][i:i + 2], 16) / 255 for i in (1, 3, 5)) for row in rows]


def test_grouped_statistics_draw_one_comparison_panel(grouped):
    figure = category_figure(grouped)
    [axes] = figure.axes
    rows = grouped.rows()[::-1]
    groups = sorted(grouped.groups)
    assert len(axes.patches) == len(groups) * len(rows)
    [figure_legend] = figure.legends  # below the plot, outside the axes
    legend = [text.get_text() for text in figure_legend.get_texts()]
    assert len(legend) == 2 and legend[0].startswith("2023年") and legend[1].startswith("2024年")
    for offset, group in enumerate(groups):
        bars = axes.patches[offset * len(rows):(offset + 1) * len(rows)]
        tally = grouped.groups[group]
        assert [bar.get_width() for bar in bars] == pytest.approx([tally.share(row[0]) * 100 for row in rows])
    assert [label.get_text() for label in axes.get_yticklabels()] == [row[1] for row in rows]


def test_every_text_in_the_chart_uses_the_shipped_font_and_it_has_every_glyph(statistics, grouped):
    charmap = FT2Font(str(cjk_font_path())).get_charmap()
    for counted in (statistics, grouped):
        texts = chinese_texts(category_figure(counted))
        assert len(texts) >= len(counted.categories) + 1  # names and the title at least
        for text in texts:
            assert text.get_fontproperties().get_file() == str(cjk_font_path()), text.get_text()
            assert all(ord(c) in charmap for c in text.get_text()), text.get_text()


def test_png_has_sensible_size_and_no_missing_glyphs(statistics):
    data = []
    assert missing_glyph_warnings(lambda: data.append(chart_png(statistics))) == []
    width, height = png_size(data[0])
    assert width == FIGURE_WIDTH * DPI
    assert height == round((ROW_HEIGHT * len(statistics.categories) + 1.4) * DPI)
    assert 10_000 < len(data[0]) < 300_000


def test_grouped_png_is_taller_and_has_no_missing_glyphs(statistics, grouped):
    data = []
    assert missing_glyph_warnings(lambda: data.append(chart_png(grouped))) == []
    assert png_size(data[0])[0] == FIGURE_WIDTH * DPI
    assert png_size(data[0])[1] > png_size(chart_png(statistics))[1]


def test_the_missing_glyph_check_catches_tofu():
    # The check above could fail: the same drawing with a font that has no Chinese warns.
    figure = Figure()
    figure.suptitle("责任落实", fontproperties=FontProperties(family="DejaVu Sans"))
    assert missing_glyph_warnings(lambda: figure.savefig(io.BytesIO(), format="png"))


@pytest.mark.parametrize("which", ["statistics", "grouped"])
def test_svg_is_a_document_with_text_as_outlines(request, which):
    counted = request.getfixturevalue(which)
    svg = []
    assert missing_glyph_warnings(lambda: svg.append(chart_svg(counted))) == []
    element = svg_element(svg[0])
    assert element.startswith("<svg") and element.rstrip().endswith("</svg>")
    assert "<text" not in svg[0]  # drawn as paths: the browser needs no Chinese font for the chart
    assert "<dc:date>" not in svg[0]  # no timestamp: the same data gives the same page
    assert chart_svg(counted) == svg[0]


def test_chart_output_writes_png_or_svg_by_suffix(tmp_path, statistics):
    png, svg = tmp_path / "chart.png", tmp_path / "chart.SVG"
    [message] = finish([ChartOutput(statistics, png)], BatchSummary())
    assert str(png) in message
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    finish([ChartOutput(statistics, svg)], BatchSummary())
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chart.SVG", "chart.png"]
