"""After a parcel is drawn: ask for its 宗地号 in a small bar over the map (not a modal
dialog: the officer may look at the map first, and the window stays usable).
确定 (Enter) gives the parcel its number as one undoable edit; 跳过 (Esc) leaves it
未编号, which is what the table, the map and the report then show, and printing it
asks first (:mod:`desktop.report_output`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton

from zones.project import UNNUMBERED

from desktop.commands import EditParcel


class ParcelNumberPrompt(QFrame):
    def __init__(self, doc, parent) -> None:
        super().__init__(parent)
        self.setObjectName("parcel_number_prompt")
        self.doc = doc
        self.uid: str | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName("parcel_number")
        self.edit.setMinimumWidth(220)
        self.edit.returnPressed.connect(self.accept)
        self.edit.installEventFilter(self)
        self.ok_button, self.skip_button = QPushButton(), QPushButton()
        self.ok_button.setObjectName("parcel_number_ok")
        self.skip_button.setObjectName("parcel_number_skip")
        self.ok_button.clicked.connect(self.accept)
        self.skip_button.clicked.connect(self.skip)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        for w in (self.label, self.edit, self.ok_button, self.skip_button):
            lay.addWidget(w)
        doc.changed.connect(self._on_changed)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Parcel no. of the new parcel:"))
        self.edit.setPlaceholderText(self.tr("Parcel no., e.g. 330302001001GB00001"))
        self.ok_button.setText(self.tr("OK"))
        self.skip_button.setText(self.tr("Skip (%1)").replace("%1", UNNUMBERED))
        self.skip_button.setToolTip(self.tr("Leave the parcel without a parcel no.; it is shown as %1 (Esc)")
                                    .replace("%1", UNNUMBERED))

    def ask(self, uid: str) -> None:
        """Show the bar for the new parcel ``uid``, the number field focused."""
        self.uid = uid
        self.edit.clear()
        self.adjustSize()
        self.move(12, 12)
        self.show()
        self.raise_()
        self.edit.setFocus()

    def accept(self) -> None:
        number = self.edit.text().strip()
        uid, self.uid = self.uid, None
        self.hide()
        if uid and number and uid in self.doc.project:
            self.doc.stack.push(EditParcel(self.doc, uid, attrs={"parcel_no": number},
                                           text=self.tr("Parcel no. %1").replace("%1", number)))

    def skip(self) -> None:
        self.uid = None
        self.hide()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt): the language switched
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.skip()
            return True
        return super().eventFilter(obj, event)

    def _on_changed(self, changes) -> None:
        # the parcel undone or deleted while the bar is up: nothing left to number
        if self.uid and changes.structure and self.uid not in self.doc.project:
            self.skip()
