"""The attribute table beside the map: editable cells (enumerations as drop-down
lists of the 税源明细表 options), selection kept in step with the document's."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget

from desktop import i18n
from desktop.option_words import option_label
from desktop.parcel_table_model import ParcelTableModel, case_label
from desktop.wrapping_header import WrappingHeader


class FieldDelegate(QStyledItemDelegate):
    """A combo box for fields with options; the default editor otherwise."""

    def __init__(self, model: ParcelTableModel, parent=None) -> None:
        super().__init__(parent)
        self.table_model = model

    def createEditor(self, parent, option, index):  # noqa: N802
        f = self.table_model.field_at(index.column())
        if f is not None and (f.options or f.kind == "bool"):
            combo = QComboBox(parent)
            combo.addItem("", "")
            if f.kind == "bool":
                combo.addItem("是" if i18n.is_chinese() else "yes", "是")
            for opt in f.options:
                combo.addItem(case_label(opt) if f.kind == "case" else option_label(opt, i18n.current_language()), opt)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(i, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ParcelTable(QWidget):
    reliefsRequested = Signal(str)     # uid: open the reliefs editor

    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = ParcelTableModel(doc, self)
        self.view = QTableView()
        # headings wrap between words (both languages), never elided or cut inside a word
        self.header = WrappingHeader(self.view)
        self.view.setHorizontalHeader(self.header)
        self.view.setModel(self.model)
        self.view.setItemDelegate(FieldDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.doubleClicked.connect(self._double_clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._view_selection)
        doc.selectionChanged.connect(self._doc_selection)
        self.model.modelReset.connect(lambda: self._doc_selection(self.doc.selection.uids))
        self.header.fit()

    def retranslate(self) -> None:
        self.model.retranslate()

    def _view_selection(self, *_):
        if self._syncing:
            return
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        self.doc.selection.set([self.doc.project.parcels[r].uid for r in rows])

    def _doc_selection(self, uids) -> None:
        self._syncing = True
        try:
            sel = QItemSelection()
            last = self.model.columnCount() - 1
            for uid in uids:
                try:
                    r = self.doc.project.index_of(uid)
                except KeyError:
                    continue
                sel.select(self.model.index(r, 0), self.model.index(r, last))
            sm = self.view.selectionModel()
            sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if uids:
                try:
                    self.view.scrollTo(self.model.index(self.doc.project.index_of(uids[0]), 0))
                except KeyError:
                    pass
        finally:
            self._syncing = False

    def _double_clicked(self, index) -> None:
        f = self.model.field_at(index.column())
        if f is not None and f.kind == "reliefs":
            self.reliefsRequested.emit(self.doc.project.parcels[index.row()].uid)
