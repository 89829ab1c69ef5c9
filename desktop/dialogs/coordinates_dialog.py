"""Type or paste a boundary-point table (点号, X, Y) and turn it into a parcel.

Plane systems follow the survey convention: X is the northing, Y the easting
(a table whose X looks like an easting is swapped, and the check says so).
Geographic systems take X = longitude, Y = latitude. The outline is checked
before it is accepted: at least 3 distinct points, closed (closed here when the
last point does not repeat the first), valid (no self-intersection), and inside
the zone set's extent. The result is a polygon in EPSG:4549.
"""

from __future__ import annotations

import re

import numpy as np
import shapely
from pyproj import Transformer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from zones.crs import bd09_to_wgs84, gcj02_to_wgs84
from zones.project import PROJECT_CRS

#: (key, label) of the systems offered; plane ones first.
SYSTEMS = (
    ("EPSG:4549", "CGCS2000 3° GK 120°E (EPSG:4549)"),
    ("EPSG:4528", "CGCS2000 3° GK zone 40, with zone prefix (EPSG:4528)"),
    ("EPSG:4490", "CGCS2000 经纬度 lon/lat (EPSG:4490)"),
    ("EPSG:4326", "WGS84 经纬度 lon/lat (EPSG:4326)"),
    ("GCJ-02", "GCJ-02 高德/腾讯 lon/lat"),
    ("BD-09", "BD-09 百度 lon/lat"),
)
PLANE = {"EPSG:4549", "EPSG:4528"}


def parse_points(text: str) -> list[tuple[str, float, float]]:
    """Rows of pasted text (tab, comma, semicolon or spaces): '点号 X Y' or 'X Y'. Header rows are skipped."""
    out = []
    for line in text.splitlines():
        cells = [c for c in re.split(r"[\t,;，\s]+", line.strip()) if c]
        nums = []
        for c in cells[-2:]:
            try:
                nums.append(float(c))
            except ValueError:
                break
        if len(nums) != 2:
            continue
        name = cells[0] if len(cells) >= 3 else str(len(out) + 1)
        out.append((name, nums[0], nums[1]))
    return out


def build_polygon(points: list[tuple[str, float, float]], system: str, zone_bounds=None):
    """(polygon in EPSG:4549 or None, messages). ``points``: (点号, X, Y); ``zone_bounds``:
    (minx, miny, maxx, maxy) of the zone set in EPSG:4549. Messages starting with '✗' are errors."""
    msgs: list[str] = []
    if len(points) < 3:
        return None, ["✗ 至少需要 3 个界址点 / at least 3 boundary points are needed"]
    a = np.array([(x, y) for _, x, y in points], dtype=float)
    if system in PLANE:
        east, north = a[:, 1].copy(), a[:, 0].copy()          # survey order: X = northing
        if np.median(north) < np.median(east):
            east, north = north, east
            msgs.append("X/Y 看似颠倒（X 应为北坐标），已交换 / X and Y looked exchanged and were swapped")
        xy = np.column_stack([east, north])
    else:
        xy = a.copy()                                         # lon, lat
        if np.all(np.abs(xy[:, 0]) <= 90) and np.all(np.abs(xy[:, 1]) > 90):
            xy = xy[:, ::-1]
            msgs.append("经纬度颠倒，已交换 / longitude and latitude were exchanged")
        if system == "GCJ-02":
            xy = np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1]))
        elif system == "BD-09":
            xy = np.column_stack(bd09_to_wgs84(xy[:, 0], xy[:, 1]))
    source = "EPSG:4326" if system in ("GCJ-02", "BD-09") else system
    if source != PROJECT_CRS:
        t = Transformer.from_crs(source, PROJECT_CRS, always_xy=True)
        xy = np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    if not np.isfinite(xy).all():
        return None, msgs + ["✗ 坐标无法换算 / coordinates cannot be converted in this system"]
    if np.allclose(xy[0], xy[-1]):
        xy = xy[:-1]
    else:
        msgs.append("末点与首点不同，已自动闭合 / the ring was closed back to the first point")
    if len({(round(x, 3), round(y, 3)) for x, y in xy}) < 3:
        return None, msgs + ["✗ 不同的界址点少于 3 个 / fewer than 3 distinct points"]
    poly = shapely.Polygon(xy)
    if not poly.is_valid:
        return None, msgs + [f"✗ 界线自相交或无效：{shapely.is_valid_reason(poly)} / the outline is not valid"]
    if poly.area <= 0:
        return None, msgs + ["✗ 面积为零 / zero area"]
    if zone_bounds is not None and not poly.intersects(shapely.box(*zone_bounds)):
        return None, msgs + ["✗ 地块不在土地等级图范围内，请检查坐标系 / the parcel lies outside the zone set; check the coordinate system"]
    msgs.append(f"面积 {poly.area:,.2f} m²，{len(xy)} 个界址点 / area {poly.area:,.2f} m², {len(xy)} points")
    return shapely.orient_polygons(poly) if hasattr(shapely, "orient_polygons") else poly, msgs


