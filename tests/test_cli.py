"""The command line run as a subprocess on real files, as staff and scripts use it."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest

from synthetic import CRS, box

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "zones", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=300)


@pytest.fixture
def city_files(tmp_path):
    from synthetic import city

    zones = tmp_path / "zones.gpkg"
    city().grades.to_file(zones, layer="grades")
    parcels = gpd.GeoDataFrame(
        {"宗地号": ["A-1", "A-2", "A-3"], "证载面积": [20000.0, None, 10000], "起始月份": ["", "2024-07", ""],
         "减免性质代码": ["", "", "0010019901"], "小规模纳税人": ["否", "是", "否"]},
        geometry=[box(900, 100, 1100, 200), box(100, 100, 200, 200), box(100, 1500, 200, 1600)], crs=CRS)
    src = tmp_path / "parcels.gpkg"
    parcels.to_file(src, layer="parcels")
    return tmp_path, zones, src


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_assess_csv_with_fields(city_files):
    tmp, zones, src = city_files
    out = tmp / "out.csv"
    r = cli("assess", src, "--out", out, "--zones", zones, "--rates", "1=15,2=10,3=5", "--year", "2024",
            "--declared-area-field", "证载面积", "--start-field", "起始月份", "--relief-field", "减免性质代码",
            "--small-taxpayer-field", "小规模纳税人")
    assert r.returncode == 0, r.stderr
    rows = read_csv(out)
    assert list(rows[0])[:14] == ["parcel_id", "area_m2", "area_g1_m2", "area_g2_m2", "area_g3_m2", "area_outside_m2", "months",
                                  "tax_g1", "tax_g2", "tax_g3", "relief", "small_taxpayer_relief", "tax_due", "flags"]
    assert "宗地号" in rows[0] and rows[0]["parcel_id"] == "A-1"
    a1, a2, a3 = rows
    assert (a1["tax_g1"], a1["tax_g2"], a1["tax_due"]) == ("150000.00", "100000.00", "250000.00")
    # grade 1, liable July–December, halved: 10000 × 15 × 6/12 = 75000 → 37500 relief
    assert (a2["months"], a2["small_taxpayer_relief"], a2["tax_due"]) == ("6", "37500.00", "37500.00")
    # grade 3, exempt
    assert (a3["tax_g3"], a3["relief"], a3["tax_due"]) == ("50000.00", "50000.00", "0.00")
    prov = json.loads((tmp / "out.csv.provenance.json").read_text(encoding="utf-8"))
    assert prov["zoneset_id"] == "zones" and len(prov["input_sha256"]) == 64


def test_assess_xlsx_and_gpkg(city_files):
    tmp, zones, src = city_files
    assert cli("assess", src, "--out", tmp / "o.xlsx", "--zones", zones, "--rates", "1=15,2=10,3=5").returncode == 0
    ws = openpyxl.load_workbook(tmp / "o.xlsx")["结果"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(2, header.index("tax_due") + 1)
    assert header[0] == "parcel_id" and cell.value == 250000 and cell.number_format == "0.00"
    r = cli("assess", src, "--out", tmp / "o.gpkg", "--zones", zones, "--rates", "1=15,2=10,3=5")
    assert r.returncode == 0, r.stderr
    pieces = gpd.read_file(tmp / "o.gpkg", layer="pieces")
    assert sorted(pieces.loc[pieces["parcel_id"] == "A-1", "grade"]) == [1, 2]


def test_bundled_zoneset_is_the_default(city_files):
    tmp, _, src = city_files
    r = cli("assess", src, "--out", tmp / "w.csv", "--year", "2024")
    assert r.returncode == 0, r.stderr
    assert "wenzhou-urban-2024" in r.stderr


def test_unusable_input_exits_2_with_one_line(city_files, tmp_path):
    tmp, zones, src = city_files
    r = cli("assess", tmp / "missing.gpkg", "--out", tmp / "x.csv")
    assert r.returncode == 2 and "missing.gpkg" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("assess", src, "--out", tmp / "x.csv", "--id-field", "nope")
    assert r.returncode == 2 and "nope" in r.stderr and "Traceback" not in r.stderr
    r = cli("assess", src, "--out", tmp / "x.csv", "--zones", zones)
    assert r.returncode == 2 and "--rates" in r.stderr
    r = cli("assess", src, "--out", src)
    assert r.returncode == 2 and "input" in r.stderr


def test_bad_field_value_is_an_error_for_that_record_only(city_files):
    tmp, zones, _ = city_files
    parcels = gpd.GeoDataFrame({"id": ["B-1", "B-2"], "start": ["2024-13", "2024-01"]},
                               geometry=[box(100, 100, 200, 200), box(300, 300, 400, 400)], crs=CRS)
    src = tmp / "bad.geojson"
    parcels.to_file(src)
    r = cli("assess", src, "--out", tmp / "b.csv", "--zones", zones, "--rates", "1=15,2=10,3=5", "--start-field", "start")
    assert r.returncode == 0
    assert "record 1" in r.stderr and "2024-13" in r.stderr
    rows = read_csv(tmp / "b.csv")
    assert "invalid_terms" in rows[0]["flags"] and rows[1]["tax_due"] == "150000.00"


def test_zonesets_list_and_export(tmp_path):
    r = cli("zonesets")
    assert r.returncode == 0 and "wenzhou-urban-2024" in r.stdout and "温政办〔2024〕10号" in r.stdout
    r = cli("zonesets", "export", "wenzhou-urban-2024", "--out", tmp_path / "wz.gpkg")
    assert r.returncode == 0
    assert set(gpd.read_file(tmp_path / "wz.gpkg", layer="grades")["grade"]) == {1, 2, 3}


def test_half_year_period_and_geometry_outputs(city_files):
    tmp, zones, src = city_files
    r = cli("assess", src, "--out", tmp / "h.shp", "--zones", zones, "--rates", "1=15,2=10,3=5", "--year", "2024",
            "--period", "7-12")
    assert r.returncode == 0, r.stderr
    back = gpd.read_file(tmp / "h.shp")
    assert back.loc[0, "tax_due"] == 125000.00 and back.loc[0, "months"] == 6
    assert len(gpd.read_file(tmp / "h_pieces.shp")) == 4
    r = cli("assess", src, "--out", tmp / "h.geojson", "--zones", zones, "--rates", "1=15,2=10,3=5", "--period", "13-2")
    assert r.returncode == 2 and "--period" in r.stderr


def test_year_outside_the_zone_sets_legal_basis_is_refused(city_files):
    tmp, _, src = city_files
    r = cli("assess", src, "--out", tmp / "y.csv", "--year", "1990")
    assert r.returncode == 2 and "no legal basis for 1990" in r.stderr and "温政办〔2016〕43号" in r.stderr


def test_outline_repaired_on_import_keeps_its_flag(tmp_path):
    import shapely

    from synthetic import X0, Y0

    bowtie = shapely.Polygon([(X0 + 10, Y0 + 10), (X0 + 60, Y0 + 60), (X0 + 60, Y0 + 10), (X0 + 10, Y0 + 60)])
    src = tmp_path / "bow.gpkg"
    gpd.GeoDataFrame({"宗地号": ["BOW"]}, geometry=[bowtie], crs=CRS).to_file(src)
    r = cli("assess", src, "--out", tmp_path / "b.csv", "--year", "2024")
    assert r.returncode == 0, r.stderr
    assert "repaired" in read_csv(tmp_path / "b.csv")[0]["flags"]


def test_overlapping_parcels_are_both_flagged_from_the_import(tmp_path):
    src = tmp_path / "ov.gpkg"
    gpd.GeoDataFrame({"宗地号": ["P1", "P2", "P3"]},
                     geometry=[box(100, 100, 200, 200), box(150, 150, 250, 250), box(500, 500, 600, 600)],
                     crs=CRS).to_file(src)
    r = cli("assess", src, "--out", tmp_path / "o.csv", "--year", "2024")
    assert r.returncode == 0, r.stderr
    flags = [row["flags"] for row in read_csv(tmp_path / "o.csv")]
    assert "overlap" in flags[0] and "overlap" in flags[1] and "overlap" not in flags[2]


def test_tax_base_rule_rounded_by_default_unrounded_on_request(tmp_path):
    """A 100.0137 × 46.00731 m box in grade 1 (synthetic city): 4,601.36 m² after rounding
    (4,601.3613… measured). Rounded base: 4,601.36 × 15 = 69,020.40; unrounded: 69,020.42."""
    from synthetic import city

    zones = tmp_path / "zones.gpkg"
    city().grades.to_file(zones, layer="grades")
    src = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"宗地号": ["R"]}, geometry=[box(800, 100, 900.0137, 146.00731)], crs=CRS).to_file(src)
    amounts = {}
    for rule in ("rounded", "unrounded", None):
        out = tmp_path / f"{rule}.csv"
        extra = ("--tax-base", rule) if rule else ()
        r = cli("assess", src, "--out", out, "--zones", zones, "--rates", "1=15,2=10,3=5", "--year", "2024", *extra)
        assert r.returncode == 0, r.stderr
        row = read_csv(out)[0]
        amounts[rule] = (row["area_g1_m2"], row["tax_g1"])
        prov = json.loads((tmp_path / f"{rule}.csv.provenance.json").read_text(encoding="utf-8"))
        assert prov["options"]["tax_base"] == (rule or "rounded")
    assert amounts["rounded"] == amounts[None] == ("4601.36", "69020.40")
    assert amounts["unrounded"] == ("4601.36", "69020.42")
    r = cli("assess", src, "--out", tmp_path / "x.csv", "--zones", zones, "--rates", "1=15", "--tax-base", "exact")
    assert r.returncode == 2 and "--tax-base" in r.stderr


def test_first_liable_month_from_acquisition_fields_on_the_sample(tmp_path):
    """The sample's 宗地 …00008, 出让 on 2024-07-15: liable from August, 5 months of 2024 (not 6),
    whether the start comes from 起始月份 or from 取得方式 + 土地取得时间."""
    sample = ROOT / "resources" / "samples" / "wenzhou_sample.gpkg"
    by_field = {}
    for name, extra in (("start", ("--start-field", "起始月份")),
                        ("acquired", ("--acquired-field", "土地取得时间", "--acquisition-kind-field", "取得方式"))):
        out = tmp_path / f"{name}.csv"
        r = cli("assess", sample, "--out", out, "--year", "2024", "--id-field", "宗地号", *extra)
        assert r.returncode == 0, r.stderr
        by_field[name] = {row["parcel_id"]: row for row in read_csv(out)}
    for rows in by_field.values():
        p8 = [row for pid, row in rows.items() if pid.endswith("GB00008")][0]
        assert p8["months"] == "5"
        # …00005's 终止月份 2024-09 is read by its schema name (no option needed): 9 months
        p5 = [row for pid, row in rows.items() if pid.endswith("GB00005")][0]
        assert p5["months"] == "9"
        assert sum(row["months"] == "12" for row in rows.values()) == 10
    assert by_field["start"] == by_field["acquired"] or all(
        by_field["start"][k]["tax_due"] == by_field["acquired"][k]["tax_due"] for k in by_field["start"])
    # an acquisition kind the rules do not know is an error for that record, with the kinds named
    src = tmp_path / "k.gpkg"
    gpd.GeoDataFrame({"宗地号": ["K1", "K2"], "取得": ["2024-03-02", "2024-03-02"], "方式": ["拍卖", "划拨"]},
                     geometry=[box(100, 100, 200, 200), box(300, 100, 400, 200)], crs=CRS).to_file(src)
    zones = tmp_path / "zones.gpkg"
    from synthetic import city

    city().grades.to_file(zones, layer="grades")
    r = cli("assess", src, "--out", tmp_path / "k.csv", "--zones", zones, "--rates", "1=15,2=10,3=5", "--year", "2024",
            "--acquired-field", "取得", "--acquisition-kind-field", "方式")
    assert r.returncode == 0, r.stderr
    k1, k2 = read_csv(tmp_path / "k.csv")
    assert k1["flags"] == "invalid_terms" and "拍卖" in r.stderr and "出让/转让/划拨" in r.stderr
    assert (k2["months"], k2["tax_due"]) == ("9", "112500.00")     # April–December: 10,000 × 15 × 9 / 12
