"""The import dialog's list of problems as a table model over the importer's findings.

A file of heavily overlapping parcels gives hundreds of thousands of findings (100,000
random parcels: 475,875). Made into one tree item each they took 34 s and 0.5 GB before the
dialog showed; the view asks this model only for the rows it draws, and the findings are
made into objects only in the slices it shows (:class:`zones.io.base.FindingList` keeps the
overlap findings as columns).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from zones.io.base import Finding, FindingList

#: Findings made into objects at a time, and how many such slices are kept.
SLICE = 256
SLICES_KEPT = 8


@dataclass(frozen=True)
class ProblemRow:
    """One line of the list: its four texts, the tooltips of the type and details, and the
    core's stable severity and code (kept as data for a support request and for tests)."""

    texts: tuple[str, str, str, str]
    severity: str
    code: str
    code_tip: str
    details_tip: str


def findings_between(findings, start: int, stop: int) -> list[Finding]:
    """``findings[start:stop]`` as objects, making only those from an overlap block's columns."""
    if isinstance(findings, FindingList):
        return findings.between(start, stop)
    return list(findings[start:stop])


class ProblemsModel(QAbstractTableModel):
    """The reader's findings, then the dialog's own rows (doubled columns), as rows of four columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._findings: Sequence[Finding] = ()
        self._count = 0
        self._row_of: Callable[[Finding], ProblemRow] = lambda f: ProblemRow(
            (str(f.record), f.severity, f.code, f.message), f.severity, f.code, f.code, f.message)
        self._extra: list[ProblemRow] = []
        self._slices: OrderedDict[int, list[ProblemRow]] = OrderedDict()
        self._headers: tuple[str, ...] = ("", "", "", "")

    # ------------------------------------------------ filled by the dialog
    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = tuple(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)

    def show(self, findings, row_of: Callable[[Finding], ProblemRow]) -> None:
        """List ``findings`` (any sequence of findings, read lazily), each shown as ``row_of`` says."""
        self.beginResetModel()
        self._findings, self._count, self._row_of = findings, len(findings), row_of
        self._extra, self._slices = [], OrderedDict()
        self.endResetModel()

    def add(self, row: ProblemRow) -> None:
        at = self.rowCount()
        self.beginInsertRows(QModelIndex(), at, at)
        self._extra.append(row)
        self.endInsertRows()

    def clear(self) -> None:
        self.show((), self._row_of)

    def relabel(self) -> None:
        """The language changed: rows are made again in it as they are drawn."""
        self._slices.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 3))

    # ------------------------------------------------ read by the view (and tests)
    def row(self, i: int) -> ProblemRow:
        if i >= self._count:
            return self._extra[i - self._count]
        start = i - i % SLICE
        rows = self._slices.get(start)
        if rows is None:
            rows = [self._row_of(f) for f in findings_between(self._findings, start, start + SLICE)]
            self._slices[start] = rows
            while len(self._slices) > SLICES_KEPT:
                self._slices.popitem(last=False)
        else:
            self._slices.move_to_end(start)
        return rows[i - start]

    def rows(self) -> list[ProblemRow]:
        return [self.row(i) for i in range(self.rowCount())]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count + len(self._extra)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = self.row(index.row()), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return r.texts[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.code_tip if c == 2 else r.details_tip if c == 3 else None
        if role == Qt.ItemDataRole.UserRole:
            return r.severity if c == 1 else r.code if c == 2 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return self._headers[section]
        return None
