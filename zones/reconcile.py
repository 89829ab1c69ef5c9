"""税源比对: the land department's cadastre (parcel outlines with 不动产单元号 / 宗地号)
against the tax office's registered land sources (税源明细, one row per parcel and
grade), to find land that pays nothing, or pays on the wrong grade, area or rate.

Every parcel is split over the grades by the assessment engine (once per zone set
in force over the years asked for); registry rows are matched to parcels by
不动产单元号 first, then 宗地号 (normalised: spaces, full-width, case); then, for
all parcels at once, the statuses and the money (integer fen, see
:mod:`zones.reconcile_money`). Areas are plane areas in the zone set's CRS (m²).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import geopandas as gpd
import numpy as np
import pandas as pd

from zones.assess import Assessment, assess
from zones.errors import RuleError
from zones.periods import TaxPeriod
from zones.progress import Progress, step
from zones.reconcile_money import (
    ClaimRule,
    rate_e4,
    row_tax_fen,
    rule_text,
    tax_base_hundredths,
)
from zones.reconcile_registry import Registry, _name_key, aliases, normalise_keys
from zones.zoneset import ZoneSet

#: The status codes, in the order they are joined.
STATUSES = ("matched", "unregistered", "not_in_cadastre", "grade_mismatch", "area_mismatch", "rate_mismatch",
            "duplicate_registry", "not_taxable")
STATUS_ZH = {"matched": "一致", "unregistered": "未登记", "not_in_cadastre": "地籍无此宗地", "grade_mismatch": "等级不符",
             "area_mismatch": "面积不符", "rate_mismatch": "税额标准不符", "duplicate_registry": "重复登记",
             "not_taxable": "无应税面积"}
FIRST_COLUMNS = ["parcel_id", "unit_no", "status", "area_map_m2", "area_registered_m2", "tax_map_year",
                 "tax_registered_year", "difference_year", "back_tax"]
REGISTRY_ATTRIBUTES = {"land_no": "registry_land_no", "uscc": "registry_taxpayer_id", "taxpayer": "registry_taxpayer",
                       "acquired": "registry_acquired"}


@dataclass(frozen=True)
class ReconcileOptions:
    area_tolerance_m2: Decimal = Decimal(1)        # per grade and in total, m²
    claim: ClaimRule = field(default_factory=ClaimRule)


@dataclass
class Reconciliation:
    """The result. ``table``: one row per parcel (in input order), then one per registry
    key without a parcel; the money columns as floats with two decimals built from integer
    fen (``fen`` holds the integers). ``assessment``: the split on the last year's zone set
    (its maps and pieces print on the report)."""

    table: pd.DataFrame
    fen: dict[str, np.ndarray]
    status_bits: np.ndarray                 # per table row, bit k = STATUSES[k]
    years: list[int]
    claimed: list[int]
    zonesets: dict[int, ZoneSet]            # year → the zone set in force
    assessment: Assessment
    registry: Registry
    grades: list[int]
    options: ReconcileOptions
    findings: list[str] = field(default_factory=list)

    @property
    def parcel_count(self) -> int:
        return len(self.assessment)

    @property
    def rule(self) -> str:
        return rule_text(self.options.claim, self.years, self.claimed)

    def has(self, code: str) -> np.ndarray:
        return (self.status_bits >> STATUSES.index(code)) & 1 == 1

    def registered_rows(self, table_row: int) -> pd.DataFrame:
        """The registry rows behind one row of the table (a parcel, or a key without one)."""
        rows = self.registry.rows
        return rows[rows["match"] == table_row]


def zonesets_by_year(zonesets: list[ZoneSet], years: list[int]) -> dict[int, ZoneSet]:
    """The zone set in force each year: the first whose legal basis covers it (a zone set
    with no stated basis — a user's layer — covers every year). Years without any are
    refused, as the assessment refuses them."""
    out, missing = {}, []
    for y in years:
        zs = next((z for z in zonesets if not z.legal_basis or z.basis_for(y) is not None), None)
        if zs is None:
            missing.append(y)
        else:
            out[y] = zs
    if missing:
        spans = "；".join(f"{z.id}: " + "、".join(f"{b.document} {b.applies_from or '…'}—{b.applies_to or '今'}"
                                                   for b in z.legal_basis) for z in zonesets)
        raise RuleError(f"no zone set has a legal basis for {', '.join(map(str, missing))} (they apply to: {spans})")
    return out


def parcel_keys(attributes: pd.DataFrame, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(unit key, 宗地号 key) of each parcel, from the attribute columns named like
    不动产单元号 / 宗地号; the parcel id stands in for a missing 宗地号."""
    by_key = {_name_key(c): c for c in attributes.columns}

    def find(role):
        return next((by_key[_name_key(n)] for n in aliases(role) if _name_key(n) in by_key), None)

    unit_col, parcel_col = find("unit_no"), find("parcel_no")
    n = len(ids)
    unit = normalise_keys(attributes[unit_col]) if unit_col else np.full(n, "", dtype=object)
    own = normalise_keys(np.array(ids, dtype=object))
    parcel = normalise_keys(attributes[parcel_col]) if parcel_col else own
    return unit, np.where(parcel == "", own, parcel)


def _first_index(keys: np.ndarray) -> pd.Series:
    """key → first parcel index holding it (blank keys left out)."""
    s = pd.Series(np.arange(len(keys)), index=keys)
    s = s[s.index != ""]
    return s[~s.index.duplicated()]


def match(registry: Registry, unit: np.ndarray, parcel: np.ndarray) -> np.ndarray:
    """Parcel index of each registry row (-1: no parcel): 不动产单元号 first, then 宗地号."""
    rows = registry.rows
    by_unit = _first_index(unit).reindex(rows["unit_key"].to_numpy()).to_numpy(dtype=float)
    by_parcel = _first_index(parcel).reindex(rows["parcel_key"].to_numpy()).to_numpy(dtype=float)
    found = np.where(np.isnan(by_unit), by_parcel, by_unit)
    return np.where(np.isnan(found), -1, found).astype(np.int64)


def reconcile(parcels: gpd.GeoDataFrame, registry: Registry, zonesets: list[ZoneSet], years: list[int], *,
              ids: list[str] | None = None, attributes: pd.DataFrame | None = None,
              options: ReconcileOptions | None = None, geometry_checked: bool = False,
              progress: Progress | None = None) -> Reconciliation:
    """Reconcile ``parcels`` (any CRS; EPSG:4549 plane areas after reprojection) with
    ``registry`` over ``years`` (the last is the year of the ``*_year`` columns)."""
    options = options or ReconcileOptions()
    years = sorted({int(y) for y in years})
    by_year = zonesets_by_year(zonesets, years)
    n = len(parcels)
    ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(n)]
    attributes = attributes if attributes is not None else pd.DataFrame(index=range(n))
    findings = list(registry.findings)

    # one split per zone set in force (most runs: one)
    splits: dict[int, Assessment] = {}
    for y in years:
        zs = by_year[y]
        if id(zs) not in splits:
            step(progress, len(splits), len(set(map(id, by_year.values()))) + 1, "split")
            splits[id(zs)] = assess(parcels, zs, TaxPeriod(y), ids=ids, check_overlaps=False,
                                    geometry_checked=geometry_checked)
    ref = splits[id(by_year[years[-1]])]
    zs_ref = by_year[years[-1]]
    step(progress, 1, 2, "match")

    unit, parcel = parcel_keys(attributes, ids)
    named = pd.Series(unit[unit != ""])
    dup_keys = named[named.duplicated()]
    if len(dup_keys):
        findings.append(f"{dup_keys.nunique()} 不动产单元号 appear on more than one parcel (e.g. {dup_keys.iat[0]}); "
                        "registry rows go to the first parcel holding the number")
    rows = registry.rows
    pidx = match(registry, unit, parcel)
    usable = rows["ok"].to_numpy()

    # registry keys without a parcel get table rows after the parcels, in the registry's order
    uk, pk = rows["unit_key"].to_numpy(dtype=object), rows["parcel_key"].to_numpy(dtype=object)
    key = np.where(uk != "", "U:" + uk, "P:" + pk)
    orphan = (pidx < 0) & ((uk != "") | (pk != ""))
    orphan_keys = pd.unique(key[orphan])
    orphan_pos = pd.Series(np.arange(len(orphan_keys)) + n, index=orphan_keys)
    table_row = np.where(pidx >= 0, pidx, -1)
    table_row[orphan] = orphan_pos.reindex(key[orphan]).to_numpy()
    rows["match"] = table_row
    total = n + len(orphan_keys)

    zs_grades = zs_ref.grade_list
    reg_grades = sorted(set(rows.loc[usable & (rows["grade"] > 0).to_numpy(), "grade"].tolist()) - set(zs_grades))
    grades = zs_grades + reg_grades
    gpos = {g: k for k, g in enumerate(grades)}

    map_h, outside_h, map_fen_by_year = _map_side(splits, by_year, years, n, total, gpos)
    reg = _registry_side(rows, usable & (table_row >= 0), total, grades, gpos, zs_ref)
    # any row of a key without a parcel, even one unreadable, makes it not_in_cadastre
    present = np.bincount(table_row[table_row >= 0], minlength=total) > 0
    tol = int((Decimal(options.area_tolerance_m2) * 100).to_integral_value())
    bits = _statuses(map_h, reg, present, n, tol)
    claimed = options.claim.claimable(years)
    fen = _money(map_fen_by_year, reg["fen"], years, claimed, options.claim)
    reg_h, reg_count = reg["area_h"], reg["count"]

    table = _table(ids, unit, rows, orphan_keys, n, total, bits, map_h, reg_h, outside_h, grades, fen,
                   reg_count, attributes, zs_ref, ref)
    step(progress, 2, 2, "done")
    return Reconciliation(table, fen, bits, years, claimed, by_year, ref, registry, grades, options, findings)




