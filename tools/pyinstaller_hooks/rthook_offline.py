"""Run-time hook of the frozen application: work offline, with the bundled data only.

Runs before any application code. Tax offices often have no network, and many
machines carry a QGIS/OSGeo4W install whose PROJ_LIB / GDAL_DATA / GDAL_DRIVER_PATH
point at a different PROJ or GDAL: a proj.db of another version makes every CRS
lookup fail, a foreign driver plugin can crash the process. So the bundled
directories are set unconditionally, and nothing may reach for the network.
"""

import os
import sys
import tempfile
from pathlib import Path


def _user_cache_dir(app: str) -> Path:
    """The per-user cache folder (Windows %LOCALAPPDATA%, macOS ~/Library/Caches, XDG elsewhere)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / app


def _offline() -> None:
    bundle = Path(sys._MEIPASS)  # type: ignore[attr-defined]  # set by the frozen bootloader
    # PROJ: no CDN grids (PROJ_NETWORK), and pyogrio's GDAL reads the proj.db shipped
    # with it; pyproj prefers its own bundled pyproj/proj_dir over the environment.
    os.environ["PROJ_NETWORK"] = "OFF"
    os.environ.pop("PROJ_LIB", None)
    proj_data = bundle / "pyogrio" / "proj_data"
    if proj_data.is_dir():
        os.environ["PROJ_DATA"] = str(proj_data)
    gdal_data = bundle / "pyogrio" / "gdal_data"
    if gdal_data.is_dir():
        os.environ["GDAL_DATA"] = str(gdal_data)
    # Every driver the app needs is built into the wheel's GDAL; never load plugins from the machine.
    os.environ["GDAL_DRIVER_PATH"] = "disable"
    # matplotlib: keep the font cache in a per-user folder, so it is built once (a few
    # seconds on a machine with many fonts) rather than at every start; fall back to temp.
    if "MPLCONFIGDIR" not in os.environ:
        for folder in (_user_cache_dir("wenzhou-land-tax") / "matplotlib",
                       Path(tempfile.gettempdir()) / "wenzhou-land-tax-matplotlib"):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                continue
            if os.access(folder, os.W_OK):
                os.environ["MPLCONFIGDIR"] = str(folder)
                break


_offline()
del _offline
