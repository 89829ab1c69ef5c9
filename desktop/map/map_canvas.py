"""The map widget: a thin PySide6 host around the Qt-free :class:`MapView`.

Interface the shell codes against (map coordinates are EPSG:4549 metres, x = easting):

Signals
    ``cursorMoved(float x, float y)``   the cursor's map position
    ``parcelClicked(object)``           a select-tool click: parcel index, or None for empty map
    ``toolFinished(object)``            a tool's result: ``Finished`` (drawn polygon, area, split),
                                        ``Command`` (vertex move/insert/delete, add hole; old and new
                                        values and the whole before/after geometries), ``Selected``
                                        (click or box, with mode 'replace'/'add'/'toggle'),
                                        ``Rejected`` (message) or ``Cancelled``
    ``viewChanged()``                   the visible area changed
    ``previewChanged(str)``             live text of a drawing (area and grade split), '' when idle

Methods
    ``set_zoneset(zs)``, ``set_parcels(geoms, ids, flags=None)`` (flags: per parcel a set of flag
    codes; ``near_boundary`` gets a distinct edge), ``set_flags(flags)``, ``set_selection(indices)``,
    ``set_pieces(((grade, outline), …) | None)``, ``set_tool(name)`` with name in 'pan', 'zoom', 'select',
    'draw', 'hole', 'edit', ``set_layer_visible(name, bool)`` for 'zones', 'districts',
    'reference_lines', 'accuracy_band', 'parcels' (also 'pieces', 'selection'), ``zoom_to(bounds)``,
    ``zoom_to_zones()``, ``zoom_to_parcels()``, ``zoom_to_selection()``, ``set_snapping(bool)``,
    ``render_to_png(path)``, ``describe_position(x, y) → (lon, lat, X_northing, Y_easting, grade|None)``,
    ``hit_test(x, y, tolerance_m)``, ``map_to_widget(x, y) → QPointF``, ``widget_to_map(QPointF)``,
    ``caption(full=False)`` (zone set name, legal basis, accuracy: for the status panel),
    ``set_language(lang)`` (legend, caption and north arrow in 'zh_CN' or 'en').
    ``view`` is the MapView; ``tool`` the active tool.

Mouse: the active tool gets left/right buttons; the middle button drags the map in any tool;
the wheel zooms about the cursor. Keys (Backspace, Enter, Esc, Delete) go to the active tool.
The canvas never changes the parcels: the shell applies results and calls back the setters.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backend_bases import MouseButton
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.map.map_view import MapView
from desktop.map.position import describe_position
from desktop.map.style import SKETCH_COLOUR, SNAP_COLOUR
from desktop.map.texts import for_language
from desktop.map.tools import TOOLS, Pan, Selected, ZoomTo
from desktop.map.tools.base import MapEvent
from desktop.map.tools.navigate import PanTool

WHEEL_STEP = 1.25       # zoom factor per wheel notch
RESIZE_DEBOUNCE_MS = 120
_BUTTONS = {MouseButton.LEFT: "left", MouseButton.MIDDLE: "middle", MouseButton.RIGHT: "right"}
_CURSORS = {"pan": Qt.CursorShape.OpenHandCursor, "zoom": Qt.CursorShape.CrossCursor,
            "select": Qt.CursorShape.ArrowCursor, "draw": Qt.CursorShape.CrossCursor,
            "hole": Qt.CursorShape.CrossCursor, "edit": Qt.CursorShape.PointingHandCursor,
            "measure": Qt.CursorShape.CrossCursor}


class MapCanvas(QWidget):
    cursorMoved = Signal(float, float)
    parcelClicked = Signal(object)
    toolFinished = Signal(object)
    viewChanged = Signal()
    previewChanged = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = MapView(Figure(dpi=100))
        self.canvas = FigureCanvasQTAgg(self.view.figure)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self._make_overlay()
        self._background = None
        self._drag_snapshot = None   # (canvas pixels, centre) of the last full draw, while a pan drag runs
        self._middle_pan: PanTool | None = None
        self.tool = None
        self.tool_name = ""
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._resized)
        for name, slot in (("button_press_event", self._on_press), ("button_release_event", self._on_release),
                           ("motion_notify_event", self._on_move), ("scroll_event", self._on_scroll),
                           ("key_press_event", self._on_key), ("resize_event", self._on_resize),
                           ("draw_event", self._on_draw)):
            self.canvas.mpl_connect(name, slot)
        self.canvas.installEventFilter(self)
        self.set_tool("pan")

    _TOOL_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        # While a tool is mid-drawing, or the edit tool hovers a vertex, Delete/Backspace/
        # Enter/Esc belong to the tool: without this, the window's "Delete parcel" shortcut
        # would delete the whole parcel when staff meant to delete one vertex.
        if obj is self.canvas and event.type() == QEvent.Type.ShortcutOverride and event.key() in self._TOOL_KEYS \
                and self.tool is not None and (self.tool.busy or getattr(self.tool, "hover", None) is not None):
            event.accept()
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ data setters
    def set_zoneset(self, zs) -> None:
        self.view.set_zoneset(zs)
        self._redraw()

    def set_parcels(self, geoms, ids=None, flags=None) -> None:
        if self.tool is not None:
            self.tool.cancel()
        self.view.set_parcels(geoms, ids, flags)
        self._redraw()

    def update_parcels(self, indices, ids, flags) -> None:
        """Labels and flags of the parcels ``indices`` (outlines unchanged), redrawn at once."""
        self.view.parcels.update_parcels(indices, ids, flags)
        self._redraw(view_changed=False)

    def set_flags(self, flags) -> None:
        self.view.set_flags(flags)
        self._redraw(view_changed=False)

    def set_selection(self, indices) -> None:
        self.view.set_selection(indices)
        self._redraw(view_changed=False)

    def set_pieces(self, pieces) -> None:
        self.view.set_pieces(pieces)
        self._redraw(view_changed=False)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        self.view.set_layer_visible(name, visible)
        self._redraw(view_changed=False)

    def set_snapping(self, on: bool) -> None:
        self.view.snapping = bool(on)

    def set_tool(self, name: str) -> None:
        if name not in TOOLS:
            raise KeyError(f"no map tool {name!r}; tools are {', '.join(TOOLS)}")
        if self.tool is not None:
            self.tool.cancel()
        self.tool, self.tool_name = TOOLS[name](self.view), name
        self.canvas.setCursor(_CURSORS[name])
        self._update_overlay()

    # ------------------------------------------------------------------ view
    def zoom_to(self, bounds) -> None:
        self.view.zoom_to(bounds)
        self._redraw()

    def zoom_to_zones(self) -> None:
        self.zoom_to(self.view.data_bounds("zones"))

    def zoom_to_core(self) -> None:
        """The urban core (grades 1–2 with a margin): the first view after start."""
        self.zoom_to(self.view.data_bounds("core"))

    def set_legend_visible(self, visible: bool) -> None:
        self.view.set_legend_visible(visible)
        self._redraw(view_changed=False)

    def set_language(self, lang: str) -> None:
        """Legend, caption and north arrow in the application language ('zh_CN' or 'en')."""
        self.view.set_texts(for_language(lang))
        self._redraw(view_changed=False)

    def zoom_to_parcels(self) -> None:
        """All parcels in view, centred, with a tenth of their extent (and 20 m) around them: the
        outermost ones clear of the map's edges, not touching them."""
        bounds = self.view.data_bounds("parcels")
        if bounds is None:
            return
        x0, y0, x1, y1 = bounds
        pad = max(x1 - x0, y1 - y0) * 0.1 + 20
        self.zoom_to((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def zoom_to_selection(self) -> None:
        bounds = self.view.data_bounds("selection")
        if bounds is not None:
            x0, y0, x1, y1 = bounds
            pad = max(x1 - x0, y1 - y0) * 0.5 + 20  # show the neighbours too
            self.zoom_to((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def _redraw(self, view_changed: bool = True) -> None:
        self._background = None  # stale until the next full draw
        self._drag_snapshot = None
        self.canvas.draw_idle()
        if view_changed:
            self.viewChanged.emit()

    def hit_test(self, x: float, y: float, tolerance: float = 0.0):
        return self.view.hit_test(x, y, tolerance)

    def describe_position(self, x: float, y: float):
        return describe_position(x, y, self.view.zoneset)

    def caption(self, full: bool = False) -> str:
        return self.view.caption(full)

    def render_to_png(self, path) -> str:
        """Draw now and save what the widget shows (map, overlays) as a PNG."""
        self.canvas.draw()
        if not self.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        return str(path)

    # ------------------------------------------------------------------ coordinates
    def _ratio(self) -> float:
        return self.canvas.device_pixel_ratio or 1.0

    def map_to_widget(self, x: float, y: float) -> QPointF:
        """Widget position (logical pixels, origin top left) of map point (x, y)."""
        px, py = self.view.ax.transData.transform((x, y))
        ratio = self._ratio()
        return QPointF(px / ratio, self.canvas.height() - py / ratio)

    def widget_to_map(self, point: QPointF) -> tuple[float, float]:
        ratio = self._ratio()
        x, y = self.view.ax.transData.inverted().transform((point.x() * ratio, (self.canvas.height() - point.y()) * ratio))
        return float(x), float(y)

    def _event(self, mpl_event, button=None) -> MapEvent:
        x, y = self.view.ax.transData.inverted().transform((mpl_event.x, mpl_event.y))
        mods = frozenset(m if m != "control" else "ctrl" for m in (getattr(mpl_event, "modifiers", None) or ()))
        return MapEvent(float(x), float(y), button if button is not None else _BUTTONS.get(mpl_event.button, ""),
                        mods, bool(getattr(mpl_event, "dblclick", False)))

    # ------------------------------------------------------------------ events
    def _on_press(self, e) -> None:
        self.canvas.setFocus()
        if e.button == MouseButton.MIDDLE:
            self._middle_pan = PanTool(self.view)
            self._middle_pan.press(self._event(e, "left"))
            return
        self._apply(self.tool.press(self._event(e)))

    def _on_move(self, e) -> None:
        ev = self._event(e, "")
        self.cursorMoved.emit(ev.x, ev.y)
        if self._middle_pan is not None:
            self._apply(self._middle_pan.move(ev))
            return
        self._apply(self.tool.move(ev))

    def _on_release(self, e) -> None:
        if self._middle_pan is not None and e.button == MouseButton.MIDDLE:
            self._apply(self._middle_pan.release(self._event(e, "left")))
            self._middle_pan = None
            return
        self._apply(self.tool.release(self._event(e)))

    def _on_scroll(self, e) -> None:
        ev = self._event(e, "")
        self.view.zoom_about(ev.x, ev.y, WHEEL_STEP ** e.step)
        self._redraw()

    def _on_key(self, e) -> None:
        if e.key:
            self._apply(self.tool.key(e.key))

    def _on_resize(self, e) -> None:
        # keep the map undistorted at once (cheap: the layers keep what they drew); once resizing
        # stops, fit again what was fitted (MapView.resized) and rebuild what is in view
        self.view.apply_limits()
        self._resize_timer.start()

    def _resized(self) -> None:
        self.view.resized()
        self._redraw()

    def _dragging_map(self) -> bool:
        return (self._middle_pan is not None and self._middle_pan.busy) or \
            (self.tool_name == "pan" and self.tool is not None and self.tool.busy)

    def _apply(self, result) -> None:
        """Act on a tool's result: move the view, or hand it to the shell."""
        if isinstance(result, Pan) and self._dragging_map():
            self.pan_step(result.dx, result.dy)     # mid-drag: shift the last picture
            return
        if isinstance(result, Pan):                 # the drag ended: draw the new view in full
            self.view.pan(result.dx, result.dy)
            self._redraw()
        elif isinstance(result, ZoomTo):
            self.zoom_to(result.bounds)
        elif result is not None:
            if isinstance(result, Selected) and result.clicked:
                self.parcelClicked.emit(result.indices[0] if result.indices else None)
            self.toolFinished.emit(result)
        self._update_overlay()

    # ------------------------------------------------------------------ panning (blitted)
    def pan_step(self, dx: float, dy: float) -> None:
        """One step of a pan drag: move the view by (dx, dy) metres and show the picture of
        the last full draw shifted by as many pixels, instead of redrawing every layer (a
        full draw with 100 000 parcels takes far longer than a mouse step). The uncovered
        strip stays white until the drag ends and the map is drawn in full."""
        if self._drag_snapshot is None:
            if self._background is None:            # no finished draw to shift: draw once
                self.view.pan(dx, dy)
                self.canvas.draw()
                return
            self._drag_snapshot = (np.asarray(self.canvas.buffer_rgba()).copy(), self._drawn_centre)
        self.view.pan(dx, dy, refresh=False)
        pixels, (cx0, cy0) = self._drag_snapshot
        cx, cy = self.view.centre
        shift_col = int(round((cx0 - cx) / self.view.scale))   # the map moves against the view
        shift_row = int(round((cy - cy0) / self.view.scale))   # image rows run downwards
        bbox = self.view.ax.bbox
        H = pixels.shape[0]
        x0, x1, top, bottom = round(bbox.x0), round(bbox.x1), H - round(bbox.y1), H - round(bbox.y0)
        region = pixels[top:bottom, x0:x1]
        out = np.full_like(region, 255)
        h, w = region.shape[:2]
        rs, cs = slice(max(shift_row, 0), min(h + shift_row, h)), slice(max(shift_col, 0), min(w + shift_col, w))
        src_r = slice(max(-shift_row, 0), max(-shift_row, 0) + (rs.stop - rs.start))
        src_c = slice(max(-shift_col, 0), max(-shift_col, 0) + (cs.stop - cs.start))
        if rs.stop > rs.start and cs.stop > cs.start:
            out[rs, cs] = region[src_r, src_c]
        renderer = self.canvas.get_renderer()
        gc = renderer.new_gc()
        renderer.draw_image(gc, x0, round(bbox.y0), np.ascontiguousarray(out[::-1]))   # rows bottom-up
        gc.restore()
        self.canvas.blit(bbox)

    # ------------------------------------------------------------------ rubber band (blitted)
    def _make_overlay(self) -> None:
        ax = self.view.ax
        kw: dict = dict(animated=True, zorder=20)
        self._sketch = ax.add_line(Line2D([], [], color=SKETCH_COLOUR, lw=1.6, **kw))
        self._handles = ax.add_line(Line2D([], [], ls="none", marker="s", ms=5, mfc="white", mec=SKETCH_COLOUR, **kw))
        self._snap = ax.add_line(Line2D([], [], ls="none", marker="o", ms=10, mfc="none", mec=SNAP_COLOUR, mew=2, **kw))
        self._box = ax.add_patch(Rectangle((0, 0), 0, 0, fill=False, ec=SKETCH_COLOUR, ls="--", lw=1.2, visible=False,
                                           **kw))
        # upper left: the legend holds the lower left corner
        self._text = ax.text(0.01, 0.99, "", transform=ax.transAxes, fontsize=9, va="top", ha="left",
                             bbox=dict(facecolor="white", alpha=0.9, edgecolor=SKETCH_COLOUR), visible=False, **kw)
        self._overlay_artists = (self._sketch, self._handles, self._snap, self._box, self._text)

    def _update_overlay(self) -> None:
        ov = self.tool.overlay() if self.tool is not None else None
        lines = ov.lines if ov else []
        if lines:
            joined = np.vstack([np.vstack([line, [[np.nan, np.nan]]]) for line in lines])
            self._sketch.set_data(joined[:, 0], joined[:, 1])
        else:
            self._sketch.set_data([], [])
        handles = ov.handles if ov else []
        self._handles.set_data([h[0] for h in handles], [h[1] for h in handles])
        snap = ov.snap if ov else None
        self._snap.set_data([snap[0]] if snap else [], [snap[1]] if snap else [])
        box = ov.box if ov else None
        if box:
            self._box.set_bounds(box[0], box[1], box[2] - box[0], box[3] - box[1])
        self._box.set_visible(bool(box))
        text = ov.text if ov else ""
        if text != self._text.get_text():
            self.previewChanged.emit(text)
        self._text.set_text(text)
        self._text.set_visible(bool(text))
        self._blit()

    def _on_draw(self, _event) -> None:
        self._background = self.canvas.copy_from_bbox(self.view.ax.bbox)
        self._drawn_centre = self.view.centre
        for artist in self._overlay_artists:
            self.view.ax.draw_artist(artist)

    def _blit(self) -> None:
        if self._background is None:
            self.canvas.draw_idle()
            return
        self.canvas.restore_region(self._background)
        for artist in self._overlay_artists:
            self.view.ax.draw_artist(artist)
        self.canvas.blit(self.view.ax.bbox)
