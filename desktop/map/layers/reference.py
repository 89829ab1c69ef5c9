"""District boundaries and the named roads and rivers the grade lines follow, with
labels placed in the visible part of each line (one label per name, none overlapping).
Labels are cached images (:mod:`desktop.map.labels`): text layout is the dearest
part of a redraw."""

from __future__ import annotations

import math

import numpy as np
import shapely
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from desktop.map.labels import MapLabels
from desktop.map.layers.base import LayerArtist, ViewState
from desktop.map.paths import line_segments
from desktop.map.style import DISTRICT_EDGE, RIVER_COLOUR, ROAD_COLOUR, is_river

LABEL_PT = 8.0
MIN_DISTRICT_LABEL_VIEW_M = 4000.0  # closer in, district names only clutter
LABEL_ZORDER = 8.0  # labels stay above parcels


def _label_column(gdf) -> str | None:
    for column in ("label", "feature", "name"):
        if column in gdf.columns:
            return column
    return None


class _Labels:
    """Greedy placement: a label goes where its box (in pixels) overlaps no earlier one."""

    def __init__(self, ax, view: ViewState):
        self.ax, self.view = ax, view
        self.boxes: list[tuple] = []
        self.px = view.pixel_size

    def fits(self, x, y, text, fontsize, angle=0.0) -> bool:
        # a CJK glyph is about one em wide; the box of a rotated label is its rotated extent
        w = len(text) * fontsize * self.ax.figure.dpi / 72 * 1.0
        h = fontsize * self.ax.figure.dpi / 72 * 1.3
        a = math.radians(angle)
        bw, bh = abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))
        cx, cy = (x - self.view.x0) / self.px, (y - self.view.y0) / self.px
        box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
        if box[0] < 0 or box[1] < 0 or box[2] > self.view.width_px or box[3] > self.view.height_px:
            return False
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes):
            return False
        self.boxes.append(box)
        return True


class _LabelledLayer(LayerArtist):
    def __init__(self, ax):
        super().__init__(ax)
        self.labels: MapLabels | None = None

    def _new_labels(self) -> None:
        """After :meth:`clear`: a fresh label artist above the parcels."""
        self.labels = self._add(MapLabels(self.ax))
        self.ax.add_artist(self.labels)
        self.labels.set_zorder(LABEL_ZORDER)


class DistrictsLayer(_LabelledLayer):
    name = "districts"
    zorder = 3.0

    def __init__(self, ax):
        super().__init__(ax)
        self.geoms, self.names = np.empty(0, dtype=object), []

    def set_zoneset(self, zs) -> None:
        self.clear()
        self._new_labels()
        gdf = None if zs is None else zs.districts
        if gdf is None or not len(gdf):
            self.geoms, self.names = np.empty(0, dtype=object), []
            return
        column = _label_column(gdf)
        self.geoms = gdf.geometry.values
        self.names = [str(v) for v in gdf[column]] if column else [""] * len(gdf)
        lines = LineCollection(line_segments(self.geoms), colors=DISTRICT_EDGE, linewidths=1.1,
                               linestyles=[(0, (6, 2, 1, 2))])
        self._add(self.ax.add_collection(lines, autolim=False))

    def update_view(self, view: ViewState) -> None:
        if self.labels is None:
            return
        self.labels.clear_labels()
        if not len(self.geoms) or view.x1 - view.x0 < MIN_DISTRICT_LABEL_VIEW_M:
            return
        box = shapely.box(*view.bounds)
        visible = shapely.intersection(self.geoms, box)
        share = shapely.area(visible) / box.area
        for name, part, s in zip(self.names, visible, share):
            if name and s > 0.05:
                p = part.representative_point() if hasattr(part, "representative_point") else None
                if p is None or p.is_empty:
                    continue
                self.labels.add(p.x, p.y, name, 11, DISTRICT_EDGE, alpha=0.9)

    def legend_entries(self):
        if not self.visible or not len(self.geoms):
            return []
        return [(Line2D([], [], color=DISTRICT_EDGE, lw=1.1, ls=(0, (6, 2, 1, 2))), self.texts.district_boundary)]


class ReferenceLinesLayer(_LabelledLayer):
    """The named roads and rivers (``zoneset.reference_lines``) that the notice cites."""

    name = "reference_lines"
    zorder = 4.0

    def __init__(self, ax):
        super().__init__(ax)
        self.geoms, self.names = np.empty(0, dtype=object), []
        self.river = np.zeros(0, dtype=bool)

    def set_zoneset(self, zs) -> None:
        self.clear()
        self._new_labels()
        gdf = None if zs is None else zs.reference_lines
        if gdf is None or not len(gdf):
            self.geoms, self.names, self.river = np.empty(0, dtype=object), [], np.zeros(0, dtype=bool)
            return
        column = _label_column(gdf)
        self.geoms = gdf.geometry.values
        self.names = [str(v) for v in gdf[column]] if column else [""] * len(gdf)
        kinds = [str(k) for k in gdf["feature"]] if "feature" in gdf.columns else self.names
        self.river = np.array([is_river(n) or is_river(k) for n, k in zip(self.names, kinds)], dtype=bool)
        segments, colours = [], []
        for geom, river in zip(self.geoms, self.river):
            parts = line_segments([geom])
            segments += parts
            colours += [RIVER_COLOUR if river else ROAD_COLOUR] * len(parts)
        self._add(self.ax.add_collection(LineCollection(segments, colors=colours, linewidths=1.3, alpha=0.9),
                                         autolim=False))

    def update_view(self, view: ViewState) -> None:
        if self.labels is None:
            return
        self.labels.clear_labels()
        if not len(self.geoms):
            return
        px = view.pixel_size
        margin = 10 * px
        box = shapely.box(view.x0 + margin, view.y0 + margin, view.x1 - margin, view.y1 - margin)
        visible = shapely.intersection(self.geoms, box)
        # the longest visible stretch of each name carries its label; longest names first
        best: dict[str, tuple[float, shapely.LineString, bool]] = {}
        for name, geom, river in zip(self.names, visible, self.river):
            if not name or geom.is_empty:
                continue
            for part in line_segments([geom]):
                line = shapely.LineString(part)
                if line.length > best.get(name, (0.0,))[0]:
                    best[name] = (line.length, line, river)
        placer = _Labels(self.ax, view)
        for name, (length, line, river) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            text_px = len(name) * LABEL_PT * self.ax.figure.dpi / 72
            if length / px < text_px * 1.2:
                continue  # the visible stretch is shorter than its name: leave it unlabelled
            mid = line.interpolate(0.5, normalized=True)
            a = line.interpolate(max(0.0, line.project(mid) - text_px * px / 2))
            b = line.interpolate(min(length, line.project(mid) + text_px * px / 2))
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
            angle = (angle + 90) % 180 - 90  # keep text upright
            if not placer.fits(mid.x, mid.y, name, LABEL_PT, angle):
                continue
            self.labels.add(mid.x, mid.y, name, LABEL_PT, RIVER_COLOUR if river else ROAD_COLOUR, angle)

    def legend_entries(self):
        if not self.visible or not len(self.geoms):
            return []
        out = []
        if (~self.river).any():
            out.append((Line2D([], [], color=ROAD_COLOUR, lw=1.3), self.texts.boundary_road))
        if self.river.any():
            out.append((Line2D([], [], color=RIVER_COLOUR, lw=1.3), self.texts.boundary_river))
        return out
