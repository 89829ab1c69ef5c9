"""Map labels (road, river and district names) as cached images.

A haloed label drawn by matplotlib costs about a millisecond of CJK text layout
and glyph loading on every redraw; a city view carries 15–20 of them, a third
of a zoomed-in redraw. A label's look depends only on its text, size, colour and
angle, so each is rendered once into a small RGBA image (angle rounded to whole
degrees) and pasted, unresampled, with its centre on its map point at every
draw. Pans and zooms that keep a road's label at the same angle reuse it.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

HALO_PT = 2.5                   # white halo width around the letters, points
#: Scratch canvas, pixels: the longest label at any angle must fit.
SCRATCH_PX = 640
CACHE_SIZE = 512                # label images kept (a few KiB each)

_cache: OrderedDict = OrderedDict()
_scratch: dict = {}


def _scratch_canvas(dpi: float):
    if dpi not in _scratch:
        fig = Figure(figsize=(SCRATCH_PX / dpi, SCRATCH_PX / dpi), dpi=dpi)
        fig.patch.set_alpha(0.0)
        canvas = FigureCanvasAgg(fig)
        text = fig.text(0.5, 0.5, "", ha="center", va="center", rotation_mode="anchor",
                        path_effects=[patheffects.withStroke(linewidth=HALO_PT, foreground="white")])
        _scratch[dpi] = (canvas, text)
    return _scratch[dpi]


def label_image(text: str, fontsize: float, colour: str, angle: float, dpi: float, alpha: float = 1.0) -> np.ndarray:
    """RGBA uint8 image (row 0 at the top) of ``text`` with a white halo, rotated by
    ``angle`` degrees, its centre on the image's centre pixel."""
    key = (text, float(fontsize), colour, int(round(angle)) % 360, float(dpi), float(alpha))
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    canvas, artist = _scratch_canvas(dpi)
    artist.set(text=text, fontsize=fontsize, color=colour, rotation=key[3], alpha=alpha)
    canvas.draw()
    box = artist.get_window_extent(canvas.get_renderer())
    c = SCRATCH_PX / 2
    pad = int(np.ceil(HALO_PT * dpi / 72)) + 1
    hw = int(np.ceil(max(c - box.x0, box.x1 - c))) + pad
    hh = int(np.ceil(max(c - box.y0, box.y1 - c))) + pad
    lo_x, hi_x = max(int(c) - hw, 0), min(int(c) + hw, SCRATCH_PX)
    lo_y, hi_y = max(int(c) - hh, 0), min(int(c) + hh, SCRATCH_PX)
    # buffer rows run top-down; the box is bottom-up
    pixels = np.asarray(canvas.buffer_rgba())[SCRATCH_PX - hi_y:SCRATCH_PX - lo_y, lo_x:hi_x].copy()
    _cache[key] = pixels
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return pixels


class MapLabels(Artist):
    """Label images pasted with their centre at map points of ``ax``."""

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self.items: list[tuple[float, float, str, np.ndarray]] = []   # (x, y, text, image)

    def clear_labels(self) -> None:
        self.items = []
        self.stale = True

    def add(self, x: float, y: float, text: str, fontsize: float, colour: str, angle: float = 0.0,
            alpha: float = 1.0) -> None:
        self.items.append((float(x), float(y), text, label_image(text, fontsize, colour, angle, self.ax.figure.dpi,
                                                                 alpha)))
        self.stale = True

    @property
    def texts(self) -> list[str]:
        return [item[2] for item in self.items]

    def draw(self, renderer):
        if not self.get_visible() or not self.items:
            return
        points = self.ax.transData.transform([(x, y) for x, y, _, _ in self.items])
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.ax.bbox)
        for (px, py), (_, _, _, pixels) in zip(points, self.items):
            h, w = pixels.shape[:2]
            # draw_image takes rows bottom-up, placed by the lower left corner
            renderer.draw_image(gc, round(px - w / 2), round(py - h / 2), np.ascontiguousarray(pixels[::-1]))
        gc.restore()
        self.stale = False
