"""Zone sets: the land-grade map of one jurisdiction for a period.

On disk (``resources/zonesets/<id>/``, documented in README.md): a metadata
file ``zoneset.json`` (id, name, version, CRS, rates per grade, legal basis with
periods, positional accuracy, overlap tolerance, layer names) beside a
GeoPackage whose ``grades`` layer holds the grade polygons (integer ``grade``)
and optional layers ``boundary_runs`` (the named road/river each stretch of a
grade line follows, with its accuracy in metres), ``districts`` and
``reference_lines``. Any polygon layer with an integer grade field plus a rate
table also serves (:func:`zoneset_from_layer`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyogrio
import shapely
from pyproj import CRS

from zones.errors import ZoneSetError
from zones.resources import resources_root

if TYPE_CHECKING:
    import geopandas as gpd

GRADE_NAMES_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级", 6: "六级"}


@dataclass(frozen=True)
class LegalBasis:
    document: str
    title: str = ""
    applies_from: date | None = None
    applies_to: date | None = None
    in_force_from: date | None = None
    note: str = ""

    def covers(self, year: int) -> bool:
        lo = self.applies_from.year if self.applies_from else -9999
        hi = self.applies_to.year if self.applies_to else 9999
        return lo <= year <= hi


@dataclass(eq=False)
class ZoneSet:
    """A land-grade map. ``grades`` is in ``crs`` (a projected CRS: areas are
    plane areas in it, m²); ``rates`` are yuan per m² per year."""

    id: str
    name: str
    version: str
    crs: str
    rates: dict[int, Decimal]
    grades: gpd.GeoDataFrame
    legal_basis: tuple[LegalBasis, ...] = ()
    jurisdiction: str = ""
    official: bool = False
    accuracy_m: float | None = None
    accuracy_statement: str = ""
    overlap_tolerance_m2: float = 1.0
    grade_names: dict[int, str] = field(default_factory=dict)
    boundary_runs: gpd.GeoDataFrame | None = None
    districts: gpd.GeoDataFrame | None = None
    reference_lines: gpd.GeoDataFrame | None = None
    uncertain_areas: gpd.GeoDataFrame | None = None
    metadata: dict = field(default_factory=dict)
    path: Path | None = None
    _prepared: object = field(default=None, repr=False)

    @property
    def grade_list(self) -> list[int]:
        return sorted(self.rates)

    def grade_label(self, grade: int) -> str:
        return self.grade_names.get(grade) or GRADE_NAMES_ZH.get(grade, f"{grade}级")

    def basis_for(self, year: int) -> LegalBasis | None:
        for basis in self.legal_basis:
            if basis.covers(year):
                return basis
        return None

    def basis_text(self, year: int | None = None) -> str:
        basis = self.basis_for(year) if year else (self.legal_basis[0] if self.legal_basis else None)
        return basis.document if basis else ""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return tuple(self.grades.total_bounds)

    @property
    def bounds_lonlat(self) -> tuple[float, float, float, float]:
        # CGCS2000 degrees (within a metre of WGS84 here): from the CGCS2000 grids this is a plain
        # inverse projection, where a WGS84 target makes PROJ search datum shifts (~0.2 s a run).
        return tuple(self.grades.to_crs(4490).total_bounds)

    def prepared(self):
        """The overlay index (tiled grade polygons, boundary lines), built once."""
        if self._prepared is None:
            from zones.overlay import PreparedZones

            self._prepared = PreparedZones.build(self)
        return self._prepared

    def summary(self) -> str:
        rates = "、".join(f"{self.grade_label(g)} {self.rates[g]} 元/m²·年" for g in self.grade_list)
        bases = "；".join(
            f"{b.document}（{b.applies_from or '…'} 至 {b.applies_to or '今'}）" for b in self.legal_basis
        )
        return f"{self.name} [{self.id} {self.version}]\n  税额标准：{rates}\n  依据：{bases}\n  精度：{self.accuracy_statement}"


# ---------------------------------------------------------------- loading

def parse_rates(text: str) -> dict[int, Decimal]:
    """'1=15,2=10,3=5' → {1: Decimal('15'), …}."""
    rates: dict[int, Decimal] = {}
    for item in str(text).replace("，", ",").split(","):
        if not item.strip():
            continue
        try:
            grade, rate = item.split("=")
            rates[int(grade.strip())] = Decimal(rate.strip())
        except (ValueError, InvalidOperation):
            raise ZoneSetError("--rates", f"cannot read rate {item.strip()!r}; expected GRADE=YUAN like 1=15,2=10,3=5") from None
    if not rates:
        raise ZoneSetError("--rates", "no rates given")
    return rates


def bundled_ids() -> list[str]:
    root = resources_root() / "zonesets"
    return sorted(p.name for p in root.iterdir() if (p / "zoneset.json").exists()) if root.exists() else []


def load_zoneset(ref: str | Path, *, rates: dict[int, Decimal] | None = None, grade_field: str = "grade",
                 layer: str | None = None) -> ZoneSet:
    """A bundled id, a zone-set folder / ``zoneset.json``, or a polygon layer with a grade field
    (then ``rates`` is required unless the layer carries a ``rate`` field)."""
    ref_s = str(ref)
    if ref_s in bundled_ids():
        return _load_dir(resources_root() / "zonesets" / ref_s)
    path = Path(ref_s)
    if path.is_dir() and (path / "zoneset.json").exists():
        return _load_dir(path)
    if path.name == "zoneset.json" and path.exists():
        return _load_dir(path.parent)
    if path.exists():
        return zoneset_from_layer(path, rates=rates, grade_field=grade_field, layer=layer)
    known = ", ".join(bundled_ids()) or "none"
    raise ZoneSetError(ref_s, f"no such zone set or file (bundled zone sets: {known})")


def read_layer(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """A layer as ``geopandas.read_file(path, layer=layer, engine="pyogrio")`` gives it, the
    records read before pandas and geopandas are imported: a command-line run reads its zone
    layer first, and those imports (≈ 0.3 s) then come after its first record, not before."""
    meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=layer)
    import geopandas as gpd
    import pandas as pd

    if os.environ.get("PYOGRIO_USE_ARROW", "0") not in ("", "0") or any(
            str(t).startswith("datetime") for t in meta["dtypes"]) or "OFSTJSON" in list(meta["ogr_subtypes"]):
        # dates and JSON fields are parsed by pyogrio's frame builder: let it read them
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    # the frame pyogrio.read_dataframe builds from the same raw arrays (its non-arrow path)
    columns = meta["fields"].tolist()
    frame = pd.DataFrame({c: fields[i] for i, c in enumerate(columns)}, columns=columns)
    if wkb is None:
        return frame
    return gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(wkb), crs=meta["crs"])


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _read_layer(zs_id: str, gpkg: Path, name: str | None, required: bool = False):
    if not name:
        return None
    try:
        return read_layer(gpkg, name)
    except Exception as exc:  # pyogrio raises DataLayerError/DataSourceError
        if required:
            raise ZoneSetError(zs_id, f"cannot read layer {name!r} of {gpkg}: {exc}") from None
        return None


def _load_dir(folder: Path) -> ZoneSet:
    meta_path = folder / "zoneset.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ZoneSetError(str(folder), f"cannot read zoneset.json: {exc}") from None
    zs_id = meta.get("id", folder.name)
    gpkg = folder / meta.get("geometry_file", "zones.gpkg")
    if not gpkg.exists():
        raise ZoneSetError(zs_id, f"geometry file missing: {gpkg}")
    layers = meta.get("layers", {})
    grade_field = meta.get("grade_field", "grade")
    grades = _read_layer(zs_id, gpkg, layers.get("grades", "grades"), required=True)
    try:
        rates = {int(k): Decimal(str(v)) for k, v in meta["rates"].items()}
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise ZoneSetError(zs_id, f"bad or missing rates in zoneset.json: {exc}") from None
    acc = meta.get("accuracy") or {}
    zs = ZoneSet(
        id=zs_id,
        name=meta.get("name", zs_id),
        version=str(meta.get("version", "")),
        crs=meta.get("crs") or (grades.crs.to_string() if grades.crs else ""),
        rates=rates,
        grades=_normalise_grades(zs_id, grades, grade_field),
        legal_basis=tuple(
            LegalBasis(b["document"], b.get("title", ""), _date(b.get("applies_from")), _date(b.get("applies_to")),
                       _date(b.get("in_force_from")), b.get("note", ""))
            for b in meta.get("legal_basis", [])
        ),
        jurisdiction=meta.get("jurisdiction", ""),
        official=bool(meta.get("official", False)),
        accuracy_m=acc.get("typical_m"),
        accuracy_statement=acc.get("statement", ""),
        overlap_tolerance_m2=float(meta.get("overlap_tolerance_m2", 1.0)),
        grade_names={int(k): v for k, v in meta.get("grade_names", {}).items()},
        boundary_runs=_read_layer(zs_id, gpkg, layers.get("boundary_runs")),
        districts=_read_layer(zs_id, gpkg, layers.get("districts")),
        reference_lines=_read_layer(zs_id, gpkg, layers.get("reference_lines")),
        uncertain_areas=_read_layer(zs_id, gpkg, layers.get("uncertain_areas")),
        metadata=meta,
        path=folder,
    )
    validate(zs)
    return zs


def zoneset_from_layer(path: Path | str, *, rates: dict[int, Decimal] | None, grade_field: str = "grade",
                       layer: str | None = None, name: str | None = None) -> ZoneSet:
    """Any polygon layer with an integer grade field, e.g. the land department's official grade map."""
    path = Path(path)
    zs_id = path.stem
    if layer is None and path.suffix.lower() == ".gpkg":
        layer = _pick_grade_layer(path)
    try:
        grades = read_layer(path, layer)
    except Exception as exc:
        raise ZoneSetError(str(path), f"cannot read the grade layer: {exc}") from None
    if grade_field not in grades.columns:
        raise ZoneSetError(str(path), f"no grade field {grade_field!r}; fields are: {', '.join(map(str, grades.columns[:-1]))}")
    if rates is None:
        if "rate" not in grades.columns:
            raise ZoneSetError(str(path), "the layer carries no rates: give them, e.g. --rates 1=15,2=10,3=5")
        rates = {}
        for g, r in zip(grades[grade_field], grades["rate"]):
            rates[int(g)] = Decimal(str(r))
    if grades.crs is None:
        raise ZoneSetError(str(path), "the grade layer has no CRS (.prj); areas cannot be measured")
    crs = CRS.from_user_input(grades.crs)
    if crs.is_geographic:
        raise ZoneSetError(str(path), f"the grade layer is in geographic coordinates ({crs.name}); a projected CRS such as EPSG:4549 is needed to measure plane areas")
    zs = ZoneSet(
        id=zs_id, name=name or path.name, version=_file_version(path), crs=crs.to_string(), rates=rates,
        grades=_normalise_grades(str(path), grades, grade_field), path=path,
        accuracy_statement="由用户载入的等级图：精度以其提供部门的说明为准。",
    )
    validate(zs)
    return zs


