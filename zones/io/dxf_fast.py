"""The fast path of the DXF reader: GDAL's DXF driver (through pyogrio) for the common drawing.

ezdxf builds a Python object for every entity (about 0.3 ms each, most of a 100,000-parcel
宗地图's import). GDAL reads the same entities about 20 times faster, but it flattens arcs,
inlines blocks, translates text escapes and treats damaged files in its own way. So GDAL is used
only for drawings where both readers must give the same points and texts, and the drawing's
tags are checked first:

- a well-formed ASCII DXF (every group code a number, one ENTITIES section, EOF at the end,
  unique handles);
- modelspace holds only LWPOLYLINE and TEXT; no bulges (arcs), extrusion, elevation, text
  alignment point, paper space, extended data or comments in the ENTITIES section; no control
  character, ``%%``, ``\\`` or ``^`` escape there; every number there finite;
- text in UTF-8 (DXF R2007 and newer) or plain ASCII.

GDAL's result is then checked feature by feature against those tags (same handles in the same
order, same kind of geometry, same layer and text); any difference, warning or error and the
drawing goes to the ezdxf reader (:mod:`zones.io.dxf`), which stays the reference.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import shapely

from zones.io.base import Finding

_ENTITY = {6, 8, 48, 62, 284, 347, 370, 390, 420, 440}
#: subclass markers of the two entity types, and the group codes ezdxf reads in each
_LAYOUT = {
    "LWPOLYLINE": [(None, {5, 330}), (b"AcDbEntity", _ENTITY), (b"AcDbPolyline", {10, 20, 39, 40, 41, 43, 70, 90})],
    "TEXT": [(None, {5, 330}), (b"AcDbEntity", _ENTITY),
             (b"AcDbText", {1, 7, 10, 20, 30, 39, 40, 41, 50, 51, 71}), (b"AcDbText", set())],
}
# group codes understood alike by both readers for these two entity types (anything else in
# the ENTITIES section: the ezdxf reader decides)
_CODES = {0, 1, 2, 5, 6, 7, 8, 10, 20, 30, 39, 40, 41, 43, 48, 50, 51, 62, 70, 71, 90, 100, 284, 330, 347, 370,
          390, 420, 440}
_FLOAT_CODES = {10, 20, 30, 39, 40, 41, 43, 48, 50, 51}
_INT_CODES = {62, 70, 71, 90, 284, 370, 420, 440}
_NOT_IN_TEXT = (b"%%", b"\\", b"^")
_CONTROL = re.compile(rb"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


class _NotEligible(Exception):
    """The drawing needs the ezdxf reader."""


def read(path: Path, empty_geometry, closed_tolerance: float):
    """(outlines, findings, labels, encoding) as :mod:`zones.io.dxf` would give them, or None
    when the drawing is not one the fast path can read identically."""
    try:
        tags = _scan(path, path.read_bytes())
        return _from_gdal(path, tags, empty_geometry, closed_tolerance)
    except _NotEligible:
        return None
    except (OSError, MemoryError, ValueError, UnicodeError, IndexError):
        return None                  # the reference reader reads it, or reports it in words


def _scan(path: Path, data: bytes) -> dict:
    """Check the drawing's tags; return what GDAL's features are compared against."""
    if data.startswith(b"AutoCAD Binary DXF") or data.count(b"\r") != data.count(b"\r\n"):
        raise _NotEligible()
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) % 2:
        raise _NotEligible()
    raw_codes, values = lines[0::2], lines[1::2]
    as_int = {}
    for c in set(raw_codes):
        try:
            as_int[c] = int(c)
        except ValueError:
            raise _NotEligible() from None
    codes = [as_int[c] for c in raw_codes]
    zeros = [i for i, c in enumerate(codes) if c == 0]
    names = [values[i].strip() for i in zeros]
    if not names or names[-1] != b"EOF" or names.count(b"EOF") != 1:
        raise _NotEligible()
    # sections: 0 SECTION / 2 NAME ... 0 ENDSEC
    starts = [k for k, n in enumerate(names) if n == b"SECTION"]
    sections = {}
    for k in starts:
        i = zeros[k]
        if i + 1 >= len(codes) or codes[i + 1] != 2:
            raise _NotEligible()
        end = next((m for m in range(k + 1, len(names)) if names[m] in (b"ENDSEC", b"SECTION")), None)
        if end is None or names[end] != b"ENDSEC":
            raise _NotEligible()
        name = values[i + 1].strip()
        if name in sections:
            raise _NotEligible()
        sections[name] = (k, end)
    if b"ENTITIES" not in sections or b"HEADER" not in sections:
        raise _NotEligible()
    ek, eend = sections[b"ENTITIES"]
    first, last = zeros[ek] + 2, zeros[eend]              # the entities' tags
    doc = _rest_of_drawing(path, lines[:2 * first] + lines[2 * last:])
    version = doc.dxfversion
    # handles anywhere in the file must be unique (ezdxf would give a duplicate a new one)
    handles_all = [values[i] for i, c in enumerate(codes) if c in (5, 105)]
    if len(set(handles_all)) != len(handles_all):
        raise _NotEligible()
    sec_codes, sec_values = codes[first:last], values[first:last]
    if not set(sec_codes) <= _CODES:
        raise _NotEligible()
    blob = b"\n".join(sec_values)
    if any(s in blob for s in _NOT_IN_TEXT) or _CONTROL.search(blob):
        raise _NotEligible()
    paper = doc.block_records.get("*Paper_Space")
    if paper is not None and any(c == 330 and v.decode("ascii", "replace") == paper.dxf.handle
                                 for c, v in zip(sec_codes, sec_values)):
        raise _NotEligible()                      # entities owned by paper space, not modelspace
    utf8 = version >= "AC1021"
    try:
        blob.decode("utf-8" if utf8 else "ascii")
    except UnicodeDecodeError:
        raise _NotEligible() from None
    _check_numbers(sec_codes, sec_values)
    return _entities(sec_codes, sec_values, utf8) | {"encoding": doc.encoding, "utf8": utf8}


def _rest_of_drawing(path: Path, lines: list):
    """The drawing without its entities, loaded by ezdxf's strict loader as :mod:`zones.io.dxf`
    would load it: header, tables, blocks and objects must be what ezdxf accepts as they are
    (otherwise ezdxf refuses or repairs the drawing, and ezdxf decides)."""
    import ezdxf
    from ezdxf.filemanagement import dxf_stream_info
    from ezdxf.lldxf.validator import is_dxf_file

    data = b"\n".join(lines) + b"\n"
    try:
        if not is_dxf_file(str(path)):
            raise _NotEligible()
        info = dxf_stream_info(io.StringIO(data.decode("utf-8", errors="ignore")))
        return ezdxf.read(io.StringIO(data.decode(info.encoding, errors="surrogateescape")))
    except _NotEligible:
        raise
    except Exception:  # noqa: BLE001 - whatever ezdxf refuses, the full reader reports
        raise _NotEligible() from None


def _check_numbers(codes, values):
    """Plain decimal numbers only: Python and GDAL read those alike (Python also takes ``1_000``
    and ``nan``; GDAL reads ``12abc`` as 12)."""
    floats = [v for c, v in zip(codes, values) if c in _FLOAT_CODES]
    ints = [v for c, v in zip(codes, values) if c in _INT_CODES]
    if b"".join(floats).translate(None, b"0123456789.+-eE \t") or b"".join(ints).translate(None, b"0123456789+- \t"):
        raise _NotEligible()
    try:
        arr = np.array([float(v) for v in floats])
        big = any(abs(int(v)) >= 2**31 for v in ints)
    except ValueError:
        raise _NotEligible() from None
    if big or not np.isfinite(arr).all():
        raise _NotEligible()


def _entities(codes, values, utf8: bool) -> dict:
    """Per entity: type, handle, layer, and for TEXT its text (from the tags). Each tag must sit
    in the subclass where ezdxf looks for it (GDAL does not care where)."""
    enc = "utf-8" if utf8 else "ascii"
    types: list[str] = []
    handles: list[str] = []
    layers: list[str] = []
    texts: dict[int, str] = {}
    layout: list | None = None
    part, prev = 0, None
    seen: set[int] = set()

    def done():
        if layout is not None and (part != len(layout) - 1 or not {5, 8} <= seen
                                   or (types[-1] == "TEXT") != (1 in seen)):
            raise _NotEligible()

    for c, v in zip(codes, values):
        # points as ezdxf's tag compiler wants them: 10 then 20 (then 30, only in a TEXT)
        if (prev == 10) != (c == 20) or (c == 30 and (prev != 20 or not types or types[-1] != "TEXT")):
            raise _NotEligible()
        prev = c
        if c == 0:
            done()
            t = v.strip().decode("ascii", "replace")
            if t not in _LAYOUT:
                raise _NotEligible()
            types.append(t)
            layout, part, seen = _LAYOUT[t], 0, set()
            continue
        if layout is None:
            raise _NotEligible()
        if c == 100:
            part += 1
            if part >= len(layout) or v.strip() != layout[part][0]:
                raise _NotEligible()
            continue
        if c not in layout[part][1] or (c in (1, 5, 8) and c in seen):
            raise _NotEligible()
        seen.add(c)
        if c in (1, 5, 8):
            s = v.decode(enc)
            if c == 5:
                if not s.isalnum() or s.upper() != s or s == "0":
                    raise _NotEligible()
                handles.append(s)
            elif c == 8:
                layers.append(s)
            else:
                texts[len(types) - 1] = s
    done()
    return {"types": types, "handles": handles, "layers": layers, "texts": texts}


def _gdal(path: Path, utf8: bool):
    import pyogrio

    opts = dict(CLOSED_LINE_AS_POLYGON="YES", TRANSLATE_ESCAPE_SEQUENCES="NO", INLINE_BLOCKS="NO")
    if utf8:
        opts["ENCODING"] = "UTF-8"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            meta, _fids, geoms, fields = pyogrio.raw.read(path, layer="entities", columns=["Layer", "EntityHandle", "Text"],
                                                         **opts)
        except Exception:  # noqa: BLE001 - any GDAL complaint: the reference reader decides
            raise _NotEligible() from None
    names = list(meta["fields"])
    col = {n: fields[names.index(n)] for n in ("Layer", "EntityHandle", "Text")}
    try:
        return shapely.from_wkb(geoms), col
    except shapely.errors.ShapelyError:           # e.g. a ring of 3 points, which ezdxf reports by name
        raise _NotEligible() from None


def _from_gdal(path: Path, tags: dict, empty_geometry, closed_tolerance: float):
    geoms, col = _gdal(path, tags["utf8"])
    types, handles, layers, texts = tags["types"], tags["handles"], tags["layers"], tags["texts"]
    n = len(types)
    if len(geoms) != n or list(col["EntityHandle"]) != handles or list(col["Layer"]) != layers:
        raise _NotEligible()
    kinds = shapely.get_type_id(geoms)
    is_text = np.array([t == "TEXT" for t in types], dtype=bool)
    if n and (not (kinds[is_text] == 0).all() or not np.isin(kinds[~is_text], (1, 3)).all()):
        raise _NotEligible()                      # point for a TEXT; line or polygon for a polyline
    geoms = shapely.force_2d(geoms)
    src, outl, found, labels = str(path), [], [], []
    label_xy = []
    valid = shapely.is_valid(geoms)
    for k in range(n):
        g, t, h, layer = geoms[k], types[k], handles[k], layers[k]
        if t == "TEXT":
            text = col["Text"][k]
            if text is None or " ".join(text.split()) != " ".join(texts.get(k, "").split()):
                raise _NotEligible()
            if text.strip():
                label_xy.append((g.x, g.y))
                labels.append(" ".join(text.split()))
            continue
        where = f"LWPOLYLINE #{h} (layer {layer})"
        if kinds[k] == 3:                         # closed by its flag; GDAL closed the ring as ezdxf does
            pts = shapely.get_coordinates(g.exterior)
            poly = g
        else:
            pts = shapely.get_coordinates(g)
            poly = None
            if not (len(pts) > 2 and shapely.points(pts[0]).distance(shapely.points(pts[-1])) < closed_tolerance):
                found.append(Finding(src, where, "open_ring", "polyline is not closed, so it is not taken as a parcel", "error"))
                continue
        if empty_geometry(pts.tolist()):
            found.append(Finding(src, where, "empty_geometry", "closed outline has fewer than 3 distinct points", "error"))
            continue
        if poly is None:
            poly = shapely.Polygon(pts)
            ok = poly.is_valid
        else:
            ok = valid[k]
        if not ok:
            found.append(Finding(src, where, "self_intersection",
                                 f"outline crosses itself ({shapely.is_valid_reason(poly)}); fix it in CAD (not guessed)", "error"))
            continue
        outl.append(dict(poly=poly, layer=layer, handle=h, type="LWPOLYLINE", where=where))
    points = shapely.points(np.array(label_xy, dtype=float).reshape(-1, 2)) if label_xy else []
    return outl, found, list(zip(points, labels)), tags["encoding"]
