"""Parcels, the selection and the grade pieces of the selection.

All parcels are one ``PathCollection`` of at most two compound paths (ordinary
parcels, and those flagged ``near_boundary`` with a magenta edge), cut from a
:class:`~desktop.map.paths.PathStore` for just the parcels in view (an STRtree
query of the view box). Level of detail: when more than :data:`LOD_LIMIT`
parcels are in view, those smaller than :data:`MIN_VECTOR_PX` on screen (and, if
still too many, all but the largest ``LOD_LIMIT``) are painted into one coverage
raster (one pixel per screen pixel, opacity from the parcel area in the pixel), so a
full-extent redraw of 100 000 parcels costs about as much as drawing 5 000.

Outlines are what costs: Agg strokes a parcel about three times slower than it
fills it. So only the largest parcels in view, up to :data:`OUTLINE_VERTEX_BUDGET`
vertices, get the light face and dark outline; smaller ones beyond the budget (a few
pixels across, where the outline already covers most of the face) are filled solid
in the outline colour: same shape, size and place, one fill instead of a stroke.
Parcels flagged ``near_boundary`` always keep their magenta outline.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Patch, PathPatch

from desktop.map.layers.base import LayerArtist, ViewState
from desktop.map.paths import PathStore, geometry_path
from desktop.map.style import NEAR_BOUNDARY_EDGE, PARCEL_EDGE, PARCEL_FACE, SELECTION_EDGE, grade_style

#: Above this many parcels in view, small parcels are drawn as a raster.
LOD_LIMIT = 5000
#: Parcels at least this many pixels across stay vectors at any level of detail.
MIN_VECTOR_PX = 3.0
#: At most this many vertices of (unflagged) parcels are outlined per view, largest
#: parcels first (about 10 ms of Agg stroking on the 2-core machine); the rest are solid.
OUTLINE_VERTEX_BUDGET = 30_000
NEAR_BOUNDARY = "near_boundary"
#: A solid parcel: the outline colour, a little see-through, so that at a few pixels
#: across it reads like the outlined ring it replaces and the grade shows through.
SOLID_FACE = to_rgba(PARCEL_EDGE, 0.7)


class ScreenRaster(Artist):
    """An RGBA uint8 image already at screen resolution, pasted at the axes' lower left
    corner without resampling (an ``AxesImage`` would resample it on every draw)."""

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self.pixels = np.zeros((0, 0, 4), dtype=np.uint8)  # row 0 is the top row
        self.set_clip_on(True)

    def draw(self, renderer):
        if not self.get_visible() or not self.pixels.size:
            return
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.ax.bbox)
        x0, y0 = self.ax.bbox.x0, self.ax.bbox.y0
        renderer.draw_image(gc, round(x0), round(y0), np.ascontiguousarray(self.pixels[::-1]))  # rows bottom-up
        gc.restore()
        self.stale = False


class ParcelsLayer(LayerArtist):
    name = "parcels"
    zorder = 5.0

    def __init__(self, ax):
        super().__init__(ax)
        self.geoms = np.empty(0, dtype=object)
        self.ids: list[str] = []
        self.flagged = np.zeros(0, dtype=bool)
        self.tree: shapely.STRtree | None = None
        self.store = PathStore([])
        self.in_view = np.zeros(0, dtype=np.int64)    # parcels intersecting the view box
        self.as_vectors = np.zeros(0, dtype=np.int64)  # of which drawn as vectors
        self.as_solid = np.zeros(0, dtype=np.int64)    # of the vectors, filled solid without outline
        self.raster_count = 0                          # of which painted into the raster
        self.collection = self._add(ax.add_collection(PathCollection([], transform=ax.transData), autolim=False))
        # miter joins: the default round joins cost Agg arcs at every vertex, invisible at 0.6 pt
        self.collection.set_joinstyle("miter")
        self.solid = self._add(ax.add_collection(PathCollection([], transform=ax.transData, linewidths=0,
                                                                edgecolors="none"), autolim=False))
        self.image = ScreenRaster(ax)
        ax.add_artist(self.image)
        self._add(self.image)
        self.image.set_visible(False)

    # ------------------------------------------------------------------ data
    def set_parcels(self, geoms, ids=None, flags=None) -> None:
        """``geoms``: shapely polygons in the map CRS; ``flags``: per parcel a set of flag codes."""
        self.geoms = np.asarray(list(geoms) if not isinstance(geoms, np.ndarray) else geoms, dtype=object).ravel()
        n = len(self.geoms)
        self.ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(n)]
        self.set_flags(flags)
        self.store = PathStore(self.geoms)
        self._vertices = self.store.vend - self.store.vstart
        self.tree = shapely.STRtree(self.geoms) if n else None
        b = shapely.bounds(self.geoms) if n else np.zeros((0, 4))
        b = np.where(np.isnan(b), 0.0, b)
        self._extent = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
        self._centre = np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2])
        self._area = shapely.area(self.geoms) if n else np.zeros(0)
        self._area = np.nan_to_num(self._area)
        total = shapely.total_bounds(self.geoms) if n else np.full(4, np.nan)
        self._bounds = None if np.isnan(total).any() else tuple(float(v) for v in total)

    def update_parcels(self, indices, ids, flags) -> None:
        """Label and flags of some parcels whose outline did not change (an attribute edit, a
        new result): O(changed), where :meth:`set_parcels` rebuilds the index of every outline."""
        for i, label, f in zip(indices, ids, flags):
            self.ids[i] = str(label)
            self.flagged[i] = bool(f) and NEAR_BOUNDARY in f

    def set_flags(self, flags) -> None:
        n = len(self.geoms)
        self.flagged = np.array([bool(f) and NEAR_BOUNDARY in f for f in flags], dtype=bool) if flags is not None \
            else np.zeros(n, dtype=bool)
        if len(self.flagged) != n:
            raise ValueError(f"{len(self.flagged)} flag sets for {n} parcels")

    @property
    def bounds(self):
        return self._bounds if len(self.geoms) else None

    # ------------------------------------------------------------------ view
    def update_view(self, view: ViewState) -> None:
        if self.tree is None:
            self.in_view = self.as_vectors = self.as_solid = np.zeros(0, dtype=np.int64)
            self.collection.set_paths([])
            self.solid.set_paths([])
            self.image.set_visible(False)
            self.raster_count = 0
            return
        idx = self.tree.query(shapely.box(*view.bounds))  # order does not matter for drawing
        self.in_view = idx
        raster = np.zeros(0, dtype=np.int64)
        if len(idx) > LOD_LIMIT:
            size_px = self._extent[idx] / view.pixel_size
            big = size_px >= MIN_VECTOR_PX
            if big.sum() > LOD_LIMIT:  # keep only the largest LOD_LIMIT as vectors
                cut = np.partition(size_px, len(idx) - LOD_LIMIT)[len(idx) - LOD_LIMIT]
                big = size_px >= cut
            idx, raster = idx[big], idx[~big]
        self.as_vectors = idx
        flagged = self.flagged[idx]
        outlined, solid = self._outline_budget(idx, flagged)
        paths, edges, widths = [], [], []
        for mask, edge, width in ((outlined & ~flagged, PARCEL_EDGE, 0.6), (flagged, NEAR_BOUNDARY_EDGE, 1.5)):
            if mask.any():
                paths.append(self.store.path(idx[mask]))
                edges.append(edge)
                widths.append(width)
        self.collection.set_paths(paths)
        self.collection.set_facecolor([PARCEL_FACE] * len(paths))
        self.collection.set_edgecolor(edges)
        self.collection.set_linewidth(widths)
        self.as_solid = idx[solid]
        self.solid.set_paths([self.store.path(self.as_solid)] if len(self.as_solid) else [])
        self.solid.set_facecolor([SOLID_FACE])
        self._paint_raster(raster, view)

    def _outline_budget(self, idx, flagged):
        """(outlined, solid) masks over ``idx``: flagged parcels are always outlined; of the
        others, the largest on screen are outlined until :data:`OUTLINE_VERTEX_BUDGET`
        vertices, the rest are filled solid."""
        verts = self._vertices[idx]
        plain = ~flagged
        outlined = plain.copy()
        if verts[plain].sum() > OUTLINE_VERTEX_BUDGET:
            order = np.flatnonzero(plain)[np.argsort(-self._extent[idx[plain]], kind="stable")]
            keep = order[np.cumsum(verts[order]) <= OUTLINE_VERTEX_BUDGET]
            outlined[:] = False
            outlined[keep] = True
        return outlined, plain & ~outlined

    def _paint_raster(self, idx, view: ViewState) -> None:
        self.raster_count = len(idx)
        if not len(idx):
            self.image.set_visible(False)
            return
        w, h, px = max(view.width_px, 1), max(view.height_px, 1), view.pixel_size
        col = np.clip(((self._centre[idx, 0] - view.x0) / px).astype(np.int64), 0, w - 1)
        row = np.clip(((view.y1 - self._centre[idx, 1]) / px).astype(np.int64), 0, h - 1)  # row 0 at the top
        cell = row * w + col
        cover = np.bincount(cell, weights=self._area[idx], minlength=w * h) / (px * px)
        filled = np.flatnonzero(cover)
        hot = np.zeros(w * h, dtype=bool)
        hot[cell[self.flagged[idx]]] = True
        rgba = np.zeros((w * h, 4), dtype=np.uint8)
        rgba[filled] = np.array(to_rgba(PARCEL_EDGE)) * 255
        rgba[filled[hot[filled]]] = np.array(to_rgba(NEAR_BOUNDARY_EDGE)) * 255
        # a parcel smaller than a pixel still shows (at least 45 % opaque); a full pixel is opaque
        rgba[filled, 3] = (np.clip(0.45 + cover[filled], 0.0, 1.0) * 255).astype(np.uint8)
        self.image.pixels = rgba.reshape(h, w, 4)
        self.image.set_visible(self.visible)

    def set_visible(self, visible: bool) -> None:
        super().set_visible(visible)
        self.image.set_visible(self.visible and self.raster_count > 0)

    # ------------------------------------------------------------------ queries
    def hit_test(self, x: float, y: float, tolerance: float = 0.0) -> int | None:
        """The parcel under (x, y): the smallest one containing it, else the nearest within
        ``tolerance`` metres; None when there is none."""
        if self.tree is None:
            return None
        point = shapely.Point(x, y)
        cand = self.tree.query(point, predicate="dwithin", distance=max(float(tolerance), 0.0))
        if not len(cand):
            return None
        dist = shapely.distance(self.geoms[cand], point)
        inside = cand[dist == 0]
        if len(inside):
            return int(inside[np.argmin(self._area[inside])])
        return int(cand[np.argmin(dist)])

    def legend_entries(self):
        if not self.visible or not len(self.geoms):
            return []
        out = [(Patch(facecolor=PARCEL_FACE, edgecolor=PARCEL_EDGE, lw=0.6), self.texts.parcel)]
        if self.flagged.any():
            out.append((Patch(facecolor=PARCEL_FACE, edgecolor=NEAR_BOUNDARY_EDGE, lw=1.5), self.texts.parcel_near_line))
        return out


class SelectionLayer(LayerArtist):
    name = "selection"
    zorder = 7.0

    def __init__(self, ax):
        super().__init__(ax)
        self.indices: list[int] = []
        self.patch = self._add(ax.add_patch(PathPatch(geometry_path(None), facecolor=SELECTION_EDGE + "22",
                                                      edgecolor=SELECTION_EDGE, linewidth=2.2)))

    def set_selection(self, indices, geoms) -> None:
        self.indices = [int(i) for i in indices] if indices is not None else []
        self.patch.set_path(geometry_path([geoms[i] for i in self.indices]) if self.indices else geometry_path(None))


class PiecesLayer(LayerArtist):
    """The grade pieces of the selected parcels, coloured by grade."""

    name = "pieces"
    zorder = 6.0

    def __init__(self, ax):
        super().__init__(ax)
        self.grades: list[int] = []
        self.collection = self._add(ax.add_collection(PathCollection([], transform=ax.transData), autolim=False))

    def set_pieces(self, pieces) -> None:
        """``pieces``: ((grade, outline), …) of one parcel, as its stored result keeps them."""
        if not pieces:
            self.grades = []
            self.collection.set_paths([])
            return
        self.grades = sorted({g for g, _ in pieces})
        paths = [geometry_path([geom for g, geom in pieces if g == grade]) for grade in self.grades]
        self.collection.set_paths(paths)
        self.collection.set_facecolor([grade_style(g)[2] + "99" for g in self.grades])
        self.collection.set_edgecolor("white")
        self.collection.set_linewidth(0.8)
