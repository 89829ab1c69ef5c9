"""文件 → 导出税源明细表 / 导出申报明细表: the two workbooks the command line writes beside
its report (:mod:`zones.report.source_workbook`, :mod:`zones.report.period_sheet`), from
the project's stored results — the figures on screen, nothing assessed again. The same
writers, so the same cells and the same formula-neutralising as the CLI.

The workbook is written on the task runner's worker (tens of thousands of rows take
seconds with openpyxl); the parcels and results handed to it are immutable snapshots."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from zones.project import FIELD_KEYS
from zones.store_report import StoredAssessment

from desktop import settings as S
from desktop.errors import show_exception

log = logging.getLogger(__name__)

#: kind → the file name's ending (the CLI's: OUT.税源明细.xlsx, OUT.申报明细.xlsx)
SUFFIX = {"source": ".税源明细.xlsx", "period": ".申报明细.xlsx"}


def assessed_snapshot(doc):
    """(StoredAssessment, attributes) of every parcel with a current result, in project order."""
    pr = doc.project
    parcels = [p for p in pr.parcels if pr.current_result(p.uid) is not None]
    run = StoredAssessment(parcels, [pr.current_result(p.uid) for p in parcels], doc.zoneset, pr.period)
    attributes = pd.DataFrame([{key: p.get(key) for key in FIELD_KEYS} for p in parcels])
    return run, attributes


def write_workbook(kind: str, run, attributes, path) -> Path:
    if kind == "source":
        from zones.report.source_workbook import write_source_workbook
        return write_source_workbook(run, path, attributes=attributes)
    from zones.report.period_sheet import write_period_sheet
    return write_period_sheet(run, path)


def default_path(doc, settings, kind: str) -> Path:
    """Beside the project, named after it; unsaved: the last export folder, named 项目."""
    if doc.path is not None:
        return Path(doc.path).with_name(Path(doc.path).stem + SUFFIX[kind])
    folder = settings.get(S.LAST_EXPORT_DIR) or str(Path.home())
    return Path(folder) / ("项目" + SUFFIX[kind])


class WorkbookExport(QObject):
    """The two menu actions and their work; ``install(window)`` puts them in the File menu."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.settings = window, window.doc, window.settings
        self.a_source = window._action(lambda: self.export("source"))
        self.a_period = window._action(lambda: self.export("period"))
        self.last_written: Path | None = None

    def titles(self) -> dict[str, str]:
        return {"source": self.tr("Export the tax-source workbook (税源明细)…"),
                "period": self.tr("Export the return workbook (申报明细)…")}

    def retranslate(self) -> None:
        t = self.titles()
        self.a_source.setText(t["source"])
        self.a_period.setText(t["period"])

    def export(self, kind: str, path: str | None = None) -> bool:
        """Ask where (unless ``path``), then write on the worker; False when nothing was started."""
        run, attributes = assessed_snapshot(self.doc)
        if not len(run):
            self.w.statusBar().showMessage(self.tr("Assess the parcels first (F5)"), 8000)
            return False
        if not path:
            path, _ = QFileDialog.getSaveFileName(self.w, self.titles()[kind].rstrip("…"),
                                                  str(default_path(self.doc, self.settings, kind)),
                                                  self.tr("Excel workbook (*.xlsx)"))
            if path and not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        if not path:
            return False
        self.settings.set(S.LAST_EXPORT_DIR, str(Path(path).parent))

        def done(written) -> None:
            self.last_written = Path(written)
            self.w.statusBar().showMessage(self.tr("Wrote %1 (%2 parcels)").replace("%1", str(written))
                                           .replace("%2", str(len(run))), 10000)

        def failed(exc) -> None:
            show_exception(self.w, exc, self.tr("Cannot write %1").replace("%1", str(path)))

        started = self.doc.runner.run(self.tr("Writing the workbook"),
                                      lambda _progress: write_workbook(kind, run, attributes, path), done, failed)
        if not started:
            self.w.statusBar().showMessage(self.tr("Another task is running; try again when it ends"), 8000)
        return started


def install(window) -> WorkbookExport:
    """The actions in the File menu, after 导出计算结果."""
    exports = WorkbookExport(window)
    after = window.m_file.actions()[window.m_file.actions().index(window.a_export) + 1]
    window.m_file.insertActions(after, [exports.a_source, exports.a_period])
    exports.retranslate()
    return exports
