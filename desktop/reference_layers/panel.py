"""The 参考图层 panel: one row per reference layer (shown, name, opacity, label field,
remove) and a button to add one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGridLayout, QLabel, QPushButton, QSlider,
                               QVBoxLayout, QWidget)

from zones.reference_layers import RASTER_SUFFIXES, VECTOR_SUFFIXES


class ReferenceLayersPanel(QWidget):
    def __init__(self, layers, settings=None) -> None:
        super().__init__()
        self.setObjectName("reference_layers_panel")
        self.layers, self.settings = layers, settings
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_reference_layer")
        self.add_button.clicked.connect(self.ask_and_add)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        lay = QVBoxLayout(self)
        lay.addWidget(self.rows)
        lay.addWidget(self.empty)
        lay.addWidget(self.add_button)
        lay.addStretch(1)
        self.row_widgets: list[dict] = []
        layers.changed.connect(self.rebuild)
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(self.tr("Add reference layer…"))
        self.add_button.setToolTip(self.tr("A street map, imagery or the land department's parcel map as a "
                                           "background under the grades (shp, gpkg, geojson, kml, dxf, GeoTIFF, "
                                           "MBTiles)"))
        self.empty.setText(self.tr("No reference layers. Add the office's street map, imagery or parcel map "
                                   "to see where you are."))
        self.rebuild()

    def file_filter(self) -> str:
        vec = " ".join(f"*{s}" for s in VECTOR_SUFFIXES)
        ras = " ".join(f"*{s}" for s in RASTER_SUFFIXES)
        return ";;".join((self.tr("Maps (%1)").replace("%1", f"{vec} {ras}"),
                          self.tr("Vector layers (%1)").replace("%1", vec),
                          self.tr("Images (%1)").replace("%1", ras)))

    def ask_and_add(self) -> bool:
        folder = self.layers.project_dir()
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Add reference layer"), str(folder or ""),
                                              self.file_filter())
        return bool(path) and self.layers.add_file(path)

    def rebuild(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.row_widgets = []
        for i, (spec, layer) in enumerate(self.layers.entries):
            shown = QCheckBox(spec.name)
            shown.setChecked(spec.visible)
            shown.setEnabled(layer is not None)
            shown.setToolTip(spec.path if layer is not None else self.tr("File not found or unreadable: %1")
                             .replace("%1", spec.path))
            shown.toggled.connect(lambda on, i=i: self.layers.set_visible(i, on))
            opacity = QSlider(Qt.Orientation.Horizontal)
            opacity.setRange(0, 100)
            opacity.setValue(round(spec.opacity * 100))
            opacity.setToolTip(self.tr("Opacity"))
            opacity.valueChanged.connect(lambda v, i=i: self.layers.set_opacity(i, v / 100))
            label = QComboBox()
            label.setToolTip(self.tr("Label field"))
            fields = list(layer.data.fields) if layer is not None and hasattr(layer, "data") else []
            label.addItem(self.tr("(no labels)"), "")
            for f in fields:
                label.addItem(f, f)
            label.setCurrentIndex(max(0, label.findData(spec.label_field)))
            label.setEnabled(bool(fields))
            label.currentIndexChanged.connect(lambda _k, i=i, box=label: self.layers.set_label_field(i, box.currentData()))
            remove = QPushButton("✕")
            remove.setToolTip(self.tr("Remove this reference layer"))
            remove.setFixedWidth(28)
            remove.clicked.connect(lambda _=False, i=i: self.layers.remove(i))
            self.grid.addWidget(shown, 2 * i, 0, 1, 2)
            self.grid.addWidget(remove, 2 * i, 2)
            self.grid.addWidget(opacity, 2 * i + 1, 0)
            self.grid.addWidget(label, 2 * i + 1, 1, 1, 2)
            self.row_widgets.append({"shown": shown, "opacity": opacity, "label": label, "remove": remove})
        self.empty.setVisible(not self.layers.entries)
