"""One accessor for the bundled resources (zone sets, reliefs, fonts, samples…),
working both from a source tree and from a PyInstaller build (``sys._MEIPASS``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_root() -> Path:
    override = os.environ.get("WZTAX_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a bundled resource; raises FileNotFoundError naming it when absent."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource not found: {'/'.join(parts)} (looked in {resources_root()})")
    return path
