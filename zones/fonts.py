"""The bundled CJK font, registered with matplotlib (map, report excerpts); the
GUI registers the same file with Qt. Nothing relies on fonts installed on the machine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from zones.resources import resource

CJK_FONT_FILE = "WenQuanYiMicroHei.ttf"


def cjk_font_path() -> Path:
    return resource("fonts", CJK_FONT_FILE)


@lru_cache(maxsize=1)
def matplotlib_cjk_family() -> str:
    """Register the bundled font with matplotlib and make it the default sans-serif; returns its family name."""
    import matplotlib
    from matplotlib import font_manager

    path = str(cjk_font_path())
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
