"""Who is working: the officer's name (经办人, and the name in every parcel's change
history) and tax office (税务所). Asked once on the first start, changeable under
编辑 → 经办人和税务所…; kept in the settings."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from desktop import settings as S

log = logging.getLogger(__name__)

#: offered in the tax-office box; any other text may be typed
WENZHOU_OFFICES = ("国家税务总局温州市鹿城区税务局", "国家税务总局温州市龙湾区税务局", "国家税务总局温州市瓯海区税务局",
                   "国家税务总局温州市洞头区税务局", "国家税务总局温州经济技术开发区税务局")


class OfficerDialog(QDialog):
    def __init__(self, parent=None, *, name: str = "", office: str = "", first: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("officer_dialog")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.name.setObjectName("officer_name")
        self.office = QComboBox()
        self.office.setObjectName("officer_office")
        self.office.setEditable(True)
        self.office.addItems(WENZHOU_OFFICES)
        self.office.setCurrentText(office)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.intro)
        self.name_label, self.office_label = QLabel(), QLabel()
        form.addRow(self.name_label, self.name)
        form.addRow(self.office_label, self.office)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._enable)
        self.setWindowTitle(self.tr("Officer and tax office"))
        self.intro.setText(self.tr("Welcome. Your name is printed as the handling officer on the reports and recorded with each "
                                   "change you make; the tax office goes with it. You can change both later under "
                                   "Edit → Officer and tax office.") if first else
                           self.tr("Your name is printed as the handling officer on the reports and recorded with each change."))
        self.name_label.setText(self.tr("Your name:"))
        self.office_label.setText(self.tr("Tax office:"))
        self.setMinimumWidth(480)
        self._enable(self.name.text())

    def _enable(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.office.currentText().strip()


def edit_officer(window, *, first: bool = False) -> bool:
    """Ask for the officer's name and tax office; on OK keep them and use them from now on."""
    settings = window.settings
    dlg = OfficerDialog(window, name=settings.get(S.OPERATOR), office=settings.get(S.TAX_OFFICE), first=first)
    ok = bool(dlg.exec())
    name, office = dlg.values()
    dlg.deleteLater()
    settings.set(S.OFFICER_ASKED, True)
    if not ok or not name:
        return False
    settings.set(S.OPERATOR, name)
    settings.set(S.TAX_OFFICE, office)
    apply_officer(window)
    log.info("officer: %s, tax office: %s", name, office or "—")
    return True


def apply_officer(window) -> None:
    """The document records the officer's name; the status bar shows who is working."""
    name, office = window.settings.get(S.OPERATOR), window.settings.get(S.TAX_OFFICE)
    if name:
        window.doc.operator = name
        window.doc.tax_office = office


def ask_on_first_start(window) -> bool:
    """The first start (no name yet and never asked): ask once."""
    if window.settings.get(S.OPERATOR) or window.settings.get(S.OFFICER_ASKED):
        return False
    return edit_officer(window, first=True)
