"""Show the log file so staff can copy it into a support request."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from desktop.errors import log_path


class LogDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        path = log_path()
        self.setWindowTitle(self.tr("Log"))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        try:
            data = path.read_text(encoding="utf-8", errors="replace") if path else ""
        except OSError as exc:
            data = str(exc)
        self.text.setPlainText(data[-200_000:])
        copy = QPushButton(self.tr("Copy all"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(str(path or "")))
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self.resize(800, 500)
