"""Per-record checks shared by every parcel reader.

:func:`validate_parcels` takes the parcels as read (any geometry, any CRS or
none) and returns only usable records — 2D Polygon/MultiPolygon — plus one
:class:`~zones.io.base.Finding` per problem. Record numbers are 1-based, as a
person counts rows/features: record ``n`` is the row at position ``n-1`` of the
GeoDataFrame given, and the returned frame keeps those positions as its index
(``record = index + 1``) so a dropped record never renumbers the others.
Areas are m², measured in a projected CRS (EPSG:4549 for geographic input).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import shapely.errors
from shapely.geometry import MultiPolygon, Polygon

from zones.io.base import Finding, FindingList, OverlapBlock

OVERLAP_MIN_M2 = 0.01          # interior overlap worth a warning; less is digitising noise
#: Overlapping pairs whose area is measured and stated; beyond them a finding names the partner
#: only. Enough for every overlap a person reads one by one (stderr shows 50 findings); a batch
#: with more is a data problem (a layer loaded twice, parcels strewn over each other) where
#: measuring each overlap — GEOS's full overlay of the pair — would cost more than the assessment.
OVERLAP_AREAS_MAX = 1_000
MAX_COORD = 1e9               # no CRS we accept has coordinates beyond this (m or °)
FAR_MARGIN_DEG = 0.2           # ~20 km beyond the zone-set extent counts as "far"
LONLAT = 4490                  # CGCS2000 degrees: no datum search from the CGCS2000 grids (WGS84 within 1 m)
ID_NAMES = ("宗地号", "宗地编号", "宗地代码", "地块编号", "不动产单元号", "parcel_id", "parcelid", "zdh", "zddm", "dkbh", "id", "name", "编号")
AREA_NAMES = ("证书面积", "发证面积", "宗地面积", "测定面积", "地块面积", "土地面积", "面积", "zdmj", "area")


def guess_field(columns, names) -> str | None:
    """The first column whose name (case-insensitive) is in ``names``, in the order of ``names``."""
    low = {str(c).strip().lower(): c for c in columns}
    for n in names:
        if n.lower() in low:
            return low[n.lower()]
    return None


def _as_polygonal(geom):
    """(polygonal geometry or None, finding code, severity, message) for one geometry."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom, None, None, None
    kind = geom.geom_type
    if kind in ("LineString", "LinearRing", "MultiLineString"):
        parts = list(getattr(geom, "geoms", [geom]))
        if all(len(p.coords) >= 4 and p.coords[0] == p.coords[-1] for p in parts):
            polys = [Polygon(p.coords) for p in parts]
            out = polys[0] if len(polys) == 1 else MultiPolygon(polys)
            return out, "not_polygon", "info", f"closed {kind} taken as a polygon"
        return None, "open_ring", "error", f"{kind} is not closed, so it encloses no area (skipped)"
    if kind == "GeometryCollection":
        polys = [g for g in geom.geoms if isinstance(g, (Polygon, MultiPolygon))]
        if polys:
            return shapely.union_all(polys), "not_polygon", "info", "polygon parts of a geometry collection kept"
    return None, "not_polygon", "error", f"{kind} is not a parcel outline (skipped)"


