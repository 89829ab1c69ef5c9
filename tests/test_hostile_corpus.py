"""Every input of the hostile corpus (tests/data/hostile/manifest.py) through ``zones assess``:
exit 0 or 2 only, never a traceback, stderr lines of at most 300 characters with no raw control
character, no input file touched, and exactly the parcels and areas (or the refusal) the
manifest states — so no point or record is dropped without a word."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
import manifest

from zones.cli import main
from zones.io.safety import shown

BY_NAME = {c.name: c for c in manifest.CASES}
#: One case per format also runs as a separate process, exactly as staff run it.
SUBPROCESS = sorted({c.fmt: c.name for c in reversed(manifest.CASES) if c.expect.ok}.values()) + [
    "fifo.csv", "truncated_doc.kmz", "dbf_count_low.shp", "sparse_2gb.csv"]


def test_corpus_size_and_formats():
    assert len(manifest.CASES) >= 120 and len(BY_NAME) == len(manifest.CASES)
    assert {c.fmt for c in manifest.CASES} >= {"geopackage", "geojson", "shapefile", "shapefile-zip", "kml", "kmz", "dxf",
                                                 "points-csv", "points-xlsx", "cass-dat", "exchange-txt"}


def _fingerprint(folder: Path) -> dict:
    """Every file under ``folder``: a hash of its bytes (head and tail for huge sparse files), and
    the kind of anything that is not a regular file (a FIFO is never opened)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            out[str(p)] = ("special", stat.S_IFMT(st.st_mode))
            continue
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            if st.st_size > 64 << 20:
                h.update(fh.read(1 << 20))
                fh.seek(-(1 << 20), os.SEEK_END)
            h.update(fh.read())
        out[str(p)] = (st.st_size, st.st_mtime_ns, h.hexdigest())
    return out


def _results(out: Path) -> list[tuple[str, float]]:
    csv.field_size_limit(1 << 30)        # the results carry the inputs' long attributes
    with open(out, encoding="utf-8-sig", newline="") as fh:
        return [(r["parcel_id"], float(r["area_m2"])) for r in csv.DictReader(fh)]


def _check(case, rc: int, err: str, inp: Path, out: Path) -> None:
    assert rc in (0, 2), (rc, err)
    assert "Traceback" not in err and "site-packages" not in err, err
    for line in err.splitlines():
        assert len(line) <= 300, line
        assert not any(ord(ch) < 32 and ch != "\t" or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e" for ch in line), repr(line)
    if not case.expect.ok:
        assert rc == 2, err
        lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert len(lines) == 1, err
        assert case.expect.text.lower() in lines[0].lower(), lines[0]
        assert shown(inp.name) in lines[0], lines[0]
        return
    assert rc == 0, err
    got = _results(out)
    want = case.expect.areas
    areas = sorted(list(want.values()) * case.expect.copies)
    assert len(got) == len(areas), (got, want)            # every parcel in, none dropped or added
    assert sorted(a for _, a in got) == pytest.approx(areas, abs=case.expect.tol), got
    printable = {k: v for k, v in want.items() if k.isprintable()}
    if case.fmt != "cass-dat" or len(want) > 1:
        for pid, area in printable.items():
            assert any(g.lstrip("'") == pid and abs(a - area) <= case.expect.tol for g, a in got), (pid, got)
    if case.expect.text:
        # at most 50 findings go to stderr; the rest are in the findings file beside the output
        found = out.with_name(out.name + ".findings.csv")
        said = err + (found.read_text(encoding="utf-8-sig") if found.exists() else "")
        assert case.expect.text.lower() in said.lower(), err


@pytest.fixture
def built(tmp_path):
    def build(name):
        case = BY_NAME[name]
        folder = tmp_path / "in"
        folder.mkdir()
        inp = case.build(folder)
        return case, folder, inp, tmp_path / "out" / "results.csv"
    return build


@pytest.mark.parametrize("name", [c.name for c in manifest.CASES], ids=[shown(c.name) for c in manifest.CASES])
def test_hostile_input_in_process(name, built, capsys):
    case, folder, inp, out = built(name)
    out.parent.mkdir()
    before = _fingerprint(folder)
    rc = main(["assess", str(inp), "--out", str(out), *case.options])
    err = capsys.readouterr().err
    assert _fingerprint(folder) == before, "an input file was modified"
    _check(case, rc, err, inp, out)


@pytest.mark.parametrize("name", SUBPROCESS, ids=[shown(n) for n in SUBPROCESS])
def test_hostile_input_as_a_process(name, built):
    case, folder, inp, out = built(name)
    out.parent.mkdir()
    before = _fingerprint(folder)
    proc = subprocess.run([sys.executable, "-m", "zones", "assess", str(inp), "--out", str(out), *case.options],
                          capture_output=True, timeout=300, check=False, env=os.environ.copy())
    assert _fingerprint(folder) == before
    _check(case, proc.returncode, proc.stderr.decode("utf-8", "replace"), inp, out)
