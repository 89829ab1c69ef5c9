"""Parcels from a DXF drawing (surveyors' 宗地图 / CASS output), read with ezdxf (or, for
plain drawings, by GDAL with the same result: :mod:`zones.io.dxf_fast`).

What becomes a parcel (modelspace only; blocks are not exploded):
- closed LWPOLYLINE/POLYLINE (flag closed, or first vertex == last), arcs/bulges
  flattened to chords with at most 1 mm sagitta (drawing units, taken as metres);
- HATCH boundary paths (nested paths become holes by even-odd nesting).

Nesting rule (documented for staff): on the chosen layer, a closed outline lying
inside another is a hole of its smallest container (a courtyard, or an enclave
parcel belonging to someone else); an outline nested inside a hole is again a
parcel, and so on (even-odd). A hole that carries its own id label is *also*
imported as a parcel of its own (an enclave 宗地), so no area is lost or counted
twice. Outlines on other layers never nest with these.

Parcel ids: TEXT/MTEXT, or an INSERT's attribute, whose insertion point lies
inside an outline; the smallest containing outline wins. Several labels in one
outline: a non-numeric one (numbers are usually areas) nearest the centre.
Open polylines and self-crossing outlines are reported, never guessed. DXF has
no coordinate system, so the CRS is inferred (or given by the user).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from zones.io.base import Finding, ImportResult, ParcelImportError

FLATTEN = 0.001  # max sagitta of an arc chord, drawing units (m)
CLOSED_GAP = 1e-9  # an unflagged polyline whose ends are this close is closed
ID_TAGS = ("宗地号", "宗地编号", "ZDH", "ZDBH", "ID", "BH", "编号", "PARCEL", "PARCEL_ID")
_NUMERIC = re.compile(r"^[\s\d.,+\-㎡m²]*$")


def _load(path: Path, encoding=None):
    import ezdxf
    from ezdxf import recover
    try:
        if encoding:
            return ezdxf.readfile(str(path), encoding=encoding)
        try:   # the strict loader is twice as fast; recover tolerates the sloppy DXF many CAD tools write
            return ezdxf.readfile(str(path))
        # StopIteration: ezdxf's header sniffing runs off the end of a drawing cut short
        except (ezdxf.DXFError, UnicodeError, ValueError, IndexError, EOFError, StopIteration):
            doc, _auditor = recover.readfile(str(path))
            return doc
    except ezdxf.DXFError:
        raise ParcelImportError(str(path), "is not a readable DXF drawing: damaged, cut short or not DXF (DXF文件无法读取)") from None
    except (OSError, UnicodeError, ValueError, IndexError, EOFError, StopIteration):
        raise ParcelImportError(str(path), "is damaged or not a DXF drawing (DXF文件损坏)") from None


def _rings(e):
    """[(xy list, closed)] for one entity: one for a polyline, one per boundary path for a hatch."""
    from ezdxf import path as dpath
    t = e.dxftype()
    if t == "LWPOLYLINE" or (t == "POLYLINE" and (e.is_2d_polyline or e.is_3d_polyline)):
        pts = [(v.x, v.y) for v in dpath.make_path(e).flattening(FLATTEN)]
        closed = bool(e.closed if t == "LWPOLYLINE" else e.is_closed) or (len(pts) > 2 and Point(pts[0]).distance(Point(pts[-1])) < CLOSED_GAP)
        return [(pts, closed)]
    if t in ("HATCH", "MPOLYGON"):
        return [([(v.x, v.y) for v in p.flattening(FLATTEN)], True) for p in dpath.from_hatch(e)]
    return []


def _label_points(msp):
    """[(Point, text)] of TEXT, MTEXT and attributed INSERTs, on any layer."""
    out = []
    for e in msp.query("TEXT MTEXT INSERT"):
        t = e.dxftype()
        try:
            if t == "TEXT":
                useal = (e.dxf.get("halign", 0) or e.dxf.get("valign", 0)) and e.dxf.hasattr("align_point")
                p, text = (e.dxf.align_point if useal else e.dxf.insert), e.dxf.text
            elif t == "MTEXT":
                p, text = e.dxf.insert, e.plain_text()
            else:
                attrs = {a.dxf.tag.upper(): a.dxf.text for a in e.attribs if a.dxf.text.strip()}
                if not attrs:
                    continue
                tag = next((k for k in ID_TAGS if k.upper() in attrs), next(iter(attrs)))
                p, text = e.dxf.insert, attrs[tag.upper()]
        except AttributeError:
            continue
        if str(text).strip():
            out.append((Point(p.x, p.y), " ".join(str(text).split())))
    return out


def _too_few_points(pts) -> bool:
    return len({(round(x, 6), round(y, 6)) for x, y in pts}) < 3


def _drawing(path: Path, encoding=None):
    """(outlines, findings, a function giving the labels, the drawing's encoding).

    Plain drawings (closed polylines without arcs, single-line texts) are parsed by GDAL, many
    times faster than building ezdxf's entities (:mod:`zones.io.dxf_fast`); everything else,
    and anything GDAL could read differently, by ezdxf, as before."""
    from zones.io import dxf_fast

    fast = None if encoding else dxf_fast.read(path, _too_few_points, CLOSED_GAP)
    if fast is not None:
        outl, found, labels, enc = fast
        return outl, found, lambda: labels, enc
    doc = _load(path, encoding)
    outl, found = _outlines(path, doc)
    return outl, found, lambda: _label_points(doc.modelspace()), doc.encoding


def _outlines(path, doc):
    """All closed outlines as dicts, plus findings for open/self-crossing/degenerate ones."""
    src, outl, found = str(path), [], []
    for e in doc.modelspace():
        try:
            rings = _rings(e)
        except Exception as exc:  # noqa: BLE001 - one odd entity must not stop the drawing
            found.append(Finding(src, f"{e.dxftype()} #{e.dxf.handle}", "skipped", "the entity is damaged and cannot be "
                                 f"read ({type(exc).__name__}); not taken as a parcel", "error"))
            continue
        for pts, closed in rings:
            where = f"{e.dxftype()} #{e.dxf.handle} (layer {e.dxf.layer})"
            if not closed:
                found.append(Finding(src, where, "open_ring", "polyline is not closed, so it is not taken as a parcel", "error"))
                continue
            if _too_few_points(pts):
                found.append(Finding(src, where, "empty_geometry", "closed outline has fewer than 3 distinct points", "error"))
                continue
            poly = Polygon(pts)
            if not poly.is_valid:
                found.append(Finding(src, where, "self_intersection",
                                     f"outline crosses itself ({shapely.is_valid_reason(poly)}); fix it in CAD (not guessed)", "error"))
                continue
            outl.append(dict(poly=poly, layer=e.dxf.layer, handle=e.dxf.handle, type=e.dxftype(), where=where))
    return outl, found


def list_dxf_layers(path) -> list[str]:
    """DXF layers holding at least one closed, valid outline."""
    outl = _drawing(Path(path))[0]
    return sorted({o["layer"] for o in outl})


def read_dxf(path, *, layer=None, encoding=None, crs=None, zones_bounds_lonlat=None, id_field=None) -> ImportResult:
    """Read parcel outlines from a DXF (see module doc). Coordinates as drawn; CRS inferred unless ``crs``."""
    from zones.io.vector import finish
    path = Path(path)
    src = str(path)
    outl, found, labels, drawing_encoding = _drawing(path, encoding)
    if not outl:
        raise ParcelImportError(src, "has no closed outline (closed polyline or hatch), so no parcel can be read"
                                + (f"; {len(found)} unusable outline(s): {found[0].message}" if found else ""))
    counts: dict[str, int] = {}
    for o in outl:
        counts[o["layer"]] = counts.get(o["layer"], 0) + 1
    if layer is None and len(counts) > 1:
        raise ParcelImportError(src, "has closed outlines on several layers; choose one: "
                                + ", ".join(f"{k} ({v})" for k, v in sorted(counts.items())))
    if layer is not None and layer not in counts:
        raise ParcelImportError(src, f"has no closed outline on layer {layer!r}; layers with outlines: {', '.join(sorted(counts))}")
    chosen = layer or next(iter(counts))
    outl = _dedupe([o for o in outl if o["layer"] == chosen], src, found)
    _nest(outl)
    _assign_labels(outl, labels(), src, found)
    rows, geoms = [], []
    for o in outl:
        if o["depth"] % 2 == 1 and not o["labels"]:
            found.append(Finding(src, o["where"], "hole", f"inside {o['parent']['where']}: taken as a hole (courtyard or enclave)", "info"))
            continue
        holes = [c["poly"].exterior for c in o["children"]]
        geoms.append(Polygon(o["poly"].exterior, holes))
        if o["depth"] % 2 == 1:
            found.append(Finding(src, o["where"], "hole", f"labelled outline inside {o['parent']['where']}: a hole there and a parcel of its own", "info"))
        rows.append({"parcel_id": o["id"], "dxf_texts": " | ".join(o["labels"]) or None, "dxf_layer": o["layer"],
                     "dxf_handle": o["handle"], "dxf_type": o["type"]})
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=None)
    has_ids = gdf["parcel_id"].notna().any()
    res = finish(gdf, src, layer=chosen, encoding=drawing_encoding, encoding_how="dxf header", crs=crs,
                 zones_bounds_lonlat=zones_bounds_lonlat, id_field=id_field or ("parcel_id" if has_ids else None), stated=False)
    # validation counted rows; tell the user which drawing entity each row is
    where: dict = {i + 1: f"{i + 1} ({r['dxf_type']} #{r['dxf_handle']})" for i, r in enumerate(rows)}
    res.findings = found + [Finding(f.source, where.get(f.record, f.record), f.code, f.message, f.severity) for f in res.findings]
    return res


def _dedupe(outl, src, found):
    """Drop an outline identical to an earlier one (a hatch drawn over its own boundary polyline).

    Candidates come from an STRtree of the outlines' lower-left corners (twins share it within
    1e-6), so stacked copies cost n log n, not a comparison of every pair."""
    if len(outl) < 2:
        return outl
    polys = np.array([o["poly"] for o in outl], dtype=object)
    norm = shapely.normalize(polys)
    corner = shapely.bounds(polys)[:, :2]
    tree = shapely.STRtree(shapely.points(corner))
    near = shapely.box(corner[:, 0] - 1e-6, corner[:, 1] - 1e-6, corner[:, 0] + 1e-6, corner[:, 1] + 1e-6)
    i, j = tree.query(near)
    later = i > j                                  # outline i against an earlier outline j
    i, j = i[later], j[later]
    same = shapely.equals_exact(norm[i], norm[j], 1e-6)
    twin_of = {}
    for a, b in zip(i[same].tolist(), j[same].tolist()):
        twin_of[a] = min(b, twin_of.get(a, b))      # the earliest identical outline
    keep = []
    for k, o in enumerate(outl):
        first = twin_of.get(k)
        while first is not None and first in twin_of:   # chains of copies lead to the first drawn
            first = twin_of[first]
        if first is not None:
            found.append(Finding(src, o["where"], "skipped", f"same outline as {outl[first]['where']}; imported once", "info"))
        else:
            keep.append(o)
    return keep


def _smallest(pairs_in, pairs_out, area):
    """For each input index, the output index of least area among its pairs (or absent); equal
    areas go to the outline drawn first, as the pairwise rule did."""
    best: dict[int, int] = {}
    for a, b in zip(pairs_in.tolist(), pairs_out.tolist()):
        cur = best.get(a)
        if cur is None or (area[b], b) < (area[cur], cur):
            best[a] = b
    return best


def _nest(outl):
    """Set parent (smallest container), depth and children (direct) of each outline.

    Containers are found by one bulk STRtree query (predicate "within"), so the cost grows with
    the number of outlines times their nesting depth, not with the square of their number."""
    for o in outl:
        o["children"], o["labels"], o["id"], o["parent"] = [], [], None, None
    if not outl:
        return
    polys = np.array([o["poly"] for o in outl], dtype=object)
    area = shapely.area(polys)
    i, j = shapely.STRtree(polys).query(polys, predicate="within")
    other = i != j                                   # an outline is within itself
    for k, b in _smallest(i[other], j[other], area).items():
        outl[k]["parent"] = outl[b]
    for o in sorted(outl, key=lambda o: o["poly"].area):   # children in the order of the old rule
        if o["parent"] is not None:
            o["parent"]["children"].append(o)
    depth: dict[int, int] = {}
    for o in outl:
        chain, p = [], o
        while p is not None and id(p) not in depth:
            chain.append(p)
            p = p["parent"]
        d = depth[id(p)] + 1 if p is not None else 0
        for q in reversed(chain):
            depth[id(q)] = d
            d += 1
        o["depth"] = depth[id(o)]


def _assign_labels(outl, labels, src, found):
    """Give each label to the smallest outline covering its insertion point (one bulk query)."""
    if outl and labels:
        polys = np.array([o["poly"] for o in outl], dtype=object)
        pts = np.array([p for p, _ in labels], dtype=object)
        li, oi = shapely.STRtree(polys).query(pts, predicate="covered_by")
        owner = _smallest(li, oi, shapely.area(polys))
        for k, (pt, text) in enumerate(labels):
            if k in owner:
                o = outl[owner[k]]
                o["labels"].append(text)
                o.setdefault("points", []).append((pt, text))
    for o in outl:
        if not o["labels"]:
            continue
        centre = o["poly"].representative_point()
        pts = [(p, t) for p, t in o["points"] if not _NUMERIC.match(t)] or o["points"]
        cands = [t for _, t in sorted(pts, key=lambda pt_t: pt_t[0].distance(centre))]
        o["id"] = cands[0]
        if len(cands) > 1:
            found.append(Finding(src, o["where"], "label", f"several labels inside ({', '.join(cands)}); {cands[0]!r} taken as the id", "info"))