def _polygonal_part(geom):
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon)) and not g.is_empty]
    return shapely.union_all(parts) if parts else None


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geometry in metres: as is when projected or unknown (local systems are metric), else EPSG:4549."""
    if gdf.crs is not None and gdf.crs.is_geographic:
        return gdf.geometry.to_crs(4549)
    return gdf.geometry


def _clean_mask(arr: np.ndarray):
    """True for records needing no per-record work: non-empty valid 2D Polygon/MultiPolygon
    with finite coordinates within MAX_COORD (checked for all records at once, for speed).
    Also returns the outlines' corners (:class:`~zones.overlap_check.Wedges`) that proved most
    of them valid, and the records' bounds, for the overlap check to take over (or None)."""
    ok = np.isin(shapely.get_type_id(arr), (3, 6)) & ~shapely.is_empty(arr)
    ok &= ~shapely.has_z(arr)
    if hasattr(shapely, "has_m"):
        ok &= ~shapely.has_m(arr)
    bounds = shapely.bounds(arr)   # a NaN/inf coordinate shows in the bounds; far cheaper than every vertex
    box = bounds[~np.isnan(bounds).all(axis=1)]  # empty geometries have NaN bounds: judged below
    if not (np.isfinite(box).all() and np.abs(box).max(initial=0) <= MAX_COORD):  # rare: find the records
        xy, idx = shapely.get_coordinates(arr, return_index=True)
        bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy).max(axis=1, initial=0) > MAX_COORD)
        ok &= np.bincount(idx[bad], minlength=len(arr)) == 0
    outlines = None
    if ok.any():
        from zones.overlap_check import Wedges
        from zones.overlay import in_threads  # validity checks on all cores

        # A ring that goes once round its corners' mean, turning its way at every corner, is a
        # simple polygon: valid without asking GEOS (every parcel of a cadastre, most others);
        # GEOS is asked about the rest. The corners are kept for the overlap check.
        whole = bool(ok.all())
        outlines = Wedges(arr if whole else np.where(ok, arr, None), box=bounds[ok])  # type: ignore[call-overload]
        ask = ok & ~outlines.proven_valid()
        if ask.any():
            ok[ask] = np.concatenate(in_threads(shapely.is_valid, arr[ask]))
        outlines.known_valid[ok] = True
        if not whole:
            outlines = None           # other outlines than the records': the check makes its own
    return ok, outlines, bounds


def validate_parcels(gdf: gpd.GeoDataFrame, source: str, *, zones_bounds_lonlat=None, id_field: str | None = None):
    """Check and clean parcels; return ``(gdf, findings)``.

    ``zones_bounds_lonlat``: (min lon, min lat, max lon, max lat) of the zone set
    (WGS84/CGCS2000 degrees); parcels far outside it get ``far_from_zones``.
    ``id_field``: the parcel id column; guessed from common names when None.
    """
    source = str(source)
    findings = FindingList()
    gdf = gdf.reset_index(drop=True)
    has_z = False
    arr = np.asarray(gdf.geometry.values, dtype=object)
    clean, outlines, bounds = _clean_mask(arr)  # vectorised: the checks below would pass these records unchanged
    kept: dict[int, object] = {}             # records needing work that are kept → their outline
    for i in np.flatnonzero(~clean).tolist():
        geom = arr[i]
        rec = i + 1
        if geom is None or geom.is_empty:
            findings.append(Finding(source, rec, "empty_geometry", "the record has no geometry (skipped)", "error"))
            continue
        if shapely.has_z(geom) or getattr(shapely, "has_m", lambda g: False)(geom):
            has_z = True
            geom = shapely.force_2d(geom)
        xy = shapely.get_coordinates(geom)
        if not np.isfinite(xy).all() or np.abs(xy).max() > MAX_COORD:
            what = "not numbers (NaN/Infinity)" if not np.isfinite(xy).all() else "absurdly large"
            findings.append(Finding(source, rec, "bad_coordinates", f"coordinates are {what} (skipped)", "error"))
            continue
        geom, code, sev, msg = _as_polygonal(geom)
        if code:
            findings.append(Finding(source, rec, code, msg, sev))
        if geom is None:
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            try:
                fixed = _polygonal_part(shapely.make_valid(geom))
            except shapely.errors.GEOSException:  # degenerate beyond repair (e.g. zero extent)
                fixed = None
            if fixed is None or fixed.is_empty or fixed.area == 0:
                findings.append(Finding(source, rec, "self_intersection", f"invalid outline ({reason}) encloses no area (skipped)", "error"))
                continue
            findings.append(Finding(source, rec, "repaired",
                                    f"invalid outline ({reason}) repaired: area {geom.area:.2f} -> {fixed.area:.2f} in file units; check the drawing"))
            geom = fixed
        kept[i] = geom
    keep = np.flatnonzero(clean) if not kept else np.sort(np.r_[np.flatnonzero(clean), list(kept)])
    geoms = arr[keep]
    for at, geom in zip(np.searchsorted(keep, list(kept)).tolist(), kept.values()):
        geoms[at] = geom
    if has_z:
        findings.append(Finding(source, None, "z_dropped", "Z/M (height/measure) values dropped; only X/Y are used", "info"))
    out = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name).iloc[keep], geometry=gpd.GeoSeries(geoms, index=keep), crs=gdf.crs)
    out.index = keep
    id_field = id_field or guess_field(out.columns, ID_NAMES)
    if id_field is not None and id_field in out.columns:
        findings += _duplicates(out, id_field, source)
    # the corners and bounds of the validity check serve the overlap check when its outlines are these ones
    same = outlines is not None and len(keep) == len(arr) and not kept
    findings += _overlaps(out, source, outlines=outlines if same else None, bounds=bounds if same else None)
    if zones_bounds_lonlat is not None and out.crs is not None and len(out):
        findings += _far(out, source, zones_bounds_lonlat)
    return out, findings


