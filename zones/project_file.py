"""The project file: one GeoPackage, written atomically, that QGIS also opens — the first
back end of the document store (:mod:`zones.store`).

Layers:
- ``parcels`` (EPSG:4549): uid, position, the 税源明细 attributes (keys of
  :data:`zones.project.FIELDS`), entered_by, review_by, review_at, review_result (the key of
  the result the review approved), source (JSON: kind, file, sha256, operator, when, what),
  import_flags (JSON [[flag, note], …] of the importer's findings on the outline, e.g. repaired),
  point_names (JSON list of the boundary points' names as typed or imported; absent in older files);
- ``audit`` (table): seq, when, who, uid, kind, what, old, new — the append-only audit log
  (files of earlier versions have a ``history`` table instead: read as the log's first events);
- ``results`` (table): uid, kind (current | previous), fingerprint, due (yuan), flags (codes, ";"),
  result (JSON of the full :class:`ParcelResult`), provenance (JSON), key (the result's
  :attr:`~zones.project.StoredResult.key`; absent in older files);
- ``result_pieces`` (EPSG:4549): uid, grade — the grade pieces of the current results;
- ``project`` (table): key, value (JSON) — format, zone set, period; the zone set entry
  ({ref, grade_field, rates, designation?}) carries, for a loaded grade map, whether the officer
  declared it the land department's official map, its legal basis and accuracy statement
  (``designation``, absent in older files, which open unchanged);
- ``zoneset_grades`` (when the zone set is a user file): its grade polygons and rates,
  so the project opens on another machine.

A damaged file (a missing table or key, a parcel without an id or with a duplicate one,
unreadable JSON) raises :class:`~zones.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely

from zones import point_names
from zones.audit import KINDS, AuditLog, Event
from zones.collector import collector_paused
from zones.errors import InputError, ZonesError
from zones.io.atomic import atomic_output
from zones.periods import LiableMonths, TaxPeriod, YearMonth
from zones.reference_layers import specs_for_file
from zones.project import (
    FIELD_KEYS,
    PROJECT_CRS,
    Parcel,
    Project,
    Review,
    Source,
    StoredResult,
    ZoneSetRef,
)
from zones.results import GradeRow, ParcelResult, ReliefLine

FORMAT = "wztax-project/1"


# ------------------------------------------------------- result ⇄ JSON

def _ym(v: YearMonth | None):
    return str(v) if v else None


def _pym(v) -> YearMonth | None:
    return YearMonth.parse(v) if v else None


def result_to_dict(r: ParcelResult) -> dict:
    def line(x: ReliefLine) -> dict:
        return {"code": x.code, "name": x.name, "document": x.document, "method": x.method, "grade": x.grade,
                "area_m2": str(x.area_m2), "first": _ym(x.first), "last": _ym(x.last), "months": x.months,
                "amount": str(x.amount), "small_taxpayer": x.small_taxpayer, "verified": x.verified}

    def row(g: GradeRow) -> dict:
        return {"grade": g.grade, "grade_label": g.grade_label, "map_area_m2": g.map_area_m2, "area_m2": str(g.area_m2),
                "share": str(g.share), "rate": str(g.rate), "annual": str(g.annual), "months": g.months,
                "gross": str(g.gross), "reliefs": [line(x) for x in g.reliefs], "relief": str(g.relief),
                "small_taxpayer_relief": str(g.small_taxpayer_relief), "due": str(g.due)}

    return {"index": r.index, "parcel_id": r.parcel_id, "map_area_m2": r.map_area_m2,
            "area_by_grade": {str(k): v for k, v in r.area_by_grade.items()}, "area_outside_m2": r.area_outside_m2,
            "declared_area_m2": None if r.declared_area_m2 is None else str(r.declared_area_m2),
            "liable": {"first": _ym(r.liable.first), "last": _ym(r.liable.last), "count": r.liable.count,
                       "rule": r.liable.rule},
            "rows": [row(g) for g in r.rows], "flags": list(r.flags), "notes": list(r.notes), "error": r.error}


def result_from_dict(d: dict) -> ParcelResult:
    def line(x: dict) -> ReliefLine:
        return ReliefLine(x["code"], x["name"], x["document"], x["method"], x["grade"], Decimal(x["area_m2"]),
                          _pym(x["first"]), _pym(x["last"]), x["months"], Decimal(x["amount"]),
                          x["small_taxpayer"], x["verified"])

    def row(g: dict) -> GradeRow:
        return GradeRow(g["grade"], g["grade_label"], g["map_area_m2"], Decimal(g["area_m2"]), Decimal(g["share"]),
                        Decimal(g["rate"]), Decimal(g["annual"]), g["months"], Decimal(g["gross"]),
                        tuple(line(x) for x in g["reliefs"]), Decimal(g["relief"]),
                        Decimal(g["small_taxpayer_relief"]), Decimal(g["due"]))

    lm = d["liable"]
    return ParcelResult(d["index"], d["parcel_id"], d["map_area_m2"], {int(k): v for k, v in d["area_by_grade"].items()},
                        d["area_outside_m2"], None if d["declared_area_m2"] is None else Decimal(d["declared_area_m2"]),
                        LiableMonths(_pym(lm["first"]), _pym(lm["last"]), lm["count"], lm["rule"]),
                        tuple(row(g) for g in d["rows"]), tuple(d["flags"]), tuple(d["notes"]), d["error"])


# ----------------------------------------------------------------- save

#: json.dumps(…, ensure_ascii=False, default=str), the encoder made once
_json = json.JSONEncoder(ensure_ascii=False, default=str).encode


def save_project(project: Project, path, *, zoneset=None) -> Path:
    """Write ``project`` to ``path`` (.gpkg) atomically: a crash leaves the old file intact.
    ``zoneset``: the loaded ZoneSet, embedded when it is not a bundled one."""
    path = Path(path)
    ps = project.parcels
    cols = {"uid": [p.uid for p in ps], "position": list(range(len(ps)))}
    for k in FIELD_KEYS:
        cols[k] = [p.attrs.get(k, "") for p in ps]
    cols["entered_by"] = [p.entered_by for p in ps]
    cols["review_by"] = [p.review.reviewer if p.review else "" for p in ps]
    cols["review_at"] = [p.review.when if p.review else "" for p in ps]
    cols["review_result"] = [p.review.result if p.review else "" for p in ps]
    sources: dict[int, str] = {}        # an import's parcels share one Source: its JSON is made once
    cols["source"] = [(sources.get(id(p.source)) or sources.setdefault(id(p.source), _json(p.source.as_dict())))
                      if p.source else "" for p in ps]
    # the importer's findings on the outline (e.g. repaired), JSON [[flag, note], …]; '' when none
    cols["import_flags"] = [_json([list(x) for x in p.import_flags]) if p.import_flags else "" for p in ps]
    cols["point_names"] = [_json(list(p.point_names)) if p.point_names else "" for p in ps]   # 点号 as entered
    parcels = gpd.GeoDataFrame(cols, geometry=[p.geometry for p in ps], crs=PROJECT_CRS)
    audit = pd.DataFrame([(e.seq, e.when, e.who, e.uid, e.kind, e.what, e.old, e.new) for e in project.audit.events()],
                         columns=["seq", "when", "who", "uid", "kind", "what", "old", "new"])
    kept = [(uid, kind, s) for kind, store in (("current", project.results), ("previous", project.previous))
            for uid, s in store.items()]
    results = pd.DataFrame(
        [(uid, kind, s.fingerprint, float(s.due), ";".join(s.flags), s.provenance_text(), s.key) for uid, kind, s in kept],
        columns=["uid", "kind", "fingerprint", "due", "flags", "provenance", "key"])
    results.insert(5, "result", result_texts([s for _, _, s in kept]))
    piece_rows = [(uid, g, geom) for uid, s in project.results.items() for g, geom in s.pieces]
    pieces = gpd.GeoDataFrame({"uid": [r[0] for r in piece_rows], "grade": [r[1] for r in piece_rows]},
                              geometry=[r[2] for r in piece_rows], crs=PROJECT_CRS)
    p = project.period
    meta: dict = {"format": FORMAT, "zoneset": project.zoneset.as_dict(), "input_sha256": project.input_sha256,
            "period": [p.year, p.first_month, p.last_month], "tax_base": project.tax_base}
    if getattr(project, "reference_layers", None):     # the office's background maps (zones.reference_layers)
        meta["reference_layers"] = specs_for_file(project.reference_layers, path)
    meta_df = pd.DataFrame({"key": list(meta), "value": [_json(v) for v in meta.values()]})
    with atomic_output(path) as tmp:
        pyogrio.write_dataframe(parcels, tmp, layer="parcels", driver="GPKG", promote_to_multi=False, use_arrow=True)
        if len(pieces):
            pyogrio.write_dataframe(pieces, tmp, layer="result_pieces", driver="GPKG", promote_to_multi=False, use_arrow=True)
        for name, df in (("audit", audit), ("results", results), ("project", meta_df)):
            pyogrio.write_dataframe(df, tmp, layer=name, driver="GPKG", append=False, use_arrow=True)
        if zoneset is not None and getattr(zoneset, "path", None) is not None and not _bundled(zoneset):
            g = zoneset.grades[["grade", "geometry"]].copy()
            g["rate"] = [str(zoneset.rates[x]) for x in g["grade"]]
            pyogrio.write_dataframe(g, tmp, layer="zoneset_grades", driver="GPKG")
    return path


def result_texts(stored: list[StoredResult]):
    """The ``result`` column of ``stored``, in order: the JSON of results read from a project
    file and not read since is taken from its Arrow column in one call (never made a Python
    text: a district's save of an opened project), the others' as :meth:`StoredResult.texts`."""
    at = [s.json_in_column() for s in stored]
    if not any(at):
        return [s.texts()[0] for s in stored]
    chunks: list = []
    starts: dict[int, int] = {}          # id(column) → where its rows begin in the chunks
    index = np.empty(len(stored), dtype=np.int64)
    own: list[str] = []
    total = 0
    for i, (s, place) in enumerate(zip(stored, at)):
        if place is None:
            index[i] = -1 - len(own)
            own.append(s.texts()[0])
            continue
        column, row = place
        start = starts.get(id(column))
        if start is None:
            start = starts[id(column)] = total
            chunks.append(column.cast(pa.large_string()))     # 64-bit offsets: any size of column
            total += len(column)
        index[i] = start + row
    if own:
        chunks.append(pa.array(own, pa.large_string()))
        index[index < 0] = total - 1 - index[index < 0]      # -1 - j → total + j
    taken = pa.chunked_array(chunks, pa.large_string()).take(pa.array(index)).combine_chunks()
    return pd.arrays.ArrowExtensionArray(taken)


def _bundled(zs) -> bool:
    from zones.zoneset import bundled_ids
    return zs.id in bundled_ids()


# ----------------------------------------------------------------- load

REQUIRED_META = ("format", "zoneset", "period")
#: What GDAL/pyogrio raise on a file that is not a GeoPackage or a damaged one.
READ_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
               OSError, RuntimeError, ValueError)


def load_project(path) -> Project:
    """Read a project file written by :func:`save_project`. A file that is not one, or is
    damaged, raises InputError naming the file and the problem (never another exception)."""
    with collector_paused():     # a district's parcels and results: millions of objects, no cyclic garbage
        return _load(Path(path))


def _load(path: Path) -> Project:
    if not path.is_file():
        raise InputError(path, "no such project file")
    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
    except READ_ERRORS as exc:
        raise InputError(path, f"not a project file (GeoPackage) or damaged: {exc}") from None
    for required in ("project", "parcels"):
        if required not in layers:
            raise InputError(path, f"not a project file or damaged: the table {required!r} is missing")
    try:
        meta_df = pyogrio.read_dataframe(path, layer="project", use_arrow=True)
        parcels, wkb = _read_parcels(path)
        tables = {name: pyogrio.read_dataframe(path, layer=name, read_geometry=name == "result_pieces",
                                               use_arrow=True)
                  for name in ("history", "audit", "results", "result_pieces") if name in layers}
    except READ_ERRORS as exc:
        raise InputError(path, f"damaged project file: {exc}") from None
    try:
        return _project_from_tables(path, meta_df, parcels, tables, wkb)
    except InputError:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, ZonesError) as exc:
        # anything the checks above did not foresee still names the file
        raise InputError(path, f"damaged project file: {type(exc).__name__}: {exc}") from None


def _columns(df, table: str, path, needed) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise InputError(path, f"damaged project file: the table {table!r} has no column {', '.join(map(repr, missing))}")


def _read_meta(path, meta_df) -> dict:
    _columns(meta_df, "project", path, ("key", "value"))
    meta = {}
    for k, v in zip(meta_df["key"], meta_df["value"]):
        try:
            meta[str(k)] = json.loads(v)
        except (TypeError, ValueError):
            raise InputError(path, f"damaged project file: the project entry {k!r} is not readable JSON") from None
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise InputError(path, f"damaged project file: the project table has no {', '.join(map(repr, missing))} entry")
    if meta.get("format") != FORMAT:
        raise InputError(path, f"unknown project format {meta.get('format')!r} (expected {FORMAT})")
    if not isinstance(meta["zoneset"], dict) or "ref" not in meta["zoneset"]:
        raise InputError(path, "damaged project file: the zone-set entry does not name a zone set")
    if not (isinstance(meta["period"], list) and len(meta["period"]) == 3):
        raise InputError(path, f"damaged project file: the period entry {meta['period']!r} is not [year, first, last]")
    return meta


def _check_uids(path, uids: list, table: str = "parcels") -> None:
    distinct = set(uids)
    if len(distinct) == len(uids) and "" not in distinct and all(type(u) is str for u in uids):
        return           # the usual case, checked at C speed; otherwise find the first bad row below
    seen: dict[str, int] = {}
    for row, uid in enumerate(uids, start=1):
        if _text(uid) == "":
            raise InputError(path, f"damaged project file: parcel row {row} of {table!r} has no uid (NULL)")
        if uid in seen:
            raise InputError(path, f"damaged project file: the uid {uid!r} appears twice in {table!r} "
                                   f"(rows {seen[uid]} and {row})")
        seen[uid] = row


def _project_from_tables(path, meta_df, parcels, tables, wkb=None) -> Project:
    """``wkb``: the outlines' WKB as the file holds them, row for row (see _read_parcels)."""
    meta = _read_meta(path, meta_df)
    project = Project(ZoneSetRef.from_dict(meta["zoneset"]), TaxPeriod(*meta["period"]))
    project.input_sha256 = meta.get("input_sha256")
    # files written before the rule existed were computed on the unrounded area; they are re-assessed
    # under the rounded rule (their results' context no longer matches)
    project.tax_base = meta.get("tax_base", project.tax_base)
    from zones.tax import TAX_BASES

    if project.tax_base not in TAX_BASES:
        raise InputError(path, f"damaged project file: unknown tax-base rule {project.tax_base!r}")
    project.reference_layers = list(meta.get("reference_layers", []))
    _columns(parcels, "parcels", path, ("uid",))
    _check_uids(path, parcels["uid"].tolist())
    if "position" in parcels.columns and len(parcels):
        parcels = parcels.sort_values("position")
        if wkb is not None:
            wkb = wkb[parcels.index.to_numpy()]      # rows were numbered 0… as read
    if parcels.crs is not None and not parcels.crs.equals(PROJECT_CRS):
        parcels = parcels.to_crs(PROJECT_CRS)
        wkb = None
    project.audit = _audit(path, tables)
    n = len(parcels)
    uids = [str(u) for u in parcels["uid"].tolist()]
    # column by column, touching only the cells that hold something: a district has 100,000 rows
    attrs: list[dict] = [{} for _ in range(n)]
    for f in FIELD_KEYS:
        for k, t in _filled(parcels, f):
            attrs[k][f] = t
    entered, src_of = _column(parcels, "entered_by", n), _column(parcels, "source", n)
    reviewed, flags_of, names_of = (dict(_filled(parcels, c)) for c in ("review_by", "import_flags", "point_names"))
    review_at, review_result = (dict(_filled(parcels, c)) for c in ("review_at", "review_result"))
    sources: dict[str, Source | None] = {}     # an import's parcels share one source text
    geoms = np.asarray(parcels.geometry.values).tolist()
    if None in geoms:
        k = geoms.index(None)
        raise InputError(path, f"damaged project file: parcel {uids[k]!r} (row {k + 1}) has no outline")
    for src_text in dict.fromkeys(src_of):       # in row order: a damaged one names its first parcel
        sources[src_text] = _source(path, uids[src_of.index(src_text)], src_text)
    # through the constructor: snapshots whose attributes live in the class's shared layout (one
    # made by filling its __dict__ is built faster but reads its fields slower for the rest of the
    # session, at twice the memory)
    made: list[Parcel] = []
    append = made.append
    for k, (uid, geom, a, by, src_text) in enumerate(zip(uids, geoms, attrs, entered, src_of)):
        flags, names = flags_of.get(k), names_of.get(k)
        append(Parcel(uid, geom, a,
                      Review(reviewed[k], review_at.get(k, ""), review_result.get(k, "")) if k in reviewed else None,
                      by, sources[src_text], _import_flags(flags) if flags else (),
                      point_names.parse(names) if names else ()))
    project.parcels = made
    pieces = _pieces(tables.get("result_pieces"))
    results = tables.get("results")
    if results is not None and len(results):
        _columns(results, "results", path, ("uid", "kind", "fingerprint", "result", "provenance"))
        pieces_of = pieces.get
        n = len(results)
        dues = results["due"].tolist() if "due" in results.columns else [None] * n
        flags = results["flags"].tolist() if "flags" in results.columns else [None] * n
        # the result's key (files of earlier versions have none: made from the result when needed)
        keys = results["key"].tolist() if "key" in results.columns else [None] * n
        # a district's results share a few flag texts: each split once
        flag_codes = {f: tuple(c for c in f.split(";") if c) for f in set(flags) if isinstance(f, str)}
        uids = results["uid"].tolist()
        column = _arrow_texts(results["result"])
        if column is None:       # not read through Arrow: Python texts
            texts: list = results["result"].tolist()
            readable = [isinstance(t, str) and t.startswith("{") for t in texts]
        else:                    # kept in their Arrow column until a result is read (StoredResult.read_from)
            texts = [None] * n
            readable = pc.fill_null(pc.starts_with(column, "{"), False).to_numpy(zero_copy_only=False).tolist()
        if not all(readable):
            uid = uids[readable.index(False)]
            raise InputError(path, f"damaged project file: the stored result of parcel {uid!r} is not readable JSON")
        for row, (uid, kind, fp, due, flag, text, prov, key) in enumerate(zip(
                uids, results["kind"].tolist(), results["fingerprint"].tolist(), dues, flags,
                texts, _shared_texts(results["provenance"]), keys)):
            current = kind == "current"
            # parsed when first used: opening a district's project parses none of them
            stored = StoredResult(None, fp, None, pieces_of(uid, ()) if current else (), result_text=text,
                                  provenance_text=prov if isinstance(prov, str) else "",
                                  due=None if due is None or math.isnan(due) else Decimal(f"{due:.2f}"),
                                  flags=flag_codes.get(flag) if isinstance(flag, str) else None,
                                  key=key if isinstance(key, str) and len(key) == 16 else None)
            (project.results if current else project.previous)[uid] = \
                stored if text is not None else stored.read_from(column, row)
    _old_reviews(project)
    project.attrs_texts = _attrs_texts(parcels, project.parcels, wkb)
    return project


def _filled(df, column: str):
    """(row position, text) of the cells of ``column`` that are not empty (none when it is absent)."""
    if column not in df.columns:
        return
    col = df[column]
    texts = _arrow_texts(col)
    if texts is not None:     # a text column read through Arrow, as pyogrio reads them: found at C speed
        filled = pc.fill_null(pc.not_equal(texts, ""), False)
        yield from zip(np.flatnonzero(filled.to_numpy(zero_copy_only=False)).tolist(),
                       pc.filter(texts, filled).to_pylist())
        return
    values = col.to_numpy(dtype=object)
    # a district's columns are mostly empty: only the filled cells are visited
    positions = np.flatnonzero(col.notna().to_numpy(dtype=bool) & (values != ""))
    for k, v in zip(positions.tolist(), values[positions].tolist()):
        t = _text(v)
        if t:
            yield k, t


def _column(df, column: str, n: int) -> list[str]:
    """The texts of ``column``, '' for an empty cell (every cell '' when it is absent); one text
    object for each distinct text (an import's 100,000 parcels share their source and operator)."""
    texts = _arrow_texts(df[column]) if column in df.columns else None
    if texts is not None and len(texts) == n:
        return _shared_texts(df[column])
    out = [""] * n
    for k, t in _filled(df, column):
        out[k] = t
    return out


def _attrs_texts(df, parcels: list[Parcel], wkb=None) -> dict[str, tuple]:
    """uid → (parcel, its outline's WKB as the file holds it or None, ``attrs_json(parcel.attrs).encode()``)
    for the first fingerprints (:func:`zones.project.fingerprints`), made from the parcels table's
    Arrow columns in a few passes of C code (the first fingerprints hash them: per parcel
    in Python, a fifth of a district's open). The same text as :func:`attrs_json` (tested
    to the byte): the filled cells of the attribute columns in the keys' sorted order, each
    ``"key": "value"`` with the JSON escapes of ``json.encoder.encode_basestring`` (only the
    rare value holding a quote, a backslash or a control character is escaped by that
    function itself), joined by ", " in braces. {} when a column is not Arrow text."""
    scalar = pa.scalar
    parts = []
    for f in sorted(FIELD_KEYS):
        if f not in df.columns:
            continue
        texts = _arrow_texts(df[f])
        if texts is None:
            return {}
        filled = pc.fill_null(pc.not_equal(texts, ""), False)
        if not pc.any(filled).as_py():
            continue
        t = texts.type
        quoted = pc.binary_join_element_wise(scalar('"', t), texts, scalar('"', t), scalar("", t))
        odd = pc.fill_null(pc.match_substring_regex(texts, _JSON_ESCAPED), False)
        if pc.any(odd).as_py():
            escaped = [_JSON_TEXT(v) for v in pc.filter(texts, odd).to_pylist()]
            quoted = pc.replace_with_mask(quoted, odd, pa.array(escaped, t))
        # ', "key": "value"' in the filled cells, '' in the others (no nulls: a join skipping
        # nulls loses the rows where every part is null, pyarrow 26)
        item = pc.binary_join_element_wise(scalar(', ' + _JSON_TEXT(f) + ": ", t), quoted, scalar("", t))
        parts.append(pc.cast(pc.if_else(filled, item, scalar("", t)), pa.large_string()))
    s = pa.large_string()
    if parts:
        body = pc.utf8_slice_codeunits(pc.binary_join_element_wise(*parts, scalar("", s)), 2)  # the first ', ' off
        texts = pc.binary_join_element_wise(scalar("{", s), body, scalar("}", s), scalar("", s))
        encoded = pc.cast(texts, pa.large_binary()).to_pylist()        # UTF-8, as str.encode() gives
    else:
        encoded = [b"{}"] * len(parcels)
    if len(encoded) != len(parcels):
        return {}
    if wkb is None or len(wkb) != len(parcels):
        return {p.uid: (p, None, b) for p, b in zip(parcels, encoded)}
    return {p.uid: (p, w, b) for p, w, b in zip(parcels, wkb.tolist(), encoded)}


#: what JSON escapes in a text (json.encoder's ESCAPE: '"', '\\' and the control characters)
_JSON_ESCAPED = r'[\x00-\x1f"\\]'
_JSON_TEXT = json.encoder.encode_basestring       # as zones.project.attrs_json writes a text


def _read_parcels(path):
    """The parcels table as ``pyogrio.read_dataframe(…, use_arrow=True)`` gives it, and the
    outlines' WKB as the file holds them (numpy array of bytes, or None): a district's
    first fingerprints hash those bytes instead of writing every outline to WKB again. An
    outline whose bytes are not what ``geometry.wkb`` would write (another writer's byte order
    or flavour) only gives another fingerprint, so its result shows as stale and is assessed
    again — never a stale result as current: equal bytes read back to the same outline. A
    table with date or JSON columns is left to pyogrio's own conversion (no WKB kept)."""
    meta, table = pyogrio.read_arrow(path, layer="parcels")
    name = meta["geometry_name"] or "wkb_geometry"
    plain = all(d is None or not str(d).startswith("datetime") for d in meta["dtypes"]) and \
        "OFSTJSON" not in list(meta["ogr_subtypes"])
    if not plain or name not in table.column_names or meta["fid_column"] in table.column_names:
        del table
        return pyogrio.read_dataframe(path, layer="parcels", use_arrow=True), None
    wkb = table.column(name)
    if isinstance(wkb.type, pa.BaseExtensionType):      # geoarrow.wkb
        wkb = pa.chunked_array([c.storage for c in wkb.chunks], type=wkb.type.storage_type)
    wkb = wkb.to_numpy(zero_copy_only=False)
    df = table.drop_columns([name]).to_pandas(self_destruct=True)
    del table
    return gpd.GeoDataFrame(df, geometry=shapely.from_wkb(wkb), crs=meta["crs"]), wkb


def _shared_texts(col) -> list:
    """The column's values, one text object for each distinct text: an import's results share
    their provenance (a district's 100,000 copies of one 600-character text: 0.1–0.2 s and
    60–120 MB as separate objects). A NULL cell is '' (as a non-text cell is to the reader)."""
    texts = _arrow_texts(col)
    if texts is None:
        return col.tolist()
    coded = pc.dictionary_encode(pc.fill_null(texts, ""))
    distinct = np.array(coded.dictionary.to_pylist(), dtype=object)
    return distinct[coded.indices.to_numpy(zero_copy_only=False)].tolist()


def _arrow_texts(col):
    """The column's Arrow strings when it holds them (no copy), else None."""
    if not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow":
        return None
    texts = pa.array(col.array)
    if isinstance(texts, pa.ChunkedArray):     # GDAL reads in batches: one array of them
        texts = texts.combine_chunks()
    return texts if pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type) else None


