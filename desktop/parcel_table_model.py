"""The parcel attribute table: a Qt item model adapting :class:`zones.project.Project`.

One row per parcel, one column per 税源明细 field, plus measured area (m² and 亩),
the first liable month and the amount due. Editing a cell pushes an
:class:`~desktop.commands.EditParcel` onto the undo stack; the model itself never
mutates the project. Identifiers that fail their check are shown in red with the
reason as tooltip — the value is kept, not rejected.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from zones import identifiers
from zones.money import M2_PER_MU, area2, fmt_yuan
from zones.periods import ACQUISITION_RULES, AcquisitionCase, YearMonth
from zones.project import FIELDS, first_liable

from desktop import i18n
from desktop.identifier_words import identifier_message
from desktop.option_words import option_label
from desktop.rule_words import rule_in_language

INVALID = QBrush(QColor("#f8d0d0"))
STALE = QBrush(QColor("#fff3c4"))
REVIEWED = QBrush(QColor("#d4edda"))
DUPLICATE = QBrush(QColor("#ffd8a8"))     # a 宗地号 / 不动产单元号 another parcel also has
R = Qt.ItemDataRole
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
#: The roles a cell answers: a repaint asks each visible cell for many more (font, colours,
#: decoration, check state, size), each of which would otherwise read the parcel first.
ANSWERED_ROLES = frozenset({R.DisplayRole, R.EditRole, R.BackgroundRole, R.ToolTipRole, R.TextAlignmentRole})

#: Acquisition cases in words (Chinese from the core; English here).
CASE_EN = {
    AcquisitionCase.NEW_HOUSING_HANDOVER: "new housing: month after handover",
    AcquisitionCase.EXISTING_HOUSING_CERTIFICATE: "existing housing: month after certificate",
    AcquisitionCase.LEASE_HANDOVER: "lease: month after handover",
    AcquisitionCase.DEVELOPER_OWN_USE: "developer own use: month after use",
    AcquisitionCase.GRANT_WITH_DELIVERY_DATE: "grant/transfer: month after agreed delivery",
    AcquisitionCase.GRANT_WITHOUT_DELIVERY_DATE: "grant/transfer, no delivery date: month after contract",
    AcquisitionCase.REQUISITION_CULTIVATED: "requisitioned arable land: one year after approval",
    AcquisitionCase.REQUISITION_OTHER: "requisitioned other land: month after approval",
    AcquisitionCase.OTHER_NEXT_MONTH: "other: month after acquisition",
}


def case_label(value: str) -> str:
    try:
        case = AcquisitionCase(value or AcquisitionCase.OTHER_NEXT_MONTH.value)
    except ValueError:
        return value
    if i18n.is_chinese():
        return ACQUISITION_RULES[case].split("（")[0].split("，自")[0]
    return CASE_EN[case]


def check_identifier(key: str, value: str):
    """The core's check for an identifier column, or None for columns without one."""
    if not value:
        return None
    if key == "taxpayer_id":
        return identifiers.check_taxpayer_id(value)
    if key == "unit_no":
        return identifiers.check_unit_number(value)
    if key == "parcel_no":
        return identifiers.check_parcel_code(value)
    return None


def reliefs_summary(text: str) -> str:
    if not text:
        return ""
    try:
        return "、".join(c["code"] + (f"({c['area_m2']} m²)" if c.get("area_m2") else "") for c in json.loads(text))
    except (ValueError, KeyError, TypeError):
        return text


def mu2(area_m2) -> str:
    """Area in 亩 to two decimals, as the GUI shows it (zones.money.mu keeps four for ledgers)."""
    return f"{(Decimal(str(area_m2)) / M2_PER_MU).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


EXTRA = ("area", "mu", "first_liable", "due")