def _duplicates(out, id_field, source):
    values = out[id_field].tolist()
    if all(type(v) is str for v in values):  # the common case, settled at once: distinct, non-blank ids
        keys = [v.strip() for v in values]
        if "" not in keys and len(set(keys)) == len(keys):
            return []
    seen, found = {}, []
    for idx, val in zip(out.index.tolist(), out[id_field].tolist()):  # tolist: far faster than .items()
        if val is None or (isinstance(val, float) and np.isnan(val)) or str(val).strip() == "":
            continue
        key = str(val).strip()
        if key in seen:
            found.append(Finding(source, idx + 1, "duplicate_id", f"{id_field} {key!r} also used by record {seen[key]}"))
        else:
            seen[key] = idx + 1
    return found


def _overlaps(out, source, *, outlines=None, bounds=None):
    """One finding on each parcel of every overlapping pair, naming its partner; the overlap's
    area is measured and stated for the first :data:`OVERLAP_AREAS_MAX` pairs only.
    ``outlines``, ``bounds``: those of :func:`_clean_mask`, when they are ``out``'s outlines."""
    if len(out) < 2:
        return FindingList()
    from zones.overlap_check import overlap_areas, overlapping_pairs

    geoms = _metric(out).values
    reprojected = out.crs is not None and out.crs.is_geographic     # a projected outline may have become invalid
    if reprojected:
        outlines = bounds = None
    try:
        left, right = overlapping_pairs(geoms, OVERLAP_MIN_M2, checked=not reprojected, outlines=outlines, box=bounds)
    except shapely.errors.GEOSException:  # one pair GEOS cannot handle: fall back pair by pair
        left, right, _ = _overlaps_one_by_one(geoms)
    measured = min(len(left), OVERLAP_AREAS_MAX)
    areas = np.full(len(left), np.nan)
    areas[:measured] = overlap_areas(geoms, left[:measured], right[:measured], overlapping=True)
    records = out.index.to_numpy() + 1
    ra, rb = records[left], records[right]
    # Both parcels are told (either outline may be the wrong one), in the order of the record
    # told and then of its partner: each pair once in each direction, so no two rows tie.
    # Kept as columns: half a million findings objects cost more than the check that finds them.
    # one key per finding (the pairs are distinct, so no two keys tie): the keys themselves sorted
    # (a third of an argsort's time), the record told and its partner read back from them
    span = int(records.max()) + 1
    key = np.concatenate([rb * span + ra, ra * span + rb])
    key.sort()
    told, partner = np.divmod(key, span)
    area = np.full(len(key), np.nan)
    if measured:       # the stated areas, each pair's in both its findings
        area[np.searchsorted(key, rb[:measured] * span + ra[:measured])] = areas[:measured]
        area[np.searchsorted(key, ra[:measured] * span + rb[:measured])] = areas[:measured]
    found = FindingList(OverlapBlock(source, told, partner, area))
    if measured < len(left):
        found.append(Finding(source, None, "overlap",
                             f"{len(left):,} pairs of parcels overlap; the overlap area is stated for the first "
                             f"{measured:,} pairs (in record order) and the others name the partner only", "info"))
    return found


