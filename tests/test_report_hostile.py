"""Reports of hostile inputs (issue 11): a 1,200-character 纳税人名称 wraps and is printed in full,
control characters never crash the PDF or the workbooks, rare characters are printed with the
fallback fonts or the parcel is flagged ``glyph_missing`` naming them, and a boundary-point table
longer than 500 points is summarised with the full list in a CSV beside the PDF."""

import csv
import math
import shutil
import subprocess

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from test_report import pdf_text, synthetic_zoneset
from zones.assess import assess
from zones.periods import TaxPeriod
from zones.report.cli_hook import add_report_outputs
from zones.report.files import safe_name
from zones.report.fonts import missing_glyphs
from zones.report.glyphs import missing_in_parcel
from zones.report.fields import Fields
from zones.resources import resources_root

LONG_NAME = "温州某某国际贸易有限公司" * 100          # 1,200 characters


def _run(geoms, ids):
    return assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024), ids=ids)


@pytest.fixture(scope="module")
def two():
    return _run([shapely.box(500950, 3100400, 501050, 3100446), shapely.box(501950, 3100400, 502050, 3100446)],
                ["A-1", "B\x0b2"])


def test_1200_character_name_wraps_and_is_printed_in_full(two, tmp_path):
    attrs = pd.DataFrame({"纳税人名称": [LONG_NAME, "乙"], "土地坐落": ["路" * 900, "丙"]})
    pdf, _, source = add_report_outputs(two, tmp_path / "r.pdf", attrs)
    text = "".join(pdf_text(pdf))
    assert "纳税人名称（全文，1200字）：" + LONG_NAME in text
    assert "土地坐落（全文，900字）：" in text
    ws = openpyxl.load_workbook(source)["税源明细"]
    assert [c.value for c in ws[2]].count(LONG_NAME) == 1        # the workbook keeps the whole name


def test_control_characters_are_shown_escaped_never_crash(two, tmp_path):
    attrs = pd.DataFrame({"纳税人名称": ["温州\x0b某某\x01公司\x1b[31m", "张三\n李四"], "土地坐落": ["a\x0cb", None]})
    pdf, period, source = add_report_outputs(two, tmp_path / "c.pdf", attrs)
    text = "".join(pdf_text(pdf))
    assert "温州\\x0b某某\\x01公司\\x1b[31m" in text and "张三李四" in text      # whitespace is removed by pdf_text
    assert "B\\x0b2" in text
    main = openpyxl.load_workbook(source)["税源明细"]
    values = [c.value for row in main.iter_rows() for c in row if isinstance(c.value, str)]
    assert "温州\\x0b某某\\x01公司\\x1b[31m" in values and "B\\x0b2" in values and "张三 李四" in values
    sheet = openpyxl.load_workbook(period)["申报明细"]
    assert "B\\x0b2" in [c.value for row in sheet.iter_rows() for c in row]


def test_rare_characters_are_printed_with_the_fallback_fonts(two, tmp_path):
    """刘䶮 (Ext-A) and 王𠀀明 (Ext-B) print, and the fallback faces are embedded as subsets;
    an Ext-C character (𪜀, U+2A700) has no font: the parcel is flagged and the note names it."""
    assert (resources_root() / "fonts" / "HanaMinExtA.ttf").exists()
    if not (resources_root() / "fonts" / "HanaMinExtB.ttf").exists():
        # the Ext-B file (22 MB) may be left out of a build: then 𠀀 is flagged, never silently dropped
        assert missing_glyphs("刘䶮 王𠀀明") == ["𠀀"]
        assert "𠀀（U+20000）" in missing_in_parcel("A", Fields(pd.DataFrame({"纳税人名称": ["王𠀀明"]}), 0))
        return
    assert missing_glyphs("刘䶮 王𠀀明") == []
    assert missing_glyphs("张𪜀") == ["𪜀"]
    attrs = pd.DataFrame({"纳税人名称": ["刘䶮", "王𠀀明 张𪜀"]})
    assert missing_in_parcel("A-1", Fields(attrs, 0)) is None
    note = missing_in_parcel("B", Fields(attrs, 1))
    assert "纳税人名称中的 𪜀（U+2A700）" in note
    pdf = add_report_outputs(two, tmp_path / "g.pdf", attrs, workbooks=False)[0]
    text = "".join(pdf_text(pdf))
    assert "刘䶮" in text and "王𠀀明" in text and "U+2A700" in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        for face in ("WZHanaMinExtA", "WZHanaMinExtB"):      # the fallback files' PostScript names
            line = next(ln for ln in fonts.splitlines() if face in ln)
            assert "+" in line.split()[0] and " yes yes " in line      # a subset, embedded


def test_glyph_missing_flag_in_the_command_line_results(tmp_path):
    import os
    import sys

    from test_cli import ROOT, read_csv

    src = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"宗地号": ["G1", "G2"], "纳税人名称": ["王𠀀明", "张𪜀"]},
                     geometry=[shapely.box(500950, 3100400, 501050, 3100446), shapely.box(501950, 3100400, 502050, 3100446)],
                     crs="EPSG:4549").to_file(src)
    zones = tmp_path / "zones.gpkg"
    synthetic_zoneset().grades.to_file(zones)
    r = subprocess.run([sys.executable, "-m", "zones", "assess", str(src), "--out", str(tmp_path / "o.csv"), "--zones", str(zones),
                        "--rates", "1=15,2=10,3=5", "--year", "2024", "--report", str(tmp_path / "o.pdf")],
                       capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=300,
                       check=False)
    assert r.returncode == 0, r.stderr
    g1, g2 = read_csv(tmp_path / "o.csv")
    assert "glyph_missing" not in g1["flags"] and "glyph_missing" in g2["flags"].split(";")
    assert "parcel G2 (record 2): glyph_missing" in r.stderr and "U+2A700" in r.stderr


def test_long_boundary_table_summarised_with_csv_beside(tmp_path):
    """A 600-point outline: the PDF lists ring counts and the first points; every point is in the CSV."""
    n = 600
    ring = [(501000 + 40 * math.cos(2 * math.pi * k / n), 3100420 + 40 * math.sin(2 * math.pi * k / n)) for k in range(n)]
    a = _run([shapely.Polygon(ring), shapely.box(501200, 3100400, 501260, 3100440)], ["BIG/1:*", "S"])
    pdf = add_report_outputs(a, tmp_path / "b.pdf", workbooks=False)[0]
    name = "b.界址点.BIG_1__.csv"
    assert (tmp_path / name).exists() and sorted(p.name for p in tmp_path.iterdir()) == ["b.pdf", name]
    with open(tmp_path / name, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == n + 1 and rows[1][1] == "J1" and rows[-1][1] == f"J{n}"
    assert float(rows[1][2]) == pytest.approx(3100420.0) and float(rows[1][3]) == pytest.approx(501040.0)
    pages = pdf_text(pdf)
    text = "".join(pages)
    assert "界址点共600个，超过500个" in text and name in text
    assert "J10" in text and "J11" not in text and "J600" not in text   # the first 10 points only
    assert len(pages) <= 6                                            # summary + two short reports


def test_safe_file_names():
    assert safe_name('330302/001:*?"<>|GB') == "330302_001_______GB"
    assert safe_name("CON") == "宗地_CON" and safe_name("..") == "宗地" and safe_name("-rf x") == "rf x"
    assert len(safe_name("甲" * 300)) == 80
