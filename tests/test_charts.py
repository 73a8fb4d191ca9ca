"""Tests for classifier.charts: colours from the taxonomy order, bars that match the statistics, and Chinese
labels that render (no tofu) as PNG and as inline SVG."""

from __future__ import annotations

import io
import struct
import warnings

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from classifier.charts import (
    DPI,
    FIGURE_WIDTH,
    PALETTE,
    ROW_HEIGHT,
    category_colours,
    category_figure,
    chart_png,
    chart_svg,
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


def missing_glyph_warnings(draw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]


def png_size(data):
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_colours_follow_taxonomy_positions(taxonomy):
    colours = category_colours(taxonomy)
    assert list(colours) == [category.id for category in taxonomy]
    assert list(colours.values()) == list(PALETTE[:len(taxonomy)])
    assert len(set(colours.values())) == len(taxonomy)  # the shipped taxonomy fits the palette without repeats


def test_colours_cycle_past_the_palette():
    many = [Category(f"c{i}", f"类{i}") for i in range(len(PALETTE) + 2)]
    colours = category_colours(many)
    assert colours["c0"] == colours[f"c{len(PALETTE)}"] == PALETTE[0]


def test_bars_match_the_statistics_most_frequent_on_top(statistics):
    figure = category_figure(statistics)
    sentence_axes, report_axes = figure.axes
    rows = statistics.rows()[::-1]  # drawn bottom-up
    assert [label.get_text() for label in sentence_axes.get_yticklabels()] == [row[1] for row in rows]
    assert [bar.get_width() for bar in sentence_axes.patches] == [row[2] for row in rows]
    assert [bar.get_width() for bar in report_axes.patches] == [row[3] for row in rows]
    assert sentence_axes.get_yticklabels()[-1].get_text() == "党员教育"  # 3 sentences, the most


def test_every_text_in_the_chart_uses_the_shipped_font_and_it_has_every_glyph(statistics):
    figure = category_figure(statistics)
    figure.canvas.draw()  # tick labels exist only once drawn
    charmap = FT2Font(str(cjk_font_path())).get_charmap()
    chinese_texts = [text for text in figure.findobj(Text)
                     if text.get_visible() and any(ord(c) > 0x2e80 for c in text.get_text())]
    assert len(chinese_texts) >= len(statistics.categories) + 3  # names, two panel titles, the title
    for text in chinese_texts:
        assert text.get_fontproperties().get_file() == str(cjk_font_path()), text.get_text()
        assert all(ord(c) in charmap for c in text.get_text()), text.get_text()


def test_png_has_sensible_size_and_no_missing_glyphs(statistics):
    data = []
    assert missing_glyph_warnings(lambda: data.append(chart_png(statistics))) == []
    width, height = png_size(data[0])
    assert width == FIGURE_WIDTH * DPI
    assert height == round((ROW_HEIGHT * len(statistics.categories) + 1.4) * DPI)
    assert 10_000 < len(data[0]) < 300_000


def test_the_missing_glyph_check_catches_tofu():
    # The check above could fail: the same drawing with a font that has no Chinese warns.
    figure = Figure()
    figure.suptitle("责任落实", fontproperties=FontProperties(family="DejaVu Sans"))
    assert missing_glyph_warnings(lambda: figure.savefig(io.BytesIO(), format="png"))


def test_svg_is_an_inline_element_with_text_as_outlines(statistics):
    svg = []
    assert missing_glyph_warnings(lambda: svg.append(chart_svg(statistics))) == []
    assert svg[0].startswith("<svg") and svg[0].rstrip().endswith("</svg>")
    assert "<text" not in svg[0]  # drawn as paths: the browser needs no Chinese font for the chart
    assert "<dc:date>" not in svg[0]  # no timestamp: the same data gives the same page
