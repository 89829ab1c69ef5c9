"""The hostile-output corpus (tests/data/hostile_out/manifest.json): what `assess` writes
when the input or the options are hostile — never over an input file, never one file
twice, never a formula cell, control characters shown escaped, findings bounded — and
output sets that a kill -9 at any moment leaves entirely old or entirely new."""

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "hostile_out"
sys.path.insert(0, str(CORPUS))

from make_hostile_out import build, zones  # noqa: E402

from zones.output_safety import formula_like  # noqa: E402

CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cli(*args, env_extra=None, timeout=300):
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "zones", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def xlsx_formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def run_main(argv, capsys):
    from zones.cli import main

    capsys.readouterr()
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return subprocess.CompletedProcess(argv, code, out.out, out.err)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile_out")


def fill(text: str, ctx: dict) -> str:
    for k, v in ctx.items():
        text = text.replace("{" + k + "}", str(v))
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_output_case(case, corpus, tmp_path, capsys):
    src = build(case["input"], corpus / case["id"])
    inputdir = src.parent
    ctx = {"input": src, "inputdir": inputdir, "dir": tmp_path, "zones": zones(corpus / case["id"])}
    if "symlink" in case:
        link, target = (fill(p, ctx) for p in case["symlink"])
        os.symlink(target, link)
        for ext in (".shx", ".dbf", ".prj", ".cpg"):
            os.symlink(Path(target).with_suffix(ext), Path(link).with_suffix(ext))
    before = snapshot(inputdir) | {"zones.gpkg": hashlib.sha256(ctx["zones"].read_bytes()).hexdigest()}
    args = [fill(a, ctx) for a in case["args"]]
    target = fill(case.get("assess", "{input}"), ctx)
    argv = ["assess", "--zones", ctx["zones"], "--rates", "1=15,2=10,3=5", "--year", "2024", *args, target]
    if case["exit"] == 2:       # refusals run in this process (the same main(), without start-up time)
        r = run_main(argv, capsys)
    else:
        r = cli(*argv)
    assert r.returncode == case["exit"], r.stderr
    assert "Traceback" not in r.stderr
    assert re.search(case["stderr"], r.stderr), r.stderr
    if case["exit"] == 2:
        errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and len(errors[0]) <= 300, r.stderr
    for p in case.get("absent", []):
        assert not Path(fill(p, ctx)).exists(), p
    for check in case.get("checks", []):
        CHECKS[check](tmp_path, r, ctx, before)


# ---------------------------------------------------------------- checks named in the manifest
def input_unchanged(d, r, ctx, before):
    after = snapshot(ctx["inputdir"]) | {"zones.gpkg": hashlib.sha256(ctx["zones"].read_bytes()).hexdigest()}
    assert after == before


def no_formula_anywhere(d, r, ctx, before):
    """Every spreadsheet the run wrote: no XLSX cell is a formula, no CSV cell starts like one."""
    outputs = [p for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert outputs
    checked = 0
    for p in outputs:
        if p.suffix == ".xlsx":
            assert xlsx_formula_cells(p) == [], p
            checked += 1
        elif p.suffix == ".csv":
            bad = [cell for row in csv_rows(p) for cell in row if formula_like(cell)]
            assert bad == [], (p, bad)
            checked += 1
    assert checked


def csv_neutralised(d, r, ctx, before):
    rows = csv_rows(d / "r.csv")
    head = rows[0]
    for name in ("宗地号", "权利人", "土地坐落"):
        k = head.index(name)
        assert all(row[k].startswith("'") for row in rows[1:]), name
    k = head.index("parcel_id")
    assert sorted(row[k] for row in rows[1:])[:3] == ["'+cmd|' /C calc'!A0", "'-2+3", "'=1"]
    # the amounts stay numbers
    assert all(re.fullmatch(r"\d+\.\d\d", row[head.index("tax_due")]) for row in rows[1:])
    ws = openpyxl.load_workbook(d / "r.税源明细.xlsx")["税源明细"]
    texts = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@＝"]
    assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)


def xlsx_text_and_numbers(d, r, ctx, before):
    ws = openpyxl.load_workbook(d / "r.xlsx")["结果"]
    head = [c.value for c in ws[1]]
    ids = [ws.cell(k, head.index("宗地号") + 1) for k in range(2, ws.max_row + 1)]
    assert {c.value for c in ids} >= {"=1+2", "@SUM(A1:A9)", "＝HYPERLINK(\"x\")"}
    assert all(c.data_type == "s" and c.quotePrefix for c in ids if formula_like(c.value))
    due = [ws.cell(k, head.index("tax_due") + 1).value for k in range(2, ws.max_row + 1)]
    assert all(isinstance(v, (int, float)) for v in due) and sum(due) > 0


def control_escaped(d, r, ctx, before):
    ws = openpyxl.load_workbook(d / "r.xlsx")["结果"]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert {"张\\x0b三", "李\\x0c四", "王\\x07五"} <= values
    rows = csv_rows(d / "r.xlsx.findings.csv")
    kinds = [row[2] for row in rows[1:]]
    assert kinds.count("control_character") >= 4
    ws = openpyxl.load_workbook(d / "r.税源明细.xlsx")["税源明细"]
    assert any("\\x0b" in str(c.value) for row in ws.iter_rows() for c in row)


def no_raw_controls_on_stderr(d, r, ctx, before):
    assert not RAW_CONTROL.search(r.stderr.replace("\n", "")), repr(r.stderr)


def long_text_sidecar(d, r, ctx, before):
    import geopandas as gpd

    side = csv_rows(d / "r_long_text.csv")
    assert side[1] == ["1", "权利人", "王" * 300]
    shp = gpd.read_file(d / "r.shp")
    assert shp.loc[0, "权利人"] == "王" * 84        # 254 bytes hold 84 three-byte characters
    assert any(row[2] == "text_cut" and "record 1, field 权利人" in row[3] for row in csv_rows(d / "r.shp.findings.csv"))


def no_library_warning_text(d, r, ctx, before):
    assert "site-packages" not in r.stderr and not re.search(r"\.py:\d+: \w*Warning", r.stderr), r.stderr


def stderr_bounded(d, r, ctx, before):
    findings = [ln for ln in r.stderr.splitlines() if re.match(r"(error|warning|info): ", ln)]
    assert len(findings) == 50
    assert re.search(r"… and \d+ more findings \(\d+ in all\): see .*r\.csv\.findings\.csv", r.stderr)


def findings_file_complete(d, r, ctx, before):
    rows = csv_rows(d / "r.csv.findings.csv")
    assert sum(1 for row in rows[1:] if row[2] == "record") == 300
    prov = json.loads((d / "r.csv.provenance.json").read_text(encoding="utf-8"))
    assert {row[0] for row in rows[1:]} == {prov["run_id"]}
    assert "r.csv.findings.csv" in prov["outputs"]


def far_flag(d, r, ctx, before):
    rows = {row["parcel_id"]: row for row in csv.DictReader(open(d / "r.csv", encoding="utf-8-sig"))}
    assert "far_from_zones" in rows["W-1"]["flags"]
    assert not any("far_from_zones" in rows[k]["flags"] for k in ("N-1", "N-2", "N-3"))


def fast(d, r, ctx, before):
    assert "assessed" not in r.stderr and "encoding" not in r.stderr    # refused before reading


CHECKS = {f.__name__: f for f in (input_unchanged, no_formula_anywhere, csv_neutralised, xlsx_text_and_numbers,
                                  control_escaped, no_raw_controls_on_stderr, long_text_sidecar,
                                  no_library_warning_text, stderr_bounded, findings_file_complete, far_flag, fast)}
