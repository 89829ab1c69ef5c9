"""The assessment engine on the synthetic city: exact areas and amounts known by hand."""

from decimal import Decimal

import geopandas as gpd
import numpy as np
import pytest
import shapely

from synthetic import CRS, X0, Y0, box, city
from zones.assess import assess
from zones.periods import TaxPeriod, YearMonth
from zones.reliefs import ReliefClaim, load_catalogue
from zones.tax import ParcelTerms, TaxOptions

D = Decimal


def run(geoms, terms=None, period=TaxPeriod(2024), zs=None, **kw):
    return assess(gpd.GeoSeries(geoms, crs=CRS), zs or city(), period, terms=terms, catalogue=load_catalogue(), **kw)


def test_rectangle_across_grade_line():
    a = run([box(900, 100, 1100, 200)])
    r = a.parcel(0)
    assert r.area_by_grade == {1: pytest.approx(10000.0), 2: pytest.approx(10000.0), 3: 0.0}
    assert [(row.grade, row.area_m2, row.gross) for row in r.rows] == [(1, D("10000.00"), D("150000.00")), (2, D("10000.00"), D("100000.00"))]
    assert r.due == D("250000.00") and r.flags == ()
    t = a.table()
    assert list(t.columns[:14]) == ["parcel_id", "area_m2", "area_g1_m2", "area_g2_m2", "area_g3_m2", "area_outside_m2",
                                    "months", "tax_g1", "tax_g2", "tax_g3", "relief", "small_taxpayer_relief", "tax_due", "flags"]
    assert t.loc[0, "tax_due"] == 250000.00 and t.loc[0, "area_g2_m2"] == 10000.00


def test_hole_is_not_taxed():
    courtyard = shapely.Polygon(box(100, 100, 300, 300).exterior.coords, [box(150, 150, 250, 250).exterior.coords])
    r = run([courtyard]).parcel(0)
    assert r.map_area_m2 == pytest.approx(30000.0)
    assert r.due == D("450000.00")


def test_multipolygon_in_two_grades():
    mp = shapely.MultiPolygon([box(100, 100, 200, 200), box(100, 1500, 200, 1600)])
    r = run([mp]).parcel(0)
    assert {row.grade: row.gross for row in r.rows} == {1: D("150000.00"), 3: D("50000.00")}


def test_bowtie_is_repaired_and_flagged():
    bowtie = shapely.Polygon([(X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20), (X0 + 20, Y0 + 10), (X0 + 10, Y0 + 20)])
    a = run([bowtie, box(300, 300, 310, 310)])
    r = a.parcel(0)
    assert "repaired" in r.flags
    assert r.map_area_m2 == pytest.approx(50.0)
    assert r.due == D("750.00")
    assert "repaired" not in a.parcel(1).flags


def test_half_outside_the_levy_scope():
    r = run([box(1900, 500, 2100, 600)]).parcel(0)
    assert r.area_outside_m2 == pytest.approx(10000.0)
    assert "outside" in r.flags
    assert r.due == D("100000.00")


def test_months_and_small_taxpayer_halving_last():
    # 3,000 m² in grade 1 and 7,000 m² in grade 2, liable 8 months (tax_practice.md's example)
    parcel = box(700, 0, 1700, 10)  # 300 m × 10 m in grade 1, 700 m × 10 m in grade 2
    plain = run([parcel], options=TaxOptions(months=8)).parcel(0)
    assert [row.gross for row in plain.rows] == [D("30000.00"), D("46666.67")]
    assert plain.due == D("76666.67") and plain.liable.count == 8
    small = run([parcel], terms=[ParcelTerms(small_taxpayer=True)], options=TaxOptions(months=8)).parcel(0)
    # halving per row, rounded half-up: 15000.00 and 23333.335 → 23333.34
    assert [row.small_taxpayer_relief for row in small.rows] == [D("15000.00"), D("23333.34")]
    assert small.due == D("38333.33")


def test_liable_months_from_start_and_end_fields():
    t = ParcelTerms(liable_from=YearMonth(2024, 4), liable_to=YearMonth(2024, 9))
    r = run([box(100, 100, 200, 200)], terms=[t]).parcel(0)
    assert r.liable.count == 6 and r.due == D("75000.00")
    assert "2024-04" in r.liable.rule


def test_each_relief_method():
    parcel = [box(100, 100, 200, 200)]  # 10,000 m² grade 1: 150,000.00 a year
    cases = {
        "0010019901": D("0.00"),          # exempt
        "0010129901": D("75000.00"),      # logistics storage: 50% of the grade's rate
        "0010129903": D("75000.00"),      # percentage 50%
    }
    for code, due in cases.items():
        r = run(parcel, terms=[ParcelTerms(reliefs=(ReliefClaim(code),))]).parcel(0)
        assert r.due == due, code
        assert r.rows[0].reliefs[0].code == code
    # fixed monthly amount, capped at the tax
    r = run(parcel, terms=[ParcelTerms(reliefs=(ReliefClaim("0010069901", value=D("1000")),))]).parcel(0)
    assert r.relief == D("12000.00") and r.due == D("138000.00")
    r = run(parcel, terms=[ParcelTerms(reliefs=(ReliefClaim("0010069901", value=D("99999")),))]).parcel(0)
    assert r.relief == D("150000.00") and r.due == D("0.00")


