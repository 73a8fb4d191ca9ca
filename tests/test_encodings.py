"""Tests for classifier.encodings: text files in the encodings units use, detected and decoded strictly.

Strictly means never lossy: a file is either returned exactly as written (less its BOM) or refused; nothing is
replaced or dropped.  Binary content is refused; when no candidate decodes cleanly the message asks for
--encoding; an explicit encoding is applied strictly.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.encodings import decode_text
from classifier.errors import InputError, UnreadableFileError

NAME = "材料/第一党支部 述职报告.txt"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

SIMPLIFIED_SENTENCES = [
    "一、存在的主要问题",
    "（一）理论学习不够深入。对党的创新理论学得不够系统，满足于读原文、记笔记，联系本单位实际思考不够。",
    "（二）组织生活质量不高。“三会一课”有时流于形式，批评与自我批评辣味不足，党员作用发挥不明显。",
    "（三）为民服务意识不强。深入基层调研次数偏少，对群众反映的急难愁盼问题回应不够及时。",
    "二、原因分析",
    "主要是管党治党的责任压得不实，抓党建的精力投入不够，存在重业务轻党建的倾向。",
    "三、下一步打算",
    "坚持把党的政治建设摆在首位，每月开展一次集中学习，年底前完成支部标准化建设。",
]
SIMPLIFIED = "\n".join(SIMPLIFIED_SENTENCES) + "\n"

# Written for these tests in traditional characters, as a unit in Hong Kong, Macao or Taiwan would hand it in.
TRADITIONAL_SENTENCES = [
    "一、存在的主要問題",
    "（一）理論學習不夠深入。對黨的創新理論學得不夠系統，滿足於讀原文、記筆記，聯繫本單位實際思考不夠。",
    "（二）組織生活品質不高。「三會一課」有時流於形式，批評與自我批評辣味不足，黨員作用發揮不明顯。",
    "（三）服務群眾意識不強。深入基層調研次數偏少，對群眾反映的問題回應不夠及時。",
    "二、原因分析",
    "主要是管黨治黨的責任壓得不實，抓黨建的精力投入不夠，存在重業務輕黨建的傾向。",
    "三、下一步打算",
    "堅持把黨的政治建設擺在首位，每月開展一次集中學習，年底前完成支部規範化建設。",
]
TRADITIONAL = "\n".join(TRADITIONAL_SENTENCES) + "\n"


def refused(data: bytes, encoding: str | None = None) -> str:
    """Decode expecting a refusal: an UnreadableFileError with one line of Chinese naming the file."""
    with pytest.raises(InputError) as caught:
        decode_text(data, NAME, encoding)
    assert isinstance(caught.value, UnreadableFileError), type(caught.value)
    message = str(caught.value)
    assert NAME in message and "\n" not in message and CHINESE.search(message), message
    return message


def test_fixtures_are_in_their_encodings() -> None:
    assert TRADITIONAL.encode("big5").decode("big5") == TRADITIONAL
    with pytest.raises(UnicodeEncodeError):
        TRADITIONAL.encode("gb2312")  # really traditional: GB2312 has no 黨 or 問題
    with pytest.raises(UnicodeEncodeError):
        SIMPLIFIED.encode("big5")  # really simplified: Big5 has no 党


# --- detection


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8")),
        (SIMPLIFIED, b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8")),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16")),  # with a BOM, in the machine's byte order
        (SIMPLIFIED, b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le")),
        (SIMPLIFIED, b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be")),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-le")),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-be")),
        (SIMPLIFIED, SIMPLIFIED.encode("gb18030")),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk")),
        (SIMPLIFIED, SIMPLIFIED.encode("gb2312")),
        (TRADITIONAL, TRADITIONAL.encode("big5")),
        (TRADITIONAL, TRADITIONAL.encode("utf-8")),
        (TRADITIONAL, TRADITIONAL.encode("gb18030")),  # traditional characters written by Chinese Windows
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be",
         "gb18030", "gbk", "gb2312", "big5", "traditional-utf-8", "traditional-gb18030"],
)
def test_encodings_are_detected(text: str, data: bytes) -> None:
    assert decode_text(data, NAME) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_with_windows_line_breaks(codec: str) -> None:
    text = SIMPLIFIED.replace("\n", "\r\n")
    assert decode_text(text.encode(codec), NAME) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_long_paragraphs(codec: str) -> None:
    # Few ASCII characters: one line break per long paragraph, Chinese punctuation throughout.
    text = "\n".join(sentence * 3 for sentence in SIMPLIFIED_SENTENCES if len(sentence) > 20) + "\n"
    assert decode_text(text.encode(codec), NAME) == text


def test_utf16_without_bom_whose_bytes_all_look_like_ascii() -> None:
    # Every byte of this text in UTF-16-LE is below 0x80, so its bytes are also valid (NUL-laden) UTF-8.
    text = "学习不够。\n"
    data = text.encode("utf-16-le")
    assert max(data) < 0x80
    assert decode_text(data, NAME) == text


@pytest.mark.parametrize("text", ["党支部书记述职报告\n", "存在的问题：理论学习不够深入。\n", "二、原因分析"])
def test_short_gbk_text_is_detected(text: str) -> None:
    assert decode_text(text.encode("gbk"), NAME) == text


@pytest.mark.parametrize("text", ["黨支部書記述職報告\n", "存在的問題：理論學習不夠深入。\n", "組織生活品質不高"])
def test_short_big5_text_is_detected(text: str) -> None:
    assert decode_text(text.encode("big5"), NAME) == text


def test_gb18030_four_byte_characters_are_kept() -> None:
    # 𠮷 and 㐀 are outside GBK: GB18030 writes them in four bytes.
    text = "三、基层治理\n𠮷祥村党支部书记刘㐀同志联系群众不够紧密。\n" + SIMPLIFIED
    data = text.encode("gb18030")
    assert len("𠮷".encode("gb18030")) == len("㐀".encode("gb18030")) == 4
    assert decode_text(data, NAME) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([(SIMPLIFIED_SENTENCES, "gb18030"), (SIMPLIFIED_SENTENCES, "gbk"), (TRADITIONAL_SENTENCES, "big5"),
                     (SIMPLIFIED_SENTENCES, "utf-8"), (TRADITIONAL_SENTENCES, "utf-8")]).flatmap(
        lambda pair: st.tuples(st.lists(st.sampled_from(pair[0]), min_size=2, max_size=8), st.just(pair[1]))),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_report_of_these_sentences_comes_back_exactly(sentences_and_codec: tuple[list[str], str],
                                                            newline: str) -> None:
    sentences, codec = sentences_and_codec
    text = newline.join(sentences) + newline
    assert decode_text(text.encode(codec), NAME) == text


# --- never lossy


def test_bom_is_removed_and_nothing_else() -> None:
    text = "\ufeff" + SIMPLIFIED
    assert decode_text(text.encode("utf-8"), NAME) == SIMPLIFIED
    assert decode_text(("\u3000\u3000" + SIMPLIFIED).encode("utf-8-sig"), NAME) == "\u3000\u3000" + SIMPLIFIED


def test_tabs_and_word_line_breaks_are_text() -> None:
    text = "序号\t问题\n1\t理论学习不够深入\v联系实际不够\f\n"
    for codec in ("utf-8", "gb18030"):
        assert decode_text(text.encode(codec), NAME) == text


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_one_bad_byte_is_refused_not_replaced(codec: str) -> None:
    text = SIMPLIFIED if codec == "gb18030" else TRADITIONAL
    data = text.encode(codec)
    middle = len(data) // 2 - (len(data) // 2) % 2
    damaged = data[:middle] + b"\xff" + data[middle:]
    assert "--encoding" in refused(damaged)


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_report_cut_in_the_middle_of_a_character_is_refused(codec: str) -> None:
    text = (SIMPLIFIED if codec == "gb18030" else TRADITIONAL).rstrip("\n")
    data = text.encode(codec)[:-1]
    assert "--encoding" in refused(data)


def test_utf8_report_cut_in_the_middle_of_a_character_is_not_misread() -> None:
    data = SIMPLIFIED.rstrip("\n").encode("utf-8")[:-1]
    assert "--encoding" in refused(data)


def test_undecodable_text_asks_for_encoding() -> None:
    message = refused("正文".encode("gb18030") + b"\xff\xff")
    assert "--encoding" in message


# --- binary content


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
        "正文\x1b[31m红字\x1b[0m".encode(),
        "正文".encode("gb18030") + b"\x00\x01\x02" + "结尾".encode("gb18030"),
        b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)),
        bytes(range(256)) * 16,
        b"\x7fELF\x02\x01\x01" + bytes(300),
    ],
    ids=["zip", "escape-codes", "gb18030-with-controls", "png", "all-bytes", "elf"],
)
def test_binary_is_refused(data: bytes) -> None:
    message = refused(data)
    assert "不是文本文件" in message


def test_binary_is_refused_even_with_an_encoding_that_decodes_anything() -> None:
    assert "不是文本文件" in refused(bytes(range(256)), "latin-1")


# --- an explicit encoding


@pytest.mark.parametrize(
    ("text", "codec"),
    [(TRADITIONAL, "big5"), (SIMPLIFIED, "gbk"), (SIMPLIFIED, "gb18030"), (SIMPLIFIED, "utf-16-le"),
     (SIMPLIFIED, "utf-8"), (TRADITIONAL, "big5hkscs"), (SIMPLIFIED, "GB18030"), (SIMPLIFIED, "UTF_16_BE")],
)
def test_explicit_encoding_is_applied(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec), NAME, codec) == text


def test_explicit_encoding_overrides_detection() -> None:
    # Latin-1 text that happens to decode as GB18030 too: the user's word decides.
    text = "Résumé du rapport annuel\n"
    assert decode_text(text.encode("latin-1"), NAME, "latin-1") == text


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (SIMPLIFIED.encode("gb18030"), "utf-8"),
        (SIMPLIFIED.encode("utf-8"), "ascii"),
        ("𠮷祥村党支部".encode("gb18030"), "gbk"),  # four-byte GB18030 is not GBK: refused, not replaced
        (SIMPLIFIED.encode("utf-16-le") + b"\x00", "utf-16-le"),  # odd length
        (TRADITIONAL.encode("big5") + b"\xa4", "big5"),
    ],
    ids=["gb18030-as-utf-8", "utf-8-as-ascii", "gb18030-as-gbk", "odd-utf-16", "cut-big5"],
)
def test_wrong_explicit_encoding_is_refused(data: bytes, codec: str) -> None:
    message = refused(data, codec)
    assert codec in message
    assert "--encoding" in message


@pytest.mark.parametrize("codec", ["no-such-codec", "base64", "rot13", "zlib"])
def test_unknown_or_non_text_encoding_is_refused(codec: str) -> None:
    assert codec in refused(SIMPLIFIED.encode(), codec)


def test_explicit_utf8_drops_the_bom() -> None:
    assert decode_text(SIMPLIFIED.encode("utf-8-sig"), NAME, "utf-8") == SIMPLIFIED
