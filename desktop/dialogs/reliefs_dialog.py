"""Reliefs of one parcel, chosen from the relief catalogue, each with its area
(empty = the whole taxable area) and months (empty = the months liable). The
"empty = …" hints are the column headers' tooltips, so the headers stay short."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from zones.periods import YearMonth

from desktop import i18n
from desktop.zoneset_words import relief_name


class ReliefsDialog(QDialog):
    def __init__(self, catalogue, text: str, parent=None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.table = QTableWidget(0, 4)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.message = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(760, 320)
        for claim in json.loads(text) if text else []:
            self.add_row(claim)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reliefs"))
        self.table.setHorizontalHeaderLabels([self.tr("Relief"), self.tr("Relief area (m²)"),
                                              self.tr("From (YYYY-MM)"), self.tr("To (YYYY-MM)")])
        # the "empty = …" hints are too long for a header: they go in its tooltip, never clipped
        hints = {1: self.tr("Empty = the whole taxable area"), 2: self.tr("Empty = the first liable month"),
                 3: self.tr("Empty = the last liable month")}
        for c, hint in hints.items():
            self.table.horizontalHeaderItem(c).setToolTip(hint)  # type: ignore[union-attr]  # set just above
            for r in range(self.table.rowCount()):
                if (item := self.table.item(r, c)) is not None:
                    item.setToolTip(hint)
        self.add_button.setText(self.tr("Add relief"))
        self.remove_button.setText(self.tr("Remove"))
        self.table.setColumnWidth(0, 360)
        for c in (1, 2, 3):
            # at least as wide as the header's words in this language (the header's own size hint
            # includes its margins), and wide enough to type a value
            self.table.setColumnWidth(c, max(110, self.table.horizontalHeader().sectionSizeHint(c)))
        header = self.table.horizontalHeader()
        wanted = sum(header.sectionSize(c) for c in range(4)) + self.table.verticalHeader().width() + 60
        if self.width() < wanted:
            self.resize(wanted, self.height())

    def add_row(self, claim: dict) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        combo = QComboBox()
        for code, pol in sorted(self.catalogue.policies.items()):
            name = relief_name(self.catalogue, code, pol.name, i18n.current_language())
            combo.addItem(f"{code} {name}", code)
            # the tooltip: the name as the catalogue and the tax documents write it, the granting document
            combo.setItemData(combo.count() - 1, "\n".join(x for x in (pol.name if name != pol.name else "", pol.document,
                                                                        pol.note) if x), 3)   # tooltip role
        i = combo.findData(claim.get("code", ""))
        combo.setCurrentIndex(max(i, 0))
        self.table.setCellWidget(r, 0, combo)
        for c, key in ((1, "area_m2"), (2, "first"), (3, "last")):
            item = QTableWidgetItem(str(claim.get(key) or ""))
            header = self.table.horizontalHeaderItem(c)
            item.setToolTip(header.toolTip() if header is not None else "")
            self.table.setItem(r, c, item)

    def claims(self) -> list[dict]:
        """The reliefs as stored on the parcel; raises ValueError naming the bad cell."""
        out = []
        for r in range(self.table.rowCount()):
            code = self.table.cellWidget(r, 0).currentData()  # type: ignore[attr-defined]  # the relief QComboBox
            cells = [(item.text().strip() if (item := self.table.item(r, c)) else "") for c in (1, 2, 3)]
            claim = {"code": code}
            if cells[0]:
                float(cells[0])
                claim["area_m2"] = cells[0]
            for key, v in (("first", cells[1]), ("last", cells[2])):
                if v:
                    claim[key] = str(YearMonth.parse(v))
            out.append(claim)
        return out

    def accept(self) -> None:
        try:
            self.claims()
        except Exception as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color:#a00")
            return
        super().accept()
