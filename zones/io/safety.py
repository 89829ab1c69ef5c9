"""What every reader does before and while reading a user's file, so that hostile or
broken input is refused early and reported in words.

- :func:`check_input_file`: only regular files are opened (a FIFO or a device would
  block or never end), and nothing over :data:`MAX_CONTENT` is read at all;
- :func:`read_head`: the first bytes, never the whole file;
- :func:`shown`: text from the file or a library made safe for a one-line message:
  control characters and terminal escapes shown escaped, the program's own
  temporary folders removed, the length bounded;
- :func:`warnings_as_findings`: Python warnings raised by libraries while reading
  become findings instead of lines with site-packages paths on stderr.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import tempfile
import warnings
from pathlib import Path

#: Largest input read (bytes of a file, or unpacked bytes of an archive/workbook). Beyond it the
#: reader would need several times as much memory, so the file is refused before it is read.
MAX_CONTENT = 1 << 30
#: Longest message line (the command line prints it after "error: " or "warning: ").
MAX_MESSAGE = 290

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
# Folders this program unpacks archives into (zones-zip-*), wherever the temporary folder is.
_OWN_TEMP = re.compile(r"(?:" + re.escape(tempfile.gettempdir().rstrip("/\\")) + r"|/tmp|[A-Za-z]:\\[^\s:]*?Temp)"
                       r"[/\\]zones-[a-z]+-[^/\\\s]+[/\\]?")


def _escape(m: re.Match) -> str:
    ch = m.group()
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\e"}.get(ch) or (
        f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def shown(text, limit: int = MAX_MESSAGE) -> str:
    """``text`` fit for one line of a message: escapes for control/format characters
    (so an id holding ESC[2J cannot clear the officer's terminal), no temporary
    folder names of this program, at most ``limit`` characters (cut with '…')."""
    s = str(text)
    # The common case, settled without a regular expression: printable text (str.isprintable
    # is False for every character _UNSAFE matches: control, format and line/paragraph
    # separators) naming no folder of ours. A batch reports hundreds of thousands of findings.
    if not (s.isprintable() and "zones-" not in s):
        s = _UNSAFE.sub(_escape, _OWN_TEMP.sub("", s))
    return s if len(s) <= limit else s[:limit - 1] + "…"


@functools.lru_cache(maxsize=256)   # every finding of a batch names the same file
def shown_path(path, limit: int = 160) -> str:
    """A file name for a message: like :func:`shown`, but a long path keeps its end (the file name)."""
    s = shown(path, 10 ** 6)
    return s if len(s) <= limit else "…" + s[-(limit - 1):]


def size_words(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{n / (1 << 20):.1f} MB"


#: Memory a text table needs per byte of file, measured roughly: the bytes, the decoded text, the
#: cells as Python strings (about 60 bytes each) and the points kept. A table over
#: MAX_CONTENT / TEXT_FACTOR (about 100 MB) would need more than 1 GB and is refused.
TEXT_FACTOR = 10


def check_input_file(path, source=None, factor: int = 1) -> os.stat_result:
    """Refuse what must not be opened: not a regular file (FIFO, device, socket), or one whose
    reading would need more than :data:`MAX_CONTENT` bytes (``factor`` × its size). ``source``
    names the user's file in the message. Returns the stat."""
    from zones.io.base import ParcelImportError

    source = str(source or path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ParcelImportError(source, f"cannot be opened (无法打开): {exc.strerror or 'no access'}") from None
    if stat.S_ISDIR(st.st_mode):
        return st
    if not stat.S_ISREG(st.st_mode):
        what = "a pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise ParcelImportError(source, f"is {what}, not a regular file; save the data to a file first (不是普通文件)")
    if st.st_size > MAX_CONTENT:
        raise ParcelImportError(source, f"is {size_words(st.st_size)}; files over {size_words(MAX_CONTENT)} are not read "
                                        f"(文件过大): split the data into smaller files")
    if st.st_size * factor > MAX_CONTENT:
        raise ParcelImportError(source, f"is {size_words(st.st_size)}; reading it would need about "
                                        f"{size_words(st.st_size * factor)} of memory, over the {size_words(MAX_CONTENT)} "
                                        f"allowed (文件过大): split the table into smaller files")
    return st


def read_head(path, n: int = 4096) -> bytes:
    """The first ``n`` bytes (the file must already have passed :func:`check_input_file`)."""
    with open(path, "rb") as fh:
        return fh.read(n)


def read_checked(path, source=None, factor: int = TEXT_FACTOR) -> bytes:
    """The whole file, after :func:`check_input_file` (so its reading fits in :data:`MAX_CONTENT`)."""
    from zones.io.base import ParcelImportError

    check_input_file(path, source, factor)
    try:
        return Path(path).read_bytes()
    except MemoryError:
        raise ParcelImportError(str(source or path), "not enough memory to read the file (内存不足)") from None
    except OSError as exc:
        raise ParcelImportError(str(source or path), f"cannot read the file (无法读取文件): {exc.strerror or 'no access'}") from None


@contextlib.contextmanager
def warnings_as_findings(source, findings: list):
    """Collect Python warnings raised while reading; each becomes a ``library_warning`` finding."""
    from zones.io.base import Finding

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for w in caught:
        text = " ".join(str(w.message).split())
        if text in seen:
            continue
        seen.add(text)
        findings.append(Finding(str(source), None, "library_warning", f"while reading: {text}", "info"))
