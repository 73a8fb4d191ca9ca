"""Decoding text files (reports and CSV files) whose encoding nobody told us: UTF-8/16 with or without BOM,
GB18030 (covers GBK and GB2312, what Chinese Windows writes) and Big5.

UTF-8 is tried first and strictly, since it is what most files are and a non-UTF-8 file almost never decodes as
UTF-8 by chance.  Otherwise charset-normalizer chooses between GB18030 and Big5: both decode much the same byte
ranges, so a strict decode cannot tell them apart, but the wrong one yields characters that make no sense
together, which is what charset-normalizer measures (its "chaos").  The chosen encoding is then applied strictly:
nothing is ever replaced or dropped.  When no candidate decodes cleanly enough, or two do equally well but give
different text, the user is asked to say the encoding.
"""

from __future__ import annotations

import re

from classifier.errors import UnreadableFileError

CANDIDATES = ("gb18030", "big5")
# charset-normalizer's share of odd characters above which a decoding is not trusted (its own default is 0.2).
MAX_CHAOS = 0.2

# C0 controls other than \t \n \v \f \r, and DEL.  \v is Word's manual line break, which exported text can carry.
_CONTROL = "\x00-\x08\x0e-\x1f\x7f"
_CONTROL_TEXT = re.compile(f"[{_CONTROL}]")
_CONTROL_BYTES = re.compile(f"[{_CONTROL}]".encode())
# What a Chinese report is made of: CJK characters and punctuation, ASCII, full-width forms, spaces.
_READABLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s]")
_MIN_READABLE_SHARE = 0.9
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Return ``data`` decoded, without BOM; ``name`` (the file) goes into the error messages.

    ``encoding``, when given, is applied strictly.  Raises UnreadableFileError for binary content, for a file no
    candidate encoding reads cleanly, and for an encoding that does not fit.
    """
    if encoding is not None:
        text = _decode_strictly(data, name, encoding)
    else:
        text = _detect_and_decode(data, name)
    control = _CONTROL_TEXT.search(text)
    if control:
        raise _binary_error(name, ord(control.group()), text.count("\n", 0, control.start()) + 1)
    return text.removeprefix("\ufeff")


def _detect_and_decode(data: bytes, name: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strictly(data, name, codec)
    # UTF-8 text never holds a NUL byte; UTF-16 does wherever a character is ASCII (a line break, a digit).
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    binary = _CONTROL_BYTES.search(data)
    if binary:
        raise _binary_error(name, binary.group()[0], data.count(b"\n", 0, binary.start()) + 1)
    return _decode_strictly(data, name, _guess_chinese_encoding(data, name))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM, little- or big-endian: the reading that decodes strictly to text without control
    characters and that is mostly Chinese, ASCII and punctuation (binary data is neither)."""
    if len(data) % 2:
        return None
    readings = []
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _CONTROL_TEXT.search(text):
            readable = len(_READABLE.findall(text))
            if readable >= _MIN_READABLE_SHARE * len(text):
                readings.append((readable, text))
    return max(readings)[1] if readings else None


def _guess_chinese_encoding(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    matches = sorted(from_bytes(data, cp_isolation=list(CANDIDATES), threshold=MAX_CHAOS),
                     key=lambda match: (match.chaos, -match.coherence))
    if not matches:
        raise UnreadableFileError(
            f"{name} 既不是 UTF-8，也不像 GB18030/GBK 或 Big5 编码的文本，"
            "请用 --encoding 指定编码（如 --encoding gb18030）")
    best = matches[0]
    rivals = [match for match in matches[1:]
              if match.chaos == best.chaos and match.coherence == best.coherence and str(match) != str(best)]
    if rivals:
        raise UnreadableFileError(
            f"{name} 的编码无法确定（{best.encoding} 与 {rivals[0].encoding} 都说得通），请用 --encoding 指定编码")
    return best.encoding


def check_encoding(encoding: str, name: str | None = None) -> None:
    """Refuse an encoding name Python does not know, or a codec that does not decode bytes to text (base64, zlib),
    before any file is read; ``name`` is the file being read, when there is one."""
    try:
        b"x".decode(encoding, "ignore")  # an empty input decodes without looking the codec up
    except LookupError:
        reading = f"（读取 {name} 时）" if name else ""
        raise UnreadableFileError(f"不认识的编码名 {encoding}{reading}，可用 utf-8、gb18030、big5 等") from None


def _decode_strictly(data: bytes, name: str, encoding: str) -> str:
    check_encoding(encoding, name)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{name} 不能按 {encoding} 编码读取（第{error.start + 1}字节出错），可用 --encoding 指定其他编码") from None


def _binary_error(name: str, code: int, line: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"{name} 不是文本文件（第{line}行含控制字符 0x{code:02X}，像是二进制内容），"
        "如果是其他编码的文本，可用 --encoding 指定编码")
