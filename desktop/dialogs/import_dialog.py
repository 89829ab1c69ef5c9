"""Import parcels from any supported file through one dialog.

The file is read with :func:`zones.io.read_parcels`; the dialog shows the layer,
the detected attribute encoding and the coordinate-system decision (and why),
lets the user change them (the file is read again at once), previews the first
records' attribute values as decoded — so staff see that Chinese names read
correctly before accepting — and lists the problems found per record, with the
core's stable codes and severities shown in the interface language. Accepting
imports what could be read; records with errors are skipped and stay listed.
Nothing is converted silently: a CRS that had to be guessed or could not be
decided must be confirmed or chosen first.

Given a task runner, the dialog reads the file on its worker: it opens at once, shows a busy
bar while the district's file is read and checked (seconds), and its Cancel closes it at once
(the reader cannot stop halfway: its result, when it comes, is dropped). Without one it reads
in the constructor (the bundled sample, tests).
"""

from __future__ import annotations

from pathlib import Path

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView,
                               QLabel, QProgressBar, QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.dialogs.findings_model import ProblemRow, ProblemsModel
from desktop.i18n import current_language
from zones.errors import ZonesError
from zones.io import ImportResult, list_layers, read_parcels
from zones.schema import TERMS_KEYS, column_plan, doubled_note, field_names

ENCODINGS = ("", "utf-8", "gbk", "gb18030", "big5", "cp1252")
SYSTEMS = ("", "EPSG:4549", "EPSG:4528", "EPSG:4490", "EPSG:4326", "GCJ-02", "BD-09", "EPSG:2385", "EPSG:4547")
#: Records shown in the attribute preview.
PREVIEW_ROWS = 10


