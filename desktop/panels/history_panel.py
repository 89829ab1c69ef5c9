"""Change history of the selected parcel (what, when, who): its events in the project's
append-only audit log, so an undo shows as one more line, never as a line removed."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop import i18n
from desktop.history_words import history_in_language


class HistoryPanel(QWidget):
    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.uid: str | None = None
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(3)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tree)
        doc.selectionChanged.connect(self._on_selection)
        doc.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        self.refresh()

    def _on_selection(self, uids) -> None:
        self.uid = uids[0] if len(uids) == 1 else None
        self.refresh()

    def _on_changed(self, changes) -> None:
        if self.uid and (changes.structure or self.uid in changes.uids):
            if not self.doc._exists(self.uid):
                self.uid = None
            self.refresh()

    def entries(self) -> list[tuple[str, str, str]]:
        if not self.uid:
            return []
        lang = i18n.current_language()      # the log keeps its words; the panel shows them in the language
        return [(h.when.replace("T", " "), h.who, history_in_language(h.what, lang))
                for h in self.doc.project.history(self.uid)]

    def refresh(self) -> None:
        self.tree.clear()
        for when, who, what in reversed(self.entries()):   # newest first
            item = QTreeWidgetItem([when, who, what])
            item.setToolTip(2, what)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
