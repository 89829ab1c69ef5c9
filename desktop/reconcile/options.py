"""The choices a 税源比对 needs besides the registry file: the years of back tax, the area
tolerance, and the two rules of the 税收征管法 that a tax office may or may not apply
(追征期, 滞纳金; both off by default, as on the command line, and printed on the report)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from zones.reconcile import ReconcileOptions
from zones.reconcile_money import ClaimRule
from zones.zoneset import ZoneSet

FIRST_YEAR = 1988          # the year the tax was introduced (国务院令第17号)


class ReconcileOptionsDialog(QDialog):
    """Years FIRST–LAST, tolerance m², optional 追征期 (years) and 滞纳金 (rate per day),
    counted to a day. Refuses years the zone set has no legal basis for before closing."""

    def __init__(self, zoneset: ZoneSet, year: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ReconcileOptionsDialog")
        self.zoneset = zoneset
        self.first, self.last = QSpinBox(), QSpinBox()
        for box in (self.first, self.last):
            box.setRange(FIRST_YEAR, 2100)
            box.setValue(year)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0, 10_000)
        self.tolerance.setDecimals(2)
        self.tolerance.setValue(1.0)
        self.claim_on, self.claim_years = QCheckBox(), QSpinBox()
        self.claim_years.setRange(0, 50)
        self.claim_years.setValue(3)              # 第五十二条: three years, five in special cases
        self.late_on, self.late_rate = QCheckBox(), QLineEdit("0.0005")   # 第三十二条: 万分之五 a day
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.claim_on.toggled.connect(self._enable)
        self.late_on.toggled.connect(self._enable)
        self._layout()
        self.retranslate()
        self._enable()

    def _layout(self) -> None:
        self.form = QFormLayout()
        self.row_labels = [QLabel() for _ in range(5)]
        years = QHBoxLayout()
        self.to_label = QLabel()
        years.addWidget(self.first)
        years.addWidget(self.to_label)
        years.addWidget(self.last)
        years.addStretch(1)
        self.form.addRow(self.row_labels[0], years)
        self.form.addRow(self.row_labels[1], self.tolerance)
        claim = QHBoxLayout()
        claim.addWidget(self.claim_on)
        claim.addWidget(self.claim_years)
        claim.addStretch(1)
        self.form.addRow(self.row_labels[2], claim)
        late = QHBoxLayout()
        late.addWidget(self.late_on)
        late.addWidget(self.late_rate)
        self.form.addRow(self.row_labels[3], late)
        self.form.addRow(self.row_labels[4], self.as_of)
        box = QVBoxLayout(self)
        box.addLayout(self.form)
        box.addWidget(self.note)
        box.addWidget(self.problem)
        box.addWidget(self.buttons)

    def retranslate(self) -> None:
        t = self.tr
        self.setWindowTitle(t("Reconciliation options"))
        labels = [t("Tax years:"), t("Area tolerance (m²):"), t("Claim period (追征期):"), t("Late fee per day (滞纳金):"),
                  t("Counted to:")]
        for label, text in zip(self.row_labels, labels):
            label.setText(text)
        self.to_label.setText(t("to"))
        self.claim_on.setText(t("limit to the last"))
        self.claim_years.setSuffix(t(" years"))
        self.late_on.setText(t("charge"))
        self.note.setText(t("Back tax sums each year's difference on the zone set and rates in force that year. "
                            "The claim period and late fees are off unless ticked; the rule used is printed on the report."))

    def _enable(self) -> None:
        self.claim_years.setEnabled(self.claim_on.isChecked())
        self.late_rate.setEnabled(self.late_on.isChecked())

    # ------------------------------------------------------------ answers
    def years(self) -> list[int]:
        first, last = sorted((self.first.value(), self.last.value()))
        return list(range(first, last + 1))

    def options(self) -> ReconcileOptions:
        """The options as typed; raises ValueError naming the field that is wrong."""
        late = None
        if self.late_on.isChecked():
            try:
                late = Decimal(self.late_rate.text().strip())
            except InvalidOperation:
                raise ValueError(self.tr("The late fee rate “%1” is not a number, e.g. 0.0005").replace(
                    "%1", self.late_rate.text())) from None
            if not Decimal(0) <= late < Decimal(1):
                raise ValueError(self.tr("The late fee rate must be between 0 and 1 a day, e.g. 0.0005"))
        as_of = self.as_of.date()
        return ReconcileOptions(Decimal(str(round(self.tolerance.value(), 2))),
                                ClaimRule(self.claim_years.value() if self.claim_on.isChecked() else None, late,
                                          date(as_of.year(), as_of.month(), as_of.day())))

    def accept(self) -> None:
        try:
            self.options()
        except ValueError as exc:
            self.problem.setText(str(exc))
            return
        missing = [y for y in self.years() if self.zoneset.legal_basis and self.zoneset.basis_for(y) is None]
        if missing:
            spans = "；".join(f"{b.document} {b.applies_from or '…'}—{b.applies_to or '今'}" for b in self.zoneset.legal_basis)
            self.problem.setText(self.tr("The zone set has no legal basis for %1 (it applies: %2); "
                                         "the tax of those years cannot be computed on it.")
                                 .replace("%1", "、".join(map(str, missing))).replace("%2", spans))
            return
        super().accept()