def _overlaps_one_by_one(geoms):
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    pairs, areas = [], []
    for a, b in zip(left[keep].tolist(), right[keep].tolist()):
        try:
            if shapely.relate_pattern(geoms[a], geoms[b], "T********"):
                area = shapely.intersection(geoms[a], geoms[b]).area
                if area > OVERLAP_MIN_M2:
                    pairs.append((a, b))
                    areas.append(area)
        except shapely.errors.GEOSException:
            continue
    arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((arr[:, 1], arr[:, 0]))           # record order
    return arr[order, 0], arr[order, 1], np.array(areas, dtype=float)[order]


def _far(out, source, bounds):
    minx, miny, maxx, maxy = bounds
    if _all_near(out, bounds):
        return []
    pts = out.geometry.representative_point().to_crs(LONLAT)
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    far = (x < minx - FAR_MARGIN_DEG) | (x > maxx + FAR_MARGIN_DEG) | (y < miny - FAR_MARGIN_DEG) | (y > maxy + FAR_MARGIN_DEG) | ~np.isfinite(x)
    hint = "most often the coordinate system is wrong (e.g. X/Y swapped, zone prefix, or a local system); check it"
    if far.all():
        return [Finding(source, None, "far_from_zones", f"all {len(out)} parcels lie far outside the zone set's extent; {hint}")]
    return [Finding(source, int(out.index[i]) + 1, "far_from_zones", f"parcel lies far outside the zone set's extent; {hint}")
            for i in np.flatnonzero(far)]


def _all_near(out, bounds) -> bool:
    """Quick answer for the common case: the box around all parcels, in lon/lat (edges
    densified), lies within the zone set's extent plus the margin, so no parcel is far."""
    from zones.crs import transformer

    if _near_cgcs2000(out.crs) and _box_near(out.total_bounds, bounds, GEOGRAPHIC_SLACK_DEG):
        return True    # WGS84 lon/lat are within 1 m of CGCS2000's: no datum search (≈ 0.15 s)
    try:
        box = transformer(out.crs, LONLAT).transform_bounds(*out.total_bounds, densify_pts=21)
    except Exception:  # noqa: BLE001 - any failure: fall back to the per-parcel test
        return False
    return _box_near(box, bounds)


#: WGS84 and CGCS2000 lon/lat differ by under 1 m; 0.001° (about 100 m) of the margin is kept
#: back for it, and a box nearer the margin than that is transformed exactly.
GEOGRAPHIC_SLACK_DEG = 0.001


def _near_cgcs2000(crs) -> bool:
    """Lon/lat on the WGS84 or CGCS2000 datum, from Greenwich."""
    try:
        return bool(crs.is_geographic and crs.prime_meridian.longitude == 0
                    and crs.datum.name.startswith(("World Geodetic System 1984", "China 2000")))
    except AttributeError:   # no datum or prime meridian stated
        return False


def _box_near(box, bounds, slack: float = 0.0) -> bool:
    """The box lies within the zone extent plus the margin (less ``slack`` degrees)."""
    minx, miny, maxx, maxy = bounds
    margin = FAR_MARGIN_DEG - slack
    return bool(np.isfinite(box).all() and box[0] >= minx - margin and box[2] <= maxx + margin
                and box[1] >= miny - margin and box[3] <= maxy + margin)
