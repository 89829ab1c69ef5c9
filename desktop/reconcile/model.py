"""The reconciliation table for Qt views: the rows of one status (or all), the money
columns right-aligned with two decimals. A thin adapter over the core's table."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from zones.reconcile import STATUS_ZH, Reconciliation

#: (column of the core table, header) shown in the table.
COLUMNS = (("parcel_id", "Parcel no."), ("unit_no", "Unit no."), ("status", "Status"), ("area_map_m2", "Map area (m²)"),
           ("area_registered_m2", "Registered area (m²)"), ("tax_map_year", "Map tax / year"),
           ("tax_registered_year", "Registered tax / year"), ("difference_year", "Difference / year"),
           ("back_tax", "Back tax"), ("district", "District"))
MONEY = {"area_map_m2", "area_registered_m2", "tax_map_year", "tax_registered_year", "difference_year", "back_tax",
         "late_fee"}
LATE_FEE = ("late_fee", "Late fee")          # shown when the reconciliation charged one


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReconcileTableModel", text)


class ReconcileTableModel(QAbstractTableModel):
    def __init__(self, res: Reconciliation, parent=None) -> None:
        super().__init__(parent)
        self.res = res
        self.columns = list(COLUMNS)
        if LATE_FEE[0] in res.table:
            self.columns.insert(self.columns.index(("back_tax", "Back tax")) + 1, LATE_FEE)
        self._cols = {name: res.table[name].tolist() for name, _ in self.columns}
        self.rows = np.arange(len(res.table))

    def set_status(self, code: str | None) -> None:
        """Show the rows having ``code`` (None: every row)."""
        self.beginResetModel()
        self.rows = np.arange(len(self.res.table)) if code is None else np.flatnonzero(self.res.has(code))
        self.endResetModel()

    def table_row(self, view_row: int) -> int:
        return int(self.rows[view_row])

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.columns[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name = self.columns[index.column()][0]
        value = self._cols[name][self.rows[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            if name in MONEY:
                return f"{value:,.2f}"
            if name == "status":
                return "、".join(STATUS_ZH[c] for c in str(value).split(";") if c)
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole and name == "status":
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in MONEY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
