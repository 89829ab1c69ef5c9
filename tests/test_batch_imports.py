"""`python -m zones assess` loads only what the run needs: a run writing a CSV loads no Qt,
no PDF or workbook library and no Dask (each costs start-up time on every batch run)."""

import json
import os
import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import box
from synthetic import CRS, X0, Y0

FORBIDDEN = ("PySide6", "shiboken6", "reportlab", "openpyxl", "dask", "distributed", "dask_geopandas", "matplotlib",
             "desktop")

CHILD = """
import json, sys
from zones.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted({m.split('.')[0] for m in sys.modules})}))
"""


def _run(*args):
    res = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)], capture_output=True, text=True,
                         env=os.environ.copy(), check=False)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_a_csv_run_loads_no_qt_no_report_no_workbook_no_dask(tmp_path):
    src = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"宗地号": ["A", "B"]}, geometry=[box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),
                                                      box(X0 + 300, Y0 + 100, X0 + 400, Y0 + 200)], crs=CRS).to_file(src)
    out = _run("assess", src, "--out", tmp_path / "o.csv", "--year", "2024", "--quiet")
    assert out["code"] == 0 and (tmp_path / "o.csv").exists()
    assert [m for m in FORBIDDEN if m in out["modules"]] == []
    assert "importlib_metadata" not in out["modules"]


def test_the_workbook_library_comes_only_with_a_workbook(tmp_path):
    src = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"宗地号": ["A"]}, geometry=[box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200)], crs=CRS).to_file(src)
    out = _run("assess", src, "--out", tmp_path / "o.xlsx", "--year", "2024", "--quiet")
    assert out["code"] == 0 and "openpyxl" in out["modules"]
    assert [m for m in FORBIDDEN if m in out["modules"] and m != "openpyxl"] == []


HEAVY = ("numpy", "pandas", "geopandas", "pyogrio", "pyproj", "shapely", "pyarrow", *FORBIDDEN)


@pytest.mark.parametrize("args", [["--version"], ["assess", "--help"], ["reconcile", "--help"]])
def test_version_and_help_load_no_numeric_or_geographic_library(args):
    """The command line answers --version and --help before loading numpy, pandas, GDAL or PROJ."""
    child = ("import json, sys\nfrom zones.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
             "    code = e.code\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    res = subprocess.run([sys.executable, "-c", child, *args], capture_output=True, text=True, env=os.environ.copy(),
                         check=False)
    assert res.returncode == 0, res.stderr
    modules = json.loads(res.stdout.strip().splitlines()[-1])
    assert [m for m in HEAVY if m in modules] == []
