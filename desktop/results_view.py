"""The results table made readable (issue 12, item 9), laid over the existing results panel:

- 宗地号 stays in view while the other columns scroll sideways (a second table view over
  the first column, sharing the model, the selection and the vertical scroll bar — Qt's
  "frozen column" example);
- flags in colour as well as words (red: no tax can be right yet; amber: look again);
- room for at least 15 rows: showing the 计算结果 tab gives the bottom dock about
  half of the window's height, and 全部计算 shows that tab;
- when an assessment finishes, a line in the status bar and a banner above the table (not
  a dialog: nothing to click away) with the count of parcels and the total due."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QStyle, QStyledItemDelegate,
                               QTableView, QToolButton, QWidget)

from zones.money import fmt_yuan

from desktop.results_table_model import UID_ROLE

#: flags after which the amount cannot be taken as it is
SERIOUS = frozenset({"outside", "empty", "invalid_terms", "overlap", "no_liability", "duplicate_id"})
RED, AMBER = QColor("#f6c9c9"), QColor("#fbe7b0")
ROW_HEIGHT = 22
#: the share of the window's height the bottom dock takes while the results are shown
RESULTS_SHARE = 0.6
#: pixels beyond the cell's own margins in the 宗地号 column (room for the sort arrow's gap)
ID_PADDING = 8
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def flag_colour(codes: str) -> QColor | None:
    flags = [f for f in (codes or "").split(";") if f]
    if not flags:
        return None
    return RED if any(f in SERIOUS for f in flags) else AMBER


class FlagDelegate(QStyledItemDelegate):
    """The 提示 and 错误 cells on a coloured ground (the words are the model's)."""

    def __init__(self, model, column: str, parent=None) -> None:
        super().__init__(parent)
        self.model, self.column = model, column

    def colour(self, index) -> QColor | None:
        uid = index.data(UID_ROLE)
        if not uid:
            return None
        value = self.model.row_values(uid).get(self.column)
        if self.column == "错误":
            return RED if value else None
        return flag_colour(value)

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt)
        super().initStyleOption(option, index)
        colour = self.colour(index)
        if colour is not None:
            option.backgroundBrush = QBrush(colour)


class FrozenColumn(QObject):
    """A second view showing only column 0 of ``view``, kept over its left edge."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        f = self.frozen = QTableView(view)
        f.setObjectName("frozen_column")
        f.setModel(view.model())
        f.setSelectionModel(view.selectionModel())
        f.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        f.verticalHeader().hide()
        f.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        f.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        f.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollMode(view.verticalScrollMode())
        # a click on the frozen heading sorts the table by 宗地号 (the shared model sorts once)
        f.horizontalHeader().setSortIndicatorShown(True)
        f.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)    # unsorted, as the table starts
        f.horizontalHeader().setSectionsClickable(True)
        f.horizontalHeader().sectionClicked.connect(self._sort_first)
        view.horizontalHeader().sortIndicatorChanged.connect(self._mirror_indicator)
        f.setStyleSheet("QTableView { border: none; border-right: 1px solid palette(mid); }")
        view.viewport().stackUnder(f)
        f.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        view.horizontalHeader().sectionResized.connect(self._column_resized)
        view.verticalHeader().sectionResized.connect(lambda i, _old, new: f.setRowHeight(i, new))
        f.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(f.verticalScrollBar().setValue)
        f.doubleClicked.connect(view.doubleClicked.emit)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.columnsInserted, model.columnsRemoved):
            signal.connect(self.refresh)
        view.installEventFilter(self)
        self.refresh()
        f.show()

    def _source(self):
        model = self.view.model()
        return getattr(model, "sourceModel", lambda: None)() or model

    def id_width(self, uids=None) -> int:
        """The width that shows the 宗地号 of ``uids`` (every row's when None) whole, 18-character
        ids and longer, and the heading: the longest ids measured with the view's font, plus the
        cell's margins on both sides. One id of each form is measured, the longest forms only:
        measuring 100,000 strings takes long (this takes 66 ms CPU at 100,000 rows, 45 of them
        looking the parcels up, fewer since a reset's rows are found in one pass over the
        project; it runs on a reset only, an edit measures its own rows)."""
        v, source = self.view, self._source()
        every = getattr(source, "uids", None)
        uids = every if uids is None else uids
        if uids is None:
            return v.columnWidth(0)
        project = source.doc.project
        if every is not None and uids is every:      # every row (a reset): one pass over the project
            rows = set(every)
            labels = [p.label for p in project.parcels if p.uid in rows]
        else:
            parcels, position = project.parcels, project.position
            labels = [parcels[i].label for i in map(position, uids) if i is not None]
        fm = v.fontMetrics()
        joined = "\0".join(labels)
        if len({fm.horizontalAdvance(d) for d in "0123456789"}) == 1:
            # digits all as wide (as in every UI font here): ids differing only in their digits are
            # as wide, so one of each form is measured ('330302001001GB00001' → '000000000000GB00000')
            joined = joined.translate(_DIGITS_AS_ZERO)
        forms = set(joined.split("\0")) if labels else set()
        longest = max(map(len, forms), default=0)
        candidates = {t for t in forms if len(t) >= longest - 2}
        text = max((fm.horizontalAdvance(t) for t in candidates), default=0)
        margin = 2 * (v.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, v) + 1) + ID_PADDING
        return max(text + margin, v.horizontalHeader().sectionSizeFromContents(0).width())

    def fit_ids(self, *_) -> None:
        """Column 0 (and the frozen copy, which follows its width) exactly as wide as every id."""
        want = self.id_width()
        if want != self.view.columnWidth(0):
            self.view.setColumnWidth(0, want)

    def widen_for_rows(self, first: int, last: int) -> None:
        """Rows added or changed (source rows ``first``…``last``): wider when one of their ids needs
        it, never narrower (measuring only those rows, not the whole table, after each edit)."""
        uids = getattr(self._source(), "uids", [])[first:last + 1]
        want = self.id_width(uids)
        if want > self.view.columnWidth(0):
            self.view.setColumnWidth(0, want)

    def _sort_first(self, _section: int) -> None:
        h = self.view.horizontalHeader()
        ascending = h.sortIndicatorSection() != 0 or h.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        h.setSortIndicator(0, Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder)

    def _mirror_indicator(self, section: int, order) -> None:
        self.frozen.horizontalHeader().setSortIndicator(section if section == 0 else -1, order)

    def refresh(self, *_) -> None:
        f, n = self.frozen, self.view.model().columnCount()
        for c in range(n):
            f.setColumnHidden(c, c != 0)
        f.setColumnWidth(0, self.view.columnWidth(0))
        self.place()

    def _column_resized(self, index: int, _old: int, new: int) -> None:
        if index == 0:
            self.frozen.setColumnWidth(0, new)
            self.place()

    def place(self) -> None:
        v = self.view
        self.frozen.setGeometry(v.verticalHeader().width() + v.frameWidth(), v.frameWidth(), v.columnWidth(0),
                                v.viewport().height() + v.horizontalHeader().height())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.place()
        return False


class AssessedBanner(QWidget):
    """'全部计算完成：N 宗，应缴税额合计 X 元' above the table, with a close button."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("assessed_banner")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#assessed_banner { background: #e3f1dc; border: 1px solid #9cc48a; }")
        self.label = QLabel()
        self.label.setObjectName("assessed_text")
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 2, 2)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.close_button)
        self.hide()


