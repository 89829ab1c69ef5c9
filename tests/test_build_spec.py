"""The packaging files, without running PyInstaller (the real build and its smoke test
are tools/build_frozen.py and tools/smoke_frozen.py).

build.spec is executed with stand-ins for PyInstaller's Analysis/EXE/COLLECT that
record what they are given, so these tests see the two programs, their names, the
data and the exclusions exactly as PyInstaller would.
"""

from __future__ import annotations

import ast
import runpy
import sys
import types
from pathlib import Path

import pytest

from zones import APP_NAME, __version__

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
HOOKS = ROOT / "tools" / "pyinstaller_hooks"


class Recorded:
    """Stands for a PyInstaller build target; keeps its arguments."""

    made: list["Recorded"] = []

    def __init__(self, *args, **kwargs):
        self.kind = type(self).__name__
        self.args, self.kwargs = args, kwargs
        if self.kind == "Analysis":  # what an analysis finds, as (dest, src, typecode) lists
            self.scripts = [("pyi_rth_mplconfig", "x", "PYSOURCE"), ("entry", args[0][0], "PYSOURCE")]
            self.pure = []
            self.binaries = [("PySide6/Qt/lib/libQt6Quick.so.6", "x", "BINARY"),
                             ("PySide6/Qt/lib/libQt6Pdf.so.6", "x", "BINARY")]
            self.datas = list(kwargs["datas"]) + [("PySide6/Qt/translations/qtbase_de.qm", "x", "DATA"),
                                                  ("PySide6/Qt/translations/qtbase_zh_CN.qm", "x", "DATA")]
        Recorded.made.append(self)


def run_spec(monkeypatch, *, windows: bool = False) -> dict:
    Recorded.made = []
    stand_ins = {name: type(name, (Recorded,), {}) for name in ("Analysis", "PYZ", "EXE", "COLLECT")}
    if not windows:  # the Windows branch needs PyInstaller's real version-resource classes
        compat = types.ModuleType("PyInstaller.compat")
        compat.is_win, compat.is_darwin = False, False
        monkeypatch.setitem(sys.modules, "PyInstaller.compat", compat)
        if "PyInstaller" not in sys.modules:
            monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    else:
        import PyInstaller.compat

        monkeypatch.setattr(PyInstaller.compat, "is_win", True)
    return runpy.run_path(str(SPEC), init_globals={"SPECPATH": str(ROOT), **stand_ins})


def made(kind: str) -> list[Recorded]:
    return [r for r in Recorded.made if r.kind == kind]


def test_spec_is_python_and_names_both_programs_from_the_package():
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    exe_names = [kw.value.id for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and getattr(node.func, "id", "") == "EXE" for kw in node.keywords if kw.arg == "name"]
    assert exe_names == ["GUI_NAME", "CLI_NAME"]


def test_spec_builds_a_windowed_gui_and_a_console_cli_in_one_folder(monkeypatch):
    ns = run_spec(monkeypatch)
    gui, cli = made("EXE")
    assert (gui.kwargs["name"], gui.kwargs["console"]) == (APP_NAME, False)
    assert (cli.kwargs["name"], cli.kwargs["console"]) == (f"{APP_NAME}-cli", True)
    assert cli.kwargs["name"].endswith("-cli")
    (collect,) = made("COLLECT")
    assert collect.kwargs["name"] == APP_NAME
    assert gui in collect.args and cli in collect.args
    assert gui.kwargs["exclude_binaries"] and cli.kwargs["exclude_binaries"]  # one folder, not one file
    assert ns["__version__"] == __version__


def test_entry_scripts_are_the_package_entry_points(monkeypatch):
    run_spec(monkeypatch)
    gui_a, cli_a = made("Analysis")
    assert Path(gui_a.args[0][0]).name == "wenzhou_land_tax.py"
    assert Path(cli_a.args[0][0]).name == "wenzhou_land_tax_cli.py"
    assert "from desktop.app import main" in Path(gui_a.args[0][0]).read_text(encoding="utf-8")
    assert "from zones.cli import main" in Path(cli_a.args[0][0]).read_text(encoding="utf-8")


