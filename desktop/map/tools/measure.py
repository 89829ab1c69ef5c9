"""Measure a distance along clicked points, and the area they enclose.

Click points (a rubber band follows the cursor; with snapping on, clicks land on parcel
vertices and grade lines); the running length, and from three points the enclosed area
and perimeter, show in the map's corner and the status bar. Enter or a double-click ends
the measurement (it stays shown until the next click); Backspace removes the last point;
Esc clears. Plane lengths and areas in EPSG:4549 (m, m²), like every area the application
assesses. The tool changes nothing: it returns no result to the shell.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely

from desktop.map.tools.base import MapEvent, Overlay, Tool

M2_PER_MU = 10000.0 / 15.0      # 1 亩 = 666.67 m²


@dataclass(frozen=True)
class Measurement:
    points: tuple               # (x, y) in order, the cursor last while measuring
    length_m: float             # along the points, not closed
    area_m2: float | None       # the closed polygon's area (three points or more), else None
    perimeter_m: float | None
    valid: bool = True          # the closed outline does not cross itself

    def text(self, language: str = "zh_CN") -> str:
        zh = language.startswith("zh")
        parts = [f"{'距离' if zh else 'Distance'} {self.length_m:,.2f} m"]
        if self.area_m2 is not None:
            mu = self.area_m2 / M2_PER_MU
            parts.append(f"{'面积' if zh else 'Area'} {self.area_m2:,.2f} m²（{mu:,.2f} 亩）" if zh else
                         f"Area {self.area_m2:,.2f} m² ({mu:,.2f} mu)")
            parts.append(f"{'周长' if zh else 'Perimeter'} {self.perimeter_m:,.2f} m")
            if not self.valid:
                parts.append("图形自相交" if zh else "outline crosses itself")
        return " · ".join(parts)


def measure(points) -> Measurement:
    pts = [(float(x), float(y)) for x, y in points]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(pts))
    if len(pts) < 3:
        return Measurement(tuple(pts), length, None, None)
    polygon = shapely.Polygon(pts)
    valid = bool(polygon.is_valid)
    # a crossing outline has no single area: give the area it covers, flagged
    area = float(polygon.area) if valid else float(shapely.make_valid(polygon).area)
    return Measurement(tuple(pts), length, area, length + math.dist(pts[-1], pts[0]), valid)


class MeasureTool(Tool):
    name = "measure"

    def __init__(self, context, snap_px: float = 10.0):
        super().__init__(context)
        self.snap_px = snap_px
        self.points: list[tuple[float, float]] = []
        self.cursor: tuple[float, float] | None = None
        self.snapped: tuple[float, float] | None = None
        self.done = False           # the last measurement ended; it stays until the next click

    def _point(self, ev: MapEvent) -> tuple[float, float]:
        hit = self.context.snap(ev.x, ev.y, self._tolerance(self.snap_px))
        self.snapped = hit
        return hit if hit is not None else (float(ev.x), float(ev.y))

    def press(self, ev: MapEvent):
        if ev.button != "left":
            return
        if self.done:
            self.points, self.done = [], False
        point = self._point(ev)
        if not self.points or self.points[-1] != point:
            self.points.append(point)
        self.cursor = point
        if ev.dblclick:
            self._end()

    def move(self, ev: MapEvent):
        point = self._point(ev)
        if self.points and not self.done:
            self.cursor = point

    def key(self, key: str):
        if key == "backspace" and self.points and not self.done:
            self.points.pop()
            if not self.points:
                self.cursor = None
        elif key in ("enter", "return") and self.points:
            self._end()
        elif key == "escape":
            self.cancel()

    def _end(self) -> None:
        self.done, self.cursor = True, None

    def cancel(self) -> None:
        self.points, self.cursor, self.snapped, self.done = [], None, None, False

    @property
    def busy(self) -> bool:
        return bool(self.points) and not self.done

    def measurement(self) -> Measurement | None:
        pts = list(self.points)
        if self.cursor is not None and not self.done and (not pts or pts[-1] != self.cursor):
            pts.append(self.cursor)
        return measure(pts) if pts else None

    def overlay(self):
        ov = Overlay(snap=self.snapped)
        m = self.measurement()
        if m is None:
            return ov
        ring = list(m.points)
        ov.lines = [np.array(ring + [ring[0]] if len(ring) >= 3 else ring, dtype=float)]
        ov.closed = len(ring) >= 3
        ov.handles = list(self.points)
        if len(ring) >= 2:
            texts = getattr(self.context, "texts", None)
            ov.text = m.text(getattr(texts, "language", "zh_CN"))
        return ov
