"""Plain-text reports (.txt) in any Chinese encoding (see classifier.encodings)."""

from __future__ import annotations

from pathlib import Path

from classifier.encodings import decode_text


class TextReader:
    suffixes = (".txt",)

    def read(self, path: Path, data: bytes, encoding: str | None) -> str:
        return decode_text(data, str(path), encoding)
