"""Copy a project between a GeoPackage project file and a database, table for table.

The project file's layers (:mod:`zones.project_file`: ``project``, ``parcels``, ``audit``,
``results``, ``result_pieces``, ``zoneset_grades``) and the database's tables hold the
same rows, so a copy is lossless by construction: parcels (outline, attributes, source,
review, import flags, order), results (current and previous, with their JSON and
pieces), the audit log (in order), the settings and an embedded user zone set. Files of
earlier versions with a per-parcel ``history`` table instead of ``audit`` copy it as the
log's first events, as the desktop reads them.

The copy into a database is one transaction (the project exists complete or not at
all); the copy out is written atomically (:func:`zones.io.atomic.atomic_output`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from zones.errors import InputError
from zones.pgstore.store import ROW_TEXT, PgProject

FIXED = ("uid", "position", *ROW_TEXT)
PROJECT_CRS = "EPSG:4549"


def _text(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def read_file(path) -> dict:
    """The tables of a project file as plain rows (see :mod:`zones.pgstore.store`)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such project file")
    try:
        layers = {n for n, _ in pyogrio.list_layers(path)}
        if not {"project", "parcels"} <= layers:
            raise InputError(path, "not a project file: the table 'project' or 'parcels' is missing")
        meta = pyogrio.read_dataframe(path, layer="project")
        parcels = pyogrio.read_dataframe(path, layer="parcels")
        tables = {n: pyogrio.read_dataframe(path, layer=n, read_geometry=n in ("result_pieces", "zoneset_grades"))
                  for n in ("audit", "history", "results", "result_pieces", "zoneset_grades") if n in layers}
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
        raise InputError(path, f"not a project file (GeoPackage) or damaged: {exc}") from None
    settings = {str(k): json.loads(v) for k, v in zip(meta["key"], meta["value"])}
    if parcels.crs is not None and not parcels.crs.equals(PROJECT_CRS):
        parcels = parcels.to_crs(PROJECT_CRS)
    if "position" in parcels.columns:
        parcels = parcels.iloc[pd.to_numeric(parcels["position"]).argsort(kind="stable")]
    attr_cols = [c for c in parcels.columns if c not in FIXED and c != parcels.geometry.name]
    rows = []
    cols = {c: parcels[c].tolist() for c in parcels.columns if c != parcels.geometry.name}
    for k, geom in enumerate(parcels.geometry.values):
        row = {"uid": str(cols["uid"][k]), "position": float(cols["position"][k]) if "position" in cols else float(k),
               "geometry": geom, "attrs": {c: t for c in attr_cols if (t := _text(cols[c][k]))}}
        for c in ROW_TEXT:
            row[c] = _text(cols[c][k]) if c in cols else ""
        rows.append(row)
    return {"settings": settings, "parcels": rows, "audit": _audit_rows(tables),
            "results": _results_rows(tables.get("results")), "pieces": _piece_rows(tables.get("result_pieces")),
            "zoneset_grades": tables.get("zoneset_grades")}


def _audit_rows(tables) -> list[dict]:
    df = tables.get("audit")
    keys = ("when", "who", "uid", "kind", "what", "old", "new")
    if df is not None:
        if "seq" in df.columns:
            df = df.sort_values("seq", kind="stable")
        return [{k: _text(r.get(k)) for k in keys} for r in df.to_dict("records")]
    df = tables.get("history")
    if df is None or not len(df):
        return []
    df = df.sort_values(["when", "uid", "seq"], kind="stable")
    return [{"when": _text(r["when"]), "who": _text(r["who"]), "uid": _text(r["uid"]), "kind": "note",
             "what": _text(r["what"]), "old": "", "new": ""} for r in df.to_dict("records")]


def _results_rows(df) -> list[dict]:
    if df is None or not len(df):
        return []
    return [{"uid": str(r["uid"]), "kind": str(r["kind"]), "fingerprint": str(r["fingerprint"]),
             "due": f"{float(r['due']):.2f}", "result": r["result"], "provenance": r["provenance"],
             "flags": r["flags"] if isinstance(r.get("flags"), str) else None,
             "key": r["key"] if isinstance(r.get("key"), str) and len(r["key"]) == 16 else None}
            for r in df.to_dict("records")]


