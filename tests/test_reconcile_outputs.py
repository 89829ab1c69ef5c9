"""税源比对 end to end through the command line: the round trip through the project's own
税源明细 workbook, and the CSV / workbook / GeoPackage outputs read back."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest

from tests.synthetic import CRS, box, city
from zones.assess import assess
from zones.cli import main
from zones.periods import TaxPeriod
from zones.report.source_workbook import write_source_workbook


@pytest.fixture
def city_layer(tmp_path):
    path = tmp_path / "zones.gpkg"
    city().grades.to_file(path)
    return path


def batch() -> gpd.GeoDataFrame:
    """Single- and multi-grade parcels, odd areas, one outside the levy scope."""
    geoms = [box(100, 100, 200, 200.123), box(900, 100, 1100, 200), box(950, 950, 1050, 1050),
             box(2100, 100, 2200, 200), box(1500.5, 1200, 1620.77, 1333.333), box(300, 300, 301, 301)]
    return gpd.GeoDataFrame({"宗地号": ["A", "B", "C", "OUT", "E", "F"],
                             "不动产单元号": ["330302001001GB00001W00000000", "", "330302001001GB00003W00000000", "", "", ""],
                             "纳税人名称": ["甲公司", "=HYPERLINK(\"x\")", "丙", "丁", "-戊", "己"]},
                            geometry=geoms, crs=CRS)


def test_own_source_workbook_reads_back_as_matched(tmp_path, city_layer):
    p = batch()
    p.to_file(tmp_path / "p.gpkg")
    a = assess(p, city(), TaxPeriod(2024), ids=list(p["宗地号"]))
    write_source_workbook(a, tmp_path / "税源明细.xlsx", attributes=pd.DataFrame(p.drop(columns="geometry")))
    out = tmp_path / "r.csv"
    assert main(["reconcile", str(tmp_path / "p.gpkg"), "--registry", str(tmp_path / "税源明细.xlsx"), "--out", str(out),
                 "--zones", str(city_layer), "--rates", "1=15,2=10,3=5", "--year", "2024", "--quiet"]) == 0
    t = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert dict(zip(t["parcel_id"], t["status"])) == {"A": "matched", "B": "matched", "C": "matched", "OUT": "not_taxable",
                                                      "E": "matched", "F": "matched"}
    assert (t["difference_year"] == "0.00").all()
    due = a.table().set_index("parcel_id")["tax_due"]
    for pid, tax in zip(t["parcel_id"], t["tax_map_year"]):
        assert float(tax) == pytest.approx(due[pid], abs=0.011)   # same rows; the base here is rounded to 0.01 m²
    assert t.loc[t["parcel_id"] == "B", "纳税人名称"].item() == "'=HYPERLINK(\"x\")"


def test_workbook_and_geopackage(tmp_path, city_layer):
    p = batch()
    p.to_file(tmp_path / "p.gpkg")
    reg = pd.DataFrame([["330302001001GB00001W00000000", "", "一级", 15, "10012.30"],        # A matched
                        ["", "B", "一级", 15, "10000"],                                     # B: grade 2 missing
                        ["", "ZZ", "二级", 10, "=1+1"],                                     # unreadable area
                        ["", "ZZ", "一级", 15, "20"]],
                       columns=["不动产单元号", "宗地号", "土地等级", "税额标准", "占用土地面积"])
    reg.to_csv(tmp_path / "reg.csv", index=False)
    common = [str(tmp_path / "p.gpkg"), "--registry", str(tmp_path / "reg.csv"), "--zones", str(city_layer),
              "--rates", "1=15,2=10,3=5", "--years", "2023-2024", "--quiet"]
    assert main(["reconcile", *common, "--out", str(tmp_path / "r.xlsx")]) == 0
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames[:2] == ["比对结果", "汇总"] and "未登记_unregistered" in wb.sheetnames and wb.sheetnames[-1] == "说明"
    ws = wb["比对结果"]
    head = [c.value for c in ws[1]]
    assert head[:9] == ["parcel_id", "unit_no", "status", "area_map_m2", "area_registered_m2", "tax_map_year",
                        "tax_registered_year", "difference_year", "back_tax"]
    values = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["A"][2] == "matched" and values["B"][2] == "area_mismatch"
    assert values["B"][8] == 2 * 100000.0                    # grade 2 unregistered in both years
    assert values["B"][head.index("纳税人名称")] == "'=HYPERLINK(\"x\")"
    assert values["E"][head.index("纳税人名称")] == "'-戊"
    assert ws.cell(row=2, column=6).number_format == "0.00"
    unreg = [r[0] for r in wb["未登记_unregistered"].iter_rows(min_row=2, values_only=True)]
    assert unreg == ["C", "E", "F"]
    summary = {(r[0], r[1]): r for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary[("全市", "unregistered")][3] == 3
    assert summary[("全市", "not_in_cadastre")][3] == 1
    assert summary[("全市", "all")][3] == 7
    notes = dict(wb["说明"].iter_rows(min_row=2, values_only=True))
    assert "未设追征期限制" in notes["规则"]

    assert main(["reconcile", *common, "--out", str(tmp_path / "r.gpkg")]) == 0
    g = pyogrio.read_dataframe(tmp_path / "r.gpkg", layer="reconcile")
    assert len(g) == 7 and g.crs.to_epsg() == 4549
    assert dict(zip(g["parcel_id"], g["status_main"]))["B"] == "area_mismatch"
    assert g.geometry.isna().sum() == 1                       # the registry key without a parcel
    with sqlite3.connect(tmp_path / "r.gpkg") as con:
        (qml,) = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='reconcile' AND useAsDefault").fetchone()
    assert 'attr="status_main"' in qml and 'value="unregistered"' in qml


def test_refuses_to_overwrite_the_registry(tmp_path, city_layer, capsys):
    p = batch()
    p.to_file(tmp_path / "p.gpkg")
    pd.DataFrame([["A", "一级", 15, 1]], columns=["宗地号", "土地等级", "税额标准", "占用土地面积"]).to_csv(tmp_path / "reg.csv", index=False)
    before = (tmp_path / "reg.csv").read_bytes()
    assert main(["reconcile", str(tmp_path / "p.gpkg"), "--registry", str(tmp_path / "reg.csv"), "--out",
                 str(tmp_path / "reg.csv"), "--zones", str(city_layer), "--rates", "1=15,2=10,3=5", "--year", "2024"]) == 2
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert (tmp_path / "reg.csv").read_bytes() == before


def test_report_pdf_has_a_page_per_difference(tmp_path, city_layer):
    import pypdf

    p = batch()
    p.to_file(tmp_path / "p.gpkg")
    pd.DataFrame([["", "A", "一级", 15, "10012.30"], ["", "B", "一级", 15, "10000"], ["", "B", "二级", 10, "10000"],
                  ["", "C", "一级", 12, "2500"], ["", "C", "二级", 10, "2500"], ["", "C", "三级", 5, "5000"]],
                 columns=["不动产单元号", "宗地号", "土地等级", "税额标准", "占用土地面积"]).to_csv(tmp_path / "reg.csv", index=False)
    assert main(["reconcile", str(tmp_path / "p.gpkg"), "--registry", str(tmp_path / "reg.csv"), "--out",
                 str(tmp_path / "r.csv"), "--zones", str(city_layer), "--rates", "1=15,2=10,3=5", "--year", "2024",
                 "--report", str(tmp_path / "r.pdf"), "--quiet"]) == 0
    pages = [pg.extract_text() for pg in pypdf.PdfReader(tmp_path / "r.pdf").pages]
    body = "\n".join(pages)
    assert "城镇土地使用税税源比对报告" in pages[0] and "计算规则" in pages[0] and "未设追征期限制" in pages[0]
    # C (rate), E and F (unregistered) get a page; A and B match; OUT is merely untaxable
    assert sum("税源比对：宗地与登记税源差异" in pg.split("\n")[0] for pg in pages) == 3
    assert sum("比对结果：税额标准不符（rate_mismatch）" in pg for pg in pages) == 1
    assert sum("比对结果：未登记（unregistered）" in pg for pg in pages) == 2
    assert "宗地号：A" not in body and "宗地号：OUT" not in body
    # C: 2,500 m² of grade 1 registered at 12 instead of 15 → 7,500.00 a year under-registered
    c_page = next(pg for pg in pages if "宗地号：C" in pg)
    assert "7,500.00" in c_page and "人民币柒仟伍佰元整" in c_page


def test_cli_refuses_years_without_legal_basis(tmp_path, capsys):
    p = gpd.GeoDataFrame({"宗地号": ["A"]}, geometry=[box(100, 100, 200, 200)], crs=CRS)
    p.to_file(tmp_path / "p.gpkg")
    pd.DataFrame([["A", "一级", 15, 1]], columns=["宗地号", "土地等级", "税额标准", "占用土地面积"]).to_csv(tmp_path / "reg.csv", index=False)
    args = ["reconcile", str(tmp_path / "p.gpkg"), "--registry", str(tmp_path / "reg.csv"), "--out", str(tmp_path / "r.csv")]
    assert main([*args, "--years", "2013-2015"]) == 2         # the bundled set's bases start in 2015
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no zone set has a legal basis for 2013, 2014" in err[0]
    assert not (tmp_path / "r.csv").exists()
    assert main([*args, "--years", "2024-2023"]) == 2
    assert "is not a range of years" in capsys.readouterr().err
