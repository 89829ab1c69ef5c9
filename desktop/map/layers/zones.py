"""The grade zones (filled and hatched per grade, legend with grade and rate) and the
accuracy band: where the grade line is uncertain, a split there may be wrong."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch

from desktop.map.layers.base import LayerArtist, ViewState
from desktop.map.paths import geometry_path
from desktop.map.style import BAND_FACE, UNCERTAIN_EDGE, grade_style


def _rate_text(rate) -> str:
    text = format(rate, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


#: The zone raster covers the view plus this share of its width/height on each side,
#: so a pan of up to that much reuses it.
PAN_MARGIN = 0.25


class ZoneRaster(Artist):
    """The grade fills as one image at screen resolution, for the map extent it was
    drawn for; pasted (not resampled) at the pixel offset of the current view."""

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self.pixels = np.zeros((0, 0, 4), dtype=np.uint8)   # row 0 at the top
        self.x0 = self.y1 = 0.0                               # map point of the image's top left pixel
        self.pixel_size = 0.0

    def draw(self, renderer):
        if not self.get_visible() or not self.pixels.size or self.pixel_size <= 0:
            return
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        w, h = round(self.ax.bbox.width), round(self.ax.bbox.height)
        col = int(round((x0 - self.x0) / self.pixel_size))
        row = int(round((self.y1 - y1) / self.pixel_size))
        H, W = self.pixels.shape[:2]
        if col < 0 or row < 0 or col + w > W or row + h > H:
            return                      # outside what was drawn: update_view re-renders first
        part = np.ascontiguousarray(self.pixels[row:row + h, col:col + w][::-1])   # draw_image: rows bottom-up
        if self.get_alpha() is not None:    # see-through over the user's reference layers (straight RGBA)
            part = part.copy()
            part[..., 3] = (part[..., 3] * self.get_alpha()).astype(np.uint8)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.ax.bbox)
        renderer.draw_image(gc, round(self.ax.bbox.x0), round(self.ax.bbox.y0), part)
        gc.restore()
        self.stale = False


class ZonesLayer(LayerArtist):
    """Grade fills drawn with hatching. Hatched fills over the whole screen cost ~10 ms
    per draw, so they are rendered into a :class:`ZoneRaster` once per scale and reused
    while the view stays inside it (pans, selection changes, tool feedback); a zoom,
    a resize or another zone set renders it again."""

    name = "zones"
    zorder = 1.0

    def __init__(self, ax):
        super().__init__(ax)
        self._legend: list[tuple[object, tuple]] = []    # (handle, (grade, label, rate text))
        self._fig = Figure(dpi=ax.figure.dpi)
        self._fig.patch.set_alpha(0.0)
        self._canvas = FigureCanvasAgg(self._fig)
        self._ax = self._fig.add_axes((0, 0, 1, 1))
        self._ax.set_axis_off()
        self._ax.patch.set_alpha(0.0)
        self._patches: list = []
        self.raster = self._add(ZoneRaster(ax))
        ax.add_artist(self.raster)
        self.renders = 0            # how often the raster was drawn (tests, benchmarks)

    def clear(self) -> None:        # the raster artist stays; only the zone patches go
        for patch in self._patches:
            patch.remove()
        self._patches = []
        self.raster.pixels = np.zeros((0, 0, 4), dtype=np.uint8)

    def set_zoneset(self, zs) -> None:
        self.clear()
        self._legend = []
        if zs is None:
            return
        grades = zs.grades
        for grade in zs.grade_list:
            geoms = grades.geometry.values[np.asarray(grades["grade"]) == grade]
            face, hatch, strong = grade_style(grade)
            style: dict = dict(facecolor=face, edgecolor=strong, hatch=hatch or None, hatchcolor=strong + "66",
                         linewidth=0.9, alpha=None)
            if len(geoms):
                self._patches.append(self._ax.add_patch(PathPatch(geometry_path(list(geoms)), **style)))
            # the label is made when the legend is drawn, in the language of that moment
            self._legend.append((Patch(**style), (grade, zs.grade_label(grade), _rate_text(zs.rates[grade]))))

    def update_view(self, view: ViewState) -> None:
        r, px = self.raster, view.pixel_size
        H, W = r.pixels.shape[:2]
        inside = (r.pixels.size and abs(r.pixel_size - px) <= 1e-9 * px
                  and view.x0 >= r.x0 - 1e-6 and view.y1 <= r.y1 + 1e-6
                  and view.x0 + view.width_px * px <= r.x0 + W * px + 1e-6
                  and view.y1 - view.height_px * px >= r.y1 - H * px - 1e-6)
        if inside or not self._patches:
            return
        # render the view plus a margin, snapped to whole pixels of this scale
        mx, my = round(view.width_px * PAN_MARGIN), round(view.height_px * PAN_MARGIN)
        W, H = view.width_px + 2 * mx, view.height_px + 2 * my
        x0, y1 = view.x0 - mx * px, view.y1 + my * px
        dpi = self._fig.dpi
        self._fig.set_size_inches(W / dpi, H / dpi)
        self._ax.set_xlim(x0, x0 + W * px)
        self._ax.set_ylim(y1 - H * px, y1)
        self._canvas.draw()
        r.pixels = np.asarray(self._canvas.buffer_rgba()).copy()
        r.x0, r.y1, r.pixel_size = x0, y1, px
        r.stale = True
        self.renders += 1

    def legend_entries(self):
        if not self.visible:
            return []
        t = self.texts
        return [(handle, f"{t.grade.format(label=label, grade=grade)}  {rate} {t.rate_unit}")
                for handle, (grade, label, rate) in self._legend]


class AccuracyBandLayer(LayerArtist):
    """Buffers of the named boundary runs by their accuracy (or the zone set's), and the
    areas the zone set itself marks as uncertain."""

    name = "accuracy_band"
    zorder = 2.0

    def __init__(self, ax):
        super().__init__(ax)
        self.band = None          # shapely geometry of the band, for tests and reports
        self._legend: list[tuple[object, object]] = []   # (handle, texts → label)

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
        style: dict = dict(facecolor=BAND_FACE + "55", edgecolor=BAND_FACE, linewidth=0.4, hatch="....", hatchcolor=BAND_FACE + "aa")
        self._add(self.ax.add_patch(PathPatch(geometry_path(self.band), **style)))
        self._legend.append((Patch(**style), lambda t: t.accuracy_band.format(m=base)))
        areas = zs.uncertain_areas
        if areas is not None and len(areas):
            ustyle: dict = dict(facecolor="none", edgecolor=UNCERTAIN_EDGE, linewidth=1.0, linestyle=(0, (4, 2)))
            self._add(self.ax.add_patch(PathPatch(geometry_path(list(areas.geometry.values)), **ustyle)))
            self._legend.append((Patch(**ustyle), lambda t: t.uncertain_area))

    def legend_entries(self):
        return [(handle, label(self.texts)) for handle, label in self._legend] if self.visible else []