def _pieces(df) -> dict[str, tuple]:
    if df is None or not len(df) or "uid" not in df.columns:
        return {}
    uids = df["uid"].tolist()
    pieces = list(zip(map(int, df["grade"].tolist()), np.asarray(df.geometry.values).tolist()))
    out = dict(zip(uids, ((p,) for p in pieces)))    # most parcels lie in one grade: one piece
    if len(out) < len(uids):                         # the others' pieces, in the table's order
        many = {u for u, c in Counter(uids).items() if c > 1}
        groups: dict[str, list] = {}
        for uid, p in zip(uids, pieces):
            if uid in many:
                groups.setdefault(uid, []).append(p)
        out.update((uid, tuple(g)) for uid, g in groups.items())
    return out


def _audit(path, tables) -> AuditLog:
    """The audit table, or — for files of earlier versions — their per-parcel history."""
    df = tables.get("audit")
    if df is not None:
        _columns(df, "audit", path, ("when", "who", "uid", "kind", "what"))
        events = []
        for k, row in enumerate(df.sort_values("seq").itertuples() if "seq" in df.columns else df.itertuples()):
            kind = _text(row.kind)
            events.append(Event(k + 1, _text(row.when), _text(row.who), _text(row.uid), kind if kind in KINDS else "note",
                                _text(row.what), _text(getattr(row, "old", "")), _text(getattr(row, "new", ""))))
        return AuditLog(events)
    log = AuditLog()
    df = tables.get("history")
    if df is not None and len(df):
        _columns(df, "history", path, ("uid", "seq", "when", "who", "what"))
        for row in df.sort_values(["when", "uid", "seq"]).itertuples():
            log.append(_text(row.uid), "note", _text(row.what), who=_text(row.who), when=_text(row.when))
    return log


