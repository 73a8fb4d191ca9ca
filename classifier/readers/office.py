"""Old and other word-processor formats (.doc, .wps, .rtf, .odt) through LibreOffice, when it is installed.

LibreOffice runs headless and converts the file to .docx in a temporary folder, which the .docx reader then
reads.  Every conversion gets its own LibreOffice profile folder, so that parallel workers (and a LibreOffice
the user has open) do not block each other.  Without LibreOffice the file is refused with a message naming the
package to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from classifier.errors import UnreadableFileError, UnsupportedFormatError

CONVERSION_TIMEOUT_SECONDS = 120
# Where LibreOffice installs itself on the systems that do not put it on PATH.
_KNOWN_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_INSTALL_HINT = ("请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui；"
                 "Windows/macOS：从 libreoffice.org 下载），或在 Word/WPS 中另存为 .docx 后再试")


def find_soffice() -> str | None:
    """The LibreOffice program (soffice), or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((location for location in _KNOWN_LOCATIONS if os.path.isfile(location)), None)


class OfficeReader:
    suffixes = (".doc", ".wps", ".rtf", ".odt")

    def read(self, path: Path, data: bytes, encoding: str | None) -> str:
        from classifier.readers.docx import DocxReader

        soffice = find_soffice()
        if soffice is None:
            raise UnsupportedFormatError(
                f"{path} 是 {path.suffix.lower() or '.doc'} 格式，需要 LibreOffice 才能读取：{_INSTALL_HINT}")
        with tempfile.TemporaryDirectory(prefix="classifier-office-") as folder:
            source = Path(folder, "input" + (path.suffix.lower() if path.suffix.lower() in self.suffixes else ".doc"))
            source.write_bytes(data)
            converted = _convert_to_docx(soffice, source, Path(folder))
            if converted is None:
                raise UnreadableFileError(
                    f"{path} 无法用 LibreOffice 转换（文件可能已损坏或设有密码），"
                    "请在 Word/WPS 中打开并另存为 .docx 后再试")
            docx = converted.read_bytes()
        return DocxReader().read(path, docx, encoding)


def _convert_to_docx(soffice: str, source: Path, folder: Path) -> Path | None:
    profile = (folder / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
    windows = sys.platform == "win32"
    try:
        # A session of its own, so that a timeout ends soffice.bin too and not only the launcher; on Windows, no
        # console window flashing up for every file.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=not windows,
                                   creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if windows else 0)
    except OSError:
        return None
    try:
        process.wait(timeout=CONVERSION_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        if windows:
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None
    converted = folder / "out" / (source.stem + ".docx")
    return converted if converted.is_file() and converted.stat().st_size else None
