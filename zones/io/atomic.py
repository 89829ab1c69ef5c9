"""Atomic output: write to a temporary file beside the target, then rename it
into place, so a crash never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from zones.errors import InputError


@contextlib.contextmanager
def atomic_output(path, *, protect=()):
    """Yield a temporary path (same folder and suffix); on success rename it to ``path``.

    ``protect``: input files the caller read — writing over one of them is refused,
    because the application never writes to the files it imports.
    """
    target = Path(path)
    for p in protect:
        try:
            if Path(p).resolve() == target.resolve():
                raise InputError(target, "refusing to overwrite an input file; choose another output name")
        except OSError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # let the writer create it (GDAL drivers refuse to open an empty file)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