def _piece_rows(df) -> list[dict]:
    if df is None or not len(df):
        return []
    return [{"uid": str(u), "grade": int(g), "geometry": geom}
            for u, g, geom in zip(df["uid"].tolist(), df["grade"].tolist(), df.geometry.values)]


# ---------------------------------------------------------------- into a database

def copy_file_to_database(path, url: str) -> PgProject:
    """Create the project named in ``url`` from the project file ``path`` — in one transaction.
    Needs the wztax_admin role (reviews are copied as they are)."""
    data = read_file(path)
    return PgProject.create(url, data["settings"], content=data)


# ------------------------------------------------------------------ out to a file

def frames(data: dict):
    """The tables as the project file's reader receives them: (project, parcels, {audit, results,
    result_pieces}) DataFrames with the file's columns."""
    rows = data["parcels"]
    attr_keys = list(_field_keys())
    for r in rows:
        for k in r["attrs"]:
            if k not in attr_keys:
                attr_keys.append(k)
    cols: dict = {"uid": [r["uid"] for r in rows], "position": list(range(len(rows)))}
    for k in attr_keys:
        cols[k] = [r["attrs"].get(k, "") for r in rows]
    for c in ROW_TEXT:
        cols[c] = [r.get(c) or "" for r in rows]
    # object columns (plain str), as pyogrio gives them: the reader iterates them row by row, and
    # pandas' Arrow-backed strings iterate several times slower
    frame = pd.DataFrame(cols, dtype=object)
    frame["position"] = frame["position"].astype("int64")      # a number in the file, sorted as one
    parcels = gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=PROJECT_CRS)
    audit = pd.DataFrame([(k + 1, e["when"], e["who"], e["uid"], e["kind"], e["what"], e["old"], e["new"])
                          for k, e in enumerate(data["audit"])],
                         columns=["seq", "when", "who", "uid", "kind", "what", "old", "new"], dtype=object)
    audit["seq"] = audit["seq"].astype("int64")
    results = pd.DataFrame([(r["uid"], r["kind"], r["fingerprint"], float(r["due"]), r["result"], r["provenance"],
                             r.get("flags"), r.get("key")) for r in data["results"]],
                           columns=["uid", "kind", "fingerprint", "due", "result", "provenance", "flags", "key"],
                           dtype=object)
    results["due"] = results["due"].astype("float64")
    pieces = gpd.GeoDataFrame({"uid": [p["uid"] for p in data["pieces"]], "grade": [p["grade"] for p in data["pieces"]]},
                              geometry=[p["geometry"] for p in data["pieces"]], crs=PROJECT_CRS)
    meta = pd.DataFrame({"key": list(data["settings"]),
                         "value": [json.dumps(v, ensure_ascii=False) for v in data["settings"].values()]})
    return meta, parcels, {"audit": audit, "results": results, "result_pieces": pieces}


def write_file(data: dict, path) -> Path:
    """Write the tables to a project file, atomically (the layers :mod:`zones.project_file` reads)."""
    from zones.io.atomic import atomic_output

    path = Path(path)
    meta, parcels, tables = frames(data)
    with atomic_output(path) as tmp:
        pyogrio.write_dataframe(parcels, tmp, layer="parcels", driver="GPKG", promote_to_multi=False)
        if len(tables["result_pieces"]):
            pyogrio.write_dataframe(tables["result_pieces"], tmp, layer="result_pieces", driver="GPKG",
                                    promote_to_multi=False)
        for name, df in (("audit", tables["audit"]), ("results", tables["results"]), ("project", meta)):
            pyogrio.write_dataframe(df, tmp, layer=name, driver="GPKG", append=False)
        if data.get("zoneset_grades") is not None:
            pyogrio.write_dataframe(data["zoneset_grades"], tmp, layer="zoneset_grades", driver="GPKG")
    return path


def _field_keys() -> tuple[str, ...]:
    from zones.project import FIELD_KEYS

    return FIELD_KEYS


def read_database(store: PgProject) -> dict:
    """The project's tables from the database, as :func:`read_file` returns them."""
    return {"settings": store.settings(), "parcels": store.parcels(), "audit": store.events(),
            "results": store.results(), "pieces": store.pieces(), "zoneset_grades": store.zoneset_grades()}


def copy_database_to_file(url: str, path) -> Path:
    with PgProject(url) as store:
        return write_file(read_database(store), path)
