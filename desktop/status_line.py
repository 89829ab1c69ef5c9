"""The status bar's permanent part: the active zone set (name, legal basis, whether
it is official), the cursor position as longitude/latitude and as CGCS2000
Gauss–Krüger X (northing) / Y (easting), the grade and rate under the cursor, and
the progress bar with its cancel button while "assess all" runs."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from desktop import i18n
from desktop.words import grade_name
from desktop.zoneset_words import accuracy_statement, basis_document, zoneset_name


class StatusLine(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc = window, window.doc
        sb = window.statusBar()
        self.zoneset_label = QLabel()
        self.cursor_label = QLabel()
        self.grade_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setRange(0, 1000)     # per mille: smooth enough, integer for Qt
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.doc.runner.cancel)
        self.cancel_button.hide()
        for widget in (self.zoneset_label, self.cursor_label, self.grade_label, self.progress, self.cancel_button):
            sb.addPermanentWidget(widget)
        window.canvas.cursorMoved.connect(self.show_position)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.show_zoneset()

    def show_zoneset(self) -> None:
        zs = self.doc.zoneset
        if zs is None:
            self.zoneset_label.setText(self.tr("No zone set loaded"))
            return
        lang = i18n.current_language()
        stmt = accuracy_statement(zs, lang)
        basis = basis_document(zs, lang, self.doc.project.period.year) or "—"
        self.zoneset_label.setText(f"{zs.id} {zs.version} · {basis}" + ("" if zs.official else " · " + self.tr("not official")))
        self.zoneset_label.setToolTip(f"{zoneset_name(zs, lang)}\n{self.tr('Legal basis')}: {basis}\n{stmt}")

    def show_position(self, x: float, y: float) -> None:
        """The cursor at map point (x, y) (EPSG:4549 metres)."""
        try:
            lon, lat, north, east, grade = self.w.canvas.describe_position(x, y)
        except Exception:   # outside the projection's domain: keep the last position shown
            return
        self.cursor_label.setText(f"{lon:.6f}°E {lat:.6f}°N  X={north:,.2f} Y={east:,.2f}")
        zs = self.doc.zoneset
        self.grade_label.setText(f"{grade_name(zs, grade)} {zs.rates[grade]} {self.tr('yuan/m²')}" if grade and zs else
                                 self.tr("outside the grades"))
