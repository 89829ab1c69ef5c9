"""The results table as a Qt table model over the document store: one row per parcel
with a current result, in the project's order. It reads the stored results when a
cell is drawn and, after an operation, updates only the rows of the parcels it
changed (rows are inserted or removed when a parcel gains or loses its result);
only a zone-set change, a structure change or "assess all" reset it. The column
names are those of the export (:func:`results_frame`), shown in words."""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from zones.money import fmt_yuan
from zones.results import flag_text

from desktop import i18n
from desktop.identifier_words import identifier_message
from desktop.parcel_checks import extra_checks, shown_flags

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
UID_ROLE = Qt.ItemDataRole.UserRole + 2
MONEY = ("应纳税额", "减免税额", "小规模减征额", "应缴税额", "较上次差额")
_ROOT = QModelIndex()


def result_columns(zoneset) -> list[str]:
    """The export's column names, in order (without the uid)."""
    grades = zoneset.grade_list if zoneset is not None else []
    return (["宗地号", "纳税人名称", "图上面积_m2"] + [f"{zoneset.grade_label(g)}面积_m2" for g in grades]
            + ["月数", *MONEY, "提示", "复核", "错误"])


def result_row(doc, p, stored) -> dict:
    """The values of one parcel's row (floats for money and areas, as the export writes them)."""
    zs = doc.zoneset
    r = stored.result
    by = {g.grade: g for g in r.rows}
    diff = doc.project.difference(p.uid)
    row = {"uid": p.uid, "宗地号": p.label, "纳税人名称": p.get("taxpayer_name"), "图上面积_m2": round(r.map_area_m2, 2)}
    for g in (zs.grade_list if zs is not None else []):
        row[f"{zs.grade_label(g)}面积_m2"] = float(by[g].area_m2) if g in by else 0.0
    row.update({"月数": r.liable.count, "应纳税额": float(r.gross), "减免税额": float(r.relief),
                "小规模减征额": float(r.small_taxpayer_relief), "应缴税额": float(r.due),
                "较上次差额": None if diff is None else float(diff), "提示": ";".join(shown_flags(doc, p.uid, r)),
                "复核": p.review.reviewer if doc.project.is_reviewed(p.uid) else "", "错误": r.error or ""})
    return row


class ResultsTableModel(QAbstractTableModel):
    def __init__(self, doc, panel, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.panel = doc, panel
        self.uids: list[str] = []
        self.columns: list[str] = []
        self._rows: dict[str, dict] = {}     # uid → row values, filled when first drawn
        self._due: dict[str, Decimal] = {}
        self.total = Decimal("0.00")
        self.updating = False    # rows moving: the view's selection changes, the user's does not
        self.reset()
        doc.changed.connect(self._on_changed)

    # ------------------------------------------------------------ shape
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.uids)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.panel.header(self.columns[section])
        if role == Qt.ItemDataRole.ToolTipRole:      # the export's column name (the file keeps the Chinese)
            return self.tr("Column in the export: %1").replace("%1", self.columns[section])
        return None

    # ------------------------------------------------------------ cells
    def row_values(self, uid: str) -> dict:
        row = self._rows.get(uid)
        if row is None:
            pr = self.doc.project
            row = self._rows[uid] = result_row(self.doc, pr.by_uid(uid), pr.current_result(uid))
        return row

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.uids):
            return None
        uid = self.uids[index.row()]
        if role == UID_ROLE:
            return uid
        c = self.columns[index.column()]
        v = self.row_values(uid)[c]
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(c, v)
        if role == SORT_ROLE:
            return v if number else self._text(c, v)
        if role == Qt.ItemDataRole.TextAlignmentRole and number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and c == "提示" and v:
            lang = "zh" if i18n.is_chinese() else "en"
            return "\n".join([flag_text(f, lang) for f in v.split(";") if f]
                             + [identifier_message(note, lang)       # why: the shared id, the failing check
                                for _, note in extra_checks(self.doc, uid)])
        return None

    def _text(self, c: str, v) -> str:
        if v is None:
            return ""
        if c in MONEY:
            return fmt_yuan(v) if c != "较上次差额" else (("+" if v > 0 else "") + fmt_yuan(v))
        if c.endswith("_m2"):
            return f"{v:,.2f}"
        if c == "提示":
            sep = "；" if i18n.is_chinese() else "; "
            return sep.join(self.panel.flag_word(f) for f in v.split(";") if f)
        return str(v)

    # ------------------------------------------------------------ updates
    def reset(self) -> None:
        self.updating = True
        self.beginResetModel()
        pr = self.doc.project
        self.columns = result_columns(self.doc.zoneset)
        if self.doc.reassessing_all:       # no result is current until it ends: no fingerprint made for it
            self.uids = []
        else:
            stale, results = pr.stale_uids(), pr.results     # the store keeps the stale set: no fingerprint per row
            self.uids = [p.uid for p in pr.parcels if p.uid not in stale and p.uid in results]
        self._rows.clear()
        self._due = {u: pr.results[u].due for u in self.uids}
        self.total = sum(self._due.values(), Decimal("0.00"))
        self.endResetModel()
        self.updating = False

    def _on_changed(self, changes) -> None:
        if changes.structure or changes.zoneset or (changes.results and not changes.uids):
            self.reset()
            return
        for uid in changes.uids:
            self.update_parcel(uid)

    def _position(self, uid: str) -> int:
        """Where ``uid``'s row is or would be: rows follow the project's order."""
        index_of = self.doc.project.index_of
        return bisect_left(self.uids, index_of(uid), key=index_of)

    def row_of(self, uid: str) -> int:
        """``uid``'s row, -1 when it has none (no current result): a search, not a scan."""
        if uid not in self.doc.project:
            return -1
        r = self._position(uid)
        return r if r < len(self.uids) and self.uids[r] == uid else -1

    def update_parcel(self, uid: str) -> None:
        """One parcel changed: update, insert or remove its row only."""
        pr = self.doc.project
        self._rows.pop(uid, None)
        stored = pr.current_result(uid) if uid in pr else None
        old_due = self._due.pop(uid, None)
        if old_due is not None:
            self.total -= old_due
        r = self._position(uid) if uid in pr else (self.uids.index(uid) if uid in self.uids else -1)
        present = 0 <= r < len(self.uids) and self.uids[r] == uid
        if stored is None:
            if present:
                self.updating = True
                self.beginRemoveRows(_ROOT, r, r)
                del self.uids[r]
                self.endRemoveRows()
                self.updating = False
            return
        self._due[uid] = stored.due
        self.total += stored.due
        if present:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.columns) - 1))
        else:
            self.updating = True
            self.beginInsertRows(_ROOT, r, r)
            self.uids.insert(r, uid)
            self.endInsertRows()
            self.updating = False

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self.columns) - 1, 0))
        if self.uids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.uids) - 1, len(self.columns) - 1))