def _map_side(splits: dict, by_year: dict, years: list[int], n: int, total: int, gpos: dict):
    """(tax base per grade in 0.01 m² on the last year's zone set, the part outside the levy
    scope, the yearly tax in fen on each year's zone set and rates)."""
    ref = splits[id(by_year[years[-1]])]
    map_h = np.zeros((total, len(gpos)), np.int64)
    for j, g in enumerate(ref.split.grades):
        map_h[:n, gpos[g]] = tax_base_hundredths(ref.split.by_grade[:, j])
    outside_h = np.zeros(total, np.int64)
    outside_h[:n] = tax_base_hundredths(ref.split.outside)
    map_fen_by_year = {}
    for y in years:
        a, zs = splits[id(by_year[y])], by_year[y]
        fen = np.zeros(total, np.int64)
        for j, g in enumerate(a.split.grades):
            fen[:n] += row_tax_fen(tax_base_hundredths(a.split.by_grade[:, j]), np.full(n, rate_e4(zs.rates[g])))
        map_fen_by_year[y] = fen
    return map_h, outside_h, map_fen_by_year

def _registry_side(rows: pd.DataFrame, live: np.ndarray, total: int, grades: list[int], gpos: dict, zs: ZoneSet) -> dict:
    """Per table row: registered area per grade (0.01 m²), yearly tax (fen), row count, and
    whether a rate differs from the zone set's or a grade is registered twice."""
    r = rows[live]
    t, gr = r["match"].to_numpy(), r["grade"].to_numpy()
    area_h = np.zeros((total, len(grades)), np.int64)
    col = np.array([gpos[g] for g in gr], dtype=np.int64) if len(gr) else np.zeros(0, np.int64)
    np.add.at(area_h, (t, col), r["area_h"].to_numpy())
    fen = np.zeros(total, np.int64)
    np.add.at(fen, t, row_tax_fen(r["area_h"].to_numpy(), r["rate_e4"].to_numpy()))
    zone_rate = {g: rate_e4(zs.rates[g]) for g in zs.grade_list}
    wrong = r["rate_e4"].to_numpy() != np.array([zone_rate.get(g, -1) for g in gr], dtype=np.int64)
    pair = pd.DataFrame({"t": t, "g": gr})
    dup = np.zeros(total, bool)
    dup[pair.loc[pair.duplicated(keep=False), "t"].to_numpy()] = True
    return {"area_h": area_h, "fen": fen, "count": np.bincount(t, minlength=total),
            "rate_bad": np.bincount(t[wrong], minlength=total) > 0, "dup": dup}


