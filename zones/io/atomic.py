"""Atomic output: write to a temporary file beside the target, then rename it
into place, so a crash never leaves a half-written file behind.

Inside :func:`zones.output_safety.output_set` the rename waits for the commit of
the whole set (so a kill never leaves new results beside an old provenance)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from zones.errors import InputError


def refuse_input(target: Path, protect) -> None:
    from zones.output_safety import input_files

    resolved = target.resolve()
    for p in protect:
        try:
            if resolved in input_files(p):
                raise InputError(target, "refusing to overwrite an input file; choose another output name")
        except OSError:
            pass


def user_error(exc: Exception, tmp: Path, target: Path) -> Exception | None:
    """The writer's error said about the user's file (never the hidden temporary)."""
    if isinstance(exc, OSError):
        return OSError(exc.errno, exc.strerror or str(exc).replace(str(tmp), str(target)), str(target))
    text = str(exc)
    if str(tmp) in text or tmp.name in text or "No space left" in text or "Disk full" in text.title():
        return InputError(target, "cannot be written: " + text.replace(str(tmp), str(target)).replace(tmp.name, target.name))
    return None


@contextlib.contextmanager
def atomic_output(path, *, protect=()):
    """Yield a temporary path (same folder and suffix); on success rename it to ``path``.

    ``protect``: input files the caller read — writing over one of them (or over any part
    of an input shapefile) is refused, because the application never writes to the files
    it imports.
    """
    from zones.output_safety import active_set, temp_name

    target = Path(path)
    refuse_input(target, protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(target)
    outset = active_set()
    try:
        try:
            yield tmp
        except Exception as exc:  # re-raised, only said about the right file
            said = user_error(exc, tmp, target)
            if said is None:
                raise
            raise said from None
        if outset is not None:
            outset.stage(tmp, target)
        else:
            os.replace(tmp, target)
    finally:
        if (outset is None or not any(t == tmp for t, _ in outset.moves)) and os.path.exists(tmp):
            os.unlink(tmp)
