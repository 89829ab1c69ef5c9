"""Results of all parcels: sortable, filterable, exportable (CSV, Excel, GeoPackage,
Shapefile, GeoJSON through :func:`zones.io.export.write_results`)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from zones.money import fmt_yuan
from zones.project import PROJECT_CRS
from zones.results import flag_text

from desktop import i18n
from desktop.results_table_model import SORT_ROLE, UID_ROLE, ResultsTableModel, result_columns, result_row


def results_frame(doc) -> pd.DataFrame:
    """One row per parcel with a current result (the export and the table show the same)."""
    cols = ["uid", *result_columns(doc.zoneset)]
    pr = doc.project
    rows = [result_row(doc, p, stored) for p in pr.parcels if (stored := pr.current_result(p.uid)) is not None]
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(rows)


class ResultsPanel(QWidget):
    parcelActivated = Signal(str)    # uid

    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = ResultsTableModel(doc, self, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        # unsorted until the officer clicks a heading: sorting reads every row, i.e. every stored result
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.doubleClicked.connect(self._activated)
        self._syncing = False     # the shared selection: this table follows it and sets it
        self.view.selectionModel().selectionChanged.connect(self._view_selection)
        doc.selectionChanged.connect(self._doc_selection)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved, self.model.dataChanged):
            signal.connect(self._show_total)
        self.model.modelReset.connect(self._fit_columns)
        for signal in (self.model.modelReset, self.model.rowsInserted):   # a row back: selected again if it is
            signal.connect(lambda *_: self._doc_selection(self.doc.selection.uids))
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.total = QLabel()
        self.export_button = QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.total)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter (parcel no., taxpayer, flag…)"))
        self.export_button.setText(self.tr("Export…"))
        self.refresh()

    def _fit_columns(self) -> None:
        if self.model.rowCount() <= 2000:      # measuring every cell of a district's table takes seconds
            self.view.resizeColumnsToContents()

    def _show_total(self, *_) -> None:
        n = self.model.rowCount()
        self.total.setText(self.tr("%1 parcels assessed, total due %2 yuan").replace("%1", str(n))
                           .replace("%2", fmt_yuan(self.model.total)))

    def _view_selection(self, *_) -> None:
        if self._syncing or self.model.updating:
            return
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()})
        self.doc.selection.set([self.model.uids[r] for r in rows])

    def _doc_selection(self, uids) -> None:
        self._syncing = True
        try:
            sel = QItemSelection()
            last = self.model.columnCount() - 1
            for uid in uids:
                if uid not in self.doc.project or self.doc.project.current_result(uid) is None:
                    continue
                r = self.model._position(uid)
                if r < len(self.model.uids) and self.model.uids[r] == uid:
                    sel.select(self.proxy.mapFromSource(self.model.index(r, 0)),
                               self.proxy.mapFromSource(self.model.index(r, last)))
            self.view.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                              | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._syncing = False

    def flag_word(self, code: str) -> str:
        """A flag in a few words for the table cell (the tooltip gives zones.results.flag_text in full)."""
        return {"outside": self.tr("outside the levy scope"), "repaired": self.tr("outline repaired"),
                "sliver": self.tr("grade sliver"), "near_boundary": self.tr("near a grade line"),
                "declared_mismatch": self.tr("certificate area differs"), "overlap": self.tr("overlaps"),
                "empty": self.tr("empty outline"), "relief_capped": self.tr("relief capped"),
                "invalid_terms": self.tr("terms not applicable"),
                "no_liability": self.tr("no liable month"), "duplicate_id": self.tr("duplicate id"),
                "invalid_id": self.tr("identifier fails its check")}.get(code) or flag_text(code, "zh" if i18n.is_chinese() else "en")

    def header(self, column: str) -> str:
        """The table's heading for a column of :func:`results_frame` (whose names the export keeps)."""
        words = {"宗地号": self.tr("Parcel no."), "纳税人名称": self.tr("Taxpayer"), "图上面积_m2": self.tr("Map area (m²)"),
                 "月数": self.tr("Months"), "应纳税额": self.tr("Gross (yuan)"), "减免税额": self.tr("Relief (yuan)"),
                 "小规模减征额": self.tr("Small-taxpayer relief (yuan)"), "应缴税额": self.tr("Due (yuan)"),
                 "较上次差额": self.tr("Change from before (yuan)"), "提示": self.tr("Check"),
                 "复核": self.tr("Reviewed by"), "错误": self.tr("Error")}
        if column in words:
            return words[column]
        zs = self.doc.zoneset
        for g in (zs.grade_list if zs is not None else []):
            if column == f"{zs.grade_label(g)}面积_m2":
                label = zs.grade_label(g) if i18n.is_chinese() else self.tr("Grade %1").replace("%1", str(g))
                return self.tr("%1 area (m²)").replace("%1", label)
        return column

    def refresh(self) -> None:
        """Headings and words again (language); the rows follow the store by themselves."""
        self.model.retranslate()
        self._show_total()

    def _activated(self, index) -> None:
        uid = self.proxy.data(index, UID_ROLE)
        if uid:
            self.parcelActivated.emit(uid)

    def export(self, path) -> None:
        """Write the results to ``path`` (format by extension) with the parcels' geometry."""
        from zones.io.export import write_results

        df = results_frame(self.doc)
        uids = list(df["uid"]) if len(df) else []
        parcels = gpd.GeoDataFrame({"宗地号": [self.doc.project.by_uid(u).label for u in uids]},
                                   geometry=[self.doc.project.by_uid(u).geometry for u in uids], crs=PROJECT_CRS)
        prov = next(iter(self.doc.project.results.values())).provenance if self.doc.project.results else {}
        write_results(df.drop(columns=["uid"]) if len(df) else df, path, provenance=prov, parcels=parcels)
