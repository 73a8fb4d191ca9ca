"""The Chinese font of the charts and the HTML page: Noto Sans CJK SC, as shipped by the mplfonts package.

The font file is found by path inside the installed package, so charts and pages do not depend on the fonts of
the machine (a server or CI machine usually has no Chinese font at all, and matplotlib would draw boxes).
"""

from __future__ import annotations

import base64
import importlib.util
import io
from pathlib import Path

from classifier.errors import InputError

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
WEB_FONT_FAMILY = "Noto Sans CJK SC (subset)"


def cjk_font_path() -> Path:
    """Return the path of the Noto Sans CJK SC font file installed with the mplfonts package."""
    # find_spec locates the package without importing it (its __init__ imports matplotlib and more).
    spec = importlib.util.find_spec(FONT_PACKAGE)
    path = Path(next(iter(spec.submodule_search_locations)), "fonts", FONT_FILE) if spec else None
    if path is None or not path.is_file():
        raise InputError(f"找不到中文字体 {FONT_FILE}（应随 {FONT_PACKAGE} 安装）：请重新安装本工具")
    return path


def web_font_css(text: str) -> str:
    """Return a CSS @font-face rule embedding the font, cut down to the characters of ``text``, as base64 WOFF.

    A page that carries its own subset shows its Chinese on any machine, with no network; the subset for the
    five reports in data/ (about 1,700 different characters) is 270 KB.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False  # browsers rasterise CJK outlines well without hints; dropping them saves space
    # Without the layout tables the subset is cut in about 40% of the time and is half the size: following
    # their substitutions through 65,000 glyphs is slow, and what they add (vertical forms, alternates,
    # Latin kerning) plain horizontal Chinese does not use.
    options.layout_features = []
    options.drop_tables = [*options.drop_tables, "GSUB", "GPOS", "GDEF"]
    font = TTFont(cjk_font_path(), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(character) for character in text if not character.isspace()})
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{WEB_FONT_FAMILY}"; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}')
