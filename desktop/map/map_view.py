"""The map as a plain matplotlib object (no Qt, no pyplot): one Figure and Axes, one
layer artist per layer, the view (centre and metres per pixel), legend, scale
bar, north arrow and a caption line naming the zone set, its legal basis and its
accuracy. The Qt host (:mod:`desktop.map.map_canvas`) only feeds it sizes and
events; reports and tests can render it with Agg alone.

Coordinates are the zone set's CRS (EPSG:4549, metres). The view keeps square
pixels: bounds asked for are fitted inside the axes, never stretched.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import shapely
from matplotlib.figure import Figure

from desktop.map.decorations import NorthArrow, ScaleBar
from desktop.map.stamps import Stamp, rasterize
from desktop.map.texts import CHINESE, MapTexts
from desktop.map.layers import (AccuracyBandLayer, DistrictsLayer, ParcelsLayer, PiecesLayer, ReferenceLinesLayer,
                                SelectionLayer, ViewState, ZonesLayer)
from desktop.map.tools.snapping import Snapper
from desktop.zoneset_words import accuracy_statement, basis_document, zoneset_name

#: Layers the user can show or hide, bottom to top.
LAYER_NAMES = ("zones", "accuracy_band", "districts", "reference_lines", "parcels")
CAPTION_PT = 8.0
LEGEND_PT = 7.0
#: The urban core is the two dearest grades; the first view shows it with this margin
#: (share of its size on each side), since staff work there far more than in the outer districts.
CORE_GRADES = 2
CORE_MARGIN = 0.12


def quiet_keymaps() -> None:
    """Blank matplotlib's keyboard shortcuts ('s' saves, 'l' logs the axis…): the map's
    keys belong to the application and its tools."""
    for key in list(matplotlib.rcParams):
        if key.startswith("keymap."):
            matplotlib.rcParams[key] = []


def _fonts() -> str:
    from zones.fonts import matplotlib_cjk_family

    return matplotlib_cjk_family()


class MapView:
    def __init__(self, figure: Figure | None = None, *, width_px: int = 900, height_px: int = 650, dpi: float = 100,
                 texts: MapTexts = CHINESE):
        quiet_keymaps()
        self.texts = texts
        self.font_family = _fonts()
        self.figure = figure or Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
        self.figure.set_facecolor("white")
        self.ax = self.figure.add_axes((0, 0, 1, 1))
        self.ax.set_axis_off()
        self.ax.set_autoscale_on(False)
        self.ax.set_facecolor("white")
        self.zones = ZonesLayer(self.ax)
        self.band = AccuracyBandLayer(self.ax)
        self.districts = DistrictsLayer(self.ax)
        self.reference_lines = ReferenceLinesLayer(self.ax)
        self.parcels = ParcelsLayer(self.ax)
        self.pieces = PiecesLayer(self.ax)
        self.selection = SelectionLayer(self.ax)
        self.layers = {"zones": self.zones, "accuracy_band": self.band, "districts": self.districts,
                       "reference_lines": self.reference_lines, "parcels": self.parcels, "pieces": self.pieces,
                       "selection": self.selection}
        self.scalebar = ScaleBar(self.ax)
        for layer in self.layers.values():
            layer.texts = texts
        self.north = NorthArrow(self.ax, texts.north)
        self.legend = None                       # the matplotlib Legend drawn into legend_stamp
        self.legend_stamp = Stamp(self.ax, "lower left", pad_px=6)
        self.legend_stamp.set_zorder(10)
        self.ax.add_artist(self.legend_stamp)
        self.caption_artist = Stamp(None, "lower left", pad_px=3, figure=self.figure)
        self.figure.add_artist(self.caption_artist)
        self.show_caption = True
        self.show_legend = True
        self.zoneset = None
        self.snapper = Snapper()
        self.centre: tuple[float, float] | None = None
        self.scale = 1.0  # metres per pixel
        #: the bounds last fitted (zoom_to) and its margin, until the user pans or zooms: a
        #: resize (a dock growing after an import or an assessment) fits them again instead of
        #: keeping the scale, so what was fitted stays in view, centred
        self.fitted: tuple[tuple[float, float, float, float], float] | None = None
        self.selected: list[int] = []
        self.snapping = False  # snap clicks to parcel vertices and grade lines
        self._layout()

    # ------------------------------------------------------------------ data
    def set_zoneset(self, zs) -> None:
        if zs is None or zs is not self.zoneset:    # the same zone set (a project opened on it): layers kept
            for layer in (self.zones, self.band, self.districts, self.reference_lines):
                layer.set_zoneset(zs)
            self.snapper.set_zone_lines(zs.grades.geometry.values if zs is not None else [])
        self.zoneset = zs
        self._draw_caption()
        self._layout()
        self._rebuild_legend()
        if self.centre is None and zs is not None:
            self.zoom_to(self.data_bounds("core"))
        self.refresh()

    def set_parcels(self, geoms, ids=None, flags=None) -> None:
        self.parcels.set_parcels(geoms, ids, flags)
        self.snapper.set_parcels(self.parcels.geoms, self.parcels.tree)
        self.selected = []
        self.selection.set_selection([], self.parcels.geoms)
        self.pieces.set_pieces(None)
        self._rebuild_legend()
        if self.centre is None and self.parcels.bounds is not None:
            self.zoom_to(self.parcels.bounds)
        self.refresh()

    def set_flags(self, flags) -> None:
        self.parcels.set_flags(flags)
        self._rebuild_legend()
        self.refresh()

    def set_selection(self, indices) -> None:
        n = len(self.parcels.geoms)
        self.selected = [int(i) for i in (indices or []) if 0 <= int(i) < n]
        self.selection.set_selection(self.selected, self.parcels.geoms)

    def set_pieces(self, pieces) -> None:
        self.pieces.set_pieces(pieces)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        if name not in self.layers:
            raise KeyError(f"no map layer {name!r}; layers are {', '.join(self.layers)}")
        self.layers[name].set_visible(visible)
        self._rebuild_legend()
        if visible:
            self.refresh()

    def layer_visible(self, name: str) -> bool:
        return self.layers[name].visible

    # ------------------------------------------------------------------ language
    def set_texts(self, texts: MapTexts) -> None:
        """Draw legend, caption and north arrow in another language (see :mod:`desktop.map.texts`)."""
        if texts == self.texts:
            return
        self.texts = texts
        for layer in self.layers.values():
            layer.texts = texts
        self.north.set_label(texts.north)
        self._draw_caption()
        self._rebuild_legend()

    # ------------------------------------------------------------------ caption & legend
    def caption(self, full: bool = False) -> str:
        """Zone set name, legal basis and accuracy; ``full`` gives the whole accuracy statement
        (for the status panel) instead of the one-line summary drawn under the map. The zone
        set's name, legal document and accuracy statement are its own words; the frame
        follows :attr:`texts`."""
        zs, t = self.zoneset, self.texts
        if zs is None:
            return ""
        basis = basis_document(zs, t.language)
        name = zoneset_name(zs, t.language)     # the zone set may carry its own English words
        line1 = t.version.format(name=name, version=zs.version)
        if basis and basis not in name:
            line1 += t.basis.format(basis=basis)
        if full and zs.accuracy_statement:
            stmt = accuracy_statement(zs, t.language)
            return f"{line1}\n" + t.accuracy.format(text=stmt)
        acc = t.official if zs.official else t.unofficial
        if zs.accuracy_m:
            acc += t.accuracy_m.format(m=float(zs.accuracy_m))
        return f"{line1}\n" + t.accuracy.format(text=acc)

    def _draw_caption(self) -> None:
        text = self.caption()
        if not text:
            self.caption_artist.set_pixels(np.zeros((0, 0, 4), np.uint8))
            return
        self.caption_artist.set_pixels(rasterize(
            lambda ax: ax.text(2, 2, text, fontsize=CAPTION_PT, va="bottom", ha="left", color="#333333"),
            self.figure.dpi)[0], text)

    def _rebuild_legend(self) -> None:
        """A compact two-column legend, lower left where it hides least of the urban core."""
        entries = []
        for name in ("zones", "accuracy_band", "reference_lines", "districts", "parcels"):
            entries += self.layers[name].legend_entries()
        key = (tuple(label for _, label in entries), self.texts.legend_title, self.figure.dpi)
        if key == self.legend_stamp.key:
            return
        self.legend = None
        if not entries:
            self.legend_stamp.set_pixels(np.zeros((0, 0, 4), np.uint8), key)
            return
        handles, labels = zip(*entries)

        def build(ax):
            return ax.legend(handles, labels, loc="center", ncols=2, fontsize=LEGEND_PT, title=self.texts.legend_title,
                             title_fontsize=LEGEND_PT, framealpha=0.9, borderpad=0.4, handlelength=1.8,
                             handleheight=1.1, columnspacing=1.0, labelspacing=0.3)

        pixels, self.legend = rasterize(build, self.figure.dpi)
        self.legend_stamp.set_pixels(pixels, key)

    def set_legend_visible(self, visible: bool) -> None:
        self.show_legend = bool(visible)
        self.legend_stamp.set_visible(self.show_legend)

    def _layout(self) -> None:
        """Leave a strip under the axes for the caption (two lines), in pixels."""
        height = max(self.figure.bbox.height, 1)
        strip = (CAPTION_PT * 2 * 1.45 + 6) * self.figure.dpi / 72 if self.show_caption and self.zoneset else 0
        frac = min(strip / height, 0.4)
        self.ax.set_position((0, frac, 1, 1 - frac))
        self.caption_artist.set_visible(bool(strip))

    def set_caption_visible(self, visible: bool) -> None:
        self.show_caption = bool(visible)
        self._layout()
        self.refresh()

    # ------------------------------------------------------------------ the view
    def view_size_px(self) -> tuple[int, int]:
        bbox = self.ax.bbox
        return max(int(round(bbox.width)), 1), max(int(round(bbox.height)), 1)

    def pixel_size(self) -> float:
        """Metres per screen pixel."""
        return self.scale

    def view_state(self) -> ViewState:
        w, h = self.view_size_px()
        cx, cy = self.centre or (0.0, 0.0)
        return ViewState(cx - w * self.scale / 2, cy - h * self.scale / 2, cx + w * self.scale / 2,
                         cy + h * self.scale / 2, w, h)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.view_state().bounds

    def zoom_to(self, bounds, margin: float = 0.04) -> None:
        """Fit map bounds (x0, y0, x1, y1) in the view, keeping pixels square."""
        if bounds is None:
            return
        self.fitted = (tuple(float(v) for v in bounds), margin)   # type: ignore[assignment]
        self.apply_fit()
        self.refresh()

    def apply_fit(self) -> None:
        """Centre and scale for the bounds last fitted at the axes' present size (no redraw)."""
        if self.fitted is None:
            return
        (x0, y0, x1, y1), margin = self.fitted
        w, h = self.view_size_px()
        span = max((x1 - x0) / w, (y1 - y0) / h, 1e-3)  # never closer than 1 mm per pixel
        self.centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        self.scale = span * (1 + 2 * margin)

    def zoom_about(self, x: float, y: float, factor: float) -> None:
        """Zoom in by ``factor`` (> 1 in, < 1 out) keeping map point (x, y) where it is on screen."""
        cx, cy = self.centre or (x, y)
        self.fitted = None
        self.centre = (x - (x - cx) / factor, y - (y - cy) / factor)
        self.scale = max(self.scale / factor, 1e-3)
        self.refresh()

    def pan(self, dx: float, dy: float, refresh: bool = True) -> None:
        """Move the view by (dx, dy) metres. ``refresh=False`` only moves the axes limits
        (cheap, for the steps of a drag); the layers catch up at the next refresh."""
        cx, cy = self.centre or (0.0, 0.0)
        self.fitted = None
        self.centre = (cx + dx, cy + dy)
        if refresh:
            self.refresh()
        else:
            self.apply_limits()

    def resized(self) -> None:
        """The figure changed size: fit again what was fitted last (the user has not moved the
        map since), else keep centre and scale; re-lay out, redraw what is in view."""
        self._layout()
        if self.fitted is not None:
            self.zoom_to(*self.fitted)
            return
        self.refresh()

    def apply_limits(self) -> ViewState:
        """Set the axes limits from centre and scale (cheap: no layer is rebuilt)."""
        self._layout()
        view = self.view_state()
        self.ax.set_xlim(view.x0, view.x1)
        self.ax.set_ylim(view.y0, view.y1)
        return view

    def refresh(self) -> None:
        """Apply the view to the axes and let every visible layer redraw what is in view."""
        view = self.apply_limits()
        if self.centre is None:
            return
        for layer in self.layers.values():
            if layer.visible:
                layer.update_view(view)
        self.scalebar.update(view)

    def data_bounds(self, what: str):
        if what == "zones":
            return self.zoneset.bounds if self.zoneset is not None else None
        if what == "core":
            return self.core_bounds()
        if what == "parcels":
            return self.parcels.bounds
        if what == "selection":
            if not self.selected:
                return None
            return tuple(shapely.total_bounds(self.parcels.geoms[self.selected]))
        raise KeyError(what)

    def core_bounds(self):
        """The urban core: the two dearest grades (lowest grade numbers) plus a margin;
        the whole zone set when it has fewer grades."""
        zs = self.zoneset
        if zs is None:
            return None
        grades = zs.grade_list[:CORE_GRADES]
        g = zs.grades
        geoms = g.geometry.values[np.isin(np.asarray(g["grade"]), grades)]
        if len(zs.grade_list) <= CORE_GRADES or not len(geoms):
            return zs.bounds
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        mx, my = (x1 - x0) * CORE_MARGIN, (y1 - y0) * CORE_MARGIN
        return (x0 - mx, y0 - my, x1 + mx, y1 + my)

    # ------------------------------------------------------------------ the tool context
    def hit_test(self, x: float, y: float, tolerance: float = 0.0) -> int | None:
        """Index of the parcel at map point (x, y) (tolerance in metres), or None."""
        if not self.parcels.visible:
            return None
        return self.parcels.hit_test(x, y, tolerance)

    def parcels_in_box(self, bounds) -> np.ndarray:
        if self.parcels.tree is None:
            return np.zeros(0, dtype=np.int64)
        return np.sort(self.parcels.tree.query(shapely.box(*bounds), predicate="intersects"))

    def snap(self, x: float, y: float, radius: float, exclude: int | None = None):
        return self.snapper.snap(x, y, radius, exclude) if self.snapping else None

    def prepared_zones(self):
        return self.zoneset.prepared() if self.zoneset is not None else None

    def grade_label(self, grade: int) -> str:
        return self.zoneset.grade_label(grade) if self.zoneset is not None else f"{grade}级"

    def selected_parcel(self):
        """(index, id, geometry) of the first selected parcel, or None."""
        if not self.selected:
            return None
        i = self.selected[0]
        return i, self.parcels.ids[i], self.parcels.geoms[i]
