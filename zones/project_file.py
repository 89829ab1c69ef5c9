"""The project file: one GeoPackage, written atomically, that QGIS also opens.

Layers:
- ``parcels`` (EPSG:4549): uid, position, the 税源明细 attributes (Chinese-free
  keys of :data:`zones.project.FIELDS`), entered_by, review_by, review_at,
  import_flags (JSON [[flag, note], …] of the importer's findings on the outline, e.g. repaired);
- ``history`` (table): uid, seq, when, who, what;
- ``results`` (table): uid, kind (current | previous), fingerprint, due (yuan),
  result (JSON of the full :class:`ParcelResult`), provenance (JSON);
- ``project`` (table): key, value (JSON) — format, zone set, period; the zone set entry
  ({ref, grade_field, rates, designation?}) carries, for a loaded grade map, whether the officer
  declared it the land department's official map, its legal basis and accuracy statement
  (``designation``, absent in older files, which open unchanged);
- ``zoneset_grades`` (when the zone set is a user file): its grade polygons and rates,
  so the project opens on another machine.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from zones.errors import InputError
from zones.io.atomic import atomic_output
from zones.periods import LiableMonths, TaxPeriod, YearMonth
from zones.reference_layers import specs_for_file
from zones.project import (FIELD_KEYS, PROJECT_CRS, HistoryEntry, Parcel, Project, Review, StoredResult,
                           ZoneSetRef)
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

def save_project(project: Project, path, *, zoneset=None) -> Path:
    """Write ``project`` to ``path`` (.gpkg) atomically: a crash leaves the old file intact.
    ``zoneset``: the loaded ZoneSet, embedded when it is not a bundled one."""
    path = Path(path)
    ps = project.parcels
    cols = {"uid": [p.uid for p in ps], "position": list(range(len(ps)))}
    for k in FIELD_KEYS:
        cols[k] = [p.get(k) for p in ps]
    cols["entered_by"] = [p.entered_by for p in ps]
    cols["review_by"] = [p.review.reviewer if p.review else "" for p in ps]
    cols["review_at"] = [p.review.when if p.review else "" for p in ps]
    # the importer's findings on the outline (e.g. repaired), JSON [[flag, note], …]; '' when none
    cols["import_flags"] = [json.dumps([list(x) for x in p.import_flags], ensure_ascii=False) if p.import_flags else ""
                            for p in ps]
    parcels = gpd.GeoDataFrame(cols, geometry=[p.geometry for p in ps], crs=PROJECT_CRS)
    history = pd.DataFrame([(p.uid, n, h.when, h.who, h.what) for p in ps for n, h in enumerate(p.history)],
                           columns=["uid", "seq", "when", "who", "what"])
    results = pd.DataFrame(
        [(uid, kind, s.fingerprint, float(s.result.due), json.dumps(result_to_dict(s.result), ensure_ascii=False),
          json.dumps(s.provenance, ensure_ascii=False, default=str))
         for kind, store in (("current", project.results), ("previous", project.previous)) for uid, s in store.items()],
        columns=["uid", "kind", "fingerprint", "due", "result", "provenance"])
    p = project.period
    meta = {"format": FORMAT, "zoneset": project.zoneset.as_dict(), "input_sha256": project.input_sha256,
            "period": [p.year, p.first_month, p.last_month]}
    if getattr(project, "reference_layers", None):     # the office's background maps (zones.reference_layers)
        meta["reference_layers"] = specs_for_file(project.reference_layers, path)
    meta_df = pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) for v in meta.values()]})
    with atomic_output(path) as tmp:
        pyogrio.write_dataframe(parcels, tmp, layer="parcels", driver="GPKG", promote_to_multi=False)
        for name, df in (("history", history), ("results", results), ("project", meta_df)):
            # An empty table needs typed columns; give GDAL one dummy row's types by writing then deleting is
            # overkill: pyogrio writes empty frames with object columns as text.
            pyogrio.write_dataframe(df, tmp, layer=name, driver="GPKG", append=False)
        if zoneset is not None and getattr(zoneset, "path", None) is not None and not _bundled(zoneset):
            g = zoneset.grades[["grade", "geometry"]].copy()
            g["rate"] = [str(zoneset.rates[x]) for x in g["grade"]]
            pyogrio.write_dataframe(g, tmp, layer="zoneset_grades", driver="GPKG")
    return path


def _bundled(zs) -> bool:
    from zones.zoneset import bundled_ids
    return zs.id in bundled_ids()


# ----------------------------------------------------------------- load

def load_project(path) -> Project:
    """Read a project file written by :func:`save_project`. Raises InputError naming the file."""
    path = Path(path)
    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
        meta_df = pyogrio.read_dataframe(path, layer="project")
        parcels = pyogrio.read_dataframe(path, layer="parcels")
        history = pyogrio.read_dataframe(path, layer="history") if "history" in layers else pd.DataFrame()
        results = pyogrio.read_dataframe(path, layer="results") if "results" in layers else pd.DataFrame()
    except Exception as exc:  # pyogrio's DataSourceError/DataLayerError, sqlite errors
        raise InputError(path, f"not a project file or damaged: {exc}") from None
    meta = {k: json.loads(v) for k, v in zip(meta_df["key"], meta_df["value"])}
    if meta.get("format") != FORMAT:
        raise InputError(path, f"unknown project format {meta.get('format')!r} (expected {FORMAT})")
    zs = meta["zoneset"]
    project = Project(ZoneSetRef.from_dict(zs), TaxPeriod(*meta["period"]))
    project.input_sha256 = meta.get("input_sha256")
    project.reference_layers = list(meta.get("reference_layers", []))
    hist: dict[str, list] = {}
    for row in history.sort_values(["uid", "seq"]).itertuples() if len(history) else ():
        hist.setdefault(row.uid, []).append(HistoryEntry(row.when, row.who, row.what))
    parcels = parcels.sort_values("position") if len(parcels) else parcels
    if parcels.crs is not None and not parcels.crs.equals(PROJECT_CRS):
        parcels = parcels.to_crs(PROJECT_CRS)
    for row in parcels.itertuples():
        attrs = {k: _text(getattr(row, k, "")) for k in FIELD_KEYS}
        attrs = {k: v for k, v in attrs.items() if v}
        review = Review(row.review_by, row.review_at) if _text(row.review_by) else None
        project.parcels.append(Parcel(row.uid, row.geometry, attrs, review, _text(row.entered_by),
                                      tuple(hist.get(row.uid, ())), _import_flags(getattr(row, "import_flags", ""))))
    for row in results.itertuples() if len(results) else ():
        stored = StoredResult(result_from_dict(json.loads(row.result)), row.fingerprint, json.loads(row.provenance))
        (project.results if row.kind == "current" else project.previous)[row.uid] = stored
    return project


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
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)
