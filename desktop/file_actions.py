"""File operations of the main window: new, open, sample, save, import, export,
reports, and the crash-recovery offer. Every failure reaches the user through
:func:`desktop.errors.show_exception`; none propagates."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from zones.schema import refuse_doubled_terms
from zones.resources import resource

from desktop import settings as S
from desktop.commands import AddParcels, RemoveParcels
from desktop.errors import show_exception

log = logging.getLogger(__name__)
IMPORT_FILTER = "Parcel files (*.shp *.zip *.gpkg *.geojson *.json *.kml *.kmz *.csv *.xlsx *.xls *.dxf *.dat *.txt);;All files (*)"
EXPORT_FILTER = "Excel (*.xlsx);;CSV (*.csv);;GeoPackage (*.gpkg);;Shapefile (*.shp);;GeoJSON (*.geojson)"


def filter_suffix(name_filter: str) -> str:
    """'.geojson' for 'GeoJSON (*.geojson)'; '' for '' or a filter without one plain extension."""
    m = re.search(r"\(\*(\.[A-Za-z0-9]+)\)", name_filter or "")
    return m.group(1) if m else ""


class FileActions(QObject):
    #: an import ended: True when parcels were added, False when refused, cancelled or failed
    importDone = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.doc = window.doc
        self.settings = window.settings
        self.import_dialog_open: QDialog | None = None      # the import dialog while it is open

    # ------------------------------------------------------------ helpers
    def _ask_path(self, save: bool, title: str, setting, filt: str, suffix: str = "") -> str:
        folder = self.settings.get(setting) or str(Path.home())
        fn = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, chosen = fn(self.w, title, folder, filt)
        if path:
            if save and suffix and not Path(path).suffix:
                # a name typed without extension takes the format chosen in the dialog's filter,
                # not the default: "results" with "GeoJSON (*.geojson)" is results.geojson
                path += filter_suffix(chosen) or suffix
            self.settings.set(setting, str(Path(path).parent))
        return path

    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or discarded them."""
        if not self.doc.modified:
            return True
        answer = QMessageBox.question(
            self.w, self.tr("Unsaved changes"), self.tr("The project has unsaved changes. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -------------------------------------------------------------- files
    def new(self) -> None:
        if self.confirm_discard():
            self.doc.new()
            self.w.fit_parcels()

    def open(self, path: str | None = None) -> bool:
        if not self.confirm_discard():
            return False
        path = path or self._ask_path(False, self.tr("Open project"), S.LAST_PROJECT_DIR, "Project (*.gpkg)")
        if not path:
            return False
        try:
            self.doc.open(path)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot open the project %1").replace("%1", str(path)))
            return False
        self.w.fit_parcels()
        return True

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._save(self.doc.path)

    def save_as(self, path: str | None = None) -> bool:
        path = path or self._ask_path(True, self.tr("Save project as"), S.LAST_PROJECT_DIR, "Project (*.gpkg)", ".gpkg")
        return bool(path) and self._save(path)

    def _save(self, path) -> bool:
        database = getattr(self.w, "database", None)
        if database is not None and database.handles(path):   # a project of the shared database
            return database.save()
        try:
            self.doc.save(path)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot save the project to %1").replace("%1", str(path)))
            return False
        if self.doc.recovery is not None:
            self.doc.recovery.clear()
        self.w.statusBar().showMessage(self.tr("Saved %1").replace("%1", str(path)), 5000)
        return True

    def open_sample(self) -> bool:
        """A new project holding the bundled sample parcels (2024)."""
        if not self.confirm_discard():
            return False
        from zones.periods import TaxPeriod
        self.doc.new()
        self.doc.set_period(TaxPeriod(2024))
        ok = self.import_file(str(resource("samples", "wenzhou_sample.gpkg")), interactive=False)
        self.doc.stack.clear()       # a fresh sample is nothing to save
        self.doc.selection.set([])   # opened like a project: fitted, nothing selected
        self.doc._dirty_without_stack = False
        return ok

    # ------------------------------------------------------------- import
    def import_dialog(self) -> None:
        path = self._ask_path(False, self.tr("Import parcels"), S.LAST_IMPORT_DIR, IMPORT_FILTER)
        if path:
            self.import_file(path)

    def import_file(self, path: str, interactive: bool = True, dialog_hook=None) -> bool:
        """Read ``path`` through the import dialog (or directly); add the parcels as one undoable command.
        ``dialog_hook(dialog)`` lets a caller (a test) adjust the dialog instead of showing it; it is
        called once the dialog shows what it read, and accepts the import by returning True.

        The file is read, and its records made parcels, off the GUI thread (progress and cancel in
        the dialog, then in the status bar): with the document's synchronous runner (tests), or
        without ``interactive`` (the bundled sample), everything is done when this returns, and True
        says the parcels were added; otherwise True says the import started, and ``importDone``
        tells how it ended."""
        from desktop.dialogs.import_dialog import ImportDialog

        bounds = self.doc.zoneset.bounds_lonlat if self.doc.zoneset is not None else None
        inline = self.doc.runner.synchronous or (not interactive and dialog_hook is None)
        try:
            dlg = ImportDialog(path, bounds, self.w, runner=None if inline else self._reader())
        except Exception as exc:  # noqa: BLE001 - a reader bug must not take the application down
            show_exception(self.w, exc, self.tr("Cannot import %1").replace("%1", str(path)))
            return False
        self.import_dialog_open = dlg
        if dialog_hook is None and interactive:           # the officer decides; the window stays live
            accepted = ImportDialog.DialogCode.Accepted
            dlg.finished.connect(lambda code: self._dialog_closed(dlg, path, lambda: code == accepted))
            dlg.open()
            return True
        decide = (lambda: True) if dialog_hook is None else (lambda: bool(dialog_hook(dlg)))
        if dlg.reading:                                   # the hook sees what a person would: the findings
            dlg.readFinished.connect(lambda: self._dialog_closed(dlg, path, decide),
                                     Qt.ConnectionType.SingleShotConnection)
            return True
        return self._dialog_closed(dlg, path, decide, inline=inline)

    def _reader(self):
        """The task runner that reads files for the import dialog (reading changes nothing in the
        project, so it does not wait for the document's tasks, nor they for it)."""
        from desktop.tasks import TaskRunner

        reader = self.__dict__.get("_reader_runner")
        if reader is None:
            reader = self._reader_runner = TaskRunner(self)
        return reader

    def _dialog_closed(self, dlg, path: str, decide, inline: bool = False) -> bool:
        """The import dialog was accepted, ``decide()`` True (the parcels are made and added), or
        not (nothing changes)."""
        if self.import_dialog_open is dlg:
            self.import_dialog_open = None
        try:
            if not decide():
                self.importDone.emit(False)
                return False
            result = dlg.result
            if result is None or result.parcels.crs is None:
                raise ValueError(dlg.error or self.tr("the coordinate system of the file is not known"))
            return self.add_imported(result, path, inline=inline)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot import %1").replace("%1", str(path)))
            self.importDone.emit(False)
            return False
        finally:
            dlg.deleteLater()

    def add_imported(self, result, path: str, inline: bool = False) -> bool:
        """Make ``result``'s records parcels on the document's task runner (progress and cancel in
        the status bar), or at once with ``inline``; then, on the GUI thread, settle the ids the
        project already has and push one undoable command. True when the parcels were added (a
        synchronous runner, ``inline``) or when the work started; a cancel leaves the project as
        it was."""
        from desktop.document import pause_collector, resume_collector, settle_heap
        from zones.errors import Cancelled
        from zones.import_parcels import parcels_from_import

        gdf = result.parcels
        # the import dialog refuses this already; a caller without the dialog is refused here, at once
        refuse_doubled_terms([c for c in gdf.columns if c != gdf.geometry.name], str(path))
        project, operator = self.doc.project, self.doc.operator
        existing = list(project.parcels)           # immutable snapshots: the worker may read them
        generation, context = self.doc._generation, project.context
        outcome: list[bool] = []

        def work(progress):
            return parcels_from_import(result, path, operator, context=context, existing=existing, progress=progress)

        def success(made) -> None:
            try:
                ok = project is self.doc.project and self._add(made, result, generation)
            except Exception as exc:
                show_exception(self.w, exc, self.tr("Cannot import %1").replace("%1", str(path)))
                ok = False
            finally:
                resume_collector()
            if ok:
                settle_heap(len(self.doc.project))     # the new parcels out of the collector's sight, as at open
            outcome.append(ok)
            self.importDone.emit(ok)

        def failure(exc) -> None:
            resume_collector()
            if isinstance(exc, Cancelled):
                self.w.statusBar().showMessage(self.tr("Import cancelled; the project is unchanged"), 10000)
            else:
                show_exception(self.w, exc, self.tr("Cannot import %1").replace("%1", str(path)))
            outcome.append(False)
            self.importDone.emit(False)

        if not inline and self.doc.runner.busy:     # an assessment runs: the import follows it
            self.w.statusBar().showMessage(self.tr("The import starts when the running task has finished"), 5000)
            self.doc.runner.done.connect(lambda: QTimer.singleShot(0, lambda: self._add_later(result, path, project)),
                                         Qt.ConnectionType.SingleShotConnection)
            return True
        # a district's records made parcels: no cyclic collection meanwhile (each full one walks
        # every object of the process holding the interpreter lock; as an assess-all does)
        pause_collector(len(gdf))
        if inline:
            try:
                made = work(None)
            except Exception as exc:
                failure(exc)
            else:
                success(made)
        else:
            self.doc.runner.run(self.tr("Preparing the imported parcels"), work, success, failure)   # not busy: starts
        return outcome[0] if outcome else True

    def _add_later(self, result, path: str, project) -> None:
        """:meth:`add_imported`, once the task that was running has finished (for the project
        that was open when the import was accepted)."""
        if project is not self.doc.project:
            self.importDone.emit(False)
            return
        try:
            self.add_imported(result, path)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot import %1").replace("%1", str(path)))
            self.importDone.emit(False)

    def _add(self, made, result, generation: int) -> bool:
        """On the GUI thread: the duplicate-id question, then one undoable command (short: the
        parcels and their fingerprints are made already)."""
        parcels, name = made.parcels, made.file
        if not parcels:
            return False
        found = made.clashes if generation == self.doc._generation else None   # the project changed meanwhile
        decided = self._settle_duplicates(parcels, name, found)
        if decided is None:
            return False
        parcels, replaced, dropped = decided
        self.doc.project.input_sha256 = made.sha256
        self.doc.project.know_fingerprints(made.parcels, made.fingerprints, made.context)
        text = self.tr("Import %1 parcels").replace("%1", str(len(parcels)))
        if replaced:           # one undo step: the replaced parcels come back with the import undone
            self.doc.stack.beginMacro(text)
            self.doc.stack.push(RemoveParcels(self.doc, [p.uid for p in replaced]))
        if parcels:
            self.doc.stack.push(AddParcels(self.doc, parcels, text))
        if replaced:
            self.doc.stack.endMacro()
        self.w.extras.navigator.show_new([p.uid for p in parcels])   # fitted and selected: the tables scroll to them
        skipped = len(result.errors)
        message = (self.tr("Imported %1 parcels from %2; %3 records skipped")
                   .replace("%1", str(len(parcels))).replace("%2", name).replace("%3", str(skipped)))
        if replaced:
            message += self.tr("; %1 parcels of the project replaced").replace("%1", str(len(replaced)))
        if dropped:
            message += self.tr("; %1 records already in the project skipped").replace("%1", str(dropped))
        self.w.statusBar().showMessage(message, 10000)
        return True

    def _settle_duplicates(self, parcels, name: str, found=None):
        """Records whose 宗地号 or 不动产单元号 the project already has (``found``, when known, as
        :func:`zones.duplicates.clashes` gives them): the officer chooses 替换, 都保留 or 跳过
        (:class:`DuplicateDialog`). Returns (parcels to add, project parcels to remove, records
        skipped), or None when the import is cancelled."""
        from zones.duplicates import clashes

        if found is None:
            found = clashes(self.doc.project.parcels, [p.attrs for p in parcels])
        if not found:
            return parcels, [], 0
        from desktop.dialogs.duplicate_dialog import KEEP_BOTH, REPLACE, DuplicateDialog

        dlg = DuplicateDialog(name, found, parcels, self.w)
        try:
            if dlg.exec() != DuplicateDialog.DialogCode.Accepted or dlg.choice is None:
                return None
            choice = dlg.choice
        finally:
            dlg.deleteLater()
        if choice == KEEP_BOTH:
            return parcels, [], 0
        rows = {k for k, _, _ in found}
        if choice == REPLACE:
            gone = list({p.uid: p for _, existing, _ in found for p in existing}.values())
            return parcels, gone, 0
        return [p for k, p in enumerate(parcels) if k not in rows], [], len(rows)

    # ------------------------------------------------------------- export
    def export_results(self, path: str | None = None) -> bool:
        path = path or self._ask_path(True, self.tr("Export results"), S.LAST_EXPORT_DIR, EXPORT_FILTER, ".xlsx")
        if not path:
            return False
        try:
            self.w.results.export(path)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot export to %1").replace("%1", str(path)))
            return False
        self.w.statusBar().showMessage(self.tr("Exported %1").replace("%1", str(path)), 5000)
        return True

    # ------------------------------------------------------------ reports
    def _report_uids(self, all_parcels) -> list[str]:
        """``all_parcels``: True (everything), False (the selection) or "taxpayer" (every parcel of
        the selected parcels' taxpayers, in project order)."""
        if all_parcels == "taxpayer":
            names = {self.doc.project.by_uid(u).get("taxpayer_name") for u in self.doc.selection.uids}
            names.discard("")
            uids = [p.uid for p in self.doc.project.parcels if p.get("taxpayer_name") in names]
        else:
            uids = [p.uid for p in self.doc.project.parcels] if all_parcels else list(self.doc.selection.uids)
        return [u for u in uids if self.doc.project.current_result(u) is not None]

    def report(self, mode: str, all_parcels: bool | str, path: str | None = None) -> bool:
        """``mode``: preview | print | pdf."""
        from desktop.dialogs.report_dialog import ReportPrinter

        uids = self._report_uids(all_parcels)
        if not uids:
            self.w.statusBar().showMessage(self.tr("Select an assessed parcel first"), 5000)
            return False
        from desktop.report_output import ReportChecks, default_pdf_path
        checks = self.__dict__.setdefault("_report_checks", ReportChecks(self.w))
        if not checks.confirm_missing(uids):
            return False
        from desktop.print_caption import dialog_title
        if mode == "pdf":
            if not path:
                path, _ = QFileDialog.getSaveFileName(self.w, dialog_title(self.tr("Save report as PDF"),
                                                                           self.doc.project, uids),
                                                      str(default_pdf_path(self.doc, uids, self.settings)),
                                                      "PDF (*.pdf)")
                if path and not Path(path).suffix:
                    path += ".pdf"
            if not path:
                return False
            self.settings.set(S.LAST_EXPORT_DIR, str(Path(path).parent))
        rp = ReportPrinter(self.doc, self.w)
        # every dialog names what it will print: the highlighted parcel, wherever it was selected
        rp.title = dialog_title(self.tr("Print preview") if mode == "preview" else self.tr("Print"),
                                self.doc.project, uids)
        self._report_printer = rp           # keeps its temporary folder alive while the worker writes

        def then(pdf) -> None:              # on the GUI thread, the PDF complete
            try:
                if mode == "pdf":
                    checks.show_saved(pdf)
                elif mode == "print":
                    rp.print_file(pdf)
                else:
                    rp.preview_file(pdf)
            except Exception as exc:
                show_exception(self.w, exc, self.tr("Cannot make the report"))

        def failed(exc) -> None:
            from zones.errors import Cancelled

            if isinstance(exc, Cancelled):  # nothing was written; say so, quietly
                self.w.statusBar().showMessage(self.tr("Report cancelled; no file was written"), 5000)
            else:
                show_exception(self.w, exc, self.tr("Cannot make the report"))

        # long batches run on the worker (progress and cancel in the status bar), the GUI stays live
        if not rp.in_background(uids, path if mode == "pdf" else None, then, failed, self.tr("Writing reports")):
            self.w.statusBar().showMessage(self.tr("Another task is running; try again when it has finished"), 5000)
            return False
        return True

    # ----------------------------------------------------------- recovery
    def _tell_set_aside(self, rec) -> None:
        """Say which recovery copies were not what the application wrote, and where they went."""
        from desktop.errors import show_message

        for where, why in rec.set_aside:
            show_message(self.w, self.tr("Recovery copy set aside"),
                         self.tr("A recovery copy was not written by this application and was set aside: %1 (%2)")
                         .replace("%1", where).replace("%2", why))
        rec.set_aside.clear()

    def offer_recovery(self) -> bool:
        """After a crash: offer to restore the recovery copies left by copies of the application
        that are no longer running (newest first). True when one was restored; a declined copy
        is deleted, the others stay for the next start. Copies still running are never offered."""
        rec = self.doc.recovery
        if rec is None:
            return False
        try:
            orphans = rec.orphans()
        finally:
            self._tell_set_aside(rec)
        for info in orphans:
            from desktop.recovery_text import project_name, saved_at_text
            text = self.tr("The application did not close normally. A recovery copy of %3 from %1 with %2 parcels "
                           "exists. Restore it?") \
                .replace("%1", saved_at_text(info.get("saved_at", ""))).replace("%2", str(info.get("parcels", "?"))) \
                .replace("%3", project_name(info.get("original"), self.tr("the untitled project")))
            answer = QMessageBox.question(self.w, self.tr("Restore unsaved work"), text,
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                rec.discard(info)
                continue
            try:
                project = rec.restore(info)
                original = info.get("original")
                self.doc.adopt(project, Path(original) if original else None, clean=False,
                               project_file=Path(info["path"]))
                self.doc.autosave_now()      # now this copy's own recovery file holds the work
            except Exception as exc:
                rec.set_aside.clear()        # the message below names where it went
                show_exception(self.w, exc, self.tr("Cannot restore the recovery copy"))
                continue
            rec.discard(info)
            self.w.fit_parcels()
            return True
        return False
