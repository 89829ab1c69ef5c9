"""Static map furniture (legend, north arrow, scale bar, caption) drawn once into a
small image and pasted on every draw.

Laying out a legend or a caption costs matplotlib several milliseconds of text
layout per draw (about 40 of the 60 ms a zoomed-in redraw took); the furniture
only changes when the zone set, the visible layers, the language or the scale
bar's length change. A :class:`Stamp` is an artist holding such an image,
anchored to a corner of the axes (or of the figure) in pixels, with no
resampling: it stays sharp and costs a memcpy.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Scratch canvas for rasterising furniture, in pixels; larger items are clipped.
SCRATCH_PX = (1400, 900)


def rasterize(build, dpi: float):
    """Draw what ``build(ax)`` adds to a blank transparent axes and crop it.

    ``build`` returns the artist to keep (a Legend, an AnchoredOffsetbox, a Text);
    returns (RGBA uint8 image with row 0 at the top, the artist)."""
    w, h = SCRATCH_PX
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    fig.patch.set_alpha(0.0)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.patch.set_alpha(0.0)
    ax.set_xlim(0, w)          # one data unit = one pixel, for furniture sized in pixels
    ax.set_ylim(0, h)
    artist = build(ax)
    canvas.draw()
    box = artist.get_window_extent(canvas.get_renderer())
    x0, x1 = max(int(np.floor(box.x0)) - 1, 0), min(int(np.ceil(box.x1)) + 1, w)
    y0, y1 = max(int(np.floor(box.y0)) - 1, 0), min(int(np.ceil(box.y1)) + 1, h)
    pixels = np.asarray(canvas.buffer_rgba())[h - y1:h - y0, x0:x1].copy()
    return pixels, artist


class Stamp(Artist):
    """A pre-rendered image pasted at a corner of ``ax`` (or of the figure when ``ax`` is
    None), ``pad_px`` pixels in. ``corner``: 'lower left', 'upper right', ….
    """

    def __init__(self, ax, corner: str, pad_px: float = 6.0, figure=None):
        super().__init__()
        self.ax, self.corner, self.pad_px = ax, corner, pad_px
        self._fig = figure if figure is not None else ax.figure
        self.pixels = np.zeros((0, 0, 4), dtype=np.uint8)
        self.key = None              # what the image was drawn for; callers compare before redrawing

    def set_pixels(self, pixels, key=None) -> None:
        self.pixels, self.key = pixels, key
        self.stale = True

    def extent_px(self):
        """(x0, y0, x1, y1) in display pixels where the image goes."""
        bbox = self.ax.bbox if self.ax is not None else self._fig.bbox
        h, w = self.pixels.shape[:2]
        vert, horiz = self.corner.split()
        x = bbox.x0 + self.pad_px if horiz == "left" else bbox.x1 - self.pad_px - w
        y = bbox.y0 + self.pad_px if vert == "lower" else bbox.y1 - self.pad_px - h
        return round(x), round(y), round(x) + w, round(y) + h

    def draw(self, renderer):
        if not self.get_visible() or not self.pixels.size:
            return
        x0, y0, _, _ = self.extent_px()
        gc = renderer.new_gc()
        gc.set_clip_rectangle((self.ax.bbox if self.ax is not None else self._fig.bbox))
        # draw_image takes rows bottom-up; the image is kept top-down like the canvas buffer
        renderer.draw_image(gc, x0, y0, np.ascontiguousarray(self.pixels[::-1]))
        gc.restore()
        self.stale = False
