"""Shared plumbing of the text/table parcel readers (points, CASS, exchange).

- decoding: BOM, then strict UTF-8, then GB18030 (a superset of GBK/GB2312,
  what Chinese Windows software writes), unless the user names an encoding;
- number parsing that never raises (full-width digits, thousands separators);
- turning rings of boundary points into (Multi)Polygons, with findings;
- choosing the CRS and assembling the :class:`ImportResult`.

Points are carried as ``(easting, northing, record)`` in metres (or lon/lat in
degrees) *as the file labels them*; the CRS decision may swap them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from zones.errors import InputError
from zones.io.base import CrsDecision, Finding, ImportResult, ParcelImportError
from zones.point_names import POINT_NAMES, dumps

_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def fail(path, problem: str) -> ParcelImportError:
    """The one-line 'file unusable' error (flattened: messages must stay one line)."""
    return ParcelImportError(str(path), " ".join(str(problem).split()))


def read_bytes(path) -> bytes:
    """The whole file, refused first when it is not a regular file or its reading would need more
    than 1 GB of memory (about 10 × its size, see zones.io.safety.TEXT_FACTOR)."""
    from zones.io.safety import read_checked

    return read_checked(path)


def decode(data: bytes, path, encoding: str | None = None) -> tuple[str, str, str]:
    """Decode ``data`` → (text, encoding, how). ``how`` is "override" or "detected"."""
    if encoding:
        try:
            return data.decode(encoding), encoding, "override"
        except LookupError:
            raise fail(path, f"unknown encoding {encoding!r} (未知编码)") from None
        except UnicodeDecodeError as exc:
            raise fail(path, f"not valid {encoding} text at byte {exc.start} (按 {encoding} 解码失败)") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):       # Excel "Unicode text" export
        try:
            return data.decode("utf-16"), "utf-16", "detected"
        except UnicodeDecodeError:
            raise fail(path, "UTF-16 byte-order mark but invalid UTF-16 text") from None
    if b"\x00" in data:
        raise fail(path, "binary data, not a text file (不是文本文件)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", "detected"
        except UnicodeDecodeError:
            raise fail(path, "UTF-8 byte-order mark but invalid UTF-8 text") from None
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc, "detected"
        except UnicodeDecodeError:
            continue
    raise fail(path, "text is neither UTF-8 nor GBK/GB18030; choose the encoding (无法识别编码，请指定)")


def norm(text) -> str:
    """NFKC (full-width → ASCII), stripped; None → ''."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


#: Largest plausible coordinate magnitude (m): zone-prefixed eastings are < 5e7. Beyond it a value
#: is treated as garbage, also because GEOS overlay/make_valid can hang or fail on such extents.
COORD_LIMIT = 1e8


def coord(value) -> float | None:
    """A coordinate (metres or degrees) from a cell/field, or None if not a number or absurd."""
    v = number(value)
    return v if v is not None and abs(v) <= COORD_LIMIT else None


