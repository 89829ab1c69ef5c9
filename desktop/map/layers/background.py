"""The user's reference layers, drawn under the grades: a vector layer as outlines with
labels from a chosen field, a raster as an image read for the view at screen resolution
(:class:`zones.reference_layers.RasterSource`). Both take the layer's opacity."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from desktop.map.labels import MapLabels
from desktop.map.layers.base import LayerArtist, ViewState
from desktop.map.layers.reference import _Labels
from desktop.map.paths import line_segments

REFERENCE_COLOUR = "#6a3d9a"
RASTER_ZORDER = 0.3
VECTOR_ZORDER = 0.6
MAX_LABELS = 400          # labels per view: more would cover the map


class ViewImage(Artist):
    """Pixels read for the view, pasted at their place: nearest-neighbour scaled with numpy
    when the screen has more pixels than the file (zoomed in past the raster's resolution)
    or a pan moved the view since the read. (matplotlib's ``AxesImage`` resamples through
    masked arrays and costs several times more per draw.)"""

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self.pixels = np.zeros((0, 0, 4), dtype=np.uint8)   # rows top down
        self.extent = (0.0, 0.0, 0.0, 0.0)                   # x0, x1, y0, y1 (map)

    def set_data(self, pixels, extent) -> None:
        self.pixels, self.extent = pixels, tuple(extent)
        self._ready = None
        self.stale = True

    def set_alpha(self, alpha) -> None:
        super().set_alpha(alpha)
        self._ready = None

    def _bottom_up(self):
        """The pixels rows bottom-up with the opacity applied, made once per read or opacity."""
        if getattr(self, "_ready", None) is None:
            part = self.pixels[::-1]
            alpha = self.get_alpha()
            if alpha is not None and alpha < 1:
                part = part.copy()
                part[..., 3] = (part[..., 3] * alpha).astype(np.uint8)
            self._ready = np.ascontiguousarray(part)
        return self._ready

    def get_array(self):
        return self.pixels

    def get_extent(self):
        return self.extent

    def draw(self, renderer):
        if not self.get_visible() or not self.pixels.size:
            return
        x0, x1, y0, y1 = self.extent
        (dx0, dy0), (dx1, dy1) = self.ax.transData.transform([(x0, y0), (x1, y1)])
        box = self.ax.bbox
        # the part of the image on screen, in whole display pixels
        left, right = max(round(dx0), round(box.x0)), min(round(dx1), round(box.x1))
        bottom, top = max(round(dy0), round(box.y0)), min(round(dy1), round(box.y1))
        if right <= left or top <= bottom:
            return
        H, W = self.pixels.shape[:2]
        cols = ((np.arange(left, right) + 0.5 - dx0) * W / (dx1 - dx0)).astype(np.intp).clip(0, W - 1)
        rows = ((dy1 - (np.arange(top - 1, bottom - 1, -1) + 0.5)) * H / (dy1 - dy0)).astype(np.intp).clip(0, H - 1)
        ready = self._bottom_up()                        # draw_image takes rows bottom-up
        if len(cols) == W and len(rows) == H and cols[0] == 0 and rows[0] == 0:
            part = ready                                 # one screen pixel per image pixel
        else:
            part = ready[(H - 1 - rows)[::-1]][:, cols]
        gc = renderer.new_gc()
        gc.set_clip_rectangle(box)
        renderer.draw_image(gc, left, bottom, np.ascontiguousarray(part))
        gc.restore()
        self.stale = False


class RasterBackgroundLayer(LayerArtist):
    zorder = RASTER_ZORDER

    def __init__(self, ax, source, name: str, opacity: float = 1.0):
        super().__init__(ax)
        self.source, self.title = source, name
        self.image = self._add(ViewImage(ax))
        ax.add_artist(self.image)
        self.set_opacity(opacity)
        self._drawn_for: tuple | None = None
        self.reads = 0          # how often pixels were read (tests, benchmark)

    def set_opacity(self, opacity: float) -> None:
        self.image.set_alpha(float(opacity))

    def update_view(self, view: ViewState) -> None:
        key = (view.bounds, view.width_px, view.height_px)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        got = self.source.read_view(view.bounds, view.width_px, view.height_px)
        self.reads += 1
        if got is None:
            self.image.set_data(np.zeros((0, 0, 4), dtype=np.uint8), (0, 0, 0, 0))
            return
        self.image.set_data(*got)

    def close(self) -> None:
        self.clear()
        self.source.close()


class VectorBackgroundLayer(LayerArtist):
    zorder = VECTOR_ZORDER

    def __init__(self, ax, data, name: str, label_field: str = "", opacity: float = 1.0):
        super().__init__(ax)
        self.data, self.title = data, name
        geoms = data.geoms
        kinds = shapely.get_type_id(geoms)
        points = (kinds == 0) | (kinds == 4)
        boundaries = np.where(np.isin(kinds, (3, 6)), shapely.boundary(geoms), geoms)
        self.lines = self._add(ax.add_collection(
            LineCollection(line_segments(boundaries[~points]), colors=REFERENCE_COLOUR, linewidths=0.8),
            autolim=False))
        xy = shapely.get_coordinates(geoms[points]) if points.any() else np.empty((0, 2))
        self.points = self._add(ax.add_line(Line2D(xy[:, 0], xy[:, 1], ls="none", marker="o", ms=3,
                                                   color=REFERENCE_COLOUR)))
        self.label_points = shapely.point_on_surface(geoms)
        self.label_xy = shapely.get_coordinates(self.label_points)
        self.labels = self._add(MapLabels(ax))
        ax.add_artist(self.labels)
        self.labels.set_zorder(VECTOR_ZORDER + 0.05)
        self.label_field = ""
        self.names: list[str] = []
        self.set_label_field(label_field)
        self.set_opacity(opacity)

    def set_opacity(self, opacity: float) -> None:
        for a in (self.lines, self.points):
            a.set_alpha(float(opacity))

    def set_label_field(self, field: str) -> None:
        self.label_field = field
        self.names = self.data.labels(field)

    def update_view(self, view: ViewState) -> None:
        self.labels.clear_labels()
        if not self.label_field or not len(self.label_xy):
            return
        x, y = self.label_xy[:, 0], self.label_xy[:, 1]
        inside = np.flatnonzero((x > view.x0) & (x < view.x1) & (y > view.y0) & (y < view.y1))
        placer = _Labels(self.ax, view)
        shown = 0
        for i in inside:
            name = self.names[i]
            if name and placer.fits(x[i], y[i], name, 8.0):
                self.labels.add(x[i], y[i], name, 8.0, REFERENCE_COLOUR)
                shown += 1
                if shown >= MAX_LABELS:
                    break

    def legend_entries(self):
        if not self.visible:
            return []
        return [(Line2D([], [], color=REFERENCE_COLOUR, lw=0.8), self.title)]

    def close(self) -> None:
        self.clear()
