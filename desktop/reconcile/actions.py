"""税源比对 from the main window: the menu action, the registry file chosen, the work on
the document's task runner (off the GUI thread), the result recorded in every parcel's
audit log, and the window that shows it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from desktop.errors import show_exception

if TYPE_CHECKING:
    from desktop.reconcile.dialog import ReconcileDialog


class ReconcileActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc = window, window.doc
        self.action = QAction(window)
        self.action.setObjectName("a_reconcile")
        self.action.triggered.connect(lambda: self.start())
        window.m_assess.addSeparator()
        window.m_assess.addAction(self.action)
        self.dialog: ReconcileDialog | None = None
        self.result = None
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Land sources &reconciliation (税源比对)…"))

    def start(self, path: str | None = None, years: list[int] | None = None, options=None) -> bool:
        """Choose the registry (税源明细 XLSX/CSV), then the years and rules (asked unless
        given), and reconcile the project's parcels with it."""
        from zones.reconcile import reconcile
        from zones.reconcile_project import project_inputs, record
        from zones.reconcile_registry import read_registry

        doc = self.doc
        if doc.zoneset is None or not len(doc.project):
            self.w.statusBar().showMessage(self.tr("Load parcels and a zone set first"), 5000)
            return False
        path = path or QFileDialog.getOpenFileName(self.w, self.tr("Choose the registered land sources (税源明细)"), "",
                                                   self.tr("Registry (*.xlsx *.csv)"))[0]
        if not path:
            return False
        if years is None or options is None:
            chosen = self.ask_options()
            if chosen is None:
                return False
            years, options = years or chosen[0], options or chosen[1]
        parcels, ids, attrs = project_inputs(doc.project)
        zs = doc.zoneset
        name = Path(path).name

        def work(progress):
            registry = read_registry(path)
            return reconcile(parcels, registry, [zs], years, ids=ids, attributes=attrs, options=options,
                             progress=progress)

        def success(res):
            self.result = res
            # into the audit log (append-only: a reconciliation is a fact, not an edit to undo)
            uids = record(doc.project, res, name, doc.operator)
            doc.mark_modified()
            doc.notify(uids=uids)
            self.show(res, name)

        def failure(exc):
            show_exception(self.w, exc, self.tr("Cannot reconcile"))

        return doc.runner.run(self.tr("Reconciling with the registry"), work, success, failure)

    def ask_options(self):
        """(years, ReconcileOptions) from the options dialog, or None when cancelled."""
        from desktop.reconcile.options import ReconcileOptionsDialog

        self.options_dialog = dlg = ReconcileOptionsDialog(self.doc.zoneset, self.doc.project.period.year, self.w)
        try:
            if dlg.exec() != ReconcileOptionsDialog.DialogCode.Accepted:
                return None
            return dlg.years(), dlg.options()
        finally:
            self.options_dialog = None
            dlg.deleteLater()

    def show(self, res, name: str) -> None:
        from desktop.reconcile.dialog import ReconcileDialog

        if self.dialog is not None:
            self.dialog.close()
        self.dialog = ReconcileDialog(res, name, self.w)
        self.dialog.show()
