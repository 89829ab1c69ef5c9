"""One attribute schema: the tricky terms values staff type (√, 是, Y, A;B, A；B, blanks,
full-width digits) mean the same to the command line and to the desktop. The sample
and a table of such values go through both paths and give identical cells."""

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pytest

from zones.errors import RuleError
from zones.resources import resource
from zones.schema import (
    key_of_column,
    parse_area,
    parse_bool,
    parse_month,
    parse_relief_codes,
)

ROOT = Path(__file__).resolve().parent.parent

#: (小规模纳税人, 减免性质代码, 证载面积) per sample parcel; None keeps the sample's value.
TRICKY = [
    ("√", "0010019901;0010129903", None),          # ASCII semicolon, two reliefs
    ("是", "0010019901；0010129903", "８６６３.５"),    # full-width semicolon and digits
    ("Y", "", ""),                                   # blank codes and area
    ("1", "  ", "1,234.56㎡"),
    ("true", "0010129901", None),
    ("", None, None),                                # blank: not a small taxpayer
    ("否", None, None),
    ("N", "0010129903、0010019901", None),
    ("１", None, "６９８３.６３"),                      # full-width one
    ("0", None, None),
    ("x", None, None),
    ("maybe", None, None),                           # unreadable: the record is flagged, not guessed
]


@pytest.mark.parametrize("text,expected", [("√", True), ("是", True), ("Y", True), ("y", True), ("1", True),
                                           ("１", True), ("true", True), (1.0, True), ("否", False), ("N", False),
                                           ("0", False), ("false", False), ("", None), ("  ", None), (None, None),
                                           (float("nan"), None)])
def test_small_taxpayer_words(text, expected):
    assert parse_bool(text) is expected


def test_unreadable_yes_no_is_an_error():
    with pytest.raises(RuleError, match="maybe"):
        parse_bool("maybe")


def test_relief_codes_areas_months():
    assert parse_relief_codes("A;B") == parse_relief_codes("A；B") == parse_relief_codes(" A , B ") == ("A", "B")
    assert parse_relief_codes("A、B、A") == ("A", "B") and parse_relief_codes("") == () and parse_relief_codes(None) == ()
    assert parse_relief_codes(10129901.0) == ("10129901",)
    assert parse_area("８６６３.５") == Decimal("8663.50") and parse_area("1,234.555㎡") == Decimal("1234.56")
    assert parse_area("") is None
    with pytest.raises(RuleError):
        parse_area("abc")
    assert str(parse_month("２０２４－０７")) == "2024-07" and parse_month(" ") is None
    assert key_of_column("小规模纳税人") == "small_taxpayer" and key_of_column("减免性质代码") == "relief_codes"
    assert key_of_column("土地坐落地址(详细地址)") == "address" and key_of_column("终止月份") == "liable_to"


@pytest.fixture(scope="module")
def tricky_file(tmp_path_factory):
    g = gpd.read_file(resource("samples", "wenzhou_sample.gpkg"))
    for col in ("小规模纳税人", "减免性质代码", "证载面积"):
        g[col] = g[col].astype(object).where(g[col].notna(), "").astype(str)
    for i, (small, codes, area) in enumerate(TRICKY):
        g.loc[i, "小规模纳税人"] = small
        if codes is not None:
            g.loc[i, "减免性质代码"] = codes
        if area is not None:
            g.loc[i, "证载面积"] = area
    path = tmp_path_factory.mktemp("tricky") / "tricky.gpkg"
    g.to_file(path, layer="parcels")
    return path


def cli_cells(src: Path, out: Path) -> dict[str, dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "zones", "assess", str(src), "--out", str(out), "--year", "2024",
                        "--declared-area-field", "证载面积", "--start-field", "起始月份", "--end-field", "终止月份",
                        "--relief-field", "减免性质代码", "--small-taxpayer-field", "小规模纳税人", "--quiet"],
                       check=False, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    with open(out, encoding="utf-8-sig", newline="") as f:
        return {row["parcel_id"]: row for row in csv.DictReader(f)}


def two(v) -> str:
    return f"{Decimal(str(v)):.2f}"


@pytest.mark.gui
@pytest.mark.parametrize("which", ["sample", "tricky"])
def test_cli_and_desktop_give_identical_cells(which, tricky_file, make_window, tmp_path):
    src = Path(resource("samples", "wenzhou_sample.gpkg")) if which == "sample" else tricky_file
    cli = cli_cells(src, tmp_path / "out.csv")

    doc, window = make_window()
    window.files.open_sample() if which == "sample" else None
    if which == "tricky":
        from zones.periods import TaxPeriod
        doc.set_period(TaxPeriod(2024))
        assert window.files.import_file(str(src), interactive=False)
    assert len(doc.project) == len(cli) == 12
    grades = doc.zoneset.grade_list
    for p in doc.project.parcels:
        r = doc.project.current_result(p.uid).result
        row = cli[p.label]
        by = {g.grade: g for g in r.rows}
        desk = {"tax_due": two(r.due), "relief": two(r.relief), "small_taxpayer_relief": two(r.small_taxpayer_relief),
                "months": str(r.liable.count) if not r.error else row["months"],
                "invalid_terms": "invalid_terms" in r.flags}
        for g in grades:
            desk[f"area_g{g}_m2"] = two(by[g].area_m2 if g in by else 0)
            desk[f"tax_g{g}"] = two(by[g].gross if g in by else 0)
        line = {k: (two(row[k]) if k not in ("months", "invalid_terms") else row[k]) for k in desk if k != "invalid_terms"}
        line["invalid_terms"] = "invalid_terms" in row["flags"].split(";")
        assert desk == line, p.label
    if which == "tricky":
        small = [i for i, p in enumerate(doc.project.parcels)
                 if doc.project.current_result(p.uid).result.small_taxpayer_relief > 0]
        assert small == [2, 3, 4, 8, 10]     # Y 1 true １ x; √ and 是 are exempt (0010019901): nothing to halve
        both = doc.project.current_result(doc.project.parcels[1].uid).result
        assert {x.code for g in both.rows for x in g.reliefs} == {"0010019901", "0010129903"} or both.due == 0
        bad = doc.project.current_result(doc.project.parcels[11].uid).result
        assert "invalid_terms" in bad.flags and "maybe" in bad.error
