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
                          env=env, timeout=timeout, cwd=ROOT, check=False)


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
    with open(d / "r.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {row["parcel_id"]: row for row in csv.DictReader(fh)}
    assert "far_from_zones" in rows["W-1"]["flags"]
    assert not any("far_from_zones" in rows[k]["flags"] for k in ("N-1", "N-2", "N-3"))


def field_map_sidecar(d, r, ctx, before):
    import geopandas as gpd

    fields = dict(csv_rows(d / "r_fields.csv")[1:])
    layer = gpd.read_file(d / "r.shp")
    assert layer.loc[0, fields["纳税人名称全称"]] == "甲公司"


def run_id_in_geopackage(d, r, ctx, before):
    import geopandas as gpd

    prov = dict(gpd.read_file(d / "r.gpkg", layer="provenance")[["key", "value"]].itertuples(index=False))
    findings = csv_rows(d / "r.gpkg.findings.csv")
    assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}", prov["run_id"])
    assert all(row[0] == prov["run_id"] for row in findings[1:])


def fast(d, r, ctx, before):
    assert "assessed" not in r.stderr and "encoding" not in r.stderr    # refused before reading


CHECKS = {f.__name__: f for f in (input_unchanged, no_formula_anywhere, csv_neutralised, xlsx_text_and_numbers,
                                  control_escaped, no_raw_controls_on_stderr, long_text_sidecar,
                                  no_library_warning_text, stderr_bounded, field_map_sidecar, run_id_in_geopackage, findings_file_complete, far_flag, fast)}


# ---------------------------------------------------------------- kill -9 at any moment
#: Stages of the commit at which the run is killed (zones.output_safety.pause_for_test):
#: after the first/fourth finished temporary, before and after the journal, between renames.
BEFORE_JOURNAL = ["staged:1", "before-journal"]
AFTER_JOURNAL = ["journal", "moved:3"]
RATES = ["--rates", "1=15,2=10,3=5", "--year", "2024"]