class ResultsLayout(QObject):
    """Installs the above on ``window.results`` and reacts to the document."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        panel = window.results
        panel.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.frozen = FrozenColumn(panel.view)
        # after the panel's own fitting of the columns (connected first): the ids' width wins
        model = panel.model
        model.modelReset.connect(self.frozen.fit_ids)
        model.rowsInserted.connect(lambda _parent, first, last: self.frozen.widen_for_rows(first, last))
        model.dataChanged.connect(lambda tl, br, *_: self.frozen.widen_for_rows(tl.row(), br.row())
                                  if tl.column() == 0 else None)
        self.frozen.fit_ids()
        self.delegates = {c: FlagDelegate(panel.model, c, panel.view) for c in ("提示", "错误")}
        # the frozen 宗地号 carries the row's flag colour too: the 提示 column is often scrolled away
        self.frozen.frozen.setItemDelegateForColumn(0, FlagDelegate(panel.model, "提示", self.frozen.frozen))
        panel.model.modelReset.connect(self._place_delegates)
        self._place_delegates()
        self.banner = AssessedBanner()
        panel.layout().insertWidget(0, self.banner)
        # the layers column keeps the lower left corner: the bottom dock then competes for height
        # with the map and the assessment panel only, not with the layers panel's fixed minimum
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.bottom_tabs.currentChanged.connect(self._tab_changed)
        window.doc.assessFinished.connect(self.assessed)
        self._last = (0, "")

    def _place_delegates(self) -> None:
        view, columns = self.w.results.view, self.w.results.model.columns
        for k in range(len(columns)):
            view.setItemDelegateForColumn(k, None)
        for name, delegate in self.delegates.items():
            if name in columns:
                view.setItemDelegateForColumn(columns.index(name), delegate)

    def _tab_changed(self, index: int) -> None:
        if self.w.bottom_tabs.widget(index) is self.w.results:
            self.give_room()

    def give_room(self) -> None:
        """At least ``RESULTS_SHARE`` of the window's height for the bottom dock (never less than it has)."""
        want = int(self.w.height() * RESULTS_SHARE)
        if self.w.table_dock.height() < want and not self.w.table_dock.isFloating():
            self.w.resizeDocks([self.w.table_dock], [want], Qt.Orientation.Vertical)

    def visible_rows(self) -> int:
        """How many whole rows the results table has room for."""
        view = self.w.results.view
        return view.viewport().height() // max(view.verticalHeader().defaultSectionSize(), 1)

    def assessed(self, _count: int) -> None:
        model = self.w.results.model
        n, total = model.rowCount(), fmt_yuan(model.total)
        text = (self.tr("Assessment finished: %1 parcels, total due %2 yuan").replace("%1", str(n)).replace("%2", total))
        self._last = (n, total)
        self.w.statusBar().showMessage(text, 15000)
        self.banner.label.setText(text)
        self.banner.show()
        self.w.bottom_tabs.setCurrentWidget(self.w.results)
        self.give_room()

    def retranslate(self) -> None:
        if self.banner.isVisible() and self._last[0]:
            n, total = self._last
            self.banner.label.setText(self.tr("Assessment finished: %1 parcels, total due %2 yuan")
                                      .replace("%1", str(n)).replace("%2", total))
        self.banner.close_button.setToolTip(self.tr("Close"))


def scroll_results_to_selection(window) -> None:
    """The results table shows the first selected parcel's row (the parcel table already does)."""
    from PySide6.QtWidgets import QAbstractItemView as V

    panel = window.results

    def follow(uids) -> None:
        for uid in uids[:1]:
            row = panel.model.row_of(uid)
            if row < 0:
                return
            index = panel.proxy.mapFromSource(panel.model.index(row, 0))
            if index.isValid():
                panel.view.scrollTo(index, V.ScrollHint.EnsureVisible)

    window.doc.selectionChanged.connect(follow)
