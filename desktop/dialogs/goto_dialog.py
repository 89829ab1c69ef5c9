"""Go to a typed position: longitude/latitude or CGCS2000 X/Y. The dialog says, as you
type, which of the two it reads the numbers as (or why it cannot), and OK goes there."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from zones.coordinate_text import CoordinateTextError, TypedPosition, parse_position

from desktop import i18n


class GotoDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("goto_dialog")
        self.position: TypedPosition | None = None
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("goto_text")
        self.reading = QLabel()
        self.reading.setObjectName("goto_reading")
        self.reading.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.help, self.edit, self.reading, self.buttons):
            lay.addWidget(w)
        self.edit.textChanged.connect(self._read)
        self.setWindowTitle(self.tr("Go to position"))
        self.help.setText(self.tr("Type a longitude and latitude (120.6795 28.0141, or 120°40′46″ 28°0′51″), "
                                  "or CGCS2000 plane coordinates X (northing) and Y (easting), "
                                  "e.g. 3100192.65 566829.16; the zone number 40 may stand in front of Y."))
        self.setMinimumWidth(460)
        self._read("")

    def _read(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            self.position = parse_position(text)
        except CoordinateTextError as exc:
            self.position = None
            self.reading.setText(exc.text(i18n.current_language()) if text.strip() else "")
            ok.setEnabled(False)
            return
        self.reading.setText(self.tr("Read as: %1").replace("%1", self.position.describe(i18n.current_language())))
        ok.setEnabled(True)
