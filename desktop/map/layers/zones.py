"""The grade zones (filled and hatched per grade, legend with grade and rate) and the
accuracy band: where the grade line is uncertain, a split there may be wrong."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.patches import Patch, PathPatch

from desktop.map.layers.base import LayerArtist
from desktop.map.paths import geometry_path
from desktop.map.style import BAND_FACE, UNCERTAIN_EDGE, grade_style


def _rate_text(rate) -> str:
    text = format(rate, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ZonesLayer(LayerArtist):
    name = "zones"
    zorder = 1.0

    def __init__(self, ax):
        super().__init__(ax)
        self._legend: list[tuple[object, str]] = []

    def set_zoneset(self, zs) -> None:
        self.clear()
        self._legend = []
        if zs is None:
            return
        grades = zs.grades
        for grade in zs.grade_list:
            geoms = grades.geometry.values[np.asarray(grades["grade"]) == grade]
            face, hatch, strong = grade_style(grade)
            style = dict(facecolor=face, edgecolor=strong, hatch=hatch or None, hatchcolor=strong + "66",
                         linewidth=0.9, alpha=None)
            if len(geoms):
                self._add(self.ax.add_patch(PathPatch(geometry_path(list(geoms)), **style)))
            label = f"{zs.grade_label(grade)}  {_rate_text(zs.rates[grade])} 元/m²·年"
            self._legend.append((Patch(**style), label))

    def legend_entries(self):
        return list(self._legend) if self.visible else []


class AccuracyBandLayer(LayerArtist):
    """Buffers of the named boundary runs by their accuracy (or the zone set's), and the
    areas the zone set itself marks as uncertain."""

    name = "accuracy_band"
    zorder = 2.0

    def __init__(self, ax):
        super().__init__(ax)
        self.band = None          # shapely geometry of the band, for tests and reports
        self._legend: list[tuple[object, str]] = []

    def set_zoneset(self, zs) -> None:
        self.clear()
        self.band, self._legend = None, []
        if zs is None or not zs.accuracy_m:
            return
        base = float(zs.accuracy_m)
        runs = zs.boundary_runs
        if runs is not None and len(runs):
            acc = runs["accuracy_m"].fillna(base).astype(float).to_numpy() if "accuracy_m" in runs else np.full(len(runs), base)
            lines = runs.geometry.values
        else:  # no named runs: the grade outlines are the lines
            lines = shapely.boundary(zs.grades.geometry.values)
            acc = np.full(len(lines), base)
        self.band = shapely.union_all(shapely.buffer(lines, np.maximum(acc, base), quad_segs=4))
        style = dict(facecolor=BAND_FACE + "55", edgecolor=BAND_FACE, linewidth=0.4, hatch="....", hatchcolor=BAND_FACE + "aa")
        self._add(self.ax.add_patch(PathPatch(geometry_path(self.band), **style)))
        self._legend.append((Patch(**style), f"等级线定位误差带（±{base:g} m 起）"))
        areas = zs.uncertain_areas
        if areas is not None and len(areas):
            ustyle = dict(facecolor="none", edgecolor=UNCERTAIN_EDGE, linewidth=1.0, linestyle=(0, (4, 2)))
            self._add(self.ax.add_patch(PathPatch(geometry_path(list(areas.geometry.values)), **ustyle)))
            self._legend.append((Patch(**ustyle), "等级不确定区域"))

    def legend_entries(self):
        return list(self._legend) if self.visible else []
