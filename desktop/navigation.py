"""Finding parcels on the map (issue 12, item 8): after a project is opened the map fits its
parcels; after an import it fits the new parcels and selects them (the tables scroll to
them); selecting a parcel that is off screen pans the map to it; zoom to the selection,
zoom presets (全图 — the whole tax area, 街道 — street scale) and the +/- keys.

The map's own view (centre and metres per pixel) is moved through
:class:`desktop.map.map_canvas.MapCanvas`; nothing here draws."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView

#: metres per screen pixel at "street scale": a 1,000-pixel map shows 1 km, enough to read
#: a block's parcels and their numbers (about 1:4,000 on a 96-dpi screen)
STREET_M_PER_PX = 1.0
#: at most this many new parcels are selected after an import
SELECT_MAX = 5000
#: one +/- key press zooms by this factor (two wheel notches)
KEY_STEP = 2.0


class Navigator(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.canvas = window, window.doc, window.canvas
        A = window._action
        self.a_zoom_in = A(lambda: self.zoom_by(KEY_STEP))
        self.a_zoom_in.setShortcuts([QKeySequence(Qt.Key.Key_Plus), QKeySequence(Qt.Key.Key_Equal),
                                     QKeySequence.StandardKey.ZoomIn])
        self.a_zoom_out = A(lambda: self.zoom_by(1 / KEY_STEP))
        self.a_zoom_out.setShortcuts([QKeySequence(Qt.Key.Key_Minus), QKeySequence.StandardKey.ZoomOut])
        self.a_full = A(self.canvas.zoom_to_zones, "Ctrl+Shift+F")
        self.a_street = A(self.street_scale, "Ctrl+Shift+R")
        window.a_zoom_selection.setShortcut(QKeySequence("Ctrl+J"))   # as in QGIS
        window.a_zoom_parcels.setShortcut(QKeySequence("Ctrl+Shift+P"))
        view = window.m_view
        after = view.actions()[view.actions().index(window.a_zoom_zones)]
        view.insertActions(after, [self.a_zoom_in, self.a_zoom_out, self.a_full, self.a_street])
        for a in (self.a_zoom_in, self.a_zoom_out, self.a_full, self.a_street):
            window.addAction(a)          # keys work wherever the focus is, menu shown or not
        self.doc.selectionChanged.connect(self.follow_selection)

    def retranslate(self) -> None:
        t = self.tr
        self.a_zoom_in.setText(t("Zoom in"))
        self.a_zoom_out.setText(t("Zoom out"))
        self.a_full.setText(t("Whole tax area"))
        self.a_street.setText(t("Street scale"))

    # ------------------------------------------------------------ moves
    def zoom_by(self, factor: float) -> None:
        view = self.canvas.view
        if view.centre is None:
            return
        view.zoom_about(*view.centre, factor)
        self.canvas._redraw()

    def street_scale(self) -> None:
        """Street scale around the selection, or around the centre of the view."""
        view = self.canvas.view
        bounds = view.data_bounds("selection")
        if bounds is not None:
            view.centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
        if view.centre is None:
            return
        view.scale = STREET_M_PER_PX
        view.fitted = None
        view.refresh()
        self.canvas._redraw()

    def show_new(self, uids: list[str]) -> None:
        """After an import: select the new parcels (the tables scroll to them) and fit them. A
        district's delivery (more than ``SELECT_MAX``) is fitted only: selecting tens of thousands
        of rows costs seconds and helps nobody find one."""
        if not uids:
            return
        if len(uids) <= SELECT_MAX:
            self.doc.selection.set(list(uids))
        self.zoom_to(uids)
        # the tables scrolled with the selection, but rows just inserted are laid out only when
        # control returns to the event loop: scroll once more then
        QTimer.singleShot(0, lambda: self.scroll_table(uids[0]))

    def scroll_table(self, uid: str) -> None:
        view = self.w.table.view
        if uid in self.doc.project:
            view.scrollTo(view.model().index(self.doc.project.index_of(uid), 0),
                          QAbstractItemView.ScrollHint.PositionAtTop)

    def zoom_to(self, uids) -> None:
        bounds = self.bounds_of(uids)
        if bounds is None:
            return
        x0, y0, x1, y1 = bounds
        pad = max(x1 - x0, y1 - y0) * 0.1 + 20     # the neighbours around a single parcel too
        self.canvas.zoom_to((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def bounds_of(self, uids):
        import shapely

        pr = self.doc.project
        geoms = [pr.by_uid(u).geometry for u in uids if u in pr]
        if not geoms:
            return None
        return tuple(float(v) for v in shapely.total_bounds(geoms))

    def follow_selection(self, uids) -> None:
        """A selected parcel wholly off screen (picked in a table): centre the map on it, at the
        same scale, or zoom out just enough when it is bigger than the view."""
        if not uids or len(uids) > SELECT_MAX:     # a box over a district: the map shows it already
            return
        bounds = self.bounds_of(uids)
        view = self.canvas.view
        if bounds is None or view.centre is None:
            return
        vx0, vy0, vx1, vy1 = view.bounds
        x0, y0, x1, y1 = bounds
        if x0 >= vx0 and x1 <= vx1 and y0 >= vy0 and y1 <= vy1:
            return                                   # all of it in view: the map stays put
        if (x1 - x0) > (vx1 - vx0) * 0.9 or (y1 - y0) > (vy1 - vy0) * 0.9:
            self.zoom_to(uids)
            return
        view.centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        view.fitted = None
        view.refresh()
        self.canvas._redraw()
