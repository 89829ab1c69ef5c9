"""File names a report run writes beside its PDF: one PDF per parcel named by 宗地号 and
taxpayer (``--report-dir``), the boundary-point CSV of a parcel whose table is too long to
print. Names are safe on Windows and POSIX alike and unique within a run."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from zones.io.atomic import atomic_output
from zones.report.content import boundary_rings

#: Characters Windows refuses in a file name, control characters, and path separators.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_CHARS = 80


def safe_name(text: str, fallback: str = "宗地") -> str:
    """``text`` as one file-name component: unsafe characters → '_', no leading dot or dash (an
    option to some programs), no trailing dot or space, not a reserved device name, at most
    MAX_NAME_CHARS characters."""
    text = unicodedata.normalize("NFC", str(text))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().strip(".").lstrip("-")
    text = text[:MAX_NAME_CHARS].rstrip(" .")
    if not text or text.split(".")[0].upper() in _RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    return text


def unique(name: str, used: set[str], suffix: str) -> str:
    """``name + suffix``, numbered ``name (2)`` … when another file of the run has it (case-blind)."""
    candidate, k = name + suffix, 1
    while candidate.lower() in used:
        k += 1
        candidate = f"{name} ({k}){suffix}"
    used.add(candidate.lower())
    return candidate


def write_boundary_csv(geom, path, *, crs: str, protect=(), names=()) -> Path:
    """Every boundary point of ``geom`` (ring, J-number, X north, Y east, edge length) as CSV
    (UTF-8 with BOM so Excel opens the Chinese headers), written atomically."""
    path = Path(path)
    with atomic_output(path, protect=protect) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["环", "点号", f"X（北坐标，m，{crs}）", f"Y（东坐标，m，{crs}）", "至下一点边长（m）"])
        for ring in boundary_rings(geom, names):     # 点号 as entered, when the parcel has them
            for p in ring.points:
                w.writerow([ring.title, p.label, f"{p.x_north:.3f}", f"{p.y_east:.3f}", f"{p.edge_m:.2f}"])
    return path
