"""Scale bar and north arrow, sized in points so they stay legible at any zoom, and
pasted as pre-drawn images (:mod:`desktop.map.stamps`) so a redraw does no text layout."""

from __future__ import annotations

import math

import numpy as np

from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import Polygon, Rectangle

from desktop.map.layers.base import ViewState
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
            self.stamp.set_pixels(rasterize(lambda ax: self._build(ax, bar_px), self.ax.figure.dpi)[0], key)

    def _build(self, ax, bar_px: float):
        bar = AuxTransformBox(ax.transData)           # scratch axes: one data unit = one pixel
        half = bar_px / 2
        bar.add_artist(Rectangle((0, 0), half, 5, facecolor="black", edgecolor="black", lw=0.8))
        bar.add_artist(Rectangle((half, 0), half, 5, facecolor="white", edgecolor="black", lw=0.8))
        label = TextArea(length_text(self.length_m), textprops=dict(fontsize=8))
        zero = TextArea("0", textprops=dict(fontsize=8))
        # "0" at the left end, the length at the right: spread the labels over the bar (points)
        bar_pt = bar_px * 72 / ax.figure.dpi
        labels_pt = 8 * 0.6 * (len(length_text(self.length_m)) + 1)
        row = HPacker(children=[zero, label], sep=max(bar_pt - labels_pt, 2), align="baseline")
        box = VPacker(children=[row, bar], align="right", pad=0, sep=2)
        anchored = AnchoredOffsetbox("center", child=box, pad=0.4, borderpad=0, frameon=True)
        anchored.patch.set(facecolor="white", alpha=0.85, edgecolor="none")
        ax.add_artist(anchored)
        return anchored


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
