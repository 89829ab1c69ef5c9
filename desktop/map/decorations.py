"""Scale bar and north arrow, sized in points so they stay legible at any zoom, and
pasted as pre-drawn images (:mod:`desktop.map.stamps`) so a redraw does no text layout."""

from __future__ import annotations

import math

import numpy as np

from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, TextArea, VPacker
from matplotlib.patches import Polygon

from desktop.map.layers.base import ViewState
from desktop.map.labels import label_image
from desktop.map.stamps import Stamp, rasterize


def nice_length(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above ``max_m``."""
    if max_m <= 0:
        return 0.0
    exp = math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * 10 ** exp <= max_m:
            return float(step * 10 ** exp)
    return float(10 ** exp)


def length_text(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


class ScaleBar:
    """A two-segment black/white bar about a fifth of the map width, bottom right.
    EPSG:4549 is a Gauss–Krüger projection (scale factor ≈ 1.0001 at Wenzhou), so map
    metres are ground metres to well within the bar's precision. Redrawn as an image
    only when its length or its width in pixels changes (not while panning)."""

    def __init__(self, ax):
        self.ax = ax
        self.stamp = Stamp(ax, "lower right", pad_px=6)
        self.stamp.set_zorder(10)
        ax.add_artist(self.stamp)
        self.length_m = 0.0

    def update(self, view: ViewState) -> None:
        width_m = view.x1 - view.x0
        self.length_m = nice_length(width_m * 0.2)
        if self.length_m <= 0:
            self.stamp.set_pixels(np.zeros((0, 0, 4), np.uint8))
            return
        bar_px = self.length_m / view.pixel_size
        key = (self.length_m, round(bar_px), self.ax.figure.dpi)
        if key != self.stamp.key:
            self.stamp.set_pixels(self._compose(bar_px), key)

    def _compose(self, bar_px: float) -> np.ndarray:
        """The bar as an RGBA image put together with numpy: it changes at every zoom, and
        laying it out with matplotlib offset boxes cost ~10 ms a time. The two labels are
        cached text images (:func:`desktop.map.labels.label_image`)."""
        dpi = self.ax.figure.dpi
        zero = label_image("0", 8, "black", 0, dpi)
        label = label_image(length_text(self.length_m), 8, "black", 0, dpi)
        pad, bar_h, gap = 4, 6, 1
        bar_w = max(int(round(bar_px)), 2)
        inner_w = max(bar_w, zero.shape[1] + label.shape[1] + 2)
        text_h = max(zero.shape[0], label.shape[0])
        W, H = inner_w + 2 * pad, text_h + gap + bar_h + 2 * pad
        img = np.zeros((H, W, 4), dtype=float)
        img[:] = (1.0, 1.0, 1.0, 0.85)                       # the white, slightly see-through box
        left = W - pad - bar_w                               # bar and labels aligned right
        for text, x in ((zero, left), (label, W - pad - label.shape[1])):
            src = text.astype(float) / 255
            a = src[..., 3:]
            h, w = src.shape[:2]
            dst = img[pad:pad + h, x:x + w]
            dst[..., :3] = src[..., :3] * a + dst[..., :3] * (1 - a)
            dst[..., 3:] = a + dst[..., 3:] * (1 - a)
        top = pad + text_h + gap
        bar = img[top:top + bar_h, left:left + bar_w]
        half = bar_w // 2
        bar[..., :3] = 1.0
        bar[:, :half, :3] = 0.0                              # black left half, white right half
        bar[[0, -1], :, :3] = 0.0                            # black outline
        bar[:, [0, half, -1], :3] = 0.0
        bar[..., 3] = 1.0
        return (img * 255).round().astype(np.uint8)


class NorthArrow:
    """Grid north of EPSG:4549; at Wenzhou (≈120.7°E, 28°N) it differs from true north by
    about 0.3°, far below what the arrow can show. Drawn once as an image."""

    def __init__(self, ax, label: str = "北"):
        self.ax = ax
        self.stamp = Stamp(ax, "upper right", pad_px=6)
        self.stamp.set_zorder(10)
        ax.add_artist(self.stamp)
        self.label = ""
        self.set_label(label)

    def set_label(self, label: str) -> None:
        """The letter over the arrow (北 or N); redrawn only when it changes."""
        if label == self.label:
            return
        self.label = label
        self.stamp.set_pixels(rasterize(lambda ax: self._build(ax, label), self.ax.figure.dpi)[0],
                              (label, self.ax.figure.dpi))

    @staticmethod
    def _build(ax, text: str):
        da = DrawingArea(24, 40, 0, 0)
        da.add_artist(Polygon([(12, 38), (4, 2), (12, 10)], closed=True, facecolor="black", edgecolor="black", lw=0.8))
        da.add_artist(Polygon([(12, 38), (20, 2), (12, 10)], closed=True, facecolor="white", edgecolor="black", lw=0.8))
        label = TextArea(text, textprops=dict(fontsize=10))
        box = VPacker(children=[label, da], align="center", pad=0, sep=1)
        anchored = AnchoredOffsetbox("center", child=box, pad=0.3, borderpad=0, frameon=True)
        anchored.patch.set(facecolor="white", alpha=0.8, edgecolor="none")
        ax.add_artist(anchored)
        return anchored

    def set_visible(self, visible: bool) -> None:
        self.stamp.set_visible(visible)
