"""税源比对 on the synthetic city (grade 1 = [0,1000]², rate 15; grade 2 east of it, rate 10;
grade 3 the strip north, rate 5; outside elsewhere): every status, several at once,
multi-grade parcels, years under two legal bases, the claim rule, and the registry
reader on malformed files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.synthetic import CRS, box, city
from zones.errors import RuleError
from zones.reconcile import STATUSES, ReconcileOptions, reconcile
from zones.reconcile_money import ClaimRule, row_tax_decimal, row_tax_fen
from zones.reconcile_registry import RegistryColumnsError, read_registry
from zones.zoneset import LegalBasis

UNIT_M = "330302001001GB00001W00000000"

# id, outline, 不动产单元号
PARCELS = [
    ("Z-M", box(100, 100, 200, 200), UNIT_M),        # grade 1, 10,000 m²
    ("Z-U", box(300, 100, 400, 200), ""),            # grade 1, 10,000 m², no registry row
    ("Z-NT", box(2100, 100, 2200, 200), ""),         # outside the levy scope
    ("Z-GM", box(950, 300, 1050, 400), ""),          # 5,000 m² grade 1 + 5,000 m² grade 2
    ("Z-AM", box(500, 500, 600, 600), ""),           # grade 1, 10,000 m²
    ("Z-RM", box(700, 100, 800, 200), ""),           # grade 1, 10,000 m²
    ("Z-DUP", box(100, 1500, 200, 1600), ""),        # grade 3, 10,000 m²
    ("Z-MG", box(900, 900, 1100, 1100), ""),         # 10,000 g1 + 10,000 g2 + 20,000 g3
    ("Z-TOL", box(100, 300, 200, 400), ""),          # grade 1, 10,000 m²
]
# 不动产单元号, 宗地号, 土地等级, 税额标准, 占用土地面积
REGISTRY = [
    ["３３０３０２ 001001gb00001w00000000", "", "一级", "15", "10,000.00㎡"],   # Z-M by a messy unit number
    ["", "z-gm", "1", "15", "10000"],                                         # split wrong, total right
    ["", "Z-AM", "一级", "15", "9000"],
    ["", "Z-RM", "一级", "10", "10000"],
    ["", "Z-DUP", "三级", "5", "10000"],
    ["", "Z-DUP", "三级", "5", "10000"],
    ["", "Z-MG", "一级", "15", "10000"],
    ["", "Z-MG", "二级", "10", "10000"],
    ["", "Z-MG", "三级", "5", "20000"],
    ["", "Z-TOL", "一级", "15", "10000.80"],                                  # within 1 m²
    ["330302001001GB09999W00000000", "", "二级", "10", "500"],                 # no such parcel
]
HEADER = ["不动产单元号", "宗地号", "土地等级", "税额标准", "占用土地面积"]


def parcels() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"宗地号": [p[0] for p in PARCELS], "不动产单元号": [p[2] for p in PARCELS]},
                            geometry=[p[1] for p in PARCELS], crs=CRS)


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    pd.DataFrame(rows, columns=header).to_csv(path, index=False, encoding=encoding)
    return path


def run(tmp_path, rows=REGISTRY, zonesets=None, years=(2024,), options=None):
    p = parcels()
    reg = read_registry(write_csv(tmp_path / "reg.csv", rows))
    return reconcile(p, reg, zonesets or [city()], list(years), ids=list(p["宗地号"]),
                     attributes=pd.DataFrame(p.drop(columns="geometry")), options=options)


def row(res, pid) -> dict:
    t = res.table
    return t[t["parcel_id"] == pid].iloc[0].to_dict()


def test_each_status_and_money(tmp_path):
    res = run(tmp_path)
    t = res.table
    assert list(t.columns[:9]) == ["parcel_id", "unit_no", "status", "area_map_m2", "area_registered_m2", "tax_map_year",
                                   "tax_registered_year", "difference_year", "back_tax"]
    status = dict(zip(t["parcel_id"], t["status"]))
    assert status == {"Z-M": "matched", "Z-U": "unregistered", "Z-NT": "not_taxable", "Z-GM": "grade_mismatch",
                      "Z-AM": "area_mismatch", "Z-RM": "rate_mismatch", "Z-DUP": "area_mismatch;duplicate_registry",
                      "Z-MG": "matched", "Z-TOL": "matched", "": "not_in_cadastre"}
    assert row(res, "Z-M")["unit_no"] == UNIT_M and row(res, "Z-M")["registry_rows"] == "2"
    u = row(res, "Z-U")
    assert (u["area_map_m2"], u["tax_map_year"], u["tax_registered_year"], u["difference_year"], u["back_tax"]) == \
        (10000.0, 150000.0, 0.0, 150000.0, 150000.0)
    gm = row(res, "Z-GM")
    assert (gm["area_map_g1_m2"], gm["area_map_g2_m2"], gm["area_registered_g1_m2"], gm["area_registered_g2_m2"]) == \
        (5000.0, 5000.0, 10000.0, 0.0)
    assert (gm["tax_map_year"], gm["tax_registered_year"], gm["difference_year"]) == (125000.0, 150000.0, -25000.0)
    assert row(res, "Z-AM")["difference_year"] == 15000.0
    assert row(res, "Z-RM")["difference_year"] == 50000.0
    dup = row(res, "Z-DUP")
    assert (dup["area_registered_m2"], dup["registry_count"], dup["difference_year"]) == (20000.0, 2, -50000.0)
    mg = row(res, "Z-MG")
    assert (mg["area_map_g1_m2"], mg["area_map_g2_m2"], mg["area_map_g3_m2"], mg["tax_map_year"]) == \
        (10000.0, 10000.0, 20000.0, 350000.0)
    assert row(res, "Z-TOL")["difference_year"] == -12.0      # 10,000.80 × 15 registered
    orphan = t[t["status"] == "not_in_cadastre"].iloc[0]
    assert orphan["unit_no"] == "330302001001GB09999W00000000"
    assert (orphan["tax_map_year"], orphan["tax_registered_year"], orphan["area_registered_g2_m2"]) == (0.0, 5000.0, 500.0)
    assert len(t) == len(PARCELS) + 1
    # money columns add up exactly
    assert res.fen["back_tax"].sum() == 15_000_000 + 0 - 2_500_000 + 1_500_000 + 5_000_000 - 5_000_000 - 1_200 - 500_000


def test_tolerance_is_an_option(tmp_path):
    res = run(tmp_path, options=ReconcileOptions(area_tolerance_m2=Decimal("0.5")))
    assert row(res, "Z-TOL")["status"] == "area_mismatch"


def test_a_matched_parcel_with_a_wrong_split_and_rate(tmp_path):
    rows = [["", "Z-MG", "一级", "15", "10000"], ["", "Z-MG", "二级", "12", "20000"], ["", "Z-MG", "三级", "5", "10000"]]
    res = run(tmp_path, rows=rows)
    assert row(res, "Z-MG")["status"] == "grade_mismatch;rate_mismatch"
    assert row(res, "Z-MG")["tax_registered_year"] == 150000 + 240000 + 50000


def test_unit_number_first_then_parcel_number(tmp_path):
    # the row's unit number belongs to Z-M, its 宗地号 to Z-U: the unit number wins
    rows = [[UNIT_M, "Z-U", "一级", "15", "10000"], ["", "Z-U", "一级", "15", "10000"]]
    res = run(tmp_path, rows=rows)
    assert row(res, "Z-M")["status"] == "matched"
    assert row(res, "Z-U")["status"] == "matched"
    assert row(res, "Z-U")["registry_rows"] == "3"


def two_bases():
    old = city()
    old.id, old.rates = "synthetic-2015", {1: Decimal(12), 2: Decimal(8), 3: Decimal(4)}
    old.legal_basis = (LegalBasis("旧通知", applies_from=date(2015, 1, 1), applies_to=date(2023, 12, 31)),)
    new = city()
    new.legal_basis = (LegalBasis("新通知", applies_from=date(2024, 1, 1)),)
    return [new, old]


def test_years_across_two_legal_bases(tmp_path):
    res = run(tmp_path, zonesets=two_bases(), years=(2022, 2023, 2024))
    assert [res.zonesets[y].id for y in (2022, 2023, 2024)] == ["synthetic-2015", "synthetic-2015", "synthetic-city"]
    u = row(res, "Z-U")
    assert (u["tax_map_year"], u["back_tax"], u["difference_2022"], u["difference_2024"]) == \
        (150000.0, 120000.0 * 2 + 150000.0, 120000.0, 150000.0)
    # Z-M is registered at today's rate: the old years were over-registered by 30,000 each
    assert row(res, "Z-M")["back_tax"] == -60000.0
    # the statuses are those of the last year's zone set
    assert row(res, "Z-M")["status"] == "matched"


def test_years_without_legal_basis_are_refused(tmp_path):
    with pytest.raises(RuleError, match="2014"):
        run(tmp_path, zonesets=two_bases(), years=(2014, 2015))


def test_claim_period_and_late_fee(tmp_path):
    rule = ClaimRule(claim_years=1, late_fee_per_day=Decimal("0.0005"), as_of=date(2025, 1, 31))
    res = run(tmp_path, zonesets=two_bases(), years=(2023, 2024), options=ReconcileOptions(claim=rule))
    assert res.claimed == [2024]
    u = row(res, "Z-U")
    assert u["back_tax"] == 150000.0
    assert u["late_fee"] == 2325.0                 # 150,000 × 0.05 % × 31 days (1–31 January 2025)
    rule = ClaimRule(late_fee_per_day=Decimal("0.0005"), as_of=date(2025, 1, 31))
    res = run(tmp_path, zonesets=two_bases(), years=(2023, 2024), options=ReconcileOptions(claim=rule))
    assert row(res, "Z-U")["late_fee"] == 120000 * 0.0005 * 397 + 2325.0   # 2023's from 1 Jan 2024: 397 days
    assert "追征期" in res.rule and "滞纳金" in res.rule
    assert row(res, "Z-GM")["late_fee"] == 0.0     # over-registered: no fee


def test_integer_money_equals_the_decimal_rule():
    rng = np.random.default_rng(7)
    areas = np.round(rng.uniform(0, 50000, 2000), 2)
    areas[:3] = [0.005, 1234.565, 0.015]
    rates = rng.choice([Decimal("1.5"), Decimal(5), Decimal("7.25"), Decimal(15), Decimal("0.6")], 2000)
    from zones.reconcile_money import rate_e4, tax_base_hundredths

    fen = row_tax_fen(tax_base_hundredths(areas), np.array([rate_e4(r) for r in rates]))
    expected = [int(row_tax_decimal(a, r) * 100) for a, r in zip(areas.tolist(), rates)]
    assert fen.tolist() == expected


# ------------------------------------------------------------------ the registry reader

def test_missing_columns_name_what_was_looked_for(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["x", "1", "2"]], header=["编号", "面积", "备注"])
    with pytest.raises(RegistryColumnsError) as exc:
        read_registry(path)
    text = str(exc.value)
    assert "不动产单元号" in text and "土地等级" in text and "税额标准" in text and "占用土地面积" in text
    assert "columns found: 编号, 面积, 备注" in text
    assert exc.value.missing == ["unit_no", "grade", "area", "rate"]


def test_cli_exits_2_with_one_line_on_a_bad_registry(tmp_path):
    p = parcels()
    p.to_file(tmp_path / "p.gpkg")
    bad = write_csv(tmp_path / "bad.csv", [["Z-M", "10000"]], header=["宗地号", "占用土地面积"])
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-m", "zones", "reconcile", str(tmp_path / "p.gpkg"), "--registry", str(bad),
                           "--out", str(tmp_path / "out.csv")], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "bad.csv" in lines[0]
    assert "土地等级 (looked for: 土地等级" in lines[0] and "columns found: 宗地号, 占用土地面积" in lines[0]
    assert "Traceback" not in proc.stderr and not (tmp_path / "out.csv").exists()


def test_merged_cells_title_row_blank_rows_and_text_areas(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "税源明细"
    ws.append(["城镇土地使用税税源明细表"])
    ws.merge_cells("A1:E1")
    ws.append(HEADER)
    ws.append([UNIT_M, "Z-M", "一级", 15, "1,234.5㎡"])
    ws.append([None, None, "二级", 10, "2 000 m²"])
    ws.append([None, None, "三级", "5", 3000.25])
    ws.merge_cells("A3:A5")
    ws.merge_cells("B3:B5")
    ws.append([])
    ws.append([None, None, None, None, None])
    ws.append(["", "Z-U", "1级", "15.00", "10000平方米"])
    wb.save(tmp_path / "reg.xlsx")
    reg = read_registry(tmp_path / "reg.xlsx")
    r = reg.rows
    assert r["row"].tolist() == [3, 4, 5, 8]
    assert r["unit_key"].tolist() == [UNIT_M] * 3 + [""]
    assert r["parcel_key"].tolist() == ["Z-M"] * 3 + ["Z-U"]
    assert r["grade"].tolist() == [1, 2, 3, 1]
    assert r["area_h"].tolist() == [123450, 200000, 300025, 1000000]
    assert r["rate_e4"].tolist() == [150000, 100000, 50000, 150000]
    assert reg.findings == []


def test_unreadable_rows_are_reported_not_dropped_silently(tmp_path):
    rows = [["", "Z-M", "甲级", "15", "10000"], ["", "", "一级", "15", "10"], ["", "Z-U", "一级", "十五", "10000"]]
    reg = read_registry(write_csv(tmp_path / "r.csv", rows))
    assert len(reg.findings) == 3
    assert "row 2: 土地等级 unreadable" in reg.findings[0] and "'甲级'" in reg.findings[0]
    assert "row 3: no key" in reg.findings[1]
    assert "row 4: 税额标准 unreadable" in reg.findings[2]
    assert reg.rows["ok"].tolist() == [False, False, False]


def test_gbk_csv_and_english_names(tmp_path):
    rows = [["", "Z-M", "一级", "15", "10000"]]
    reg = read_registry(write_csv(tmp_path / "gbk.csv", rows, encoding="gbk"))
    assert reg.rows["grade"].tolist() == [1]
    path = write_csv(tmp_path / "en.csv", [["Z-M", "1", "15", "10000"]], header=["parcel_no", "grade", "rate", "area"])
    reg = read_registry(path)
    assert (reg.rows["parcel_key"].tolist(), reg.rows["area_h"].tolist()) == (["Z-M"], [1000000])


def test_duplicate_keys_in_an_orphan(tmp_path):
    rows = [["X1", "", "一级", "15", "10"], ["X1", "", "一级", "15", "10"], ["X1", "", "二级", "9", "10"]]
    res = run(tmp_path, rows=rows)
    orphan = res.table[res.table["parcel_id"] == ""].iloc[0]
    assert orphan["status"] == "not_in_cadastre;rate_mismatch;duplicate_registry"
    assert orphan["registry_rows"] == "2,3,4"


def test_statuses_are_the_issue_codes():
    assert STATUSES == ("matched", "unregistered", "not_in_cadastre", "grade_mismatch", "area_mismatch",
                        "rate_mismatch", "duplicate_registry", "not_taxable")


def test_registry_names_cover_the_report_vocabulary():
    """The registry accepts every name the 税源明细 writer's vocabulary accepts, and every
    column the project's own 税源明细 workbook writes for the roles it reads."""
    from zones.reconcile_registry import KEYS, OPTIONAL, aliases
    from zones.report.fields import FIELD_NAMES
    from zones.report.source_workbook import SOURCE_COLUMNS

    for role in KEYS + OPTIONAL:
        assert set(FIELD_NAMES[role]) <= set(aliases(role)), role
    form = [name for name, _ in SOURCE_COLUMNS]
    for role, name in {"unit_no": "不动产单元号", "parcel_no": "宗地号", "grade": "土地等级", "rate": "税额标准",
                       "area": "占用土地面积", "land_no": "土地编号", "uscc": form[1], "taxpayer": form[2],
                       "acquired": "土地取得时间"}.items():
        assert name in form and name in aliases(role), role
