"""Scale bar and north arrow, sized in points so they stay legible at any zoom."""

from __future__ import annotations

import math

from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import Polygon, Rectangle

from desktop.map.layers.base import ViewState


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
    metres are ground metres to well within the bar's precision."""

    def __init__(self, ax):
        self.ax = ax
        self.box = None
        self.length_m = 0.0

    def update(self, view: ViewState) -> None:
        if self.box is not None:
            self.box.remove()
            self.box = None
        width_m = view.x1 - view.x0
        self.length_m = nice_length(width_m * 0.2)
        if self.length_m <= 0:
            return
        bar = AuxTransformBox(self.ax.transData)
        half = self.length_m / 2
        thick = view.pixel_size * 5  # 5 px high whatever the zoom
        bar.add_artist(Rectangle((0, 0), half, thick, facecolor="black", edgecolor="black", lw=0.8))
        bar.add_artist(Rectangle((half, 0), half, thick, facecolor="white", edgecolor="black", lw=0.8))
        label = TextArea(length_text(self.length_m), textprops=dict(fontsize=8))
        zero = TextArea("0", textprops=dict(fontsize=8))
        box = VPacker(children=[HPacker(children=[zero, label], sep=0, align="baseline"), bar], align="right",
                      pad=0, sep=2)
        self.box = AnchoredOffsetbox("lower right", child=box, pad=0.4, borderpad=0.6, frameon=True)
        self.box.patch.set(facecolor="white", alpha=0.85, edgecolor="none")
        self.box.set_zorder(10)
        self.ax.add_artist(self.box)
        # "0" at the left end, the length at the right: spread the labels over the bar (points)
        bar_pt = self.length_m / view.pixel_size * 72 / self.ax.figure.dpi
        labels_pt = 8 * 0.6 * (len(length_text(self.length_m)) + 1)
        box.get_children()[0].sep = max(bar_pt - labels_pt, 2)


class NorthArrow:
    """Grid north of EPSG:4549; at Wenzhou (≈120.7°E, 28°N) it differs from true north by
    about 0.3°, far below what the arrow can show."""

    def __init__(self, ax):
        da = DrawingArea(24, 40, 0, 0)
        da.add_artist(Polygon([(12, 38), (4, 2), (12, 10)], closed=True, facecolor="black", edgecolor="black", lw=0.8))
        da.add_artist(Polygon([(12, 38), (20, 2), (12, 10)], closed=True, facecolor="white", edgecolor="black", lw=0.8))
        label = TextArea("北", textprops=dict(fontsize=10))
        box = VPacker(children=[label, da], align="center", pad=0, sep=1)
        self.box = AnchoredOffsetbox("upper right", child=box, pad=0.3, borderpad=0.6, frameon=True)
        self.box.patch.set(facecolor="white", alpha=0.8, edgecolor="none")
        self.box.set_zorder(10)
        ax.add_artist(self.box)

    def set_visible(self, visible: bool) -> None:
        self.box.set_visible(visible)