def test_cli_entry_takes_exactly_the_arguments_of_python_m_zones(monkeypatch, capsys):
    entry = ROOT / "tools" / "frozen_entry" / "wenzhou_land_tax_cli.py"
    monkeypatch.setattr(sys, "argv", [str(entry), "--version"])
    with pytest.raises(SystemExit) as stop:
        runpy.run_path(str(entry), run_name="__main__")
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_bundle_data_qt_modules_and_offline_hook(monkeypatch):
    run_spec(monkeypatch)
    gui_a, cli_a = made("Analysis")
    for a in (gui_a, cli_a):
        assert (str(ROOT / "resources"), "resources") in a.kwargs["datas"]
        assert str(HOOKS) in a.kwargs["hookspath"]
        assert a.kwargs["runtime_hooks"] == [str(HOOKS / "rthook_offline.py")]
        assert "pyi_rth_mplconfig" not in [s[0] for s in a.scripts]  # our per-user font cache instead
        assert "pyarrow" not in a.kwargs["excludes"]      # project files are read and written through Arrow
        assert "scipy" in a.kwargs["excludes"]
    for kept in ("PySide6.QtPdf", "PySide6.QtPrintSupport", "PySide6.QtSvg", "PySide6.QtWidgets"):
        assert kept in gui_a.kwargs["hiddenimports"]
        assert kept not in gui_a.kwargs["excludes"]
    for dropped in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtQuick"):
        assert dropped in gui_a.kwargs["excludes"]
    # the command line is the Qt-free core
    assert {"PySide6", "shiboken6", "desktop"} <= set(cli_a.kwargs["excludes"])
    # unused Qt libraries and foreign Qt translations are filtered out
    assert [b[0] for b in gui_a.binaries] == ["PySide6/Qt/lib/libQt6Pdf.so.6"]
    qm = [d[0] for d in gui_a.datas if d[0].endswith(".qm")]
    assert qm == ["PySide6/Qt/translations/qtbase_zh_CN.qm"]


@pytest.mark.skipif(not sys.platform.startswith("win"), reason="PyInstaller's version resource needs Windows")
def test_windows_executables_carry_the_icon_and_version_resource(monkeypatch):
    pytest.importorskip("PyInstaller")
    run_spec(monkeypatch, windows=True)
    for exe in made("EXE"):
        assert exe.kwargs["icon"] == [str(ROOT / "resources" / "icons" / "app.ico")]
        info = str(exe.kwargs["version"])
        assert f"StringStruct('ProductVersion', '{__version__}')" in info
        assert "080404B0" in info  # zh-CN, Unicode


def test_runtime_hook_points_at_the_bundled_data_and_stays_offline(monkeypatch, tmp_path):
    bundle = tmp_path / "_internal"
    for folder in ("pyogrio/proj_data", "pyogrio/gdal_data"):
        (bundle / folder).mkdir(parents=True)
    home = tmp_path / "home"
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    for name in ("PROJ_NETWORK", "PROJ_DATA", "GDAL_DATA", "MPLCONFIGDIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))
    monkeypatch.setenv("PROJ_LIB", r"C:\OSGeo4W\share\proj")  # what a QGIS install leaves behind
    monkeypatch.setenv("GDAL_DRIVER_PATH", r"C:\OSGeo4W\apps\gdal\lib\gdalplugins")
    import os

    runpy.run_path(str(HOOKS / "rthook_offline.py"))
    assert os.environ["PROJ_NETWORK"] == "OFF"
    assert "PROJ_LIB" not in os.environ
    assert Path(os.environ["PROJ_DATA"]) == bundle / "pyogrio" / "proj_data"
    assert Path(os.environ["GDAL_DATA"]) == bundle / "pyogrio" / "gdal_data"
    assert os.environ["GDAL_DRIVER_PATH"] == "disable"
    cache = Path(os.environ["MPLCONFIGDIR"])
    assert cache.is_dir() and home in cache.parents and cache.parent.name == APP_NAME


def test_pyogrio_hook_collects_gdal_and_proj_data():
    pytest.importorskip("PyInstaller")
    pytest.importorskip("pyogrio")
    hook = runpy.run_path(str(HOOKS / "hook-pyogrio.py"))
    dests = {Path(dest).as_posix() for _, dest in hook["datas"]}
    assert "pyogrio/gdal_data" in dests and "pyogrio/proj_data" in dests
    assert "pyogrio._io" in hook["hiddenimports"] and not any("tests" in m for m in hook["hiddenimports"])


def test_smoke_test_compares_every_cell(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import smoke_frozen
    finally:
        sys.path.remove(str(ROOT / "tools"))
    header = "\ufeffparcel_id,area_m2,tax_due\n"
    source, frozen = tmp_path / "source.csv", tmp_path / "frozen.csv"
    source.write_text(header + "A1,100.0,1500.0\nB2,50.5,505.0\n", encoding="utf-8")
    frozen.write_text(header + "A1,100.0,1500.0\nB2,50.5,505.0\n", encoding="utf-8")
    ok, detail = smoke_frozen.compare_tables(frozen, source)
    assert ok and "2,005.00 yuan" in detail
    frozen.write_text(header + "A1,100.0,1500.0\nB2,50.5,505.01\n", encoding="utf-8")
    ok, detail = smoke_frozen.compare_tables(frozen, source)
    assert not ok and "row 2 tax_due: '505.01' vs '505.0'" in detail


def test_app_icon_has_every_windows_size():
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    with Image.open(icons / "app.png") as png:
        assert png.size == (256, 256)
    with Image.open(icons / "app.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
