"""Type or paste a boundary-point table (点号, X, Y) and turn it into a parcel.

Plane systems follow the survey convention: X is the northing, Y the easting
(a table that fits the chosen system only with X and Y exchanged is swapped,
and the check says so; pasted lines that cannot be read are named by line number).
Geographic systems take X = longitude, Y = latitude. The outline is checked
before it is accepted: at least 3 distinct points, closed (closed here when the
last point does not repeat the first), valid (no self-intersection), and inside
the zone set's extent. The result is a polygon in EPSG:4549, its points in the order
typed (never re-oriented) and named as typed (:meth:`CoordinatesDialog.point_names`).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import shapely
from pyproj import Transformer
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from zones.crs import bd09_to_wgs84, gcj02_to_wgs84
from zones.project import PROJECT_CRS

def _tr(text: str) -> str:
    return QCoreApplication.translate("CoordinatesDialog", text)


#: (key, English label) of the systems offered, plane ones first; shown through tr().
SYSTEMS = (
    ("EPSG:4549", "CGCS2000 3° Gauss-Krüger, CM 120°E (EPSG:4549)"),
    ("EPSG:4528", "CGCS2000 3° Gauss-Krüger zone 40, with zone prefix (EPSG:4528)"),
    ("EPSG:4490", "CGCS2000 longitude/latitude (EPSG:4490)"),
    ("EPSG:4326", "WGS84 longitude/latitude (EPSG:4326)"),
    ("GCJ-02", "GCJ-02 longitude/latitude (Amap, Tencent)"),
    ("BD-09", "BD-09 longitude/latitude (Baidu)"),
)
PLANE = {"EPSG:4549", "EPSG:4528"}
#: Easting (m) a plane system gives in China: 4549 without, 4528 with the zone number 40 in front.
EASTING = {"EPSG:4549": (1.0e5, 9.0e5), "EPSG:4528": (40.1e6, 40.9e6)}
NORTHING = (1.5e6, 6.0e6)       # m: latitude ~14°–54°N


def parse_table(text: str) -> tuple[list[tuple[str, str, str]], list[tuple[int, str]]]:
    """Rows of pasted text (tab, comma, semicolon or spaces): '点号 X Y' or 'X Y'.
    Returns (rows as (点号, X text, Y text), unreadable lines as (line number from 1, line)).
    Header lines (no number at all, before the first point) are skipped; any other line
    whose last two cells are not numbers is unreadable — it still becomes a row, so the
    check names it and the user can correct it in the table."""
    rows: list[tuple[str, str, str]] = []
    bad: list[tuple[int, str]] = []
    for no, line in enumerate(text.splitlines(), 1):
        cells = [c for c in re.split(r"[\t,;，\s]+", line.strip()) if c]
        if not cells:
            continue
        numbers = [_number(c) for c in cells]
        if len(cells) >= 2 and all(n is not None for n in numbers[-2:]):
            name = cells[0] if len(cells) >= 3 else str(len(rows) + 1)
            rows.append((name, cells[-2], cells[-1]))
            continue
        if not rows and all(n is None for n in numbers):
            continue                                  # a header row
        bad.append((no, line.strip()))
        name = cells[0] if len(cells) >= 3 else str(len(rows) + 1)
        rows.append((name, cells[-2] if len(cells) >= 2 else cells[0], cells[-1] if len(cells) >= 2 else ""))
    return rows, bad


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def parse_points(text: str) -> list[tuple[str, float, float]]:
    """The readable points of pasted text (see :func:`parse_table`)."""
    rows, _ = parse_table(text)
    return [(n, float(x), float(y)) for n, x, y in rows if _number(x) is not None and _number(y) is not None]


def _fits(east: np.ndarray, north: np.ndarray, system: str) -> bool:
    lo, hi = EASTING[system]
    return bool(np.all((east >= lo) & (east <= hi)) and np.all((north >= NORTHING[0]) & (north <= NORTHING[1])))


def build_polygon(points: list[tuple[str, float, float]], system: str, zone_bounds=None):
    """(polygon in EPSG:4549 or None, messages in the interface language). ``points``: (点号, X, Y);
    ``zone_bounds``: (minx, miny, maxx, maxy) of the zone set in EPSG:4549. Messages starting
    with '✗' are errors. Plane X/Y are exchanged only when the table fits the chosen system's
    ranges the other way round (an 8-digit zone-prefixed easting is larger than the northing)."""
    msgs: list[str] = []
    if len(points) < 3:
        return None, ["✗ " + _tr("At least 3 boundary points are needed.")]
    a = np.array([(x, y) for _, x, y in points], dtype=float)
    names = [n for n, _, _ in points]
    if system in PLANE:
        east, north = a[:, 1].copy(), a[:, 0].copy()          # survey order: X = northing
        if not _fits(east, north, system):
            if _fits(north, east, system):
                east, north = north, east
                msgs.append(_tr("X and Y looked exchanged (X is the northing) and were swapped."))
            else:
                lo, hi = EASTING[system]
                return None, ["✗ " + _tr("The coordinates do not fit %1: X (northing) should be %2–%3 m and "
                                         "Y (easting) %4–%5 m. Check the coordinate system.")
                              .replace("%1", system).replace("%2", f"{NORTHING[0]:,.0f}")
                              .replace("%3", f"{NORTHING[1]:,.0f}").replace("%4", f"{lo:,.0f}")
                              .replace("%5", f"{hi:,.0f}")]
        xy = np.column_stack([east, north])
    else:
        xy = a.copy()                                         # lon, lat
        if np.all(np.abs(xy[:, 0]) <= 90) and np.all(np.abs(xy[:, 1]) > 90):
            xy = xy[:, ::-1]
            msgs.append(_tr("Longitude and latitude were exchanged and were swapped."))
        if system == "GCJ-02":
            xy = np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1]))
        elif system == "BD-09":
            xy = np.column_stack(bd09_to_wgs84(xy[:, 0], xy[:, 1]))
    source = "EPSG:4326" if system in ("GCJ-02", "BD-09") else system
    if source != PROJECT_CRS:
        t = Transformer.from_crs(source, PROJECT_CRS, always_xy=True)
        xy = np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    if not np.isfinite(xy).all():
        return None, msgs + ["✗ " + _tr("The coordinates cannot be converted in this system.")]
    if np.allclose(xy[0], xy[-1]):
        xy = xy[:-1]
        del names[-1]
    else:
        msgs.append(_tr("The last point differs from the first: the outline was closed back to the first point."))
    if len({(round(x, 3), round(y, 3)) for x, y in xy}) < 3:
        return None, msgs + ["✗ " + _tr("Fewer than 3 distinct points.")]
    poly = shapely.Polygon(xy)
    if not poly.is_valid:
        return None, msgs + ["✗ " + _tr("The outline crosses itself or is not valid (%1).")
                             .replace("%1", shapely.is_valid_reason(poly))]
    if poly.area <= 0:
        return None, msgs + ["✗ " + _tr("The area is zero.")]
    if zone_bounds is not None and not poly.intersects(shapely.box(*zone_bounds)):
        return None, msgs + ["✗ " + _tr("The parcel lies outside the land-grade map; check the coordinate system.")]
    msgs.append(_tr("Area %1 m², %2 boundary points.").replace("%1", f"{poly.area:,.2f}").replace("%2", str(len(xy))))
    # the points stay in the order they were typed, so 点号 J1… print where they were typed;
    # whatever needs an orientation (the map's fill) orients its own copy
    return poly, msgs


class CoordinatesDialog(QDialog):
    def __init__(self, zone_bounds=None, parent=None) -> None:
        super().__init__(parent)
        self.zone_bounds = zone_bounds
        self.polygon = None
        self.table = QTableWidget(8, 3)
        self.table.itemChanged.connect(lambda _item: setattr(self, "unread", []))
        self.system = QComboBox()
        for key, _label in SYSTEMS:
            self.system.addItem("", key)
        self.unread: list[tuple[int, str]] = []     # pasted lines that could not be read
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
        for i, (_key, label) in enumerate(SYSTEMS):
            self.system.setItemText(i, self.tr(label))
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
        """Fill the table from pasted text; lines that cannot be read are named with their line number."""
        rows, unread = parse_table(text)
        self.set_points(rows)
        self.unread = unread           # after set_points: editing the table forgets them
        if self.unread:
            self.message.setText("\n".join(self._unread_messages()))
            self.message.setStyleSheet("color:#a00")
        else:
            self.message.clear()

    def _unread_messages(self) -> list[str]:
        return ["✗ " + self.tr("Line %1 of the pasted text cannot be read: “%2” (X and Y must be numbers).")
                .replace("%1", str(no)).replace("%2", line) for no, line in self.unread]

    def set_points(self, points) -> None:
        self.table.setRowCount(max(len(points), 3))
        self.table.clearContents()
        for r, (name, x, y) in enumerate(points):
            for c, v in enumerate((name, f"{x}", f"{y}")):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def points(self) -> list[tuple[str, float, float]]:
        out = []
        for r in range(self.table.rowCount()):
            # full-width digits and points (typed with the input method in 全角 mode) read as the
            # ASCII ones, as identifiers are read (NFKC); a letter or an ideographic 。 is an error
            cells = [unicodedata.normalize("NFKC", item.text()).strip() if (item := self.table.item(r, c)) else ""
                     for c in range(3)]
            if not any(cells):           # an empty row; a 点号 without X and Y is reported, never dropped
                continue
            try:
                out.append((cells[0] or str(r + 1), float(cells[1]), float(cells[2])))
            except ValueError:
                raise ValueError(self.tr("Row %1: X and Y must be numbers").replace("%1", str(r + 1))) from None
        return out

    def point_names(self) -> tuple[str, ...]:
        """The 点号 of the accepted outline's points, in order (a repeated closing point left out)."""
        if self.polygon is None:
            return ()
        names = [n for n, _, _ in self.points()]
        count = len(self.polygon.exterior.coords) - 1
        return tuple(names[:count])

    def check(self) -> bool:
        try:
            self.polygon, msgs = build_polygon(self.points(), self.system.currentData(), self.zone_bounds)
        except ValueError as exc:
            self.polygon, msgs = None, self._unread_messages() + [f"✗ {exc}"]
        self.message.setText("\n".join(msgs))
        self.message.setStyleSheet("color:#a00" if self.polygon is None else "color:#060")
        return self.polygon is not None

    def accept(self) -> None:
        if self.check():
            super().accept()
