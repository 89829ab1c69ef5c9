"""CASS coordinate data files (.dat) → parcels.

Each line is ``点号,编码,Y,X,H``: point name, feature code (often empty), then
**EASTING (Y) before NORTHING (X)**, metres, then the height (ignored; optional).
Blank lines are skipped.

Grouping (documented choice): a .dat file is one parcel whose boundary is the
points in file order, named after the file. Only when *every* point has a
non-empty 编码 and there are at least two distinct codes does each code become a
parcel (``parcel_id`` = the code, points in file order); a file mixing empty
and non-empty codes stays one parcel, with an info finding. ``group_by_code``
forces either way.
"""

from __future__ import annotations

from pathlib import Path

from zones.io import _text
from zones.io.base import Finding, ImportResult


def read_cass(path, *, encoding=None, crs=None, zones_bounds_lonlat=None,
              group_by_code: bool | None = None) -> ImportResult:
    """Read a CASS .dat file. Geometry x = easting (the file's Y), y = northing (X).

    ``crs``: user override; otherwise inferred from the coordinates. Bad lines are
    findings naming the line number; a file without any usable point raises
    ParcelImportError.
    """
    source = str(path)
    text, enc, how = _text.decode(_text.read_bytes(path), path, encoding)
    findings: list[Finding] = []
    points: list[tuple[str, float, float, int, str]] = []   # (code, easting, northing, line, 点号)
    bad: list[tuple[str, int, str]] = []               # (code, line, what) of point lines without coordinates
    lines_with_content = 0
    for no, line in enumerate(text.splitlines(), 1):
        raw = line.strip()
        if not raw:
            continue
        lines_with_content += 1
        fields = [f.strip() for f in raw.replace("，", ",").split(",")]
        if len(fields) < 4:
            findings.append(Finding(source, no, "skipped",
                                    f"line {no}: expected 点号,编码,Y,X[,H], got {len(fields)} field(s); skipped"))
            continue
        e, n = _text.coord(fields[2]), _text.coord(fields[3])
        if e is None or n is None:
            bad.append((_text.norm(fields[1]), no, f"Y={fields[2][:30]!r} X={fields[3][:30]!r}"))
            continue
        points.append((_text.norm(fields[1]), e, n, no, _text.norm(fields[0])))
    if not points:
        what = "empty file" if not lines_with_content else "no line of the form 点号,编码,Y,X,H with numeric Y and X"
        raise _text.fail(path, f"not a usable CASS .dat file: {what} (不是有效的CASS坐标文件)")

    codes = [p[0] for p in points]
    distinct = list(dict.fromkeys(codes))
    if group_by_code is None:
        group_by_code = all(codes) and len(distinct) >= 2
        if not group_by_code and any(codes) and len(distinct) >= 2:
            findings.append(Finding(source, None, "codes_ignored",
                                    "some points have a 编码 and some do not: read as one parcel (编码未用于分组)", "info"))
    drafts: dict[str, _text.Draft] = {}
    default = distinct[0] if len(distinct) == 1 and distinct[0] else Path(path).stem
    for code, e, n, no, name in points:
        pid = (code or default) if group_by_code else default
        d = drafts.setdefault(pid, _text.Draft(pid, no))
        d.add(1, e, n, no, name)       # 点号 kept for the report's point table
    for code, no, what in bad:
        # Skipping the point would silently change the outline and the tax: its parcel is refused.
        pid = (code or default) if group_by_code else default
        drafts.pop(pid, None)
        findings.append(Finding(source, no, "bad_number", f"line {no}: {what} not usable coordinates; parcel {pid} "
                                "is not imported, since its outline would be wrong (坐标不是数字，该地块未导入)", "error"))
    if not drafts:
        raise _text.fail(path, f"no parcel could be imported (没有可导入的地块): {findings[-1].message}")
    drafts_list = list(drafts.values())
    decision = _text.decide_crs(source, drafts_list, crs, zones_bounds_lonlat)
    return _text.assemble(source, drafts_list, decision, findings, columns=["parcel_id"], encoding=enc,
                          encoding_how=how, zones_bounds_lonlat=zones_bounds_lonlat)
