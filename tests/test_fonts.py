"""Tests for classifier.fonts: the font file shipped by mplfonts, and the font subset embedded in HTML pages."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont
from matplotlib.ft2font import FT2Font

from classifier import fonts
from classifier.errors import InputError


def test_font_file_comes_with_the_install_and_covers_every_category_name(taxonomy):
    path = fonts.cjk_font_path()
    assert path.is_file() and "mplfonts" in path.parts
    charmap = FT2Font(str(path)).get_charmap()
    missing = {character for category in taxonomy for character in category.name if ord(character) not in charmap}
    assert not missing


def test_missing_font_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(fonts.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(InputError, match="mplfonts"):
        fonts.cjk_font_path()


def test_web_font_is_a_subset_with_exactly_the_characters_of_the_text():
    text = "党建经费投入不足，保障标准不高。 file_01.txt"
    css = fonts.web_font_css(text)
    assert css.startswith("@font-face") and fonts.WEB_FONT_FAMILY in css
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    assert font.flavor == "woff"
    covered = set(font.getBestCmap())
    assert {ord(character) for character in text if not character.isspace()} <= covered
    assert ord("党") in covered and ord("政") not in covered  # a subset, not the 16 MB font
    assert len(data) < 100_000
