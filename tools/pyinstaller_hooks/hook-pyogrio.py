"""PyInstaller hook for pyogrio, which pyinstaller-hooks-contrib does not cover.

pyogrio's Cython modules import each other at run time (so the import graph misses
some of them), and its wheels carry GDAL's data (``pyogrio/gdal_data``: driver
definitions, EPSG overrides) and PROJ's (``pyogrio/proj_data``: proj.db). Without
the data, opening a GeoPackage or a Shapefile with a .prj fails in the frozen app.
"""

from PyInstaller.compat import is_win
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("pyogrio", filter=lambda name: ".tests" not in name)
datas = collect_data_files("pyogrio", excludes=["tests", "tests/**"])
binaries: list[tuple[str, str]] = []

if is_win:
    # Windows wheels keep GDAL, PROJ and their DLLs in pyogrio.libs (delvewheel).
    from PyInstaller.utils.hooks import collect_delvewheel_libs_directory

    datas, binaries = collect_delvewheel_libs_directory("pyogrio", datas=datas, binaries=binaries)
