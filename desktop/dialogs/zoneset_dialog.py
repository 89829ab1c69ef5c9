"""Load the land department's official grade map as a zone set: choose the layer,
the field holding the grade, and the rates when the file does not carry them, and say
what the map is — the department's official grade map (then the legal basis it applies
under and from when) or a user's own map. The file cannot say so itself, so the officer's
statement is what the caption, the layers panel, the reports and the project file carry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyogrio
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QVBoxLayout)

from zones.errors import ZonesError
from zones.project import ZoneSetRef
from zones.zoneset import load_zoneset, parse_rates


def designation(path, *, official: bool, document: str, title: str, applies_from: date | None,
                operator: str, when: date) -> ZoneSetRef:
    """The officer's statement about a loaded grade map as stored in the project (ref, grade
    field and rates are filled in by the caller). The accuracy statement names the file, who
    loaded it and when, because nothing else in the file records where it came from."""
    name = Path(path).name
    who = f"由 {operator} 于 {when.isoformat()} 载入"
    if official:
        stmt = f"土地管理部门官方等级图（文件 {name}，{who}）"
    else:
        stmt = f"用户载入的等级图，非官方等级图（文件 {name}，{who}）：精度以其提供部门的说明为准。"
    return ZoneSetRef(str(path), designated=True, official=official,
                      legal_document=document.strip() if official else "",
                      legal_title=title.strip() if official else "",
                      applies_from=applies_from.isoformat() if official and applies_from else "",
                      accuracy_statement=stmt)


class ZoneSetDialog(QDialog):
    """``basis``: the current zone set's LegalBasis for the project year (prefills the
    document and the applies-from date); ``operator``: who is loading (named in the statement)."""

    def __init__(self, path, parent=None, *, basis=None, operator: str = "") -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.operator = operator or "录入员"
        self.zoneset = None
        self.ref: ZoneSetRef | None = None
        self._title = basis.title if basis else ""
        self._prefilled = basis.document if basis else ""
        self.layer = QComboBox()
        self.field = QComboBox()
        self.rates = QLineEdit("1=15,2=10,3=5")
        self.official = QCheckBox()
        self.official.setChecked(True)        # this action is for the land department's map
        self.document = QLineEdit(basis.document if basis else "")
        self.applies_from = QDateEdit()
        self.applies_from.setDisplayFormat("yyyy-MM-dd")
        self.applies_from.setCalendarPopup(True)
        start = basis.applies_from if basis and basis.applies_from else date(date.today().year, 1, 1)
        self.applies_from.setDate(QDate(start.year, start.month, start.day))
        self.official.toggled.connect(self._official_toggled)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        form.addRow(self.labels[0], self.layer)
        form.addRow(self.labels[1], self.field)
        form.addRow(self.labels[2], self.rates)
        form.addRow(self.official)
        form.addRow(self.labels[3], self.document)
        form.addRow(self.labels[4], self.applies_from)
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
                                           self.tr("Rates (grade=yuan/m²·year):"),
                                           self.tr("Legal basis (document):"), self.tr("Applies from:"))):
            lab.setText(text)
        self.rates.setToolTip(self.tr("Used when the layer has no 'rate' field, e.g. 1=15,2=10,3=5"))
        self.official.setText(self.tr("This is the land department's official grade map"))
        self.document.setPlaceholderText(self.tr("e.g. 温政办〔2024〕10号"))

    def _official_toggled(self, on: bool) -> None:
        # a user's own map has no legal standing: the basis fields do not apply to it
        self.document.setEnabled(on)
        self.applies_from.setEnabled(on)

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

    def designation(self, when: date | None = None) -> ZoneSetRef:
        """The officer's statement about this map, with grade field and rates, as the project stores it."""
        d = self.applies_from.date()
        doc = self.document.text().strip()
        ref = designation(self.path, official=self.official.isChecked(), document=doc,
                          title=self._title if doc == self._prefilled else "",   # the title belongs to that document
                          applies_from=date(d.year(), d.month(), d.day()), operator=self.operator,
                          when=when or date.today())
        ref.grade_field = self.field.currentData() or "grade"
        return ref

    def accept(self) -> None:
        if self.official.isChecked() and not self.document.text().strip():
            self.message.setText(self.tr("Give the document the official grade map applies under, "
                                         "or untick \"official\"."))
            self.message.setStyleSheet("color:#a00")
            return
        try:
            zs = self.load()
            ref = self.designation()
            ref.rates = {str(g): str(r) for g, r in zs.rates.items()}
            self.zoneset, self.ref = ref.apply(zs), ref
        except ZonesError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color:#a00")
            return
        super().accept()