def _statuses(map_h: np.ndarray, reg: dict, present: np.ndarray, n: int, tol: int) -> np.ndarray:
    """The status bits of every table row (bit k = STATUSES[k]); ``tol`` in 0.01 m²."""
    total = len(map_h)
    map_total, reg_total = map_h.sum(axis=1), reg["area_h"].sum(axis=1)
    has_reg = reg["count"] > 0
    is_parcel = np.arange(total) < n
    area_bad = has_reg & (np.abs(reg_total - map_total) > tol)
    grade_bad = has_reg & ~area_bad & (np.abs(reg["area_h"] - map_h) > tol).any(axis=1)
    masks = {"unregistered": is_parcel & ~has_reg & (map_total > 0), "not_in_cadastre": ~is_parcel & present,
             "grade_mismatch": grade_bad & is_parcel, "area_mismatch": area_bad & is_parcel,
             "rate_mismatch": has_reg & reg["rate_bad"], "duplicate_registry": has_reg & reg["dup"],
             "not_taxable": is_parcel & ~has_reg & (map_total == 0)}
    bits = np.zeros(total, np.int64)
    for code, mask in masks.items():
        bits |= mask.astype(np.int64) << STATUSES.index(code)
    return bits | ((is_parcel & has_reg & (bits == 0)).astype(np.int64) << STATUSES.index("matched"))


def _money(map_fen_by_year: dict, reg_fen: np.ndarray, years: list[int], claimed: list[int], claim: ClaimRule) -> dict:
    """The money columns in fen: the last year's, the back tax over the claimed years, the late
    fee when asked, and each year's difference when there are several."""
    zero = np.zeros(len(reg_fen), np.int64)
    diff = {y: map_fen_by_year[y] - reg_fen for y in years}
    fen = {"tax_map_year": map_fen_by_year[years[-1]], "tax_registered_year": reg_fen,
           "difference_year": diff[years[-1]], "back_tax": sum((diff[y] for y in claimed), zero)}
    if claim.late_fee_per_day is not None:
        fen["late_fee"] = sum((claim.late_fee_fen(diff[y], y) for y in claimed), zero)
    if len(years) > 1:
        fen.update({f"difference_{y}": diff[y] for y in years})
    return fen