def test_partial_relief_area_and_months_then_small_taxpayer():
    parcel = [box(100, 100, 200, 200)]  # 10,000 m² grade 1
    claim = ReliefClaim("0010019901", area_m2=D("2000"), first=YearMonth(2024, 7), last=YearMonth(2024, 12))
    r = run(parcel, terms=[ParcelTerms(reliefs=(claim,), small_taxpayer=True)]).parcel(0)
    row = r.rows[0]
    assert row.gross == D("150000.00")
    assert row.relief == D("15000.00")                     # 2000 × 15 × 6 / 12
    assert row.small_taxpayer_relief == D("67500.00")      # (150000 − 15000) / 2
    assert row.due == D("67500.00")
    assert [x.small_taxpayer for x in row.reliefs] == [False, True]


def test_small_taxpayer_outside_its_window():
    r = run([box(100, 100, 200, 200)], terms=[ParcelTerms(small_taxpayer=True)], period=TaxPeriod(2028)).parcel(0)
    assert r.small_taxpayer_relief == D("0.00") and r.due == D("150000.00")


def test_declared_area_apportioned_exactly():
    # a third in grade 1, two thirds in grade 2; declared 1000.00 m²
    parcel = box(1000 - 100 / 3, 0, 1000 + 200 / 3, 10)
    r = run([parcel], terms=[ParcelTerms(declared_area_m2=D("1000.00"))]).parcel(0)
    assert [row.area_m2 for row in r.rows] == [D("333.33"), D("666.67")]
    assert sum(row.area_m2 for row in r.rows) == D("1000.00")
    assert [row.gross for row in r.rows] == [D("4999.95"), D("6666.70")]
    assert "declared_mismatch" not in r.flags


def test_declared_mismatch_flag():
    r = run([box(100, 100, 200, 200)], terms=[ParcelTerms(declared_area_m2=D("10300"))]).parcel(0)
    assert "declared_mismatch" in r.flags
    assert r.rows[0].area_m2 == D("10300.00")


def test_sliver_flag():
    r = run([box(999.95, 0, 1100, 10)]).parcel(0)
    assert "sliver" in r.flags
    assert r.area_by_grade[1] == pytest.approx(0.5)
    assert "sliver" not in run([box(990, 0, 1100, 10)]).parcel(0).flags
    assert "sliver" not in run([box(999.95, 0, 1100, 10)], options=TaxOptions(sliver_m2=0.1)).parcel(0).flags


def test_near_boundary_only_when_accuracy_stated():
    parcels = [box(950, 500, 970, 520), box(800, 500, 820, 520)]   # 30 m and 180 m from the grade-1/2 line
    a = run(parcels, zs=city(accuracy_m=50))
    assert "near_boundary" in a.parcel(0).flags and "near_boundary" not in a.parcel(1).flags
    assert "near_boundary" not in run(parcels).parcel(0).flags


def test_overlap_and_empty_records_do_not_stop_the_batch():
    a = run([box(100, 100, 200, 200), box(150, 150, 250, 250), shapely.Polygon(), box(500, 500, 510, 510)])
    assert "overlap" in a.parcel(0).flags and "overlap" in a.parcel(1).flags
    assert a.parcel(2).error and "empty" in a.parcel(2).flags and a.parcel(2).due == D("0.00")
    assert a.parcel(3).due == D("1500.00")
    t = a.table()
    assert t.loc[2, "tax_due"] == 0 and "empty" in t.loc[2, "flags"]


def test_unknown_relief_code_is_an_error_for_that_record_only():
    a = run([box(100, 100, 200, 200), box(300, 300, 400, 400)],
            terms=[ParcelTerms(reliefs=(ReliefClaim("9999999999"),)), None])
    assert a.errors[0] and "9999999999" in a.errors[0]
    assert a.table().loc[1, "tax_due"] == 150000.00


def test_table_agrees_with_the_reference_path():
    rng = np.random.default_rng(7)
    geoms = []
    for _ in range(300):
        x, y = rng.uniform(-50, 2050), rng.uniform(-50, 1950)
        w, h = rng.uniform(1, 80), rng.uniform(1, 80)
        geoms.append(box(x, y, x + w, y + h))
    a = run(geoms, options=TaxOptions(months=7))
    t = a.table()
    for i in range(len(geoms)):
        r = a.parcel(i)
        assert D(f"{t.loc[i, 'tax_due']:.2f}") == r.due
        for row in r.rows:
            assert D(f"{t.loc[i, f'tax_g{row.grade}']:.2f}") == row.gross


def test_provenance_records_what_produced_the_result():
    a = run([box(100, 100, 200, 200)], input_sha256="abc")
    p = a.provenance.as_dict()
    assert p["zoneset_id"] == "synthetic-city" and p["input_sha256"] == "abc"
    assert p["rules_version"] and p["app_version"] and p["created"]