def _pick_grade_layer(path: Path) -> str | None:
    """The only layer, or the one named like grades; several others → say which exist."""
    try:
        names = list_layers(path)
    except Exception:  # unreadable: let read_file give its own message
        return None
    if len(names) <= 1:
        return names[0] if names else None
    for name in names:
        if name.lower() in ("grades", "grade", "土地等级", "等级"):
            return name
    raise ZoneSetError(str(path), f"has several layers ({', '.join(names)}); choose the grade layer with --zones-layer")


def _file_version(path: Path) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""


def _normalise_grades(zs_id: str, grades: gpd.GeoDataFrame, grade_field: str) -> gpd.GeoDataFrame:
    if grade_field not in grades.columns:
        raise ZoneSetError(zs_id, f"grade layer has no field {grade_field!r}")
    values = []
    for i, v in enumerate(grades[grade_field], start=1):
        try:
            fv = float(v)
            if not np.isfinite(fv) or fv != int(fv):
                raise ValueError
            values.append(int(fv))
        except (TypeError, ValueError):
            raise ZoneSetError(zs_id, f"grade value {v!r} is not an integer", where=f"feature {i}") from None
    out = grades.copy()
    out["grade"] = np.array(values, dtype=int)
    return out


# ------------------------------------------------------------- validation

