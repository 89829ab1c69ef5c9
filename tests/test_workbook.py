"""The period sheet and the 税源明细 workbook, read back with openpyxl: exact headers,
one row per parcel × grade, values and totals."""

from decimal import Decimal

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from zones.assess import assess
from zones.periods import TaxPeriod
from zones.reliefs import ReliefClaim, load_catalogue
from zones.report import PERIOD_COLUMNS, SOURCE_COLUMNS, write_period_sheet, write_source_workbook
from zones.report.period_sheet import share_paid
from zones.report.source_workbook import monthly
from zones.tax import ParcelTerms
from zones.zoneset import ZoneSet


@pytest.fixture(scope="module")
def assessment():
    boxes = [shapely.box(500000 + 1000 * k, 3100000, 501000 + 1000 * k, 3101000) for k in range(3)]
    zs = ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)},
                 gpd.GeoDataFrame({"grade": [1, 2, 3]}, geometry=boxes, crs="EPSG:4549"))
    geoms = [shapely.box(500900, 3100400, 501100, 3100600), shapely.box(502100, 3100100, 502200, 3100200)]
    terms = [ParcelTerms(small_taxpayer=True, reliefs=(ReliefClaim("0010019904", area_m2=Decimal("1000")),
                                                       ReliefClaim("0010129903", area_m2=Decimal("600"), grade=1))), None]
    return assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), zs, TaxPeriod(2024, 1, 6), ids=["A-1", "B-2"], terms=terms,
                  catalogue=load_catalogue())


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_period_sheet(assessment, tmp_path):
    out = write_period_sheet(assessment, tmp_path / "p.xlsx", paid={0: Decimal("1000.00")}, land_numbers=["T1", "T2"])
    wb = openpyxl.load_workbook(out)
    data = rows(wb["申报明细"])
    assert data[0] == PERIOD_COLUMNS
    body, total = data[1:-1], data[-1]
    assert [(r[0], r[1], r[2]) for r in body] == [("T1", "A-1", "一级"), ("T1", "A-1", "二级"), ("T2", "B-2", "三级")]
    g1 = body[0]
    assert g1[3:7] == [15, 20000, "2024-01-01", "2024-06-30"]
    assert g1[7] == 150000                     # 20 000 m² × 15 × 6 / 12
    r = assessment.parcel(0)
    assert g1[8] == float(r.rows[0].relief) and g1[9] == float(r.rows[0].small_taxpayer_relief)
    assert body[0][10] + body[1][10] == pytest.approx(1000)
    assert all(row[11] == pytest.approx(row[7] - row[8] - row[9] - row[10]) for row in body)
    assert body[2][4:8] == [10000, "2024-01-01", "2024-06-30", 25000]
    assert total[0] == "合计" and total[7] == 150000 + 100000 + 25000
    assert total[11] == pytest.approx(float(r.due + assessment.parcel(1).due) - 1000)
    assert wb["申报明细"].cell(row=2, column=8).number_format == "0.00"


def test_share_paid_adds_up():
    parts = share_paid(Decimal("100.00"), [Decimal("1"), Decimal("1"), Decimal("1")])
    assert sum(parts) == Decimal("100.00") and max(parts) - min(parts) == Decimal("0.01")
    assert share_paid(Decimal("10"), [Decimal(0), Decimal(0)]) == [Decimal("5.00"), Decimal("5.00")]


def test_source_workbook(assessment, tmp_path):
    attrs = pd.DataFrame({"taxpayer": ["温州某公司", "个人"], "uscc": ["91350100M000100Y43", "11010519491231002X"],
                          "unit_no": ["330302001001GB00001W00000000", None], "土地用途": ["工业", "居住"]})
    out = write_source_workbook(assessment, tmp_path / "s.xlsx", attributes=attrs)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["税源明细", "字段说明", "减免明细"]
    data = rows(wb["税源明细"])
    header = data[0]
    assert header == [n for n, _ in SOURCE_COLUMNS]
    col = {n: k for k, n in enumerate(header)}
    body = data[1:]
    assert len(body) == 3                               # A-1 × 2 grades, B-2 × 1
    g1 = body[0]
    assert g1[col["土地使用权人名称"]] == "温州某公司" and g1[col["土地性质"]] == "国有"
    assert g1[col["土地编号"]] is None and g1[col["土地所属主管税务所（科、分局）"]] is None
    assert (g1[col["占用土地面积"]], g1[col["土地等级"]], g1[col["税额标准"]]) == (20000, "一级", 15)
    assert g1[col["减免性质代码和项目名称"]].startswith("0010019904|")
    assert (g1[col["减免起始月份"]], g1[col["减免终止月份"]], g1[col["减免税土地面积"]]) == ("2024-01", "2024-06", 500)
    assert g1[col["月减免税金额"]] == 625               # 500 m² × 15 / 12
    assert g1[col["其他减免"]] == 1
    assert body[2][col["减免性质代码和项目名称"]] is None
    reliefs = rows(wb["减免明细"])[1:]
    assert [r[0] for r in reliefs] == [1, 1, 2]
    halved = [r for r in reliefs if r[3].startswith("0010129903")][0]
    assert halved[6] == 600 and halved[7] == 375 and halved[8] == 6   # 600 × 15 × 50% / 12
    mapping = rows(wb["字段说明"])
    assert len(mapping) == len(SOURCE_COLUMNS) + 2        # header, the columns, the rounding rule in force
    assert mapping[-1][1] == "计税面积取整" and mapping[-1][2].startswith("计税面积按等级四舍五入到 0.01 m²")


def test_monthly_relief_rounds_half_up():
    assert monthly(Decimal("100.00"), 3) == Decimal("33.33")
    assert monthly(Decimal("0.05"), 2) == Decimal("0.03")
    assert monthly(Decimal("10"), 0) == Decimal("0.00")


def test_period_sheet_dates_follow_the_months_liable(tmp_path):
    import geopandas as gpd
    import openpyxl

    from synthetic import CRS, box, city
    from zones.assess import assess
    from zones.periods import TaxPeriod, YearMonth
    from zones.report import write_period_sheet
    from zones.tax import ParcelTerms

    a = assess(gpd.GeoSeries([box(100, 100, 200, 200), box(300, 300, 400, 400)], crs=CRS), city(), TaxPeriod(2024),
               terms=[ParcelTerms(liable_from=YearMonth(2024, 7)), ParcelTerms(liable_to=YearMonth(2024, 9))])
    ws = openpyxl.load_workbook(write_period_sheet(a, tmp_path / "p.xlsx")).active
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=3)]
    start, end, due = header.index("所属期起"), header.index("所属期止"), header.index("本期应纳税额")
    assert (rows[0][start], rows[0][end], float(rows[0][due])) == ("2024-07-01", "2024-12-31", 75000.0)
    assert (rows[1][start], rows[1][end], float(rows[1][due])) == ("2024-01-01", "2024-09-30", 112500.0)
