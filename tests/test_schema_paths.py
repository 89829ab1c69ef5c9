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
    with pytest.raises(RuleError, match="too large"):      # beyond Decimal's 28 digits: a word, not a crash
        parse_area("9" * 300)
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


#: The terms options the command line is given in the "explicit" runs.
OPTIONS = ("--declared-area-field", "证载面积", "--start-field", "起始月份", "--end-field", "终止月份",
           "--relief-field", "减免性质代码", "--small-taxpayer-field", "小规模纳税人")
#: The tricky file's columns under English names the attribute schema knows (its English
#: names and aliases): the same file for an officer whose register is in English.
ENGLISH = {"宗地号": "parcel_id", "证载面积": "Certificate area (m²)", "起始月份": "First liable month",
           "终止月份": "liable_to", "减免性质代码": "relief_code", "小规模纳税人": "Small taxpayer",
           "土地取得时间": "Acquired (month)", "取得方式": "Acquired by", "纳税人名称": "Taxpayer name",
           "不动产单元号": "unit_number"}
#: The result columns compared (the input's own columns follow them, under their own names).
RESULT = ("area_m2", "months", "relief", "small_taxpayer_relief", "tax_due", "flags")


def run_cli(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "zones", "assess", str(src), "--out", str(out), "--year", "2024",
                           *extra], check=False, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


def cli_cells(src: Path, out: Path, *, options=OPTIONS) -> dict[str, dict]:
    r = run_cli(src, out, *options, "--quiet")
    assert r.returncode == 0, r.stderr
    with open(out, encoding="utf-8-sig", newline="") as f:
        return {row["parcel_id"]: row for row in csv.DictReader(f)}


def result_cells(rows: dict[str, dict]) -> dict[str, dict]:
    return {pid: {k: v for k, v in row.items() if k in RESULT or k.startswith(("area_g", "tax_g"))}
            for pid, row in rows.items()}


def two(v) -> str:
    return f"{Decimal(str(v)):.2f}"


def assert_desktop_gives(doc, cli: dict[str, dict]) -> None:
    """Every parcel's figures in the desktop are the command line's cells."""
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


def english_copy(src: Path, folder: Path) -> Path:
    g = gpd.read_file(src).rename(columns=ENGLISH)
    path = folder / "tricky_en.gpkg"
    g.to_file(path, layer="parcels")
    return path


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
    assert_desktop_gives(doc, cli)
    if which == "tricky":
        small = [i for i, p in enumerate(doc.project.parcels)
                 if doc.project.current_result(p.uid).result.small_taxpayer_relief > 0]
        assert small == [2, 3, 4, 8, 10]     # Y 1 true １ x; √ and 是 are exempt (0010019901): nothing to halve
        both = doc.project.current_result(doc.project.parcels[1].uid).result
        assert {x.code for g in both.rows for x in g.reliefs} == {"0010019901", "0010129903"} or both.due == 0
        bad = doc.project.current_result(doc.project.parcels[11].uid).result
        assert "invalid_terms" in bad.flags and "maybe" in bad.error


@pytest.mark.gui
@pytest.mark.parametrize("headers", ["zh", "en"])
def test_terms_columns_read_by_their_schema_names(headers, tricky_file, make_window, tmp_path):
    """The command line reads the terms columns by the schema's Chinese or English names
    without any --…-field option, exactly as the options name them, and as the desktop's
    import reads the same file."""
    src = tricky_file if headers == "zh" else english_copy(tricky_file, tmp_path)
    explicit = cli_cells(tricky_file, tmp_path / "explicit.csv")
    by_name = cli_cells(src, tmp_path / "by_name.csv", options=())
    assert result_cells(by_name) == result_cells(explicit)
    # the columns were read, not ignored: under names the schema does not know, the figures differ
    unknown = tmp_path / "unknown.gpkg"
    gpd.read_file(tricky_file).rename(columns={c: f"列{k}" for k, c in enumerate(OPTIONS[1::2])}).to_file(unknown)
    ignored = result_cells(cli_cells(unknown, tmp_path / "ignored.csv", options=()))
    assert ignored.keys() == explicit.keys() and ignored != result_cells(explicit)
    r = run_cli(src, tmp_path / "said.csv")
    assert r.returncode == 0 and "terms columns:" in r.stderr
    assert (ENGLISH["小规模纳税人"] if headers == "en" else "小规模纳税人") + " → --small-taxpayer-field" in r.stderr

    doc, window = make_window()
    from zones.periods import TaxPeriod
    doc.set_period(TaxPeriod(2024))
    assert window.files.import_file(str(src), interactive=False)
    assert_desktop_gives(doc, by_name)


def test_an_explicit_option_wins_over_the_schema_name(tricky_file, tmp_path):
    g = gpd.read_file(tricky_file)
    g["小规模_手填"] = "否"          # another yes/no column, named by the option
    path = tmp_path / "two_small.gpkg"
    g.to_file(path, layer="parcels")
    by_name = cli_cells(tricky_file, tmp_path / "a.csv", options=())
    chosen = cli_cells(path, tmp_path / "b.csv", options=("--small-taxpayer-field", "小规模_手填"))
    assert any(Decimal(row["small_taxpayer_relief"]) > 0 for row in by_name.values())
    assert all(Decimal(row["small_taxpayer_relief"]) == 0 for row in chosen.values())
    assert "invalid_terms" not in chosen["330302007001GB00012"]["flags"]     # 'maybe' is no longer read


def test_two_columns_meaning_one_terms_field_are_reported(tricky_file, tmp_path):
    g = gpd.read_file(tricky_file)
    g["cert_area"] = "100"          # an English alias of 证载面积 beside it: which is the declared area?
    path = tmp_path / "ambiguous.gpkg"
    g.to_file(path, layer="parcels")
    out = tmp_path / "out.csv"
    r = run_cli(path, out, "--quiet")
    assert r.returncode == 2 and not out.exists()
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert str(path) in r.stderr and "'证载面积'" in r.stderr and "'cert_area'" in r.stderr
    assert "--declared-area-field" in r.stderr
    # naming the column settles it
    r = run_cli(path, out, "--declared-area-field", "cert_area", "--quiet")
    assert r.returncode == 0, r.stderr
