"""Load the land department's official grade map as a zone set: choose the layer,
the field holding the grade, and the rates when the file does not carry them."""

from __future__ import annotations

from pathlib import Path

import pyogrio
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from zones.errors import ZonesError
from zones.zoneset import load_zoneset, parse_rates


class ZoneSetDialog(QDialog):
    def __init__(self, path, parent=None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.zoneset = None
        self.layer = QComboBox()
        self.field = QComboBox()
        self.rates = QLineEdit("1=15,2=10,3=5")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self.labels[0], self.layer)
        form.addRow(self.labels[1], self.field)
        form.addRow(self.labels[2], self.rates)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(str(self.path)))
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        try:
            for name, _ in pyogrio.list_layers(self.path):
                self.layer.addItem(str(name), str(name))
        except Exception as exc:  # not a vector file: said in the dialog
            self.message.setText(str(exc))
        self.layer.currentIndexChanged.connect(self._fields)
        self._fields()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Load official grade map"))
        for lab, text in zip(self.labels, (self.tr("Layer:"), self.tr("Grade field:"),
                                           self.tr("Rates (grade=yuan/m²·year):"))):
            lab.setText(text)
        self.rates.setToolTip(self.tr("Used when the layer has no 'rate' field, e.g. 1=15,2=10,3=5"))

    def _fields(self) -> None:
        self.field.clear()
        try:
            info = pyogrio.read_info(self.path, layer=self.layer.currentData())
        except Exception:
            return
        for name in info["fields"]:
            self.field.addItem(str(name), str(name))
        i = self.field.findData("grade")
        if i < 0:
            i = next((k for k in range(self.field.count()) if "等级" in self.field.itemText(k) or "dj" == self.field.itemText(k).lower()), 0)
        self.field.setCurrentIndex(i)

    def load(self):
        """The zone set with the chosen settings (raises ZonesError with a plain message)."""
        rates = parse_rates(self.rates.text()) if self.rates.text().strip() else None
        return load_zoneset(self.path, rates=rates, grade_field=self.field.currentData() or "grade",
                            layer=self.layer.currentData())

    def accept(self) -> None:
        try:
            self.zoneset = self.load()
        except ZonesError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color:#a00")
            return
        super().accept()
