"""At import: records whose 宗地号 or 不动产单元号 a parcel of the project already has.
The officer chooses — 替换 (the project's parcel gives way to the file's), 都保留 (both
stay, flagged 重复 in the table, 提示 and the report) or 跳过 (the file's record is not
imported) — or cancels the import. The list shows each clash with both parcels."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

REPLACE, KEEP_BOTH, SKIP = "replace", "keep_both", "skip"
#: Clashes listed before "… and N more".
LISTED = 200


class DuplicateDialog(QDialog):
    def __init__(self, file_name: str, clashes, incoming, parent=None) -> None:
        """``clashes``: [(position in ``incoming``, [existing parcels], ids in words)] from
        :func:`zones.duplicates.clashes`; ``incoming``: the new parcels (for their taxpayer)."""
        super().__init__(parent)
        self.setObjectName("duplicate_dialog")
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Parcels already in the project"))
        text = QLabel(self.tr("%1 of the records in %2 have a parcel no. or real-estate unit no. that a parcel of "
                              "the project already has. Importing them as well would tax those parcels twice.")
                      .replace("%1", str(len(clashes))).replace("%2", file_name))
        text.setWordWrap(True)
        self.table = QTableWidget(min(len(clashes), LISTED), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Same id"), self.tr("In the file (row, taxpayer)"),
                                              self.tr("In the project (taxpayer)")])
        for r, (k, existing, words) in enumerate(clashes[:LISTED]):
            new = incoming[k]
            cells = (words, f"{k + 1}: {new.get('taxpayer_name') or '—'}",
                     "、".join(f"{p.label} {p.get('taxpayer_name') or '—'}" for p in existing))
            for c, v in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        more = QLabel(self.tr("… and %1 more").replace("%1", str(len(clashes) - LISTED)))
        more.setVisible(len(clashes) > LISTED)
        self.buttons = QDialogButtonBox()
        self.replace_button = self._button(self.tr("Replace"), REPLACE,
                                           self.tr("Remove the project's parcels with these ids and import the file's"))
        self.keep_button = self._button(self.tr("Keep both"), KEEP_BOTH,
                                        self.tr("Import them too; both stay, flagged as duplicates"))
        self.skip_button = self._button(self.tr("Skip"), SKIP,
                                        self.tr("Import only the file's other records"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.skip_button.setDefault(True)      # the safe choice: nothing is taxed twice, nothing removed
        lay = QVBoxLayout(self)
        for w in (text, self.table, more, self.buttons):
            lay.addWidget(w)
        self.resize(760, 420)

    def _button(self, text: str, choice: str, tip: str) -> QPushButton:
        b = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        b.setObjectName(choice)
        b.setToolTip(tip)
        b.clicked.connect(lambda: self._chosen(choice))
        return b

    def _chosen(self, choice: str) -> None:
        self.choice = choice
        self.accept()
