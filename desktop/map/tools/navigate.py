"""Pan by dragging; zoom to a dragged box (a click zooms in ×2, a right click out ×2)."""

from __future__ import annotations

from desktop.map.tools.base import MapEvent, Overlay, Pan, Tool, ZoomTo

#: A drag shorter than this many pixels is a click.
CLICK_PX = 4


class PanTool(Tool):
    name = "pan"

    def __init__(self, context):
        super().__init__(context)
        self.anchor = None

    def press(self, ev: MapEvent):
        if ev.button in ("left", "middle"):
            self.anchor = (ev.x, ev.y)

    def move(self, ev: MapEvent):
        # the point grabbed stays under the cursor: after the view moves by the
        # difference, the cursor is over the anchor again
        if self.anchor is not None:
            return Pan(self.anchor[0] - ev.x, self.anchor[1] - ev.y)

    def release(self, ev: MapEvent):
        result = self.move(ev)
        self.anchor = None
        return result

    def cancel(self):
        self.anchor = None

    @property
    def busy(self):
        return self.anchor is not None


class ZoomBoxTool(Tool):
    name = "zoom"

    def __init__(self, context):
        super().__init__(context)
        self.start = self.end = None

    def press(self, ev: MapEvent):
        if ev.button == "right":
            x0, y0, x1, y1 = self._view_box(ev, 2.0)
            return ZoomTo((x0, y0, x1, y1))
        if ev.button == "left":
            self.start = self.end = (ev.x, ev.y)

    def move(self, ev: MapEvent):
        if self.start is not None:
            self.end = (ev.x, ev.y)

    def release(self, ev: MapEvent):
        if self.start is None:
            return None
        (x0, y0), (x1, y1) = self.start, (ev.x, ev.y)
        self.start = self.end = None
        if max(abs(x1 - x0), abs(y1 - y0)) < self._tolerance(CLICK_PX):
            return ZoomTo(self._view_box(ev, 0.5))
        return ZoomTo((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def _view_box(self, ev, factor):
        """The view scaled by ``factor`` about the event point (a click: ×0.5 zooms in)."""
        px = self.context.pixel_size() * factor
        w, h = self.context.view_size_px()
        return (ev.x - w * px / 2, ev.y - h * px / 2, ev.x + w * px / 2, ev.y + h * px / 2)

    def cancel(self):
        self.start = self.end = None

    @property
    def busy(self):
        return self.start is not None

    def overlay(self):
        if self.start is None or self.end is None:
            return None
        (x0, y0), (x1, y1) = self.start, self.end
        return Overlay(box=(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
