"""TEMPORARY stand-in for desktop.map.map_canvas.MapCanvas while that module is being
written (same signals and methods, draws nothing). Remove once the real canvas exists."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


def describe_position(x, y):
    return (0.0, 0.0, y, x, None)


class MapCanvas(QWidget):
    cursorMoved = Signal(float, float)
    parcelClicked = Signal(object)
    toolFinished = Signal(object)
    viewChanged = Signal()

    def __getattr__(self, name):
        if name.startswith(("set_", "zoom_", "render_")):
            return lambda *a, **k: None
        raise AttributeError(name)