class ImportDialog(QDialog):
    result: ImportResult | None  # type: ignore[assignment]  # shadows QDialog.result(); read it as QDialog.result(dlg)
    #: a read ended and its findings are shown (or its whole-file error)
    readFinished = Signal()

    def __init__(self, path, zones_bounds_lonlat=None, parent=None, runner=None) -> None:
        """``runner``: a :class:`desktop.tasks.TaskRunner` to read on (None: read here, at once)."""
        super().__init__(parent)
        self.path = Path(path)
        self.bounds = zones_bounds_lonlat
        self.runner = runner
        self.result = None           # zones.io.ImportResult of the last read
        self.error: str | None = None
        self.reading = False         # a read runs on the runner's worker
        self._closed = False         # cancelled or accepted: a read still running is dropped
        self._read_started = 0.0
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)     # the reader tells no fraction: a busy bar, and the seconds so far
        self.busy_label = QLabel()
        self.busy.hide()
        self.busy_label.hide()
        if runner is not None:
            runner.progressed.connect(self._tick)    # polled ten times a second while a task runs
        self.layer = QComboBox()
        self.encoding = QComboBox()
        self.encoding.setEditable(True)
        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.reread = QPushButton()
        self.reread.clicked.connect(self.read)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.crs_reason = QLabel()
        self.crs_reason.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setAlternatingRowColors(True)
        self.preview.verticalHeader().setDefaultSectionSize(self.preview.fontMetrics().height() + 6)
        self.findings_label = QLabel()
        self.problems = ProblemsModel(self)
        # a table, not a tree: a tree lays out every row before it draws (475,875 findings: 1.6 s
        # on the GUI thread); a table of fixed row height asks only for the rows it shows
        self.findings = QTableView()
        self.findings.setModel(self.problems)
        self.findings.setShowGrid(False)
        self.findings.setWordWrap(False)
        self.findings.setAlternatingRowColors(True)
        self.findings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.verticalHeader().hide()
        self.findings.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.findings.verticalHeader().setDefaultSectionSize(self.findings.fontMetrics().height() + 6)
        self.findings.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.findings.horizontalHeader().setHighlightSections(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        form.addRow(self.labels[0], QLabel(str(self.path)))
        form.addRow(self.labels[1], self.layer)
        form.addRow(self.labels[2], self.encoding)
        form.addRow(self.labels[3], self.crs)
        form.addRow("", self.crs_reason)
        form.addRow("", self.reread)
        split = QSplitter(Qt.Orientation.Vertical)
        for label, widget in ((self.preview_label, self.preview), (self.findings_label, self.findings)):
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(label)
            inner.addWidget(widget, 1)
            split.addWidget(box)
        split.setStretchFactor(0, 3)    # the ten preview rows whole; the problems list below scrolls
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.busy_label)
        lay.addWidget(self.busy)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        lay.addWidget(self.buttons)
        self.resize(860, 680)
        for e in ENCODINGS:
            self.encoding.addItem(e or self.tr("(detect)"), e)
        for s in SYSTEMS:
            self.crs.addItem(s or self.tr("(as stated / detected)"), s)
        try:
            for name in list_layers(self.path):
                self.layer.addItem(name, name)
        except ZonesError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not take the application down
            self.error = f"{type(exc).__name__}: {exc}"
        self.layer.setEnabled(self.layer.count() > 1)
        self.retranslate()
        self.read()
        # another encoding, system or layer is read at once, so the preview shows its effect;
        # a typed-in value is read with the button
        for combo in (self.encoding, self.crs, self.layer):
            combo.currentIndexChanged.connect(self.read)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import parcels"))
        for lab, text in zip(self.labels, (self.tr("File:"), self.tr("Layer:"), self.tr("Text encoding:"),
                                           self.tr("Coordinate system:"))):
            lab.setText(text)
        self.reread.setText(self.tr("Read again with these settings"))
        self.preview_label.setText(self.tr("Attribute values of the first %1 records, as decoded:").replace("%1", str(PREVIEW_ROWS)))
        self.findings_label.setText(self.tr("Problems found:"))
        self.problems.set_headers([self.tr("Record"), self.tr("Severity"), self.tr("Problem type"), self.tr("Details")])
        self.problems.relabel()

    # the core's stable words, in the interface language (the message text stays the core's)
    def severity_label(self, severity: str) -> str:
        return {"info": self.tr("info"), "warning": self.tr("warning"), "error": self.tr("error (skipped)")}.get(severity, severity)

    def code_label(self, code: str) -> str:
        """A Finding code of :mod:`zones.io` in words; an unknown code is shown as it is."""
        return {
            "area_mismatch": self.tr("area differs from the stated area"),
            "bad_coordinates": self.tr("unusable coordinates"),
            "bad_number": self.tr("not a number"),
            "codes_ignored": self.tr("feature codes ignored"),
            "crs_conflict": self.tr("conflicting coordinate systems"),
            "crs_header": self.tr("coordinate system in the header"),
            "crs_override": self.tr("coordinate system set by the user"),
            "datum_not_shifted": self.tr("datum not shifted"),
            "duplicate_id": self.tr("duplicate parcel no."),
            "duplicate_point": self.tr("duplicate boundary point"),
            "doubled_column": self.tr("two columns mean one attribute"),
            "empty_geometry": self.tr("no outline"),
            "encoding": self.tr("text encoding"),
            "extra_part": self.tr("extra part"),
            "far_from_zones": self.tr("far from the zones"),
            "hole": self.tr("hole"),
            "import": self.tr("cannot import"),
            "label": self.tr("label"),
            "local_crs": self.tr("local coordinate system"),
            "missing_id": self.tr("no parcel no."),
            "new_ring": self.tr("new ring"),
            "not_polygon": self.tr("not an area outline"),
            "open_ring": self.tr("outline not closed"),
            "overlap": self.tr("overlaps another parcel"),
            "point_count": self.tr("point count differs"),
            "repaired": self.tr("invalid outline repaired"),
            "self_intersection": self.tr("outline crosses itself"),
            "skipped": self.tr("skipped"),
            "too_few_points": self.tr("too few points"),
            "z_dropped": self.tr("heights dropped"),
        }.get(code, code)

    def how_label(self, how: str | None) -> str:
        """How the coordinate system (or the encoding) was decided."""
        return {"stated": self.tr("stated in the file"), "override": self.tr("chosen by you"),
                "inferred": self.tr("inferred from the coordinates"), "unknown": self.tr("unknown"),
                "cpg": self.tr("from the .cpg file"), "ldid": self.tr("from the .dbf language id"),
                "detected": self.tr("detected"), "utf-8 (format)": self.tr("UTF-8 by format"),
                "dxf header": self.tr("from the DXF header")}.get(how or "", how or "")

    # the settings the user chose ('' = let the reader decide)
    def chosen(self) -> dict:
        enc = self.encoding.currentData() if self.encoding.currentText() == self.encoding.itemText(self.encoding.currentIndex()) else self.encoding.currentText()
        crs = self.crs.currentData() if self.crs.currentText() == self.crs.itemText(self.crs.currentIndex()) else self.crs.currentText()
        return {"layer": self.layer.currentData() or None, "encoding": enc or None, "crs": crs or None}

    def set_choice(self, *, encoding: str | None = None, crs: str | None = None) -> None:
        if encoding is not None:
            i = self.encoding.findData(encoding)
            self.encoding.setCurrentIndex(i) if i >= 0 else self.encoding.setEditText(encoding)
        if crs is not None:
            i = self.crs.findData(crs)
            self.crs.setCurrentIndex(i) if i >= 0 else self.crs.setEditText(crs)

    def read(self, *_) -> None:
        """(Re)read the file with the chosen settings; a whole-file error is shown, not raised.
        With a runner the read runs on its worker and :meth:`_read_done` shows it."""
        if self.reading or self._closed:
            return
        self.problems.clear()
        path, settings = self.path, dict(zones_bounds_lonlat=self.bounds, **self.chosen())
        if self.runner is None:
            self._read_done(_read(path, settings))
            return
        self._set_reading(True)
        if not self.runner.run(self.tr("Reading the file"), lambda progress: _read(path, settings),
                               self._read_done, self._read_failed):
            # a read this dialog's predecessor left (cancelled) still runs: this one starts after it
            self.reading = False
            self.runner.done.connect(self._start_waiting_read, Qt.ConnectionType.SingleShotConnection)

    def _start_waiting_read(self) -> None:
        if not self._closed:
            self.reading = False
            self.read()

    def _set_reading(self, reading: bool) -> None:
        self.reading = reading
        for widget in (self.layer, self.encoding, self.crs, self.reread):
            widget.setEnabled(not reading and (widget is not self.layer or self.layer.count() > 1))
        self.busy.setVisible(reading)
        self.busy_label.setVisible(reading)
        if reading:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            self.summary.setText("")
            self._read_started = time.monotonic()
            self._tick()

    def _tick(self, *_) -> None:
        """The seconds the read has taken so far (the runner polls ten times a second)."""
        if self.reading and not self._closed:
            self.busy_label.setText(self.tr("Reading and checking the file… %1 s")
                                    .replace("%1", f"{time.monotonic() - self._read_started:.0f}"))

    def _read_done(self, outcome) -> None:
        if self._closed:          # cancelled while the worker read: nothing to show, nothing changes
            return
        self.result, self.error = outcome
        if self.reading:
            self._set_reading(False)
        self._show()
        self.readFinished.emit()

    def _read_failed(self, exc) -> None:   # _read catches what the reader raises: only the unforeseen lands here
        self._read_done((None, f"{type(exc).__name__}: {exc}"))

    def done(self, code: int) -> None:  # noqa: D102 - accept and reject end here
        self._closed = True
        if self.runner is not None and self.reading:
            self.runner.cancel()
        super().done(code)

    def _show(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._show_preview()
        if self.result is None:
            self.summary.setText(self.tr("Cannot import this file:") + f"\n{self.error}")
            self.summary.setStyleSheet("color:#a00")
            self.crs_reason.setText("")
            ok.setEnabled(False)
            return
        r = self.result
        d = r.crs
        enc = f"{r.encoding or '—'}" + (f" ({self.how_label(r.encoding_how)})" if r.encoding_how else "")
        crs_text = (d.crs or self.tr("undecided")) if d else "—"
        # only words in the interface language here; the core's reasoning (English with Chinese
        # glosses) goes to the tooltip, for whoever wants to know why
        text = self.tr("Decision: %1").replace("%1", f"{crs_text} [{self.how_label(d.how) if d else ''}]")
        if d is not None and d.candidate and d.candidate != d.crs:
            text += self.tr("; candidate %1").replace("%1", d.candidate)
        self.crs_reason.setText(text)
        self.crs_reason.setToolTip(d.reason if d else "")
        errors = len(r.errors)
        self.summary.setText(self.tr("%1 parcels can be imported; %2 records skipped; encoding %3")
                             .replace("%1", str(len(r.parcels))).replace("%2", str(errors)).replace("%3", enc))
        self.summary.setStyleSheet("")
        self.problems.show(r.findings, lambda f: self._problem_row(f, enc))
        refused = self._show_doubled_columns(r)
        for c in range(3):   # record, severity and problem type whole; the details take the rest
            self.findings.resizeColumnToContents(c)
            self.findings.setColumnWidth(c, self.findings.columnWidth(c) + 12)
        usable = r.parcels.crs is not None and len(r.parcels) > 0 and not refused
        ok.setEnabled(usable)
        if refused:
            self.summary.setText(self.summary.text() + "\n" + self.tr(
                "Two columns mean one attribute that changes the tax (%1): keep one of them in a copy of the file "
                "and import that.").replace("%1", refused))
            self.summary.setStyleSheet("color:#a00")
            return
        if r.parcels.crs is None:
            self.summary.setText(self.summary.text() + "\n" + self.tr("Choose the coordinate system, then read again."))
            self.summary.setStyleSheet("color:#a00")
        elif d is not None and d.how == "inferred":
            self.summary.setText(self.summary.text() + "\n" + self.tr("The coordinate system was inferred from the coordinates: check it before accepting."))
            self.summary.setStyleSheet("color:#8a5a00")

    def _problem_row(self, f, encoding: str) -> ProblemRow:
        details = (self.tr("Attribute text read as %1").replace("%1", encoding) if f.code == "encoding"
                   else f.message)   # the encoding note in the interface language (the core's words in the tooltip)
        return ProblemRow((str(f.record if f.record is not None else "—"), self.severity_label(f.severity),
                           self.code_label(f.code), details),
                          f.severity, f.code, f.code, f.message)   # the stable code, for a support request

    def _show_doubled_columns(self, r) -> str:
        """A row for each attribute several columns mean (:func:`zones.schema.column_plan`);
        returns the terms attributes among them (the import is refused: the tax would hang on a guess)."""
        columns = tuple(c for c in r.parcels.columns if c != r.parcels.geometry.name)
        chinese = current_language().startswith("zh")
        refused = []
        for key, cols in column_plan(columns).doubled:
            terms = key in TERMS_KEYS
            named = ("、" if chinese else ", ").join(str(c) for c in cols)
            what = field_names(key)[0 if chinese else 1]
            if terms:
                refused.append(named)
                text = self.tr("Columns %1 all mean %2; the tax would depend on which is read")
            else:
                text = self.tr("Columns %1 all mean %2; %3 is read, the others are not").replace("%3", str(cols[0]))
            self.problems.add(ProblemRow(
                ("—", self.tr("error (import refused)") if terms else self.severity_label("warning"),
                 self.code_label("doubled_column"), text.replace("%1", named).replace("%2", what)),
                "error" if terms else "warning", "doubled_column", "doubled_column", doubled_note(key, cols)))
        return "; ".join(refused)

    def _show_preview(self) -> None:
        """The first records' attribute values as the chosen encoding decodes them."""
        self.preview.clear()
        gdf = self.result.parcels if self.result is not None else None
        if gdf is None or not len(gdf):
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            return
        head = gdf.drop(columns=gdf.geometry.name).head(PREVIEW_ROWS)
        self.preview.setColumnCount(len(head.columns))
        self.preview.setRowCount(len(head))
        self.preview.setHorizontalHeaderLabels([str(c) for c in head.columns])
        # record numbers as the findings give them (row index + 1), so the two tables agree
        self.preview.setVerticalHeaderLabels([_record_no(i) for i in head.index])
        for r, row in enumerate(head.itertuples(index=False)):
            for c, value in enumerate(row):
                text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(self.preview.columnCount()):    # long addresses must not push the rest out of view
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 260))


def _read(path, settings: dict) -> tuple[ImportResult | None, str | None]:
    """(the result, None) or (None, the whole-file error in words); on the worker, no widgets."""
    try:
        return read_parcels(path, **settings), None
    except ZonesError as exc:
        return None, str(exc)
    except Exception as exc:  # a reader bug must not take the application down
        return None, f"{type(exc).__name__}: {exc}"


def _record_no(index) -> str:
    try:
        return str(int(index) + 1)
    except (TypeError, ValueError):
        return str(index)
