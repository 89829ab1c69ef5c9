"""Select parcels: a click picks the parcel under the cursor, a drag picks every
parcel the box touches; Shift adds to the selection, Ctrl toggles."""

from __future__ import annotations

from desktop.map.tools.base import MapEvent, Overlay, Selected, Tool
from desktop.map.tools.navigate import CLICK_PX

#: A click this close (pixels) to a parcel's edge still picks it.
HIT_PX = 3


def _mode(ev: MapEvent) -> str:
    if "shift" in ev.modifiers:
        return "add"
    if "ctrl" in ev.modifiers:
        return "toggle"
    return "replace"


class SelectTool(Tool):
    name = "select"

    def __init__(self, context):
        super().__init__(context)
        self.start = self.end = None
        self.mode = "replace"

    def press(self, ev: MapEvent):
        if ev.button == "left":
            self.start = self.end = (ev.x, ev.y)
            self.mode = _mode(ev)

    def move(self, ev: MapEvent):
        if self.start is not None:
            self.end = (ev.x, ev.y)

    def release(self, ev: MapEvent):
        if self.start is None:
            return None
        (x0, y0), (x1, y1) = self.start, (ev.x, ev.y)
        self.start = self.end = None
        if max(abs(x1 - x0), abs(y1 - y0)) < self._tolerance(CLICK_PX):
            hit = self.context.hit_test(ev.x, ev.y, self._tolerance(HIT_PX))
            return Selected(() if hit is None else (hit,), self.mode, clicked=True)
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        return Selected(tuple(int(i) for i in self.context.parcels_in_box(box)), self.mode)

    def cancel(self):
        self.start = self.end = None

    @property
    def busy(self):
        return self.start is not None

    def overlay(self):
        if self.start is None or self.end is None or self.start == self.end:
            return None
        (x0, y0), (x1, y1) = self.start, self.end
        return Overlay(box=(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