def run_until_killed(argv, stage: str) -> None:
    """Start the CLI, wait until it reports reaching ``stage``, then kill -9 it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), ZONES_TEST_PAUSE_AT=stage, ZONES_TEST_PAUSE_S="120")
    proc = subprocess.Popen([sys.executable, "-m", "zones", *map(str, argv)], stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    deadline = time.monotonic() + 240
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(f"zones-paused:{stage}"):
            break
        assert time.monotonic() < deadline
    proc.kill()          # SIGKILL: no cleanup of any kind in the process
    proc.wait()
    assert any(ln.startswith("zones-paused:") for ln in seen), "".join(seen)


def pdf_run(path: Path) -> str | None:
    m = re.search(rb"/Keywords \(run ([0-9T]+-[0-9a-f]+)\)", path.read_bytes())
    return m.group(1).decode() if m else None


def run_ids(folder: Path) -> dict[str, str | None]:
    """The run id each output of a CSV + report run says it belongs to."""
    from zones.output_safety import findings_path

    prov = json.loads((folder / "r.csv.provenance.json").read_text(encoding="utf-8"))
    ids = {"r.csv.provenance.json": prov["run_id"], "r.pdf": pdf_run(folder / "r.pdf")}
    for name in ("r.申报明细.xlsx", "r.税源明细.xlsx"):
        ids[name] = openpyxl.load_workbook(folder / name).properties.identifier
    ids["r.csv.findings.csv"] = csv_rows(findings_path(folder / "r.csv"))[1][0]
    return ids


@pytest.fixture(scope="module")
def old_set(corpus):
    """A finished CSV + report run on 3 parcels (the outputs a killed run must not tear)."""
    folder = corpus / "old_set"
    folder.mkdir()
    src = build("plain", corpus / "kill_inputs")
    z = zones(corpus / "kill_inputs")
    r = cli("assess", src, "--zones", z, *RATES, "--out", folder / "r.csv", "--report", folder / "r.pdf")
    assert r.returncode == 0, r.stderr
    return folder, z


@pytest.mark.slow
@pytest.mark.parametrize("stage", BEFORE_JOURNAL + AFTER_JOURNAL)
def test_kill_at_any_moment_leaves_the_set_old_or_new(stage, old_set, corpus, tmp_path):
    import shutil

    from zones.output_safety import outputs_belong_together, recover

    folder, z = old_set
    for p in folder.iterdir():
        shutil.copy2(p, tmp_path / p.name)
    old = snapshot(tmp_path)
    old_ids = set(run_ids(tmp_path).values())
    assert len(old_ids) == 1
    new_src = build("formula", corpus / "kill_inputs")     # 10 parcels: every output differs
    run_until_killed(["assess", new_src, "--zones", z, *RATES, "--out", tmp_path / "r.csv",
                      "--report", tmp_path / "r.pdf"], stage)

    # right after the kill: every file is whole — the old bytes, or a complete file of the new run
    for name, digest in snapshot(tmp_path).items():
        if name.startswith(".") or digest == old.get(name):
            continue
        path = tmp_path / name
        if name.endswith(".csv") and name.count(".") == 1:
            assert len(csv_rows(path)) == 11
        elif name.endswith(".xlsx"):
            assert openpyxl.load_workbook(path).properties.identifier not in old_ids
        elif name.endswith(".pdf"):
            assert path.read_bytes().rstrip().endswith(b"%%EOF") and pdf_run(path) not in old_ids
        elif name.endswith(".json"):
            assert json.loads(path.read_text(encoding="utf-8"))["run_id"] not in old_ids
    # the next run finishes or discards what the killed one left
    recover(tmp_path)
    after = snapshot(tmp_path)
    assert not [n for n in after if "~zr" in n or n.startswith(".zones-commit")]
    if stage in BEFORE_JOURNAL:
        assert after == old
    else:
        assert all(after[n] != old[n] for n in old)
        ids = set(run_ids(tmp_path).values())
        assert len(ids) == 1 and not ids & old_ids
        assert outputs_belong_together(tmp_path / "r.csv.provenance.json")
        assert len(csv_rows(tmp_path / "r.csv")) == 11


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["staged:3", "moved:2"])
def test_killed_between_shapefile_parts_the_parts_stay_one_shapefile(stage, corpus, tmp_path):
    """Killed while the parts are being switched: the next run completes the switch, so the
    .shp, .shx and .dbf are never new attributes on old geometry."""
    import geopandas as gpd

    from zones.output_safety import outputs_belong_together, recover

    z = zones(corpus / "kill_inputs")
    r = cli("assess", build("plain", corpus / "kill_inputs"), "--zones", z, *RATES, "--out", tmp_path / "r.shp")
    assert r.returncode == 0, r.stderr
    old = snapshot(tmp_path)
    run_until_killed(["assess", build("formula", corpus / "kill_inputs"), "--zones", z, *RATES,
                      "--out", tmp_path / "r.shp"], stage)
    recover(tmp_path)
    after = snapshot(tmp_path)
    assert not [n for n in after if "~zr" in n or n.startswith(".zones-commit")]
    layer = gpd.read_file(tmp_path / "r.shp")
    pieces = gpd.read_file(tmp_path / "r_pieces.shp")
    if stage.startswith("staged"):
        assert after == old and len(layer) == 3
    else:
        assert len(layer) == 10 and set(pieces["parcel_id"]) <= set(layer["parcel_id"])
        assert outputs_belong_together(tmp_path / "r.shp.provenance.json")


# ---------------------------------------------------------------- leftovers, messages
def dead_pid() -> int:
    p = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                       check=True)
    return int(p.stdout)


def test_next_run_removes_what_dead_runs_left(corpus, tmp_path):
    import tempfile

    dead = dead_pid()
    stray = tmp_path / f".res.~zr{dead}.0a1b2c3d.csv"
    stray_dir = tmp_path / f".res.~zr{dead}.1a2b3c4d"
    live = tmp_path / f".res.~zr{os.getpid()}.2a3b4c5d.csv"        # a run still working: kept
    legacy = tmp_path / ".res.ab12cd34.csv"                          # an earlier version's temporary
    (tmp_path / "res.csv").write_text("old", encoding="utf-8")
    stray.write_text("half", encoding="utf-8")
    stray_dir.mkdir()
    (stray_dir / "res.shp").write_bytes(b"\0" * 10)
    live.write_text("busy", encoding="utf-8")
    legacy.write_text("half", encoding="utf-8")
    two_days = time.time() - 2 * 86400
    os.utime(legacy, (two_days, two_days))
    unpacked = Path(tempfile.gettempdir()) / f"zones-zip-{dead}-h11test"
    (unpacked / "x").mkdir(parents=True, exist_ok=True)
    z = zones(corpus / "kill_inputs")
    r = cli("assess", build("plain", corpus / "kill_inputs"), "--zones", z, *RATES, "--out", tmp_path / "res.csv")
    assert r.returncode == 0, r.stderr
    assert not stray.exists() and not stray_dir.exists() and not legacy.exists() and not unpacked.exists()
    assert live.exists()
    assert len(csv_rows(tmp_path / "res.csv")) == 4


def test_write_errors_name_the_users_file_not_the_temporary(tmp_path):
    import errno

    from zones.io.atomic import atomic_output
    from zones.run_guard import error_line

    target = tmp_path / "r.csv"
    with pytest.raises(OSError) as caught, atomic_output(target) as tmp:
        tmp.write_text("partial", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")      # no file name: "error: : …" before
    assert error_line(caught.value) == f"error: {target}: No space left on device"
    with pytest.raises(Exception) as caught, atomic_output(target) as tmp:
        raise RuntimeError(f"IOError: failed writing {tmp}: disk full")
    line = error_line(caught.value)
    assert str(target) in line and "~zr" not in line and not target.exists()
    assert not [p for p in tmp_path.iterdir()]           # the temporary is gone too


def test_memory_error_and_unexpected_errors_are_one_line(monkeypatch, capsys, tmp_path):
    import zones.cli as cli_module

    def out_of_memory(args):
        raise MemoryError()

    monkeypatch.setattr(cli_module, "cmd_assess", out_of_memory)
    assert cli_module.main(["assess", "x.gpkg", "--out", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "memory" in err and "Traceback" not in err

    def bug(args):
        raise KeyError("\x1b[31m" + "9" * 500)

    monkeypatch.setattr(cli_module, "cmd_assess", bug)
    assert cli_module.main(["assess", "x.gpkg", "--out", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err.rstrip("\n")) <= 300 and "\\x1b[31m" in err and "\x1b" not in err


def test_messages_are_one_line_of_at_most_300_characters():
    from zones.output_safety import one_line

    line = one_line("a\nb\x1b]0;title\x07 " + "1" * 400)
    assert "\n" not in line and len(line) <= 300 and line.startswith("a b\\x1b]0;title\\x07 ")


def test_library_warnings_become_findings_not_raw_lines(monkeypatch, capsys, corpus, tmp_path):
    """A warning raised deep in a library (here: where the reader calls GDAL) is a finding:
    stderr shows its words, never the warnings module's 'path.py:123: RuntimeWarning' line."""
    import warnings

    import zones.io as zio
    from zones.cli import main

    real = zio.read_parcels

    def reader_that_warns(*a, **kw):
        warnings.warn("Normalized/laundered field name: 'x'", RuntimeWarning, stacklevel=1)
        return real(*a, **kw)

    monkeypatch.setattr(zio, "read_parcels", reader_that_warns)
    z = zones(corpus / "warn_inputs")
    src = build("plain", corpus / "warn_inputs")
    capsys.readouterr()
    assert main([str(a) for a in ("assess", src, "--zones", z, *RATES, "--out", tmp_path / "r.csv")]) == 0
    err = capsys.readouterr().err
    assert "warning: RuntimeWarning: Normalized/laundered field name" in err
    assert not re.search(r"\.py:\d+: \w*Warning", err)
    rows = csv_rows(tmp_path / "r.csv.findings.csv")
    assert [row[2] for row in rows[1:]].count("library_warning") == 1


def test_report_dir_inside_an_input_folder_is_refused(tmp_path, capsys):
    """--report-dir writes one new PDF per parcel: inside the input folder they would join the input."""
    from zones.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    import geopandas as gpd

    from zones.resources import resources_root

    sample = resources_root() / "samples" / "wenzhou_sample.gpkg"

    gpd.read_file(sample).to_file(folder / "parcels.gpkg")
    before = sorted(p.name for p in folder.iterdir())
    rc = main(["assess", str(folder), "--out", str(tmp_path / "r.csv"), "--report-dir", str(folder / "pdfs")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "--report-dir is inside the input folder" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == before and not (tmp_path / "r.csv").exists()