def status_text(bits: np.ndarray) -> np.ndarray:
    """Status codes joined by ';' (vectorised over the few distinct combinations)."""
    uniq, inv = np.unique(bits, return_inverse=True)
    words = np.array([";".join(c for k, c in enumerate(STATUSES) if (u >> k) & 1) for u in uniq], dtype=object)
    return words[inv] if len(bits) else np.array([], dtype=object)


def _joined_rows(rows: pd.DataFrame, total: int) -> list[str]:
    """The registry row numbers behind each table row, joined by ','."""
    r = rows[rows["match"] >= 0].sort_values(["match", "row"], kind="stable")
    m, numbers = r["match"].to_numpy(), r["row"].astype(str).tolist()
    out = [""] * total
    if not len(m):
        return out
    starts = np.flatnonzero(np.r_[True, m[1:] != m[:-1]]).tolist()
    for s, e in zip(starts, [*starts[1:], len(m)]):
        out[m[s]] = ",".join(numbers[s:e])
    return out


def _table(ids, unit_text, rows, orphan_keys, n, total, bits, map_h, reg_h, outside_h, grades, fen, reg_count,
           attributes, zs, ref) -> pd.DataFrame:
    matched_rows = rows[rows["match"] >= 0]
    first = matched_rows.groupby("match", sort=False).first()

    def registry_col(name) -> np.ndarray:
        out = np.full(total, "", dtype=object)
        if name in first.columns and len(first):
            out[first.index.to_numpy()] = first[name].to_numpy()
        return out

    unit_col = np.full(total, "", dtype=object)
    unit_col[:n] = unit_text
    reg_unit = registry_col("unit_key")
    unit_col = np.where(unit_col == "", reg_unit, unit_col)
    cols: dict[str, object] = {
        "parcel_id": ids + [""] * (total - n),
        "unit_no": unit_col,
        "status": status_text(bits),
        "area_map_m2": map_h.sum(axis=1) / 100,
        "area_registered_m2": reg_h.sum(axis=1) / 100,
    }
    for name in FIRST_COLUMNS[5:]:
        cols[name] = fen[name] / 100
    for k, g in enumerate(grades):
        cols[f"area_map_g{g}_m2"] = map_h[:, k] / 100
        cols[f"area_registered_g{g}_m2"] = reg_h[:, k] / 100
    cols["area_outside_m2"] = outside_h / 100
    for name in fen:
        if name not in cols:
            cols[name] = fen[name] / 100
    cols["registry_rows"] = _joined_rows(rows, total)
    cols["registry_count"] = reg_count
    cols["registry_parcel_no"] = registry_col("parcel_no")
    for role, name in REGISTRY_ATTRIBUTES.items():
        cols[name] = registry_col(role)
    cols["district"] = _districts(zs, ref, total)
    for name, values in cols.items():   # text as Arrow-backed strings: written without a Python loop
        if isinstance(values, (list, np.ndarray)) and len(values) and isinstance(values[0], str):
            cols[name] = pd.array(np.asarray(values, dtype=object), dtype="string")
    table = pd.DataFrame(cols)
    two = [c for c in table.columns if c.startswith(("area_", "tax_", "difference_")) or c in ("back_tax", "late_fee")]
    if len(attributes.columns):
        extra = attributes.reset_index(drop=True).reindex(range(total))
        extra.columns = [c if c not in table.columns else f"parcel_{c}" for c in extra.columns]
        table = pd.concat([table, extra], axis=1)
    table.attrs["two_decimals"] = two
    return table


def _districts(zs: ZoneSet, ref: Assessment, total: int) -> np.ndarray:
    """The district of each parcel (its representative point), '' when the zone set has none."""
    out = np.full(total, "", dtype=object)
    d = zs.districts
    if d is None or not len(d) or "name" not in d.columns or not len(ref):
        return out
    import shapely

    geoms = np.asarray(ref.geoms, dtype=object)
    live = np.flatnonzero(~shapely.is_empty(geoms))
    pts = shapely.point_on_surface(geoms[live])
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    d = d.to_crs(zs.crs) if d.crs is not None and not d.crs.equals(zs.crs) else d
    names = np.full(len(pts), "", dtype=object)
    for name, poly in zip(d["name"].tolist()[::-1], d.geometry.values[::-1]):   # the first district wins on an edge
        shapely.prepare(poly)
        names[shapely.intersects_xy(poly, x, y)] = name
    out[live] = names
    return out
