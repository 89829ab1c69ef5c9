"""The assessment engine: parcels + zone set + period → per-parcel results.

``assess()`` reprojects the parcels to the zone set's CRS, repairs what is
invalid (and says so), splits them across the grades in chunks (with progress
and cancel), flags near-boundary and overlapping parcels, and computes the tax.
Plain parcels (no declared area, reliefs or own liability months) take a
vectorised path; the others the Decimal reference path of :mod:`zones.tax`.
Both give the same figures to the fen (tested).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import zones
from zones import RULES_VERSION
from zones.errors import InputError, RuleError
from zones.overlay import (GradeSplit, concat_splits, grade_pieces, in_threads, near_grade_lines, overlapping_parcels,
                           split_by_grade)
from zones.periods import LiableMonths, TaxPeriod, months_liable
from zones.progress import Progress, step
from zones.reliefs import ReliefCatalogue
from zones.results import ParcelResult, Provenance
from zones.tax import (AREA_EPS_M2, PLAIN_TERMS, ParcelTerms, TaxOptions, assess_parcel, fast_area_hundredths,
                       fast_gross_fen, fast_gross_fen_rounded, terms_problem)
from zones.zoneset import ZoneSet

CHUNK = 100_000
#: The terms of a parcel whose only term is the small-taxpayer halving (六税两费).
HALVED_TERMS = ParcelTerms(small_taxpayer=True)


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class PerRecord(dict):
    """Record index → list, created on first use: a register of a million parcels has flags
    on a few thousand, and a million empty lists cost a third of a second to make."""

    def __missing__(self, key: int) -> list:
        value = self[key] = []
        return value


def _clean(geoms: np.ndarray, checked: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2D polygonal geometry; returns (geoms, repaired mask, empty mask). ``checked``: the
    importer has already made every outline a valid 2D polygon, so validity is not tested again."""
    geoms = np.asarray(geoms, dtype=object)
    if shapely.has_z(geoms).any() or (hasattr(shapely, "has_m") and shapely.has_m(geoms).any()):
        geoms = shapely.force_2d(geoms)  # only when needed: copying every geometry costs ~1 s per 100k
    missing = shapely.is_missing(geoms)
    geoms = np.where(missing, shapely.Polygon(), geoms)
    if checked or not len(geoms):
        invalid = np.zeros(len(geoms), dtype=bool)
    else:
        invalid = ~np.concatenate(in_threads(shapely.is_valid, geoms))
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
    types = shapely.get_type_id(geoms)
    not_poly = ~np.isin(types, (3, 6))  # Polygon, MultiPolygon
    if not_poly.any():
        geoms = geoms.copy()
        geoms[not_poly] = [_polygonal(g) for g in geoms[not_poly]]
    # An outline whose area rounds to 0.00 m² is as unusable as an empty one.
    empty = shapely.is_empty(geoms) | (shapely.area(geoms) < AREA_EPS_M2)
    return geoms, invalid & ~empty, empty


def _polygonal(geom):
    from zones.overlay import _polygons

    parts = _polygons(geom)
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


