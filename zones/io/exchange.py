"""Land departments' coordinate exchange text (坐标报盘 / 部标 TXT) → parcels.

Layout::

    [属性描述]
    格式版本号=1.01
    坐标系=2000国家大地坐标系
    几度分带=3
    投影类型=高斯克吕格
    计量单位=米
    带号=40
    精度=0.001
    转换参数=,,,,,,
    [地块坐标]
    点数,面积,地块编号,地块名称,图形属性,图幅号,地块用途,地类编码,@
    点号,圈号,X,Y
    ...

X is the **northing**, Y the **easting** (metres; Y usually carries the zone
number, e.g. 40563935.99); 圈号 1 is the outer ring, higher numbers are holes.
The parcel line's 面积 is in **公顷 (hectares)**; it is kept as
``declared_area_ha`` and ``declared_area_m2`` (× 10 000) and compared with the
plane area of the geometry (finding ``area_mismatch`` beyond 1 %, at least 1 m²).

The CRS is built from the header facts (datum × 3°/6° × zone × whether the
easting carries the zone number) via the EPSG registry; inference from the
coordinates is used only when the header does not say. Xian 1980 / Beijing 1954
data are labelled as such and flagged: no datum shift to CGCS2000 is applied.
"""

from __future__ import annotations

import math
import re

import numpy as np

from zones.io import _text
from zones.io.base import CrsDecision, Finding, ImportResult

_SECTION = re.compile(r"^\s*[\[【]\s*(.*?)\s*[\]】]\s*$")
# A section header, or a parcel line (…,地类编码,@) anywhere in the first 64 KB.
_MARKER = re.compile(r"[\[【]\s*(?:属性描述|地块坐标)\s*[\]】]|(?m:^[^\n]*[,，]\s*@\s*$)")
_COLUMNS = ["parcel_id", "地块名称", "地块用途", "地类编码", "图幅号", "declared_area_ha", "declared_area_m2"]
_DATUMS = (("CGCS2000", ("2000", "CGCS")), ("Xian 1980", ("80", "西安")), ("Beijing 1954", ("54", "北京")))


