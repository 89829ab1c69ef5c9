"""The search box in the tool bar and what a chosen result does.

Typing lists matches (a typed position, the project's parcels by 宗地号, 不动产单元号,
taxpayer or address, and the bundled place names); Enter goes to the first, a click or
arrow keys + Enter to another. A parcel is selected and shown; a place or position is
shown with a pin, and the status bar says what it is and how exact."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from zones.project import FIELD_BY_KEY

from desktop import i18n
from desktop.words import grade_name
from desktop.find.finder import Finder, Result, project_records
from desktop.find.marker import FoundMarker

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2
MESSAGE_MS = 15000


class FindController(QObject):
    """Owns the search box, the finder and the pin; ``window`` is the main window (its
    ``canvas``, ``doc`` and ``statusBar()``); ``show_parcel(uid)`` selects and shows a parcel."""

    def __init__(self, window, show_parcel) -> None:
        super().__init__(window)
        self.w, self.show_parcel = window, show_parcel
        self.finder = Finder(lambda: project_records(window.doc.project))
        self.marker = FoundMarker(window.canvas)
        self.box = SearchBox(self)
        self.results: list[Result] = []

    def kind_name(self, kind: str) -> str:
        t = self.tr
        return {"position": t("Position"), "parcel": t("Parcel"), "district": t("District"), "road": t("Road"),
                "river": t("River"), "bridge": t("Bridge"), "landmark": t("Landmark"), "place": t("Place"),
                "junction": t("Junction")}.get(kind, kind)

    def describe(self, r: Result) -> str:
        """The line a result shows in the list."""
        if r.kind == "parcel":
            f = FIELD_BY_KEY.get(r.field)
            name = (f.zh if i18n.is_chinese() else f.en) if f else r.field
            extra = "" if r.field == "parcel_no" else f" · {name}: {r.value}"
            return f"{r.label}  [{self.kind_name('parcel')}{extra}]"
        if r.kind == "position" and r.position is not None:
            return f"{self.tr('Go to')} {r.position.describe(i18n.current_language())}"
        assert r.place is not None     # a result is a parcel, a typed position or a place
        return f"{r.label}  [{self.kind_name(r.kind)} · ±{r.place.accuracy_m} m]"

    def search(self, text: str) -> list[Result]:
        self.results = self.finder.find(text)
        return self.results

    def go(self, r: Result) -> None:
        sb = self.w.statusBar()
        if r.kind == "parcel":
            self.marker.clear()
            self.show_parcel(r.parcel_uid)
            sb.showMessage(self.tr("Parcel %1").replace("%1", r.label), MESSAGE_MS)
            return
        self.w.canvas.zoom_to(r.bounds)
        self.marker.show(*r.point)  # type: ignore[misc]  # positions and places have a point
        if r.kind == "position":
            self.go_message(r.position)
            return
        p = r.place
        assert p is not None
        lang = "zh" if i18n.is_chinese() else "en"
        sb.showMessage(self.tr("%1 (%2): position within about ±%3 m; source: %4")
                       .replace("%1", p.name).replace("%2", self.kind_name(p.kind)).replace("%3", str(p.accuracy_m))
                       .replace("%4", self.finder.gazetteer.source_text(p, lang))
                       + (f" · {p.note}" if p.note and i18n.is_chinese() else ""), MESSAGE_MS)

    def go_to_position(self, pos) -> None:
        """Show a typed position (:class:`zones.coordinate_text.TypedPosition`) with the pin."""
        half = 150.0
        self.w.canvas.zoom_to((pos.x - half, pos.y - half, pos.x + half, pos.y + half))
        self.marker.show(pos.x, pos.y)
        self.go_message(pos)

    def go_message(self, pos) -> None:
        try:
            *_, grade = self.w.canvas.describe_position(pos.x, pos.y)
        except (ValueError, RuntimeError):    # outside the projection's domain: no grade to tell
            grade = None
        zs = self.w.doc.zoneset
        where = grade_name(zs, grade) if (grade and zs) else self.tr("outside the grades")
        self.w.statusBar().showMessage(f"{pos.describe(i18n.current_language())} · {where}", MESSAGE_MS)


class SearchBox(QLineEdit):
    def __init__(self, controller: FindController) -> None:
        super().__init__()
        self.setObjectName("search_box")
        self.c = controller
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self.setMaximumWidth(420)
        self.model = QStandardItemModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCompletionRole(LABEL_ROLE)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._activated)  # type: ignore[index]  # overloaded signal
        self.textEdited.connect(self._refresh)
        self.returnPressed.connect(self._go_first)
        self._just_activated = False
        self.retranslate()

    def retranslate(self) -> None:
        shortcut = QKeySequence("Ctrl+F").toString(QKeySequence.SequenceFormat.NativeText)
        self.setPlaceholderText(self.tr("Find: parcel no., taxpayer, address, place or coordinates"))
        self.setToolTip(self.tr("Find a parcel (parcel no., real-estate unit no., taxpayer, address), a place in Wenzhou "
                                "or a position (lon/lat or CGCS2000 X/Y); Enter goes to the first match")
                        + f" ({shortcut})")

    def _refresh(self, text: str) -> None:
        self.model.clear()
        for r in self.c.search(text):
            item = QStandardItem(self.c.describe(r))
            item.setData(r, RESULT_ROLE)
            item.setData(r.label, LABEL_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if self.model.rowCount():
            self.completer_.complete()

    def _activated(self, index: QModelIndex) -> None:
        r = index.data(RESULT_ROLE)
        if r is None:
            return
        # the completer also passes Enter on to the line edit: go once
        self._just_activated = True
        QTimer.singleShot(0, self._clear_activated)
        self.c.go(r)

    def _clear_activated(self) -> None:
        self._just_activated = False

    def _go_first(self) -> None:
        if self._just_activated:
            return
        results = self.c.search(self.text())
        if results:
            self.completer_.popup().hide()  # type: ignore[union-attr]  # the completer made its popup
            self.c.go(results[0])
        elif self.text().strip():
            self.c.w.statusBar().showMessage(self.tr("Nothing found for “%1”").replace("%1", self.text().strip()),
                                             MESSAGE_MS)