@dataclass
class Assessment:
    """Results of one run. ``parcel(i)`` gives the full Decimal result of parcel i;
    ``table()`` the per-parcel table of the command line."""

    zoneset: ZoneSet
    period: TaxPeriod
    options: TaxOptions
    ids: list[str]
    geoms: np.ndarray                     # in the zone set's CRS, cleaned
    split: GradeSplit
    terms: list[ParcelTerms]
    catalogue: ReliefCatalogue | None
    flags: "PerRecord"          # record → its flags (only records that have some are stored)
    notes: "PerRecord"
    errors: list[str | None]
    provenance: Provenance
    default_liable: LiableMonths
    _fast: dict = field(default_factory=dict)     # vectorised columns for plain parcels (fen / hundredths)
    #: row → its boundary points' names as entered (zones.point_names); rows without: J1, J2, …
    point_names: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def liable_for(self, i: int) -> LiableMonths:
        t = self.terms[i]
        if t.liable_from is None and t.liable_to is None:
            return self.default_liable
        return months_liable(self.period, liable_from=t.liable_from, liable_to=t.liable_to, start_rule=t.start_rule,
                             months=self.options.months)

    def parcel(self, i: int) -> ParcelResult:
        if i not in self._cache:
            zs = self.zoneset
            if "labels" not in self._cache:      # made once, not per parcel (plain floats read faster than numpy's)
                self._cache["labels"] = {g: zs.grade_label(g) for g in zs.grade_list}
                self._cache["by_grade"], self._cache["outside"] = self.split.by_grade.tolist(), self.split.outside.tolist()
            by_grade = dict(zip(self.split.grades, self._cache["by_grade"][i]))
            self._cache[i] = assess_parcel(
                i, self.ids[i], by_grade, self._cache["outside"][i],
                rates=zs.rates, labels=self._cache["labels"],
                liable=self.liable_for(i), terms=self.terms[i], catalogue=self.catalogue, options=self.options,
                flags=self.flags[i], notes=self.notes[i], error=self.errors[i],
            )
        return self._cache[i]

    def results(self) -> list[ParcelResult]:
        return [self.parcel(i) for i in range(len(self))]

    def is_fast(self, i: int) -> bool:
        """Parcel ``i`` took the vectorised path (plain terms, no error): its figures are in
        :meth:`fast_figures` without the Decimal result."""
        return i not in self._fast["slow_set"] and not self.errors[i]

    def is_halved(self, i: int) -> bool:
        """Parcel ``i``'s only term is the small-taxpayer halving (no error): its figures follow
        from the vectorised ones (:mod:`zones.fast_results`), though the table's path is the
        reference one."""
        return self.terms[i] == HALVED_TERMS and not self.errors[i]

    def fast_figures(self, i: int) -> tuple[list[tuple[int, int, int]], int]:
        """A vectorised parcel's grade rows as (grade, taxable area in 0.01 m², gross in fen),
        in the reference path's order (grades ascending, pieces above the noise floor), and
        its liable months: the same figures :meth:`parcel` computes in Decimal (tested)."""
        if "fast_rows" not in self._cache:
            grades = self.split.grades
            order = sorted(range(len(grades)), key=lambda j: grades[j])
            by_grade = self.split.by_grade
            self._cache["fast_rows"] = (
                [grades[j] for j in order],
                (by_grade[:, order] > AREA_EPS_M2).tolist() if len(self) else [],
                np.stack([fast_area_hundredths(by_grade[:, j]) for j in order], axis=1).tolist() if len(self) else [],
                self._fast["gross"][:, order].tolist())
        grades, present, hundredths, gross = self._cache["fast_rows"]
        rows = [(g, h, f) for g, keep, h, f in zip(grades, present[i], hundredths[i], gross[i]) if keep]
        return rows, self.default_liable.count

    def pieces(self) -> gpd.GeoDataFrame:
        """One polygon per parcel and grade (and the part outside), in the zone set's CRS."""
        if self.split.frag_parcel is None:
            keep = split_by_grade(self.geoms, self.zoneset.prepared(), keep_fragments=True)
        else:
            keep = self.split
        pieces = grade_pieces(keep, self.zoneset.crs)
        pieces.insert(0, "parcel_id", [self.ids[i] for i in pieces["parcel_index"]])
        return pieces

    def totals(self) -> dict:
        t = self.table(with_attributes=False)
        return {c: round(float(t[c].sum()), 2) for c in t.columns if c.startswith(("tax_", "relief", "small_"))}

    def table(self, attributes: pd.DataFrame | None = None, with_attributes: bool = True) -> pd.DataFrame:
        """The command line's columns in order; money and areas as floats with exactly two
        decimals (built from integer fen / hundredths), flags joined by ';'."""
        if "table" not in self._cache:
            self._cache["table"] = self._build_table()
        out = self._cache["table"]
        if with_attributes and attributes is not None and len(attributes.columns):
            extra = attributes.reset_index(drop=True).copy()
            extra.columns = [c if c not in out.columns else f"input_{c}" for c in extra.columns]
            two = out.attrs.get("two_decimals", [])
            out = pd.concat([out, extra], axis=1)
            out.attrs["two_decimals"] = two
        return out

    def _build_table(self) -> pd.DataFrame:
        n, grades = len(self), self.split.grades
        area_h = fast_area_hundredths(self.split.area)
        g_area = np.stack([fast_area_hundredths(self.split.by_grade[:, j]) for j in range(len(grades))], axis=1) if n else np.zeros((0, len(grades)), np.int64)
        out_area = fast_area_hundredths(self.split.outside)
        months = np.full(n, self.default_liable.count, dtype=np.int64)
        tax = self._fast["gross"].copy()
        relief = np.zeros(n, np.int64)
        small = np.zeros(n, np.int64)
        for i in self._fast["slow"]:
            r = self.parcel(int(i))
            months[i] = r.liable.count
            tax[i] = 0
            g_area[i] = 0
            for row in r.rows:
                j = grades.index(row.grade)
                tax[i, j] = int(row.gross * 100)
                g_area[i, j] = int(row.area_m2 * 100)
            if r.declared_area_m2 is not None:
                out_area[i] = int(round((r.declared_area_m2 - sum(x.area_m2 for x in r.rows)) * 100))
            relief[i] = int(r.relief * 100)
            small[i] = int(r.small_taxpayer_relief * 100)
        due = tax.sum(axis=1) - relief - small
        cols = {"parcel_id": self.ids, "area_m2": area_h / 100}
        for j, g in enumerate(grades):
            cols[f"area_g{g}_m2"] = g_area[:, j] / 100
        cols["area_outside_m2"] = out_area / 100
        cols["months"] = months
        for j, g in enumerate(grades):
            cols[f"tax_g{g}"] = tax[:, j] / 100
        cols["relief"] = relief / 100
        cols["small_taxpayer_relief"] = small / 100
        cols["tax_due"] = due / 100
        two = [c for c in cols if c.startswith(("area_", "tax_")) or c in ("relief", "small_taxpayer_relief")]
        flag_col = [""] * n
        for i, f in self._fast["flags"].items():
            flag_col[i] = ";".join(f)
        for i in self._fast["slow"]:
            flag_col[i] = ";".join(self.parcel(i).flags)
        cols["flags"] = flag_col
        table = pd.DataFrame(cols)
        table.attrs["two_decimals"] = two
        return table