def looks_like_exchange(path) -> bool:
    """True if the start of the file has the exchange sections or a parcel line ending in ``@``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    encodings = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8", "gb18030")
    for enc in encodings:
        text = head.decode(enc, errors="ignore")
        if _MARKER.search(text):
            return True
    return False


def _fields(line: str) -> list[str]:
    return [f.strip() for f in line.replace("，", ",").split(",")]


def _parse(text: str, source: str, findings: list):
    """→ (header dict, drafts, declared point counts)."""
    attrs: dict[str, str] = {}
    drafts: list[_text.Draft] = []
    counts: list[tuple[int | None, int]] = []
    broken: dict[int, tuple[int, str]] = {}     # draft index → (line, problem) of its first bad point
    section = None
    for no, line in enumerate(text.splitlines(), 1):
        raw = line.strip()
        if not raw:
            continue
        m = _SECTION.match(raw)
        if m:
            section = _text.norm(m.group(1))
            continue
        if section == "属性描述" or (section is None and "=" in raw.replace("＝", "=") and "@" not in raw):
            key, sep, val = raw.replace("＝", "=").partition("=")
            if sep:
                attrs[_text.norm(key).replace(" ", "")] = _text.norm(val)
            continue
        f = _fields(raw)
        if raw.endswith("@"):     # parcel line; tolerate "…,0601@" without the last comma
            f = (_fields(raw[:-1].rstrip().rstrip(",，")) + [""] * 8)[:8]
            n_ha = _text.number(f[1])
            if n_ha is None and f[1]:
                findings.append(Finding(source, no, "bad_number", f"line {no}: 面积 {f[1][:30]!r} is not a number"))
            pid = f[2] or f"#{len(drafts) + 1}"
            if not f[2]:
                findings.append(Finding(source, no, "missing_id", f"line {no}: parcel without 地块编号, named {pid}", "info"))
            d = _text.Draft(pid, no, {"地块名称": f[3], "地块用途": f[6], "地类编码": f[7], "图幅号": f[5],
                                      "declared_area_ha": n_ha if n_ha is not None else math.nan,
                                      "declared_area_m2": n_ha * 10000 if n_ha is not None else math.nan})
            drafts.append(d)
            cnt = _text.number(f[0])
            counts.append((int(cnt) if cnt is not None and cnt.is_integer() and abs(cnt) < 1e9 else None, 0))
            continue
        if not drafts:
            findings.append(Finding(source, no, "skipped", f"line {no}: not a point line 点号,圈号,X,Y "
                                                           "before any parcel line; skipped"))
            continue
        ring = _text.number(f[1]) if len(f) >= 4 else None
        x, y = (_text.coord(f[2]), _text.coord(f[3])) if len(f) >= 4 else (None, None)
        if x is None or y is None or ring is None or not ring.is_integer() or not 0 <= ring < 1e6:
            # Skipping the point would silently change the outline and the tax: the parcel is refused.
            what = (f"圈号/X/Y {f[1][:20]!r}/{f[2][:30]!r}/{f[3][:30]!r} not valid numbers" if len(f) >= 4
                    else f"{raw[:40]!r} is not a point line 点号,圈号,X,Y")
            broken.setdefault(len(drafts) - 1, (no, what))
            continue
        drafts[-1].add(int(ring), y, x, no, _text.norm(f[0]))     # easting (Y) first; 点号 kept
        counts[-1] = (counts[-1][0], counts[-1][1] + 1)
    for k, (no, what) in broken.items():
        findings.append(Finding(source, no, "bad_number", f"line {no}: parcel {drafts[k].pid}: {what}; the parcel is "
                                "not imported, since its outline would be wrong (界址点无效，该地块未导入)", "error"))
    keep = [k for k in range(len(drafts)) if k not in broken]
    return attrs, [drafts[k] for k in keep], [counts[k] for k in keep]


def _stated_crs(attrs: dict, drafts, source: str, findings: list) -> CrsDecision | None:
    """CRS from the header facts, or None when the header does not tell enough."""
    from zones.crs import epsg_by_name

    system = attrs.get("坐标系", "")
    datum = next((name for name, keys in _DATUMS if any(k in system.upper() for k in keys)), None)
    proj = attrs.get("投影类型", "")
    if datum is None or (proj and not any(k in proj for k in ("高斯", "克吕格", "克里格", "Gauss", "GAUSS"))):
        if attrs:
            findings.append(Finding(source, None, "crs_header", f"header 坐标系={system!r} 投影类型={proj!r} not "
                                    "understood; coordinate system guessed from the values (坐标系由坐标推断)"))
        return None
    east = np.array([e for d in drafts for pts in d.rings.values() for e, _, _ in pts], dtype=float)
    east = east[np.isfinite(east)]
    prefixes = set(np.floor(east / 1e6).astype(np.int64).tolist()) if len(east) and np.all(np.abs(east) < 1e12) else set()
    prefixed = len(prefixes) == 1 and 13 <= next(iter(prefixes)) <= 45 and np.all(east >= 1e7)
    zone_n = _text.number(attrs.get("带号"))
    zone = int(zone_n) if zone_n is not None and zone_n.is_integer() and 0 < zone_n < 100 else None
    width_n = _text.number(re.sub(r"[度°]", "", attrs.get("几度分带", "")))
    width = int(width_n) if width_n in (3.0, 6.0) else None
    if prefixed:
        pz = next(iter(prefixes))
        if zone is not None and zone != pz:
            findings.append(Finding(source, None, "crs_header", f"header 带号={zone} but the Y coordinates carry "
                                    f"zone {pz}; using {pz} (带号与坐标不符)"))
        zone = pz
    if width is None:
        width = 6 if zone is not None and zone <= 23 else 3
    if zone is None:
        findings.append(Finding(source, None, "crs_header", "header has no 带号 and Y has no zone prefix: "
                                "coordinate system guessed from the values (坐标系由坐标推断)"))
        return None
    cm = zone * 3 if width == 3 else zone * 6 - 3
    deg = "3-degree Gauss-Kruger" if width == 3 else "Gauss-Kruger"
    name = f"{datum} / {deg} {'zone ' + str(zone) if prefixed else f'CM {cm}E'}"
    crs = epsg_by_name().get(name)
    if crs is None:   # not in the registry: spell it out (GRS80 ≈ CGCS2000, IAG-75 for Xian 80, Krassowsky for 54)
        ellps = {"CGCS2000": "GRS80", "Xian 1980": "a=6378140 +rf=298.257", "Beijing 1954": "krass"}[datum]
        ellps = f"+{ellps}" if "=" in ellps else f"+ellps={ellps}"
        x0 = zone * 1_000_000 + 500_000 if prefixed else 500_000
        crs = f"+proj=tmerc +lat_0=0 +lon_0={cm} +k=1 +x_0={x0} +y_0=0 {ellps} +units=m +no_defs"
    why = (f"stated in the file header (文件头): 坐标系={system}, {width}° zone {zone}, "
           f"Y {'carries' if prefixed else 'without'} the zone number → {name} ({crs})")
    if datum != "CGCS2000":
        findings.append(Finding(source, None, "datum_not_shifted", (
            f"coordinates are on {datum} ({system}); NO datum shift to CGCS2000 is applied — the zone map is "
            "CGCS2000 and the two can differ by tens of metres: obtain CGCS2000 coordinates or verified "
            "parameters (未做基准转换，请核实)")))
        why += f"; {datum}: no datum shift applied (未做基准转换)"
    params = attrs.get("转换参数", "")
    if params.replace(",", "").strip():
        findings.append(Finding(source, None, "crs_header",
                                f"header lists 转换参数={params[:60]!r}; these parameters are not applied", "info"))
    if attrs.get("计量单位") and attrs["计量单位"] not in ("米", "m", "M", "metre", "meter"):
        findings.append(Finding(source, None, "crs_header", f"计量单位={attrs['计量单位']!r}: coordinates taken as metres"))
    return CrsDecision(crs, "stated", why, candidate=crs)


def read_exchange(path, *, encoding=None, crs=None, zones_bounds_lonlat=None) -> ImportResult:
    """Read a 坐标报盘 exchange file. Geometry x = easting (the file's Y), y = northing (X).

    Output columns: parcel_id (地块编号), 地块名称, 地块用途, 地类编码, 图幅号,
    declared_area_ha (公顷, as written), declared_area_m2 (m²). Text: strict UTF-8,
    then GB18030/GBK; ``encoding`` overrides. ``crs`` overrides the header.
    """
    source = str(path)
    text, enc, how = _text.decode(_text.read_bytes(path), path, encoding)
    findings: list[Finding] = []
    attrs, drafts, counts = _parse(text, source, findings)
    if not drafts and any(f.severity == "error" for f in findings):
        first = next(f for f in findings if f.severity == "error")
        raise _text.fail(path, f"no parcel could be imported (没有可导入的地块): {first.message}")
    if not drafts:
        raise _text.fail(path, "not a coordinate exchange file (不是坐标报盘文件): no [地块坐标] parcel line "
                               "ending in ',@' found")
    for d, (declared, read) in zip(drafts, counts):
        if declared is not None and declared != read:
            findings.append(Finding(source, d.record, "point_count", f"parcel {d.pid}: header says {declared} points, "
                                    f"{read} read (点数不符; truncated file?)"))
    stated = None if crs else _stated_crs(attrs, drafts, source, findings)
    decision = _text.decide_crs(source, drafts, crs, zones_bounds_lonlat, stated)
    geographic = _is_geographic(decision.crs)

    def check(d, geom, out):
        want = d.attrs["declared_area_m2"]
        if geographic or not math.isfinite(want):
            return
        got = geom.area
        if not abs(got - want) <= max(0.01 * abs(want), 1.0):
            out.append(Finding(source, d.record, "area_mismatch", (
                f"parcel {d.pid}: declared {d.attrs['declared_area_ha']} 公顷 = {want:.2f} m², geometry plane area "
                f"{got:.2f} m² (difference {got - want:+.2f} m², {_pct(got, want)}) (面积不符)")))

    return _text.assemble(source, drafts, decision, findings, columns=_COLUMNS, encoding=enc, encoding_how=how,
                          expect_closed=True, zones_bounds_lonlat=zones_bounds_lonlat,
                          declared_area_field="declared_area_m2", check=check)


def _pct(got: float, want: float) -> str:
    return f"{(got - want) / want * 100:+.2f} %" if want else "n/a %"


def _is_geographic(crs) -> bool:
    if not crs or crs in ("GCJ-02", "BD-09"):
        return bool(crs)
    try:
        from pyproj import CRS
        return CRS.from_user_input(crs).is_geographic
    except Exception:  # noqa: BLE001 - an unparsable CRS was already reported; treat as plane
        return False
