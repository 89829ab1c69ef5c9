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


# ------------------------------------------------ start-up: the first record before pandas

LATE = ("pandas", "geopandas", "pyarrow", *FORBIDDEN)

FIRST_READ_CHILD = """
import json, sys
import zones  # as `python -m zones`: its package import comes first
import pyogrio, pyogrio.raw
seen = []
def first(fn):
    def wrapped(*a, **k):
        if not seen:
            seen.append(sorted({m.split('.')[0] for m in sys.modules}))
        return fn(*a, **k)
    return wrapped
pyogrio.raw.read = first(pyogrio.raw.read)
pyogrio.read_dataframe = first(pyogrio.read_dataframe)
pyogrio.read_arrow = first(pyogrio.read_arrow)
from zones.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "at_first_read": seen[0] if seen else None}))
"""


def _first_read(*args):
    res = subprocess.run([sys.executable, "-c", FIRST_READ_CHILD, *map(str, args)], capture_output=True, text=True,
                         env=os.environ.copy(), check=False)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def _two_lots(tmp_path):
    src = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"宗地号": ["A", "B"]}, geometry=[box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),
                                                      box(X0 + 300, Y0 + 100, X0 + 400, Y0 + 200)], crs=CRS).to_file(src)
    return src


def test_the_bundled_zones_are_read_before_pandas_geopandas_or_pyarrow_is_imported(tmp_path):
    out = _first_read("assess", _two_lots(tmp_path), "--out", tmp_path / "o.csv", "--year", "2024", "--quiet")
    assert out["code"] == 0 and (tmp_path / "o.csv").read_text(encoding="utf-8-sig").count("\n") >= 3
    assert out["at_first_read"] is not None
    assert [m for m in LATE if m in out["at_first_read"]] == []
    assert {"numpy", "shapely", "pyogrio"} <= set(out["at_first_read"])


def test_a_zone_layer_file_is_read_before_pandas_geopandas_or_pyarrow_is_imported(tmp_path):
    zones_file = tmp_path / "grades.gpkg"
    gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[box(X0, Y0, X0 + 150, Y0 + 1000), box(X0 + 150, Y0, X0 + 1000, Y0 + 1000)],
                     crs=CRS).to_file(zones_file)
    res = tmp_path / "o.csv"
    out = _first_read("assess", _two_lots(tmp_path), "--out", res, "--year", "2024", "--quiet", "--zones", zones_file,
                      "--rates", "1=15,2=10")
    assert out["code"] == 0
    assert [m for m in LATE if m in out["at_first_read"]] == []
    text = res.read_text(encoding="utf-8-sig")
    # lot A (10,000 m²) is halved by the grade line at x = 150; lot B lies wholly in grade 2
    assert '"A",10000.00,5000.00,5000.00,0.00,12,75000.00,50000.00,' in text
    assert '"B",10000.00,0.00,10000.00,0.00,12,0.00,100000.00,' in text


def test_the_zone_layer_read_equals_geopandas_read_file(tmp_path):
    """zones.zoneset.read_layer gives the frame geopandas.read_file gives: columns, dtypes,
    geometry and CRS, for the bundled layers and for a layer with dates (left to pyogrio)."""
    import glob

    import pandas as pd
    import pyogrio
    from geopandas.testing import assert_geodataframe_equal

    from zones.zoneset import read_layer

    dated = tmp_path / "dated.gpkg"
    gpd.GeoDataFrame({"grade": [1, 2], "name": ["一级", None], "rate": [15.0, 10.5],
                      "since": pd.to_datetime(["2024-01-01", "2024-07-01"])},
                     geometry=[box(X0, Y0, X0 + 1, Y0 + 1), box(X0 + 2, Y0, X0 + 3, Y0 + 1)], crs=CRS).to_file(dated)
    files = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "resources", "zonesets", "*", "*.gpkg")))
    layers = [(f, name) for f in files for name, _ in pyogrio.list_layers(f)] + [(str(dated), None)]
    assert len(layers) >= 2
    for path, layer in layers:
        ours, theirs = read_layer(path, layer), gpd.read_file(path, layer=layer, engine="pyogrio")
        assert_geodataframe_equal(ours, theirs, check_dtype=True, check_index_type=True)
        assert list(ours.columns) == list(theirs.columns) and ours.crs == theirs.crs


def test_pyogrio_flags_are_those_of_the_installed_libraries_and_the_real_modules_load_later():
    """With pandas, geopandas and pyarrow deferred, pyogrio's version flags are still right,
    `import pandas` afterwards is the real pandas, and read_dataframe still works."""
    child = """
import json, sys
import zones, pyogrio
before = sorted(m for m in ("pandas", "geopandas", "pyarrow") if m in sys.modules)
from pyogrio import _compat
flags = {k: getattr(_compat, k) for k in ("HAS_PYARROW", "HAS_GEOPANDAS", "PYARROW_GE_19", "PANDAS_GE_15",
                                             "PANDAS_GE_20", "PANDAS_GE_22", "PANDAS_GE_30")}
import pandas, geopandas, pyarrow
from packaging.version import Version
v = Version
real = {"HAS_PYARROW": True, "HAS_GEOPANDAS": True, "PYARROW_GE_19": v(pyarrow.__version__) >= v("19.0.0"),
        "PANDAS_GE_15": v(pandas.__version__) >= v("1.5.0"), "PANDAS_GE_20": v(pandas.__version__) >= v("2.0.0"),
        "PANDAS_GE_22": v(pandas.__version__) >= v("2.2.0"), "PANDAS_GE_30": v(pandas.__version__) >= v("3.0.0dev")}
frame = pyogrio.read_dataframe(sys.argv[1])
print(json.dumps({"before": before, "flags": flags, "real": real, "rows": len(frame),
                  "frame": type(frame).__name__, "pandas_is_real": hasattr(sys.modules["pandas"], "DataFrame")
                  and type(sys.modules["pandas"]).__name__ == "module"}))
"""
    path = os.path.join(os.path.dirname(__file__), "..", "resources", "zonesets", "wenzhou-urban-2024", "zones.gpkg")
    res = subprocess.run([sys.executable, "-c", child, path], capture_output=True, text=True, env=os.environ.copy(),
                         check=False)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["before"] == []
    assert out["flags"] == out["real"]
    assert out["frame"] == "GeoDataFrame" and out["rows"] > 0 and out["pandas_is_real"]


def test_a_stand_in_without_package_metadata_asks_the_module_itself():
    """A frozen build may carry a library without its metadata: the version then comes from
    the module, imported for it, and any other attribute is the real module's."""
    import json as real_json

    from zones._light_pyogrio import DeferredModule

    standin = DeferredModule("json")            # the standard library: no distribution metadata
    assert standin.__version__ == real_json.__version__
    assert standin.dumps([1]) == "[1]"
    with pytest.raises(AttributeError):
        standin.__wrapped__


def test_a_stand_in_without_metadata_while_it_is_the_imported_module():
    """As in a frozen build while pyogrio._compat runs: the stand-in is sys.modules' entry and
    the distribution has no metadata. It must import the real module, not itself (a frozen
    ``zones assess`` once died of RecursionError here)."""
    import json as real_json

    from zones._light_pyogrio import DeferredModule

    saved = sys.modules.pop("json")
    standin = DeferredModule("json")
    sys.modules["json"] = standin
    try:
        assert standin.__version__ == real_json.__version__
        assert standin.loads("[2]") == [2]
        assert sys.modules["json"] is not standin and hasattr(sys.modules["json"], "JSONDecoder")
    finally:
        sys.modules["json"] = saved