def number(value) -> float | None:
    """A finite float from a cell/field, or None. Never raises."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        return v if np.isfinite(v) else None
    s = norm(value).replace(" ", "")
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    if not _NUM.fullmatch(s):
        return None
    try:
        v = float(s)
    except (ValueError, OverflowError):
        return None
    return v if np.isfinite(v) else None


@dataclass
class Draft:
    """One parcel as read: attributes and rings (ring number → points)."""

    pid: str
    record: int | str | None
    attrs: dict = field(default_factory=dict)
    rings: dict[int, list[tuple[float, float, int | str | None]]] = field(default_factory=dict)
    #: ring number → the boundary points' names (点号) as the file gives them, beside ``rings``
    names: dict[int, list[str]] = field(default_factory=dict)
    #: every point's name in the built outline's order (outer ring, holes, other parts), closing
    #: points left out; set by :func:`build_polygon`, empty when the file names none
    point_names: list[str] = field(default_factory=list)

    def add(self, ring: int, e: float, n: float, record, name: str = "") -> None:
        self.rings.setdefault(ring, []).append((e, n, record))
        self.names.setdefault(ring, []).append(name)


def _clean_ring(pts, source, pid, ring, expect_closed, findings, names=None):
    """Drop consecutive duplicates (info) and the closing point; note open rings. With ``names``
    (the points' 点号) returns (points, their names), the names following the points kept."""
    out: list[tuple[float, float]] = []
    kept: list[str] = []
    for k, (e, n, rec) in enumerate(pts):
        if out and (e, n) == out[-1]:
            findings.append(Finding(source, rec, "duplicate_point",
                                    f"parcel {pid} ring {ring}: point repeats the previous one, dropped (重复点)", "info"))
            continue
        out.append((e, n))
        kept.append(names[k] if names is not None and k < len(names) else "")
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
        kept.pop()
    elif expect_closed and len(out) >= 3:
        findings.append(Finding(source, pts[0][2], "open_ring",
                                f"parcel {pid} ring {ring} is not closed; closed automatically (未闭合，已自动闭合)", "info"))
    return (out, kept) if names is not None else out


def build_polygon(d: Draft, source: str, swapped: bool, expect_closed: bool, findings: list):
    """Polygon/MultiPolygon from ``d.rings``; ring 1 (else the lowest) is the outer
    boundary, the others holes when inside it, extra parts when outside. None if
    no outer ring with ≥ 3 distinct points (an error finding is added)."""
    from shapely import GEOSException
    from shapely.geometry import MultiPolygon, Polygon

    rings: dict = {}
    names: dict = {}
    for no in sorted(d.rings):
        pts = [(n, e, r) for e, n, r in d.rings[no]] if swapped else d.rings[no]
        ring, names[no] = _clean_ring(pts, source, d.pid, no, expect_closed, findings, d.names.get(no, []))
        if len(set(ring)) < 3:
            sev = "error" if not rings else "warning"
            findings.append(Finding(source, d.record, "too_few_points",
                                    f"parcel {d.pid} ring {no} has {len(set(ring))} distinct point(s), needs 3; "
                                    f"ring ignored (界址点不足3个)", sev))
            continue
        rings[no] = ring
    if not rings:
        return None
    first = 1 if 1 in rings else min(rings)
    outers, holes = [rings.pop(first)], []
    shell = Polygon(outers[0])
    for no, ring in rings.items():
        try:
            inside = shell.covers(Polygon(ring).representative_point())
        except GEOSException:
            inside = True
        if inside:
            holes.append(ring)
        else:
            outers.append(ring)
            findings.append(Finding(source, d.record, "extra_part",
                                    f"parcel {d.pid} ring {no} lies outside ring {first}: kept as a separate part, "
                                    f"not a hole (圈 {no} 不在外圈内，按独立部分处理)", "warning"))
    polys = [Polygon(outers[0], holes)] + [Polygon(r) for r in outers[1:]]
    # the names in the outline's own order (as the report numbers the points): outer, holes, parts
    order = [first] + [no for no, r in rings.items() if any(r is h for h in holes)] \
        + [no for no, r in rings.items() if any(r is o for o in outers[1:])]
    named = [name for no in order for name in names[no]]
    d.point_names = named if any(named) else []
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def decide_crs(source: str, drafts: list[Draft], crs: str | None, zones_bounds_lonlat,
               stated: CrsDecision | None = None) -> CrsDecision:
    """The user's ``crs`` beats what the file states, which beats inference."""
    if crs:
        from zones.crs import resolve_crs
        try:
            name = resolve_crs(crs)
        except InputError as exc:   # a bad option: report it against this file, one line
            raise fail(source, exc.problem) from None
        return CrsDecision(name, "override", f"coordinate system given by the user (用户指定): {name}", candidate=name)
    if stated is not None:
        return stated
    from zones.crs import infer_crs
    xy = [(e, n) for d in drafts for pts in d.rings.values() for e, n, _ in pts]
    return infer_crs(np.array(xy, dtype=float).reshape(-1, 2), zones_bounds_lonlat=zones_bounds_lonlat)


def assemble(source: str, drafts: list[Draft], decision: CrsDecision, findings: list, *,
             columns: list[str], encoding=None, encoding_how=None, expect_closed=False,
             zones_bounds_lonlat=None, declared_area_field=None, check=None) -> ImportResult:
    """Build geometries, the GeoDataFrame and the result; run the shared validation
    (zones.io.validate.validate_parcels) when that module is present.
    ``check(draft, geometry, findings)`` lets a reader add per-parcel checks."""
    import geopandas as gpd

    rows, geoms = [], []
    for d in drafts:
        geom = build_polygon(d, source, decision.swapped, expect_closed, findings)
        if geom is None:
            continue
        if check is not None:
            check(d, geom, findings)
        rows.append({"parcel_id": d.pid, **d.attrs})
        if d.point_names:    # 点号 as given, in the outline's order (zones.point_names)
            rows[-1][POINT_NAMES] = dumps(d.point_names)
        geoms.append(geom)
    if not geoms:
        problems = [f for f in findings if f.severity == "error"][:1]
        hint = f"; first problem: {problems[0]}" if problems else ""
        raise fail(source, f"no parcel could be built from the file (没有可用的地块){hint}")
    crs = decision.crs
    if any(POINT_NAMES in r for r in rows) and POINT_NAMES not in columns:
        columns = [*columns, POINT_NAMES]
    gdf = gpd.GeoDataFrame(rows, columns=columns, geometry=geoms)
    if crs in ("GCJ-02", "BD-09"):
        from zones.crs import to_wgs84_from
        gdf = gdf.set_geometry(to_wgs84_from(crs, gdf.geometry))
        decision = CrsDecision("EPSG:4326", decision.how,
                               decision.reason + f"; converted from {crs} to WGS84 (已由{crs}转换为WGS84)")
    elif crs:
        gdf = gdf.set_crs(crs, allow_override=True)
    if decision.local_suspect:
        findings.append(Finding(source, None, "local_crs", "coordinates look like a Wenzhou local system; no coordinate "
                                "system set and nothing converted: give the coordinate system (疑为地方坐标系，请指定)"))
    try:   # owned by another module; optional until it exists
        from zones.io.validate import validate_parcels
    except ModuleNotFoundError as exc:
        if exc.name not in ("zones.io.validate",):
            raise
        validate_parcels = None  # type: ignore[assignment]
    if validate_parcels is not None:
        from shapely.errors import GEOSException
        try:
            gdf, more = validate_parcels(gdf, source, zones_bounds_lonlat=zones_bounds_lonlat)
        except GEOSException as exc:   # geometry engine failure on a degenerate outline: not a crash
            raise fail(source, f"the geometry engine could not check the outlines (几何检查失败): {exc}") from None
        findings = findings + list(more)
        if len(gdf) == 0:
            first = next((f for f in more if f.severity == "error"), None)
            raise fail(source, "no usable parcel left after checking the outlines (没有可用的地块)"
                               + (f"; first problem: {first}" if first else ""))
    return ImportResult(parcels=gdf, source=source, encoding=encoding, encoding_how=encoding_how,
                        crs=decision, findings=findings, id_field="parcel_id",
                        declared_area_field=declared_area_field)
