"""Import parcels from any supported file through one dialog.

The file is read with :func:`zones.io.read_parcels`; the dialog shows the layer,
the detected attribute encoding and the coordinate-system decision (and why),
lets the user change them and read again, and lists the problems found per
record. Accepting imports what could be read; records with errors are skipped
and stay listed. Nothing is converted silently: a CRS that had to be guessed or
could not be decided must be confirmed or chosen first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from zones.errors import ZonesError
from zones.io import list_layers, read_parcels

ENCODINGS = ("", "utf-8", "gbk", "gb18030", "big5", "cp1252")
SYSTEMS = ("", "EPSG:4549", "EPSG:4528", "EPSG:4490", "EPSG:4326", "GCJ-02", "BD-09", "EPSG:2385", "EPSG:4547")


class ImportDialog(QDialog):
    def __init__(self, path, zones_bounds_lonlat=None, parent=None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.bounds = zones_bounds_lonlat
        self.result = None           # zones.io.ImportResult of the last read
        self.error: str | None = None
        self.layer = QComboBox()
        self.encoding = QComboBox()
        self.encoding.setEditable(True)
        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.reread = QPushButton()
        self.reread.clicked.connect(self.read)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.crs_reason = QLabel()
        self.crs_reason.setWordWrap(True)
        self.findings = QTreeWidget()
        self.findings.setColumnCount(4)
        self.findings.setRootIsDecorated(False)
        self.findings.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        form.addRow(self.labels[0], QLabel(str(self.path)))
        form.addRow(self.labels[1], self.layer)
        form.addRow(self.labels[2], self.encoding)
        form.addRow(self.labels[3], self.crs)
        form.addRow("", self.crs_reason)
        form.addRow("", self.reread)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(self.findings, 1)
        lay.addWidget(self.buttons)
        self.resize(720, 520)
        for e in ENCODINGS:
            self.encoding.addItem(e or self.tr("(detect)"), e)
        for s in SYSTEMS:
            self.crs.addItem(s or self.tr("(as stated / detected)"), s)
        try:
            for name in list_layers(self.path):
                self.layer.addItem(name, name)
        except ZonesError as exc:
            self.error = str(exc)
        self.layer.setEnabled(self.layer.count() > 1)
        self.retranslate()
        self.read()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import parcels"))
        for lab, text in zip(self.labels, (self.tr("File:"), self.tr("Layer:"), self.tr("Text encoding:"),
                                           self.tr("Coordinate system:"))):
            lab.setText(text)
        self.reread.setText(self.tr("Read again with these settings"))
        self.findings.setHeaderLabels([self.tr("Record"), self.tr("Severity"), self.tr("Code"), self.tr("Problem")])

    # the settings the user chose ('' = let the reader decide)
    def chosen(self) -> dict:
        enc = self.encoding.currentData() if self.encoding.currentText() == self.encoding.itemText(self.encoding.currentIndex()) else self.encoding.currentText()
        crs = self.crs.currentData() if self.crs.currentText() == self.crs.itemText(self.crs.currentIndex()) else self.crs.currentText()
        return {"layer": self.layer.currentData() or None, "encoding": enc or None, "crs": crs or None}

    def set_choice(self, *, encoding: str | None = None, crs: str | None = None) -> None:
        if encoding is not None:
            i = self.encoding.findData(encoding)
            self.encoding.setCurrentIndex(i) if i >= 0 else self.encoding.setEditText(encoding)
        if crs is not None:
            i = self.crs.findData(crs)
            self.crs.setCurrentIndex(i) if i >= 0 else self.crs.setEditText(crs)

    def read(self) -> None:
        """(Re)read the file with the chosen settings; a whole-file error is shown, not raised."""
        self.findings.clear()
        try:
            self.result = read_parcels(self.path, zones_bounds_lonlat=self.bounds, **self.chosen())
            self.error = None
        except ZonesError as exc:
            self.result, self.error = None, str(exc)
        except Exception as exc:  # a reader bug must not take the application down
            self.result, self.error = None, f"{type(exc).__name__}: {exc}"
        self._show()

    def _show(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if self.result is None:
            self.summary.setText(self.tr("Cannot import this file:") + f"\n{self.error}")
            self.summary.setStyleSheet("color:#a00")
            self.crs_reason.setText("")
            ok.setEnabled(False)
            return
        r = self.result
        d = r.crs
        enc = f"{r.encoding or '—'}" + (f" ({r.encoding_how})" if r.encoding_how else "")
        crs_text = (d.crs or self.tr("undecided")) if d else "—"
        self.crs_reason.setText(self.tr("Decision: %1 — %2").replace("%1", f"{crs_text} [{d.how if d else ''}]")
                                .replace("%2", (d.reason if d else "") + (f"; {self.tr('candidate')} {d.candidate}" if d and d.candidate else "")))
        errors = len(r.errors)
        self.summary.setText(self.tr("%1 parcels can be imported; %2 records skipped; encoding %3")
                             .replace("%1", str(len(r.parcels))).replace("%2", str(errors)).replace("%3", enc))
        self.summary.setStyleSheet("")
        for f in r.findings:
            item = QTreeWidgetItem([str(f.record if f.record is not None else "—"), f.severity, f.code, f.message])
            item.setToolTip(3, f.message)
            self.findings.addTopLevelItem(item)
        usable = r.parcels.crs is not None and len(r.parcels) > 0
        ok.setEnabled(usable)
        if r.parcels.crs is None:
            self.summary.setText(self.summary.text() + "\n" + self.tr("Choose the coordinate system, then read again."))
            self.summary.setStyleSheet("color:#a00")
        elif d is not None and d.how == "inferred":
            self.summary.setText(self.summary.text() + "\n" + self.tr("The coordinate system was inferred from the coordinates: check it before accepting."))
            self.summary.setStyleSheet("color:#8a5a00")