def validate(zs: ZoneSet) -> None:
    """Valid polygons, every grade rated, no overlap between features beyond the tolerance."""
    g = zs.grades
    if len(g) == 0:
        raise ZoneSetError(zs.id, "the grade layer is empty")
    if CRS.from_user_input(zs.crs).is_geographic:
        raise ZoneSetError(zs.id, f"CRS {zs.crs} is geographic; areas need a projected CRS")
    geoms = g.geometry.values
    for i, (geom, grade) in enumerate(zip(geoms, g["grade"]), start=1):
        where = f"feature {i}, grade {grade}"
        if geom is None or geom.is_empty:
            raise ZoneSetError(zs.id, "empty geometry", where=where)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ZoneSetError(zs.id, f"{geom.geom_type} is not a polygon", where=where)
        if not geom.is_valid:
            raise ZoneSetError(zs.id, f"invalid geometry: {shapely.is_valid_reason(geom)}", where=where)
    missing = sorted(set(g["grade"]) - set(zs.rates))
    if missing:
        raise ZoneSetError(zs.id, f"grade(s) {missing} have no rate")
    for grade, rate in zs.rates.items():
        if rate < 0:
            raise ZoneSetError(zs.id, f"grade {grade} has a negative rate {rate}")
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    for a, b in zip(left[keep], right[keep]):
        overlap = shapely.intersection(geoms[a], geoms[b]).area
        if overlap > zs.overlap_tolerance_m2:
            c = shapely.intersection(geoms[a], geoms[b]).representative_point()
            raise ZoneSetError(
                zs.id,
                f"features {a + 1} (grade {g['grade'].iat[a]}) and {b + 1} (grade {g['grade'].iat[b]}) overlap by {overlap:.2f} m² "
                f"(tolerance {zs.overlap_tolerance_m2} m²)",
                where=f"x={c.x:.1f}, y={c.y:.1f} in {zs.crs}",
            )


def export_zoneset(zs: ZoneSet, out: Path | str) -> Path:
    """Write the zone set as a GeoPackage QGIS opens: ``grades`` (grade, rate, part, name, the
    named boundary runs as text) and, when present, ``boundary_runs`` and ``districts``."""
    from zones.io.atomic import atomic_output

    layer = zs.grades.copy()
    layer["rate"] = [float(zs.rates[g]) for g in layer["grade"]]
    layer["grade_name"] = [zs.grade_label(g) for g in layer["grade"]]
    with atomic_output(out) as tmp:
        layer.to_file(tmp, layer="grades", driver="GPKG", engine="pyogrio")
        for name in ("boundary_runs", "districts", "reference_lines"):
            extra = getattr(zs, name)
            if extra is not None and len(extra):
                extra.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
    return Path(out)


def list_layers(path) -> list[str]:
    return [str(name) for name, _ in pyogrio.list_layers(path)]
