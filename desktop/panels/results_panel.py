"""Results of all parcels: sortable, filterable, exportable (CSV, Excel, GeoPackage,
Shapefile, GeoJSON through :func:`zones.io.export.write_results`)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from zones.money import fmt_yuan
from zones.project import PROJECT_CRS
from zones.results import flag_text

from desktop import i18n

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
UID_ROLE = Qt.ItemDataRole.UserRole + 2


def results_frame(doc) -> pd.DataFrame:
    """One row per parcel with a current result (the export and the table show the same)."""
    zs = doc.zoneset
    grades = zs.grade_list if zs is not None else []
    rows = []
    for p in doc.project.parcels:
        stored = doc.project.current_result(p.uid)
        if stored is None:
            continue
        r = stored.result
        by = {g.grade: g for g in r.rows}
        diff = doc.project.difference(p.uid)
        row = {"uid": p.uid, "宗地号": p.label, "纳税人名称": p.get("taxpayer_name"), "图上面积_m2": round(r.map_area_m2, 2)}
        for g in grades:
            row[f"{zs.grade_label(g)}面积_m2"] = float(by[g].area_m2) if g in by else 0.0
        row.update({"月数": r.liable.count, "应纳税额": float(r.gross), "减免税额": float(r.relief),
                    "小规模减征额": float(r.small_taxpayer_relief), "应缴税额": float(r.due),
                    "较上次差额": None if diff is None else float(diff), "提示": ";".join(r.flags),
                    "复核": (p.review.reviewer if p.review else ""), "错误": r.error or ""})
        rows.append(row)
    return pd.DataFrame(rows)


class ResultsPanel(QWidget):
    parcelActivated = Signal(str)    # uid

    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.doubleClicked.connect(self._activated)
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
        doc.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter (parcel no., taxpayer, flag…)"))
        self.export_button.setText(self.tr("Export…"))
        self.refresh()

    def _on_changed(self, changes) -> None:
        if changes.results or changes.structure or changes.review or changes.uids:
            self.refresh()

    def flag_word(self, code: str) -> str:
        """A flag in a few words for the table cell (the tooltip gives zones.results.flag_text in full)."""
        return {"outside": self.tr("outside the levy scope"), "repaired": self.tr("outline repaired"),
                "sliver": self.tr("grade sliver"), "near_boundary": self.tr("near a grade line"),
                "declared_mismatch": self.tr("certificate area differs"), "overlap": self.tr("overlaps"),
                "empty": self.tr("empty outline"), "relief_capped": self.tr("relief capped"),
                "invalid_terms": self.tr("terms not applicable"),
                "no_liability": self.tr("no liable month")}.get(code) or flag_text(code, "zh" if i18n.is_chinese() else "en")

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
        df = results_frame(self.doc)
        self.model.clear()
        cols = [c for c in df.columns if c != "uid"] if len(df) else []
        for i, c in enumerate(cols):      # words on screen; the tooltip names the export's column
            item = QStandardItem(self.header(c))
            item.setToolTip(c)
            self.model.setHorizontalHeaderItem(i, item)
        lang = "zh" if i18n.is_chinese() else "en"
        money = {"应纳税额", "减免税额", "小规模减征额", "应缴税额", "较上次差额"}
        for rec in df.to_dict("records"):
            items = []
            for c in cols:
                v = rec[c]
                if c in money and v is not None and v == v:
                    text = fmt_yuan(v) if c != "较上次差额" else (("+" if v > 0 else "") + fmt_yuan(v))
                elif c.endswith("_m2"):
                    text = f"{v:,.2f}"
                elif c == "提示":
                    text = ("；" if lang == "zh" else "; ").join(self.flag_word(f) for f in v.split(";") if f)
                else:
                    text = "" if v is None or v != v else str(v)
                item = QStandardItem(text)
                item.setEditable(False)
                item.setData(v if isinstance(v, (int, float)) and v == v else text, SORT_ROLE)
                item.setData(rec["uid"], UID_ROLE)
                if c == "提示" and v:
                    item.setToolTip("\n".join(flag_text(f, lang) for f in v.split(";") if f))
                if isinstance(v, (int, float)):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.model.appendRow(items)
        self.view.resizeColumnsToContents()
        due = float(df["应缴税额"].sum()) if len(df) else 0.0
        self.total.setText(self.tr("%1 parcels assessed, total due %2 yuan").replace("%1", str(len(df))).replace("%2", fmt_yuan(due)))

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