class CoordinatesDialog(QDialog):
    def __init__(self, zone_bounds=None, parent=None) -> None:
        super().__init__(parent)
        self.zone_bounds = zone_bounds
        self.polygon = None
        self.table = QTableWidget(8, 3)
        self.system = QComboBox()
        for key, label in SYSTEMS:
            self.system.addItem(label, key)
        self.system.currentIndexChanged.connect(self._headers)
        self.parcel_no = QLineEdit()
        self.paste_button = QPushButton()
        self.paste_button.clicked.connect(self.paste_clipboard)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.table.insertRow(self.table.rowCount()))
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.system_label, self.no_label = QLabel(), QLabel()
        form.addRow(self.system_label, self.system)
        form.addRow(self.no_label, self.parcel_no)
        row = QHBoxLayout()
        for b in (self.paste_button, self.add_button, self.check_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(560, 520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Type boundary coordinates"))
        self.system_label.setText(self.tr("Coordinate system:"))
        self.no_label.setText(self.tr("Parcel no.:"))
        self.paste_button.setText(self.tr("Paste table"))
        self.add_button.setText(self.tr("Add row"))
        self.check_button.setText(self.tr("Check"))
        self._headers()

    def _headers(self) -> None:
        plane = self.system.currentData() in PLANE
        self.table.setHorizontalHeaderLabels([self.tr("Point"), self.tr("X (northing)") if plane else self.tr("Longitude"),
                                              self.tr("Y (easting)") if plane else self.tr("Latitude")])

    def keyPressEvent(self, event):  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        super().keyPressEvent(event)

    def paste_clipboard(self) -> None:
        from PySide6.QtGui import QGuiApplication
        self.set_text(QGuiApplication.clipboard().text())

    def set_text(self, text: str) -> None:
        """Fill the table from pasted text."""
        self.set_points(parse_points(text))

    def set_points(self, points) -> None:
        self.table.setRowCount(max(len(points), 3))
        self.table.clearContents()
        for r, (name, x, y) in enumerate(points):
            for c, v in enumerate((name, f"{x}", f"{y}")):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def points(self) -> list[tuple[str, float, float]]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c).text().strip() if self.table.item(r, c) else "" for c in range(3)]
            if not cells[1] and not cells[2]:
                continue
            try:
                out.append((cells[0] or str(r + 1), float(cells[1]), float(cells[2])))
            except ValueError:
                raise ValueError(self.tr("Row %1: X and Y must be numbers").replace("%1", str(r + 1))) from None
        return out

    def check(self) -> bool:
        try:
            self.polygon, msgs = build_polygon(self.points(), self.system.currentData(), self.zone_bounds)
        except ValueError as exc:
            self.polygon, msgs = None, [f"✗ {exc}"]
        self.message.setText("\n".join(msgs))
        self.message.setStyleSheet("color:#a00" if self.polygon is None else "color:#060")
        return self.polygon is not None

    def accept(self) -> None:
        if self.check():
            super().accept()
