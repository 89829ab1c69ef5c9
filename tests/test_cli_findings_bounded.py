"""The commands without an output file of their own (``project import``, ``reconcile``) print an
importer's findings bounded, as ``assess`` does: the first 50, then how many more of which
kinds and the option that prints every one — never half a million lines, never a silent cut."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.synthetic import CRS, city
from zones.cli import main
from zones.io.base import Finding, FindingList, OverlapBlock
from zones.run_guard import STDERR_FINDINGS, say_import_findings

ROWS, PER_ROW = 10, 150
LOTS = ROWS * PER_ROW
PAIRS = ROWS * (4 * PER_ROW - (1 + 2 + 3 + 4))     # each lot overlaps the four next along its street


def street(x0: float, y0: float) -> gpd.GeoDataFrame:
    """Ten streets 100 m apart of lots of 50 m × 50 m stepped 10 m apart: every lot overlaps its
    four neighbours on each side (1.5 km × 1 km: inside the synthetic city and the bundled zones)."""
    boxes = [shapely.box(x0 + 10 * i, y0 + 100 * r, x0 + 10 * i + 50, y0 + 100 * r + 50)
             for r in range(ROWS) for i in range(PER_ROW)]
    return gpd.GeoDataFrame({"宗地号": [f"L{i:05d}" for i in range(LOTS)]}, geometry=boxes, crs=CRS)


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line]


def test_printing_a_finding_list_makes_only_the_lines_printed():
    block = OverlapBlock("f.gpkg", [1, 2, 2, 3], [2, 1, 3, 2], [2.5, float("nan"), float("nan"), float("nan")])
    found = FindingList([Finding("f.gpkg", None, "encoding", "GBK", "info")])
    found.extend(block)
    found.append(Finding("f.gpkg", 7, "repaired", "bow tie", "warning"))
    assert [f.record for f in found.between(1, 4)] == [1, 2, 2]
    assert [f.code for f in found.between(3, 99)] == ["overlap", "overlap", "repaired"]
    assert found.counts() == {"encoding": 1, "overlap": 4, "repaired": 1}
    said: list[str] = []
    say_import_findings(found, said.append)
    assert said == [f"{f.severity}: {f}" for f in found]            # fewer than the bound: all, no tail
    said.clear()
    big = FindingList()
    for _ in range(30):                                               # 120 findings, kept as columns
        big.extend(block)
    say_import_findings(big, said.append)
    assert len(said) == STDERR_FINDINGS + 1
    assert said[-1] == "… and 70 more findings (120 in all: overlap 120); --all-findings prints every one"
    said.clear()
    say_import_findings(big, said.append, every=True)
    assert said == [f"{f.severity}: {f}" for f in big]


def test_project_import_prints_the_first_findings_and_how_many_more(tmp_path):
    path = tmp_path / "street.gpkg"
    street(545000.0, 3090000.0).to_file(path)          # in the bundled zones (鹿城)
    before = path.read_bytes()
    assert main(["project", "create", str(tmp_path / "p.gpkg")]) == 0
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-m", "zones", "project", "import", str(tmp_path / "p.gpkg"), str(path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = _lines(run.stderr)
    overlaps = [line for line in lines if "[overlap] overlaps record" in line]
    assert len(overlaps) == STDERR_FINDINGS
    assert lines[STDERR_FINDINGS] == (f"… and {2 * PAIRS + 1 - STDERR_FINDINGS:,} more findings ({2 * PAIRS + 1:,} in all: "
                                      f"overlap {2 * PAIRS + 1:,}); --all-findings prints every one")
    assert f"imported {LOTS} parcels" in run.stderr
    every = subprocess.run([sys.executable, "-m", "zones", "project", "import", str(tmp_path / "p.gpkg"), str(path),
                            "--all-findings", "--id-field", "宗地号"], capture_output=True, text=True, timeout=300)
    assert sum("[overlap] overlaps record" in line for line in _lines(every.stderr)) == 2 * PAIRS
    assert path.read_bytes() == before


@pytest.fixture
def city_layer(tmp_path):
    path = tmp_path / "zones.gpkg"
    city().grades.to_file(path)
    return path


def test_reconcile_prints_the_first_findings_and_how_many_more(tmp_path, city_layer, capsys):
    path = tmp_path / "street.gpkg"
    street(560100.0, 3100100.0).to_file(path)
    pd.DataFrame([["L00000", "一级", 15, 2500]], columns=["宗地号", "土地等级", "税额标准", "占用土地面积"]).to_csv(
        tmp_path / "reg.csv", index=False)
    args = ["reconcile", str(path), "--registry", str(tmp_path / "reg.csv"), "--out", str(tmp_path / "out.csv"),
            "--zones", str(city_layer), "--rates", "1=15,2=10,3=5", "--year", "2024"]
    assert main(args) == 0
    lines = _lines(capsys.readouterr().err)
    assert sum("[overlap] overlaps record" in line for line in lines) == STDERR_FINDINGS
    assert any(line.startswith(f"… and {2 * PAIRS + 1 - STDERR_FINDINGS:,} more findings") for line in lines)
    assert main([*args[:5], str(tmp_path / "out2.csv"), *args[6:], "--all-findings"]) == 0
    assert sum("[overlap] overlaps record" in line for line in _lines(capsys.readouterr().err)) == 2 * PAIRS


@pytest.mark.parametrize("command", [["project", "import"], ["reconcile"]])
def test_the_option_s_help_states_the_bound(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    assert f"else the first {STDERR_FINDINGS} and how many more" in " ".join(capsys.readouterr().out.split())
