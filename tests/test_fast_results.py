"""The stored results of plain parcels made in bulk from the vectorised figures
(zones.fast_results, used by every assess-all) are exactly those of the Decimal reference
path: the same JSON text byte for byte, the same key, amount due and flags, parcel by
parcel — on the varied parcels (holes, multipolygons, slivers, parcels outside the levy
scope, repaired and overlapping outlines), on areas and amounts that fall exactly on a
half fen or half 0.01 m² (x.xx5), on shares that fall on a half of 0.0001, under both
tax-base rules, whole-year and partial periods and fractional rates. Parcels the builder
does not make (reliefs, declared areas, own months, unreadable terms; the halving with any
of these) keep the Decimal path, and assess_parcels gives every parcel the reference result."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest

from tests.synthetic import box, city
from tests.varied_parcels import varied_parcels
from zones.assess import assess
from zones.fast_results import PlainResults
from zones.periods import TaxPeriod
from zones.project import (_RESULT_JSON, Parcel, Source, assess_parcels, key_digest, result_key,
                           terms_of)
from zones.project_file import result_to_dict
from zones.reliefs import load_catalogue
from zones.tax import TaxOptions

SOURCE = Source("import", "基准", "2024-01-02T03:04:05", file="t.gpkg", sha256="0" * 64, what="导入")
#: rates whose amounts fall on half fen for many areas (x × 6.5, x × 0.75 …)
ODD_RATES = {1: Decimal("12.35"), 2: Decimal("6.5"), 3: Decimal("0.75")}


def ties() -> list[Parcel]:
    """Outlines whose areas are exact binary fractions: n/8 m² is x.xx5 (or x.xx25, x.xx75)
    m², a tie of the 0.01 m² rounding (every other one a small taxpayer's: halving an odd
    number of fen is a tie too); and parcels across the grade line x = 1000 whose
    shares of the measured area fall on a half of 0.0001 (e.g. 0.25 of 8 m²: 0.03125)."""
    out = []
    for n in range(1, 400):
        x, y = 10 + (n % 40) * 20, 10 + (n // 40) * 20
        g = (n % 3)
        x0 = x + (0 if g == 0 else 1000)          # grade 1 or 2
        y0 = y + (1000 if g == 2 else 0)          # or grade 3
        out.append(_parcel(f"t{n}", box(x0, y0, x0 + 1, y0 + n / 8), {"small_taxpayer": "是"} if n % 2 else None))
    for n, left in enumerate((0.25, 0.5, 0.75, 1.25, 2.5, 0.125, 3.375)):
        y = 300 + n * 10
        out.append(_parcel(f"s{n}", box(1000 - left, y, 1000 + 8 - left, y + 1)))     # 8 m² across the line
        out.append(_parcel(f"u{n}", box(1000 - left, y + 500, 1000 + 16 - left, y + 500.5)))
    return out


def _parcel(uid: str, geom, attrs: dict | None = None) -> Parcel:
    return Parcel(uid, geom, {"parcel_no": uid, **(attrs or {})}, None, "基准", SOURCE)


def reference(run, i: int) -> tuple[str, str, str, tuple[str, ...]]:
    """What the Decimal path stores for parcel ``i``: (JSON text, key, amount due, flags)."""
    r = run.parcel(i)
    return _RESULT_JSON(result_to_dict(r)), key_digest(result_key(r)), str(r.due), r.flags


def _run(parcels, zs, period, tax_base):
    import geopandas as gpd

    geo = gpd.GeoSeries([p.geometry for p in parcels], crs=zs.crs)
    terms = []
    for p in parcels:
        try:
            terms.append(terms_of(p))
        except Exception:
            terms.append(None)
    return assess(geo, zs, period, ids=[p.label for p in parcels], terms=terms, catalogue=load_catalogue(),
                  options=TaxOptions(tax_base=tax_base))


CASES = [(rates, period, base)
         for rates in (None, ODD_RATES)
         for period in (TaxPeriod(2024), TaxPeriod(2024, 1, 6), TaxPeriod(2024, 3, 9), TaxPeriod(2024, 12, 12))
         for base in ("rounded", "unrounded")]


@pytest.mark.parametrize(("rates", "period", "base"), CASES)
def test_bulk_results_are_the_decimal_paths_text_key_and_amount(rates, period, base):
    zs = city(accuracy_m=3)
    if rates is not None:
        zs = dataclasses.replace(zs, rates=dict(rates))
    parcels = varied_parcels() + ties()
    run = _run(parcels, zs, period, base)
    plain = PlainResults(run)
    fast = [i for i, ok in enumerate(plain.buildable()) if ok]
    assert len(fast) > 500                       # the tie parcels and the varied plain ones
    built = plain.build(fast)
    for i, (text, key, due, flags) in zip(fast, built):
        assert (text, key, due, flags) == reference(run, i), parcels[i].uid
    assert plain.keys(fast) == [b[1] for b in built]
    halved = [i for i in fast if run.is_halved(i)]          # the small-taxpayer halving, built too
    assert len(halved) > 150
    assert any(run.parcel(i).small_taxpayer_relief * 1000 % 10 == 0 and any(
        (row.gross * 1000 / 2) % 10 == 5 for row in run.parcel(i).rows) for i in halved)   # half of an odd fen
    # the builder is what decides: some rows did fall on a tie of each rounding
    rows = [row for i in fast for row in run.parcel(i).rows]
    assert any(Decimal(row.map_area_m2 * 1000) % 10 == 5 for row in rows)         # x.xx5 m²
    if rates is not None:          # half a fen, of the rounded or the unrounded tax base
        assert any(((row.area_m2 if base == "rounded" else Decimal(row.map_area_m2)) * row.rate * row.months / 12
                    * 1000) % 10 == 5 for row in rows)
    assert any((Decimal(row.map_area_m2) / Decimal(sum(run.parcel(i).area_by_grade.values())
                                                   + run.parcel(i).area_outside_m2) * 100000) % 10 == 5
               for i in fast for row in run.parcel(i).rows)                          # half of 0.0001


def test_many_random_plain_parcels_across_grade_lines():
    """5,000 random boxes, many across the grade lines and partly outside the levy scope."""
    rnd = random.Random(7)
    zs = dataclasses.replace(city(accuracy_m=3), rates=dict(ODD_RATES))
    parcels = []
    for k in range(5000):
        x, y = rnd.uniform(-50, 2010), rnd.uniform(-50, 2010)
        w, h = rnd.choice((rnd.uniform(0.2, 3), rnd.uniform(3, 90))), rnd.uniform(0.2, 90)
        parcels.append(_parcel(f"r{k}", box(x, y, x + w, y + h)))
    for base in ("rounded", "unrounded"):
        run = _run(parcels, zs, TaxPeriod(2024, 1, 6), base)
        plain = PlainResults(run)
        fast = [i for i, ok in enumerate(plain.buildable()) if ok]
        assert len(fast) == len(parcels)
        for i, built in zip(fast, plain.build(fast)):
            assert built == reference(run, i), parcels[i].uid


def test_assess_parcels_gives_every_parcel_the_reference_result():
    """Plain and halved parcels come from the builder (their Decimal result not made), the others —
    reliefs, declared areas, own months, unreadable terms — from the
    Decimal path; every one is what the Decimal path gives, and compared again unchanged."""
    zs = dataclasses.replace(city(accuracy_m=3), rates=dict(ODD_RATES))
    parcels = varied_parcels() + ties()
    period = TaxPeriod(2024, 3, 9)
    stored, run = assess_parcels(parcels, zs, period, catalogue=load_catalogue())
    built = [i for i, p in enumerate(parcels) if stored[p.uid]._result is None]
    decimal = [i for i, p in enumerate(parcels) if stored[p.uid]._result is not None]
    assert len(built) > 400 and len(decimal) > 150
    assert not any(i in run._cache for i in built)          # no Decimal result made for them
    assert sum(parcels[i].get("small_taxpayer") == "是" for i in built) > 150     # halved ones among them
    kinds = {k for i in decimal for k in ("small_taxpayer", "reliefs", "declared_area") if parcels[i].get(k)}
    assert kinds == {"small_taxpayer", "reliefs", "declared_area"}
    for i, p in enumerate(parcels):
        s = stored[p.uid]
        r = run.parcel(i) if not s.result.error else s.result
        assert s.texts()[0] == _RESULT_JSON(result_to_dict(r)), p.uid
        assert (s.key, s.due, s.flags) == (key_digest(result_key(r)), r.due, r.flags)
        assert s.result == r
    again, _ = assess_parcels(parcels, zs, period, catalogue=load_catalogue(), reuse=dict(stored))
    assert all(again[p.uid] is stored[p.uid] for p in parcels)
