"""Draw a parcel outline, or a hole in the selected parcel.

Click the vertices (a rubber band follows the cursor); Backspace removes the last
vertex; Enter, a double-click or a click on the first vertex finishes; Esc
cancels. While drawing, :meth:`DrawPolygonTool.preview` gives the live area (m²)
and its split across the grades (:func:`zones.overlay.split_by_grade` on the zone
set's prepared index). With snapping on, a click within ``snap_px`` pixels of an
existing parcel vertex or a grade line lands exactly on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from desktop.map.tools.base import Cancelled, Command, Finished, MapEvent, Overlay, Rejected, Tool
from desktop.map.tools.geometry_edit import add_hole, part_containing


@dataclass(frozen=True)
class Preview:
    """The polygon as it would be if finished at the cursor (m², unrounded)."""
    vertices: tuple
    area_m2: float
    by_grade: dict = field(default_factory=dict)
    outside_m2: float = 0.0
    valid: bool = True

    def text(self, grade_label=lambda g: f"{g}级", language: str = "zh_CN") -> str:
        zh = str(language).startswith("zh")
        parts = [f"{'面积' if zh else 'Area'} {self.area_m2:,.2f} m²"]
        parts += [f"{grade_label(g) if zh else f'Grade {g}'} {a:,.2f}" for g, a in self.by_grade.items() if a > 0]
        if self.outside_m2 > 0.005:
            parts.append(f"{'范围外' if zh else 'outside'} {self.outside_m2:,.2f}")
        if not self.valid:
            parts.append("图形自相交" if zh else "outline crosses itself")
        return " · ".join(parts)


def grade_split(polygon, prepared) -> tuple[dict, float]:
    """{grade: m²} and m² outside every grade of one polygon; empty without a zone set."""
    if prepared is None or polygon.is_empty:
        return {}, 0.0
    from zones.overlay import split_by_grade

    split = split_by_grade(np.array([polygon], dtype=object), prepared)
    return {g: float(a) for g, a in zip(split.grades, split.by_grade[0])}, float(split.outside[0])


class DrawPolygonTool(Tool):
    name = "draw"

    def __init__(self, context, snap_px: float = 10.0):
        super().__init__(context)
        self.snap_px = snap_px
        self.vertices: list[tuple[float, float]] = []
        self.cursor: tuple[float, float] | None = None
        self.snapped: tuple[float, float] | None = None

    # ------------------------------------------------------------ events
    def _point(self, ev: MapEvent, closing: bool = True) -> tuple[float, float]:
        """The event point, snapped to the first vertex (to close) or to the snap targets."""
        radius = self._tolerance(self.snap_px)
        if closing and len(self.vertices) >= 3:
            fx, fy = self.vertices[0]
            if (fx - ev.x) ** 2 + (fy - ev.y) ** 2 <= radius ** 2:
                self.snapped = (fx, fy)
                return self.snapped
        hit = self.context.snap(ev.x, ev.y, radius)
        self.snapped = hit
        return hit if hit is not None else (float(ev.x), float(ev.y))

    def press(self, ev: MapEvent):
        if ev.button != "left":
            return None
        start = self._start_check()
        if start is not None:
            return start
        point = self._point(ev)
        if ev.dblclick:
            self._append(point)
            return self.finish()
        if len(self.vertices) >= 3 and point == self.vertices[0]:
            return self.finish()  # clicked the first vertex: close the outline
        self._append(point)
        self.cursor = point
        return None

    def _append(self, point) -> None:
        if not self.vertices or self.vertices[-1] != point:
            self.vertices.append(point)

    def move(self, ev: MapEvent):
        if self.vertices:
            self.cursor = self._point(ev)
        else:
            self._point(ev)  # show where the first click would snap
        return None

    def key(self, key: str):
        if key == "backspace":
            if self.vertices:
                self.vertices.pop()
            return None
        if key in ("enter", "return"):
            return self.finish() if self.vertices else None
        if key == "escape":
            had = bool(self.vertices)
            self.cancel()
            return Cancelled() if had else None
        return None

    def cancel(self):
        self.vertices, self.cursor, self.snapped = [], None, None

    @property
    def busy(self):
        return bool(self.vertices)

    # ------------------------------------------------------------ results
    def _start_check(self):
        return None

    def finish(self):
        ring = list(self.vertices)
        if len(ring) < 3:
            return Rejected("至少需要三个不同的顶点")
        polygon = shapely.Polygon(ring)
        if not polygon.is_valid:
            return Rejected(f"图形无效（{shapely.is_valid_reason(polygon)}），请调整顶点")
        if polygon.area <= 0:
            return Rejected("图形面积为零")
        result = self._finished(polygon)
        if not isinstance(result, Rejected):
            self.cancel()
        return result

    def _finished(self, polygon):
        by_grade, outside = grade_split(polygon, self.context.prepared_zones())
        return Finished(polygon, float(polygon.area), by_grade, outside)

    def preview(self) -> Preview | None:
        ring = list(self.vertices)
        if self.cursor is not None and (not ring or ring[-1] != self.cursor):
            ring.append(self.cursor)
        if len(ring) < 3:
            return None
        polygon = shapely.Polygon(ring)
        if not polygon.is_valid:
            return Preview(tuple(ring), float(abs(shapely.area(shapely.make_valid(polygon)))), valid=False)
        by_grade, outside = grade_split(polygon, self.context.prepared_zones())
        return Preview(tuple(ring), float(polygon.area), by_grade, outside)

    def overlay(self):
        ov = Overlay(snap=self.snapped)
        if self.vertices:
            ring = list(self.vertices) + ([self.cursor] if self.cursor is not None else [])
            ov.lines = [np.array(ring + [ring[0]] if len(ring) >= 3 else ring, dtype=float)]
            ov.closed = len(ring) >= 3
            ov.handles = list(self.vertices)
            preview = self.preview()
            if preview is not None:
                label = getattr(self.context, "grade_label", lambda g: f"{g}级")
                ov.text = preview.text(label, getattr(getattr(self.context, "texts", None), "language", "zh_CN"))
        return ov


class DrawHoleTool(DrawPolygonTool):
    """Draw a hole (a part of the parcel not held, e.g. another owner's plot inside it)."""

    name = "hole"

    def _start_check(self):
        if not self.vertices and self.context.selected_parcel() is None:
            return Rejected("请先选择要挖洞的宗地")
        return None

    def _finished(self, polygon):
        target = self.context.selected_parcel()
        if target is None:
            return Rejected("请先选择要挖洞的宗地")
        index, parcel_id, geometry = target
        part = part_containing(geometry, polygon)
        if part is None:
            return Rejected("洞必须完全位于所选宗地内部，且不与已有的洞相交")
        after, ring = add_hole(geometry, part, polygon)
        if not after.is_valid:
            return Rejected(f"挖洞后图形无效（{shapely.is_valid_reason(after)}）")
        new = tuple(map(tuple, np.asarray(polygon.exterior.coords)[:-1, :2].tolist()))
        return Command("add_hole", index, parcel_id, part, ring, None, None, new, geometry, after)
