"""Layers: visibility of zones, districts, reference lines, accuracy band, parcels;
the active zone set (switch between bundled and loaded ones, load the land
department's official grade map) with its name, legal basis and accuracy."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from desktop import i18n
from desktop.words import grade_name
from desktop.zoneset_words import accuracy_statement, basis_document, zoneset_name

LAYERS = ("zones", "districts", "reference_lines", "accuracy_band", "parcels")


class LayersPanel(QWidget):
    visibilityChanged = Signal(str, bool)
    zonesetChosen = Signal(str)          # a key of the combo: bundled id or a loaded file path
    loadOfficialRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        self.layer_group = QGroupBox()
        form = QVBoxLayout(self.layer_group)
        for name in LAYERS:
            box = QCheckBox()
            box.setChecked(name != "accuracy_band")
            box.toggled.connect(lambda on, n=name: self.visibilityChanged.emit(n, on))
            self.boxes[name] = box
            form.addWidget(box)
        self.zs_group = QGroupBox()
        zs_form = QFormLayout(self.zs_group)
        self.combo = QComboBox()
        self.combo.activated.connect(lambda i: self.zonesetChosen.emit(self.combo.itemData(i)))
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self.loadOfficialRequested)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(self.info.textInteractionFlags())
        self.combo_label = QLabel()
        zs_form.addRow(self.combo_label, self.combo)
        zs_form.addRow(self.load_button)
        scroll = QScrollArea()          # the accuracy statement is long: let it scroll, never clip
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.info)
        zs_form.addRow(scroll)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.layer_group)
        lay.addWidget(self.zs_group, 1)
        self._zoneset = None
        self.retranslate()

    def retranslate(self) -> None:
        names = {"zones": self.tr("Land grades"), "districts": self.tr("Districts"),
                 "reference_lines": self.tr("Boundary roads and rivers"),
                 "accuracy_band": self.tr("Accuracy band along grade lines"), "parcels": self.tr("Parcels")}
        for n, box in self.boxes.items():
            box.setText(names[n])
        # the dock is already titled "Layers": the box says what its ticks do
        self.layer_group.setTitle(self.tr("Shown on the map"))
        self.zs_group.setTitle(self.tr("Zone set"))
        self.combo_label.setText(self.tr("Active:"))
        self.load_button.setText(self.tr("Load official grade map…"))
        self.show_zoneset(self._zoneset)

    def set_choices(self, choices: list[tuple[str, str]], current: str) -> None:
        """``choices``: (key, label) pairs."""
        self.combo.clear()
        for key, label in choices:
            self.combo.addItem(label, key)
        i = self.combo.findData(current)
        if i >= 0:
            self.combo.setCurrentIndex(i)

    def show_zoneset(self, zs) -> None:
        self._zoneset = zs
        if zs is None:
            self.info.setText("")
            return
        rates = ("，" if i18n.is_chinese() else ", ").join(f"{grade_name(zs, g)} {zs.rates[g]}" for g in zs.grade_list)
        lang = i18n.current_language()
        stmt = accuracy_statement(zs, lang)
        self.info.setText(
            f"<b>{zoneset_name(zs, lang)}</b><br>{self.tr('Version')}: {zs.version}<br>"
            f"{self.tr('Rates (yuan/m²·year)')}: {rates}<br>"
            f"{self.tr('Legal basis')}: {basis_document(zs, lang) or '—'}<br>"
            f"{self.tr('Official')}: {self.tr('yes') if zs.official else self.tr('no')}<br>"
            f"<span style='color:#7a4b00'>{stmt}</span>")