def test_pieces_coloured_by_grade():
    a = run([box(900, 100, 1100, 200)], keep_pieces=True)
    pieces = a.pieces()
    assert sorted(pieces["grade"]) == [1, 2]
    assert pieces["area_m2"].round(2).tolist() == [10000.0, 10000.0]


def test_near_boundary_uses_each_stretch_accuracy():
    """A named stretch with a larger error (e.g. an unlocated road) widens the band only there."""
    zs = city(accuracy_m=50)
    runs = gpd.GeoDataFrame(
        {"feature": ["Road A", "Unlocated road"], "accuracy_m": [30, 500]},
        geometry=[shapely.LineString([(X0 + 1000, Y0), (X0 + 1000, Y0 + 700)]),
                  shapely.LineString([(X0 + 1000, Y0 + 700), (X0 + 1000, Y0 + 1000)])], crs=CRS)
    zs.boundary_runs = runs
    parcels = [box(800, 0, 820, 20),         # 180 m from Road A (±50 m), 703 m from the other: not near
               box(800, 800, 820, 820),     # 180 m from the unlocated road (±500 m): near
               box(960, 100, 980, 120)]     # 20 m from Road A: near
    a = run(parcels, zs=zs)
    assert ["near_boundary" in a.parcel(i).flags for i in range(3)] == [False, True, True]
    assert any("Unlocated road" in n for n in a.parcel(1).notes)
    assert not any("Unlocated road" in n for n in a.parcel(2).notes)


def test_area_rounding_to_zero_is_empty():
    sliver = shapely.Polygon([(X0 + 10, Y0 + 10), (X0 + 10.0001, Y0 + 10), (X0 + 10, Y0 + 10.0001)])
    a = run([sliver, box(100, 100, 110, 110)])
    assert "empty" in a.parcel(0).flags and a.parcel(0).error
    assert a.parcel(1).due == D("1500.00")


def test_a_year_the_zone_set_does_not_cover_is_refused():
    from zones.errors import RuleError
    from zones.zoneset import LegalBasis
    from datetime import date

    zs = city()
    zs.legal_basis = (LegalBasis("温政办〔2024〕10号", applies_from=date(2024, 1, 1)),)
    with pytest.raises(RuleError, match="no legal basis for 2023"):
        run([box(100, 100, 110, 110)], zs=zs, period=TaxPeriod(2023))
    assert run([box(100, 100, 110, 110)], zs=zs, period=TaxPeriod(2025)).parcel(0).due == D("1500.00")


def test_first_month_after_last_is_invalid_terms_not_no_liability():
    """起始月份 2024-09, 终止月份 2024-03: not "0 months, tax 0.00, no_liability" but an error for that
    record, with the reason; the next parcel is assessed as usual (10,000 m² × 15 = 150,000.00)."""
    bad = ParcelTerms(liable_from=YearMonth(2024, 9), liable_to=YearMonth(2024, 3))
    a = run([box(100, 100, 200, 200), box(300, 100, 400, 200)], terms=[bad, None])
    r = a.parcel(0)
    assert r.flags == ("invalid_terms",) and r.rows == ()
    assert "2024-09" in r.error and "2024-03" in r.error and "after the last liable month" in r.error
    assert a.parcel(1).due == D("150000.00") and a.parcel(1).flags == ()
    t = a.table()
    assert t.loc[0, "flags"] == "invalid_terms" and t.loc[0, "tax_due"] == 0.0 and t.loc[1, "tax_due"] == 150000.0


def test_relief_outside_its_validity_window_is_flagged_and_not_applied():
    """2028: the incubator exemption (2023-01 to 2027-12) and the 六税两费 halving (same window) have
    lapsed; the parcel (10,000 m² in grade 1) pays the full 150,000.00 and says why."""
    terms = ParcelTerms(small_taxpayer=True, reliefs=(ReliefClaim("0010019903"),))
    r = run([box(100, 100, 200, 200)], terms=[terms], period=TaxPeriod(2028)).parcel(0)
    assert r.due == D("150000.00") and r.relief == 0 and r.small_taxpayer_relief == 0
    assert "relief_expired" in r.flags
    lapsed = [n for n in r.notes if "未予减免" in n]
    assert len(lapsed) == 2
    assert any("0010019903" in n and "2023-01 至 2027-12" in n for n in lapsed)
    assert any("0010049901" in n and "2023-01 至 2027-12" in n for n in lapsed)
    # in 2027 both apply: exempt first, then nothing is left to halve
    ok = run([box(100, 100, 200, 200)], terms=[terms], period=TaxPeriod(2027)).parcel(0)
    assert ok.due == D("0.00") and "relief_expired" not in ok.flags


def test_halving_only_lapsed_keeps_the_parcel_assessed():
    r = run([box(100, 100, 200, 200)], terms=[ParcelTerms(small_taxpayer=True)], period=TaxPeriod(2028)).parcel(0)
    assert r.due == D("150000.00") and r.flags == ("relief_expired",)
