"""A pin where a search or a go-to went, drawn on the map's axes above the parcels until
the next search (or until cleared)."""

from __future__ import annotations

from matplotlib.lines import Line2D

MARKER_COLOUR = "#d81b60"


class FoundMarker:
    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.artist = Line2D([], [], ls="none", marker="o", ms=14, mfc="none", mec=MARKER_COLOUR, mew=2.5, zorder=15)
        self.centre = Line2D([], [], ls="none", marker="+", ms=14, mec=MARKER_COLOUR, mew=1.5, zorder=15)
        canvas.view.ax.add_line(self.artist)
        canvas.view.ax.add_line(self.centre)
        self.point: tuple | None = None

    def show(self, x: float, y: float) -> None:
        self.point = (x, y)
        for a in (self.artist, self.centre):
            a.set_data([x], [y])
        self.canvas.canvas.draw_idle()

    def clear(self) -> None:
        self.point = None
        for a in (self.artist, self.centre):
            a.set_data([], [])
        self.canvas.canvas.draw_idle()
