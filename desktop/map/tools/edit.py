"""Edit the vertices of the selected parcel: drag a vertex to move it; press on an
edge to insert a vertex there (and drag it into place); right-click a vertex, or
hover it and press Delete/Backspace, to delete it. Esc abandons a drag. Each edit
returns one :class:`~desktop.map.tools.base.Command` carrying old and new values."""

from __future__ import annotations

import numpy as np
import shapely

from desktop.map.tools import geometry_edit as ge
from desktop.map.tools.base import Cancelled, Command, MapEvent, Overlay, Rejected, Tool

#: How close (pixels) the cursor must be to a vertex or an edge to grab it.
GRAB_PX = 8


class EditVerticesTool(Tool):
    name = "edit"

    def __init__(self, context, snap_px: float = 10.0):
        super().__init__(context)
        self.snap_px = snap_px
        self.drag: tuple | None = None      # (kind 'move'|'insert', part, ring, index, old xy or None)
        self.target: tuple | None = None    # (index, id, geometry) while dragging
        self.at: tuple | None = None        # current drag position
        self.hover = None     # (part, ring, index, xy) of the vertex under the cursor

    def _target(self):
        return self.context.selected_parcel()

    def press(self, ev: MapEvent):
        target = self._target()
        if target is None:
            return Rejected("请先选择要编辑的宗地")
        index, parcel_id, geom = target
        radius = self._tolerance(GRAB_PX)
        vertex = ge.nearest_vertex(geom, ev.x, ev.y, radius)
        if ev.button == "right":
            return self._delete(target, vertex) if vertex is not None else None
        if ev.button != "left":
            return None
        if vertex is not None:
            part, ring, i, xy = vertex
            self.drag, self.target, self.at = ("move", part, ring, i, xy), target, xy
            return None
        edge = ge.nearest_edge(geom, ev.x, ev.y, radius)
        if edge is not None:
            part, ring, i, xy = edge
            self.drag, self.target, self.at = ("insert", part, ring, i, None), target, xy
        return None

    def move(self, ev: MapEvent):
        if self.drag is not None:
            self.at = self._snapped(ev)
            return None
        target = self._target()
        self.hover = ge.nearest_vertex(target[2], ev.x, ev.y, self._tolerance(GRAB_PX)) if target else None
        return None

    def _snapped(self, ev):
        hit = self.context.snap(ev.x, ev.y, self._tolerance(self.snap_px), exclude=self.target[0])
        return hit if hit is not None else (float(ev.x), float(ev.y))

    def release(self, ev: MapEvent):
        if self.drag is None or self.target is None:     # set together when a drag starts
            return None
        kind, part, ring, i, old = self.drag
        new = self._snapped(ev)
        index, parcel_id, geom = self.target
        self.drag = self.target = self.at = None
        if kind == "move":
            if new == old:
                return None
            after = ge.move_vertex(geom, part, ring, i, new)
        else:
            after = ge.insert_vertex(geom, part, ring, i, new)
        if not after.is_valid:
            return Rejected(f"修改后图形无效（{shapely.is_valid_reason(after)}），已放弃")
        return Command(f"{kind}_vertex", index, parcel_id, part, ring, i, old, new, geom, after)

    def key(self, key: str):
        if key == "escape" and self.drag is not None:
            self.drag = self.target = self.at = None
            return Cancelled()
        if key in ("delete", "backspace") and self.hover is not None:
            target = self._target()
            return self._delete(target, self.hover) if target else None
        return None

    def _delete(self, target, vertex):
        index, parcel_id, geom = target
        part, ring, i, xy = vertex
        try:
            after = ge.delete_vertex(geom, part, ring, i)
        except ValueError:
            return Rejected("每个环至少要保留三个顶点")
        if not after.is_valid:
            return Rejected(f"删除后图形无效（{shapely.is_valid_reason(after)}）")
        self.hover = None
        return Command("delete_vertex", index, parcel_id, part, ring, i, xy, None, geom, after)

    def cancel(self):
        self.drag = self.target = self.at = self.hover = None

    @property
    def busy(self):
        return self.drag is not None

    def overlay(self):
        target = self.target or self._target()
        if target is None:
            return None
        geom = target[2]
        if self.drag is not None and self.at is not None:
            kind, part, ring, i, _ = self.drag
            geom = (ge.move_vertex if kind == "move" else ge.insert_vertex)(geom, part, ring, i, self.at)
        lines = [c for _, _, c in ge.rings(geom)]
        handles = [tuple(xy) for c in lines for xy in c.tolist()]
        return Overlay(lines=[np.vstack([c, c[:1]]) for c in lines], closed=False, handles=handles,
                       snap=self.hover[3] if self.hover and self.drag is None else self.at)