def _old_reviews(project: Project) -> None:
    """Files of earlier versions name no result in a review: it approved the stored current
    result (those versions removed the mark whenever the result changed)."""
    for i, p in enumerate(project.parcels):
        if p.review is not None and not p.review.result:
            stored = project.results.get(p.uid)
            if stored is not None:
                project.parcels[i] = replace(p, review=replace(p.review, result=stored.key))


def _source(path, uid: str, v) -> Source | None:
    text = _text(v)
    if not text:
        return None
    try:
        return Source.from_dict(json.loads(text))
    except (ValueError, TypeError, AttributeError):
        raise InputError(path, f"damaged project file: the source of parcel {uid!r} is not readable JSON") from None


def embedded_zoneset(path, name: str = ""):
    """The user zone set embedded in a project file, or None."""
    from zones.zoneset import zoneset_from_layer
    path = Path(path)
    if "zoneset_grades" not in {n for n, _ in pyogrio.list_layers(path)}:
        return None
    g = pyogrio.read_dataframe(path, layer="zoneset_grades")
    rates = {int(a): Decimal(str(b)) for a, b in zip(g["grade"], g["rate"])}
    return zoneset_from_layer(path, rates=rates, layer="zoneset_grades", name=name or path.stem)


def _import_flags(v) -> tuple[tuple[str, str], ...]:
    """The ``import_flags`` column (absent in files written before it existed)."""
    text = _text(v)
    if not text:
        return ()
    try:
        return tuple((str(f), str(n)) for f, n in json.loads(text))
    except (ValueError, TypeError):
        return ()


def _text(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)