class ParcelTableModel(QAbstractTableModel):
    STATUS = 0

    def __init__(self, doc, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.fields = list(FIELDS)
        doc.changed.connect(self._on_changed)

    # the column layout: status, fields…, extras
    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 1 + len(self.fields) + len(EXTRA)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.doc.project)

    def field_at(self, column: int):
        return self.fields[column - 1] if 1 <= column <= len(self.fields) else None

    def column_of(self, key: str) -> int:
        for i, f in enumerate(self.fields):
            if f.key == key:
                return i + 1
        return 1 + len(self.fields) + EXTRA.index(key)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Status")
        f = self.field_at(section)
        if f is not None:
            return f.zh if i18n.is_chinese() else f.en
        extra = EXTRA[section - 1 - len(self.fields)]
        return {"area": self.tr("Map area (m²)"), "mu": self.tr("Area (mu)"),
                "first_liable": self.tr("First liable month"), "due": self.tr("Tax due (yuan)")}[extra]

    def flags(self, index):
        f = self.field_at(index.column())
        return EDITABLE if f is not None and f.kind not in ("reliefs",) else READ_ONLY

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in ANSWERED_ROLES or not index.isValid() or index.row() >= len(self.doc.project):
            return None
        p = self.doc.project.parcels[index.row()]
        col = index.column()
        f = self.field_at(col)
        if col == 0:
            return self._status(p, role)
        if f is not None:
            value = p.get(f.key)
            if role == Qt.ItemDataRole.EditRole:
                return value
            check = check_identifier(f.key, value) if f.kind == "id" or f.key == "parcel_no" else None
            if role == Qt.ItemDataRole.DisplayRole:
                if f.kind == "case":
                    return case_label(value) if value else ""
                if f.kind == "reliefs":
                    return reliefs_summary(value)
                if f.kind == "bool":
                    return ("是" if i18n.is_chinese() else "yes") if value else ""
                if f.options:       # the form's option in English; the stored value stays the form's
                    return option_label(value, i18n.current_language())
                return value
            shared = self._shared(p, f.key, value, role)
            if role == Qt.ItemDataRole.BackgroundRole and check is not None and not check.ok:
                return INVALID
            if role == Qt.ItemDataRole.BackgroundRole and shared:
                return DUPLICATE
            if role == Qt.ItemDataRole.ToolTipRole:
                lang = i18n.current_language()
                if shared:
                    return "\n".join(identifier_message(t, lang) for t in
                                     (shared, check.message if check is not None and not check.ok else "") if t)
                if check is not None:
                    return identifier_message(check.message, lang)
                if f.kind == "case" and value:
                    return rule_in_language(ACQUISITION_RULES.get(AcquisitionCase(value), ""), lang)
            return None
        extra = EXTRA[col - 1 - len(self.fields)]
        if role == Qt.ItemDataRole.TextAlignmentRole and extra in ("area", "mu", "due"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if extra == "first_liable":
            try:
                first, rule = first_liable(p)
            except Exception:   # an unreadable month: the cell says so, the tooltip why
                first, rule = None, self.tr("unreadable month")
            if role == Qt.ItemDataRole.DisplayRole:
                return str(first) if first else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return rule_in_language(rule, i18n.current_language())
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if extra == "area":
            return f"{area2(p.geometry.area):,.2f}"
        if extra == "mu":
            return mu2(p.geometry.area)       # two decimals on screen
        stored = self.doc.project.current_result(p.uid)
        if stored is None:
            return ""
        return fmt_yuan(stored.result.due) if not stored.result.error else self.tr("error")

    def _shared(self, p, key: str, value: str, role) -> str:
        """The duplicate note of a 宗地号 / 不动产单元号 cell another parcel shares, else ''."""
        if not value or key not in ("parcel_no", "unit_no") or role not in (Qt.ItemDataRole.BackgroundRole,
                                                                           Qt.ItemDataRole.ToolTipRole):
            return ""
        return self.doc.duplicates.note(p.uid, key)

    def _status(self, p, role):
        stored = self.doc.project.current_result(p.uid)
        reviewed = self.doc.project.is_reviewed(p.uid)     # for exactly the result it has now
        if role == Qt.ItemDataRole.DisplayRole:
            if stored is None:
                return self.tr("not assessed")
            return self.tr("reviewed") if reviewed else self.tr("entered")
        if role == Qt.ItemDataRole.BackgroundRole:
            return REVIEWED if reviewed else (STALE if stored is None else None)
        if role == Qt.ItemDataRole.ToolTipRole and reviewed:
            return f"{p.review.reviewer} {p.review.when}"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        f = self.field_at(index.column())
        if f is None or role != Qt.ItemDataRole.EditRole:
            return False
        p = self.doc.project.parcels[index.row()]
        text = "" if value is None else str(value).strip()
        if f.kind == "month" and text:
            try:
                text = str(YearMonth.parse(text))
            except Exception:
                from desktop.errors import show_message
                show_message(None, QCoreApplication.translate("ParcelTableModel", "Not a month"),
                             QCoreApplication.translate("ParcelTableModel", "Enter a year and month like 2024-07."))
                return False
        if f.kind == "area" and text:
            try:
                float(text.replace(",", ""))
            except ValueError:
                return False
        if text == p.get(f.key):
            return False
        from desktop.commands import EditParcel
        name = f.zh if i18n.is_chinese() else f.en
        self.doc.stack.push(EditParcel(self.doc, p.uid, attrs={f.key: text}, text=self.tr("Edit %1").replace("%1", name)))
        return True

    # ------------------------------------------------------------ updates
    def _on_changed(self, changes) -> None:
        if changes.structure or changes.zoneset:
            self.beginResetModel()
            self.endResetModel()
            return
        rows = []
        for uid in changes.uids:
            try:
                rows.append(self.doc.project.index_of(uid))
            except KeyError:
                pass
        if changes.results and not changes.uids:
            rows = range(len(self.doc.project))  # type: ignore[assignment]  # only min/max are taken
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