def assess(
    parcels: gpd.GeoDataFrame | gpd.GeoSeries,
    zoneset: ZoneSet,
    period: TaxPeriod,
    *,
    ids: list | None = None,
    terms: Sequence[ParcelTerms | None] | None = None,
    catalogue: ReliefCatalogue | None = None,
    options: TaxOptions | None = None,
    input_sha256: str | None = None,
    keep_pieces: bool = False,
    check_overlaps: bool = True,
    record_errors: dict[int, str] | None = None,
    record_flags: dict[int, list[tuple[str, str]]] | None = None,
    geometry_checked: bool = False,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> Assessment:
    """Assess ``parcels`` (any CRS pyproj knows; Polygon/MultiPolygon, holes allowed) on ``zoneset``.

    ``record_errors`` marks records the caller already knows are unusable (e.g. a bad month
    field): they are reported, flagged ``invalid_terms`` and not assessed; the batch goes on.
    ``record_flags`` carries flags established before the assessment, with their notes — e.g.
    ``repaired`` when the importer already repaired a record's outline.
    ``geometry_checked``: the outlines come from :func:`zones.io.read_parcels`, which has
    validated and repaired them; validity is then not tested again unless they are reprojected
    (a reprojection can, rarely, make a valid outline invalid).
    """
    if zoneset.legal_basis and zoneset.basis_for(period.year) is None:
        spans = "；".join(f"{b.document} {b.applies_from or '…'}—{b.applies_to or '今'}" for b in zoneset.legal_basis)
        raise RuleError(f"zone set {zoneset.id} has no legal basis for {period.year} (it applies to: {spans})")
    options = options or TaxOptions()
    geo = parcels.geometry if isinstance(parcels, gpd.GeoDataFrame) else parcels
    if geo.crs is None:
        raise InputError("parcels", "the parcels have no coordinate reference system; state it (--crs)")
    reproject = not geo.crs.equals(zoneset.crs)
    geo = geo.to_crs(zoneset.crs) if reproject else geo
    n = len(geo)
    ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(n)]
    terms = cast("list[ParcelTerms]", [t or PLAIN_TERMS for t in terms] if terms is not None else [PLAIN_TERMS] * n)
    if len(ids) != n or len(terms) != n:
        raise InputError("parcels", "ids/terms do not match the number of parcels")

    geoms, repaired, empty = _clean(geo.values, checked=geometry_checked and not reproject)
    prepared = zoneset.prepared()
    splits = []
    for start in range(0, max(n, 1), chunk_size):
        step(progress, start, n, "split")
        splits.append(split_by_grade(geoms[start:start + chunk_size], prepared, keep_fragments=keep_pieces))
    split = (splits[0] if len(splits) == 1 else concat_splits(splits)) if n else splits[0]
    step(progress, n, n, "flags")

    flags, notes = PerRecord(), PerRecord()
    errors: list[str | None] = [None] * n
    for i in np.flatnonzero(repaired).tolist():
        flags[i].append("repaired")
        notes[i].append("图形无效（自相交等），已用 make_valid 修复")
    for i, pairs in (record_flags or {}).items():
        for flag, note in pairs:
            if flag not in flags[i]:
                flags[i].append(flag)
                notes[i].append(note)
    record_errors = dict(record_errors or {})
    for i, t in enumerate(terms):
        if t is not PLAIN_TERMS and i not in record_errors and (problem := terms_problem(t)):
            record_errors[i] = problem
    for i, problem in record_errors.items():
        flags[i].append("invalid_terms")
        errors[i] = f"parcel {ids[i]} (record {i + 1}): {problem}"
    for i in np.flatnonzero(empty).tolist():
        flags[i].append("empty")
        errors[i] = errors[i] or f"parcel {ids[i]} (record {i + 1}): empty geometry or an area under 0.01 m², not assessed"
    for i, names in near_grade_lines(geoms, prepared).items():
        flags[i].append("near_boundary")
        where = "、".join(names) if names else "等级界线"
        notes[i].append(f"距{where}在底图定位误差范围内")
    if check_overlaps and n > 1:
        for i, others in overlapping_parcels(geoms, options.overlap_tolerance_m2).items():
            flags[i].append("overlap")
            notes[i].append("与地块 " + "、".join(ids[j] for j in others[:5]) + (" 等" if len(others) > 5 else "") + " 重叠")

    default_liable = months_liable(period, months=options.months)
    slow = [i for i, t in enumerate(terms) if (t is not PLAIN_TERMS and not t.is_plain) or errors[i]]
    gross = np.zeros((n, len(split.grades)), np.int64)
    if default_liable.count:
        gross_fen = fast_gross_fen_rounded if options.rounded_base else fast_gross_fen
        for j, g in enumerate(split.grades):
            # pieces under the noise floor are no grade row in the reference path either
            areas = np.where(split.by_grade[:, j] > AREA_EPS_M2, split.by_grade[:, j], 0.0)
            gross[:, j] = gross_fen(areas, zoneset.rates[g], default_liable.count)
    # Flags the vectorised path knows without the Decimal rows, found for all parcels at once.
    # The reference path recomputes outside/sliver itself, so `flags` (geometric only) is its input.
    outside = split.outside > AREA_EPS_M2
    sliver = (((split.by_grade > AREA_EPS_M2) & (split.by_grade < options.sliver_m2)).any(axis=1)
              | (outside & (split.outside < options.sliver_m2)))
    no_liability = default_liable.count == 0
    fast_flags = PerRecord({i: list(f) for i, f in flags.items() if f})
    for i in np.flatnonzero(outside | sliver | no_liability).tolist():
        f = fast_flags[i]
        if outside[i]:
            f.append("outside")
        if sliver[i]:
            f.append("sliver")
        if no_liability:
            f.append("no_liability")
        fast_flags[i] = list(dict.fromkeys(f))
    ref_flags, ref_notes = flags, notes

    prov = Provenance(
        zoneset_id=zoneset.id, zoneset_version=zoneset.version, rules_version=RULES_VERSION, app_version=zones.__version__,
        input_sha256=input_sha256, created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        period=str(period), options=options.as_dict(),
    )
    result = Assessment(zoneset, period, options, ids, geoms, split, terms, catalogue, ref_flags, ref_notes, errors, prov,
                        default_liable)
    result._fast = {"gross": gross, "slow": slow, "slow_set": set(slow), "flags": fast_flags}
    # Terms that cannot be applied (an unknown relief code…) are an error for that record only.
    # The halving alone cannot fail when the catalogue has its policy: not computed ahead.
    halving = catalogue is not None and catalogue.small_taxpayer is not None
    for i in slow:
        if halving and not errors[i] and terms[i] == HALVED_TERMS:
            continue
        try:
            result.parcel(i)
        except RuleError as exc:
            errors[i] = f"parcel {ids[i]} (record {i + 1}): {exc}"
            result._cache.pop(i, None)
            result.flags[i].append("invalid_terms")
    step(progress, n, n, "done")
    return result
