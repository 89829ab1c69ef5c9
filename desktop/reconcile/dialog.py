"""The 税源比对 window: the parcels coloured by status on a map with a legend, the table
filterable by status with the money, and for one parcel its map split (the report's
own map excerpt) beside its registered rows grade by grade. Saves the results, the
report PDF, and prints it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.reconcile.model import ReconcileTableModel
from zones.reconcile import STATUS_ZH, STATUSES, Reconciliation
from zones.reconcile_output import STATUS_COLOURS, primary_status

MAX_POLYGONS = 20_000     # more parcels are drawn as dots


class StatusMap(FigureCanvasQTAgg):
    """Parcels coloured by their first status, a legend of the statuses present, the
    chosen parcel outlined."""

    def __init__(self, res: Reconciliation, parent=None) -> None:
        self.fig = Figure(figsize=(5, 4), dpi=90)
        super().__init__(self.fig)
        self.setParent(parent)
        self.res = res
        ax = self.ax = self.fig.add_axes((0, 0, 1, 1))
        ax.set_aspect("equal")
        ax.set_axis_off()
        n = res.parcel_count
        geoms = np.asarray(res.assessment.geoms, dtype=object)
        self.status = primary_status(res)[:n]
        colours = np.array([STATUS_COLOURS[s] if s else "#ffffff" for s in self.status], dtype=object)
        if n <= MAX_POLYGONS:
            rings = [np.asarray(shapely.get_exterior_ring(part).coords) for g in geoms
                     for part in shapely.get_parts(g) if not part.is_empty]
            owners = [k for k, g in enumerate(geoms) for part in shapely.get_parts(g) if not part.is_empty]
            ax.add_collection(PolyCollection(rings, facecolors=list(colours[owners]), edgecolors="#444444", linewidths=0.3))
        else:
            pts = shapely.point_on_surface(geoms)
            ax.scatter(shapely.get_x(pts), shapely.get_y(pts), s=1, c=list(colours), linewidths=0)
        live = ~shapely.is_empty(geoms)
        if live.any():
            x0, y0, x1, y1 = shapely.total_bounds(geoms[live])
            pad = max(x1 - x0, y1 - y0) * 0.05 + 20
            ax.set_xlim(x0 - pad, x1 + pad)
            ax.set_ylim(y0 - pad, y1 + pad)
        self.legend_codes = [c for c in STATUSES if (self.status == c).any()]
        ax.legend(handles=[Patch(color=STATUS_COLOURS[c], label=f"{STATUS_ZH[c]} {int((self.status == c).sum())}")
                           for c in self.legend_codes], loc="upper left", fontsize=8, framealpha=0.85)
        self._mark: Line2D | None = None

    def show_parcel(self, k: int | None) -> None:
        if self._mark is not None:
            self._mark.remove()
            self._mark = None
        if k is not None and k < self.res.parcel_count:
            geom = self.res.assessment.geoms[k]
            if not geom.is_empty:
                x, y = shapely.get_exterior_ring(shapely.get_parts(geom)[0]).xy
                (self._mark,) = self.ax.plot(x, y, color="black", lw=2)
        self.draw_idle()


class ReconcileDialog(QDialog):
    _pieces: Any         # the assessment's grade pieces, computed on first use

    def __init__(self, res: Reconciliation, registry_name: str, parent=None) -> None:
        super().__init__(parent)
        self.res, self.registry_name = res, registry_name
        self.setObjectName("ReconcileDialog")
        self.setWindowTitle(self.tr("Land sources reconciliation") + f" — {registry_name}")
        self.resize(1300, 820)
        self._tmp = tempfile.TemporaryDirectory(prefix="wztax-reconcile-")
        self.map = StatusMap(res, self)
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All statuses"), None)
        for code in STATUSES:
            count = int(res.has(code).sum())
            self.filter.addItem(f"{STATUS_ZH[code]} ({code}) {count}", code)
        self.model = ReconcileTableModel(res, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.split_image = QLabel()
        self.split_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.split_image.setMinimumSize(360, 240)
        self.grades = QTableWidget(0, 6)
        self.registered = QTableWidget(0, 5)
        self.money = QLabel()
        self.money.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule = QLabel(res.rule)
        self.rule.setWordWrap(True)
        self.save_button, self.pdf_button, self.print_button = QPushButton(), QPushButton(), QPushButton()
        self.close_button = QPushButton()
        self._layout()
        self.retranslate()
        self.filter.currentIndexChanged.connect(lambda _: self.model.set_status(self.filter.currentData()))
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _: self.show_row(cur.row()))
        self.save_button.clicked.connect(lambda: self.save_results())
        self.pdf_button.clicked.connect(lambda: self.save_report())
        self.print_button.clicked.connect(self.print_report)
        self.close_button.clicked.connect(self.accept)

    def _layout(self) -> None:
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(self.map, 3)
        bar = QHBoxLayout()
        self.filter_label = QLabel()
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter, 1)
        lv.addLayout(bar)
        lv.addWidget(self.view, 3)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(self.split_image, 3)
        self.grades_label, self.registered_label = QLabel(), QLabel()
        rv.addWidget(self.grades_label)
        rv.addWidget(self.grades, 2)
        rv.addWidget(self.registered_label)
        rv.addWidget(self.registered, 2)
        rv.addWidget(self.money)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 560])
        buttons = QHBoxLayout()
        buttons.addWidget(self.rule, 1)
        for b in (self.save_button, self.pdf_button, self.print_button, self.close_button):
            buttons.addWidget(b)
        main = QVBoxLayout(self)
        main.addWidget(split, 1)
        main.addLayout(buttons)

    def retranslate(self) -> None:
        t = self.tr
        self.filter_label.setText(t("Show:"))
        self.grades_label.setText(t("Map split and registered areas, grade by grade (m²)"))
        self.registered_label.setText(t("Registered rows"))
        self.grades.setHorizontalHeaderLabels([t("Grade"), t("Map area"), t("Registered area"), t("Difference"),
                                               t("Zone-set rate"), t("Registered rate")])
        self.registered.setHorizontalHeaderLabels([t("Row"), t("Grade"), t("Area (m²)"), t("Rate"), t("Taxpayer")])
        self.save_button.setText(t("Save results…"))
        self.pdf_button.setText(t("Save report PDF…"))
        self.print_button.setText(t("Print…"))
        self.close_button.setText(t("Close"))

    # ------------------------------------------------------------ one parcel
    def select_table_row(self, k: int) -> None:
        """Select table row ``k`` of the core table (showing every status)."""
        self.filter.setCurrentIndex(0)
        self.view.selectRow(int(np.flatnonzero(self.model.rows == k)[0]))

    def show_row(self, view_row: int) -> None:
        if view_row < 0:
            return
        k = self.model.table_row(view_row)
        self.shown = k
        res, t = self.res, self.res.table.iloc[k]
        self.map.show_parcel(k)
        if k < res.parcel_count:
            from zones.report.map_excerpt import render_map

            pieces = res.assessment.pieces() if not hasattr(self, "_pieces") else self._pieces
            self._pieces = pieces
            png = render_map(res.assessment, k, pieces[pieces["parcel_index"] == k], width_mm=120, height_mm=80, dpi=90)
            pix = QPixmap()
            pix.loadFromData(png, "PNG")
            self.split_image.setPixmap(pix)
        else:
            self.split_image.setPixmap(QPixmap())
            self.split_image.setText(self.tr("No parcel in the cadastre for this registry key"))
        zs = res.zonesets[res.years[-1]]
        rows = res.registered_rows(k)
        grade_rows = [g for g in res.grades if t[f"area_map_g{g}_m2"] or t[f"area_registered_g{g}_m2"]]
        self.grades.setRowCount(len(grade_rows))
        for r, g in enumerate(grade_rows):
            m, reg = t[f"area_map_g{g}_m2"], t[f"area_registered_g{g}_m2"]
            rates = "、".join(sorted({f"{v / 10000:g}" for v in rows.loc[rows["grade"] == g, "rate_e4"]}))
            cells = [zs.grade_label(g), f"{m:,.2f}", f"{reg:,.2f}", f"{m - reg:+,.2f}",
                     str(zs.rates.get(g, "—")), rates or "—"]
            for c, text in enumerate(cells):
                self.grades.setItem(r, c, QTableWidgetItem(text))
        self.registered.setRowCount(len(rows))
        for r, (_, row) in enumerate(rows.iterrows()):
            cells = [str(row["row"]), zs.grade_label(int(row["grade"])) if row["grade"] else "?",
                     f"{row['area_h'] / 100:,.2f}", f"{row['rate_e4'] / 10000:g}", row["taxpayer"]]
            for c, text in enumerate(cells):
                self.registered.setItem(r, c, QTableWidgetItem(text))
        from zones.money import capitals
        from zones.reconcile_money import fen_to_yuan

        back = fen_to_yuan(res.fen["back_tax"][k])
        self.money.setText(self.tr("Difference / year: %1 yuan; back tax: %2 yuan (%3)")
                           .replace("%1", f"{fen_to_yuan(res.fen['difference_year'][k]):,.2f}")
                           .replace("%2", f"{back:,.2f}").replace("%3", capitals(back)))
        if "late_fee" in res.fen:
            fee = fen_to_yuan(res.fen["late_fee"][k])
            self.money.setText(self.money.text() + "\n" + self.tr("Late fee: %1 yuan (%2)")
                               .replace("%1", f"{fee:,.2f}").replace("%2", capitals(fee)))

    # ------------------------------------------------------------ outputs
    def save_results(self, path: str | None = None) -> Path | None:
        from zones.reconcile_output import write_reconciliation

        path = path or QFileDialog.getSaveFileName(self, self.tr("Save results"), "税源比对.xlsx",
                                                   "Excel (*.xlsx);;CSV (*.csv);;GeoPackage (*.gpkg)")[0]
        if not path:
            return None
        return write_reconciliation(self.res, path)

    def report_pdf(self) -> Path:
        from zones.report.reconcile_pdf import write_reconcile_report

        return write_reconcile_report(self.res, Path(self._tmp.name) / "reconcile.pdf", registry_name=self.registry_name,
                                      source_name=self.tr("project parcels"))

    def save_report(self, path: str | None = None) -> Path | None:
        import shutil

        path = path or QFileDialog.getSaveFileName(self, self.tr("Save report PDF"), "税源比对.pdf", "PDF (*.pdf)")[0]
        if not path:
            return None
        shutil.copyfile(self.report_pdf(), path)
        return Path(path)

    def print_report(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from desktop.dialogs.report_dialog import paint_pdf

        pdf = self.report_pdf()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            paint_pdf(pdf, printer)
