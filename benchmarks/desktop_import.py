"""Importing a district's file through the real window's import dialog (offscreen).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.desktop_import FILE [FILE ...] [--old-max 20000]
    QT_QPA_PLATFORM=offscreen python -m benchmarks.desktop_import --live FILE [FILE ...]

For each file (e.g. the sets of :mod:`benchmarks.batch_detailed`: ``random100000.gpkg``, whose
100,000 parcels overlap in 237,937 pairs, 475,875 findings; ``tiling100000.gpkg``), in one
process and one run:

- ``dialog``: the import dialog opened on the file until it shows (read, checks, the
  preview and the list of problems as a table model drawing only its visible rows);
- ``old list``: the competing approach, the previous dialog's list: one QTreeWidgetItem
  per finding (four texts, two data, two tooltips) added to a QTreeWidget;
- ``import``: File ▸ Import accepted, until the parcels are in the project (one undoable
  command) and every view shows them;
- ``old index``: the competing approach for the insert step, the previous
  ``Project.insert`` (the index uid → position rebuilt after each inserted parcel), on the
  first ``--old-max`` parcels only (it is quadratic: 100,000 would take about 15 minutes),
  beside the new insert of those same parcels.

With ``--live`` (one file per process is best: each run starts a window of its own), the
import as the officer meets it, in a window whose task runner is asynchronous, as the
application's: File ▸ Import of the file, the dialog accepted once it shows its findings,
until the parcels are in the project — the whole import's wall and CPU time; the longest
gap between two turns of the GUI thread's event loop (a 10 ms timer's ticks: the officer's
window frozen that long), during the import and in the 3 s after it (the views, the map's
drawing, the recovery copy); and the push of the one undoable command (views updated
included). The same script runs against an older checkout (``PYTHONPATH`` at it), where
the import ran on the GUI thread: its gap is the whole import.

Times are wall / CPU of the process (every thread); ``load`` is the 1-minute load average
when the file's run ended. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _old_list(findings, dlg) -> None:
    """The previous dialog's list: an item per finding."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    tree = QTreeWidget()
    tree.setColumnCount(4)
    for f in findings:
        item = QTreeWidgetItem([str(f.record if f.record is not None else "—"), dlg.severity_label(f.severity),
                                dlg.code_label(f.code), f.message])
        item.setData(1, Qt.ItemDataRole.UserRole, f.severity)
        item.setData(2, Qt.ItemDataRole.UserRole, f.code)
        item.setToolTip(2, f.code)
        item.setToolTip(3, f.message)
        tree.addTopLevelItem(item)
    tree.deleteLater()


def _inserts(parcels, old: bool) -> None:
    from zones.periods import TaxPeriod
    from zones.project import Project

    pr = Project(period=TaxPeriod(2024))
    for p in parcels:
        pr.insert(len(pr), p)
        if old:                       # as the previous insert did: the index dropped, and
            pr._index = None          # rebuilt at once by its stale-set upkeep's lookup
            pr._positions()


def measure(path: Path, old_max: int) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import settings as S
    from desktop.app import build_window
    from desktop.dialogs.import_dialog import ImportDialog

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp()
    settings = S.Settings(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))
    doc, window = build_window(settings, synchronous=True, data_folder=Path(folder), offer_recovery=False)
    window.show()
    app.processEvents()
    out: dict = {"file": path.name}

    def open_dialog():
        dlg = ImportDialog(path, doc.zoneset.bounds_lonlat, window)
        dlg.show()
        app.processEvents()
        return dlg

    dlg, out["dialog wall"], out["dialog cpu"] = _timed(open_dialog)
    out["findings"] = len(dlg.result.findings)
    _, out["old list wall"], out["old list cpu"] = _timed(lambda: _old_list(dlg.result.findings, dlg))
    dlg.deleteLater()
    ok, out["import wall"], out["import cpu"] = _timed(
        lambda: window.files.import_file(str(path), dialog_hook=lambda d: True) and app.processEvents() is None)
    assert ok and len(doc.project) == len(dlg.result.parcels), "the import did not take every parcel"
    out["parcels"] = len(doc.project)
    first = doc.project.parcels[:old_max]      # the same snapshots, into a project of their own
    out["old max"] = len(first)
    _, out["insert wall"], out["insert cpu"] = _timed(lambda: _inserts(first, old=False))
    _, out["old index wall"], out["old index cpu"] = _timed(lambda: _inserts(first, old=True))
    out["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out["load"] = os.getloadavg()[0]
    window.hide()                     # (closing would ask whether to discard the imported parcels)
    return out


class _Gaps:
    """The longest wait between two ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def longest(self, since: float, until: float) -> float:
        t = [x for x in self.ticks if since <= x <= until]
        t = [since] + t + ([until] if not t or t[-1] < until else [])
        return max((b - a for a, b in zip(t, t[1:])), default=0.0)


def measure_live(path: Path) -> dict:
    """The import with the application's asynchronous task runner (see the module docstring)."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import settings as S
    from desktop.app import build_window

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp()
    settings = S.Settings(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))
    doc, window = build_window(settings, synchronous=False, data_folder=Path(folder), offer_recovery=False)
    window.show()
    app.processEvents()
    pushes: list[float] = []
    push = doc.stack.push

    def timed_push(command) -> None:
        t = time.perf_counter()
        push(command)
        pushes.append(time.perf_counter() - t)

    doc.stack.push = timed_push
    gaps = _Gaps()
    loop = QEventLoop()
    ended: list[bool] = []
    files = window.files
    live = hasattr(files, "importDone")          # an older checkout imported on the GUI thread
    def finished(ok: bool) -> None:
        ended.append(ok)
        loop.quit()

    if live:
        files.importDone.connect(finished)
    gaps.start()
    w, c = time.perf_counter(), time.process_time()
    started = files.import_file(str(path), dialog_hook=lambda d: True)
    if live and started and not ended:
        loop.exec()
    out: dict = {"file": path.name, "wall": time.perf_counter() - w, "cpu": time.process_time() - c}
    end = time.perf_counter()
    assert (ended[0] if live else started) and len(doc.project), "the import did not finish"
    settle = QEventLoop()
    QTimer.singleShot(3000, settle.quit)
    settle.exec()
    gaps.timer.stop()
    out["gap"] = gaps.longest(w, end)
    out["gap after"] = gaps.longest(end, time.perf_counter())
    out["push"] = sum(pushes)
    out["parcels"] = len(doc.project)
    out["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out["load"] = os.getloadavg()[0]
    doc.wait_autosave()
    window.hide()
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--old-max", type=int, default=20000, help="parcels for the old insert (quadratic)")
    ap.add_argument("--live", action="store_true", help="the import with an asynchronous runner: GUI gaps")
    args = ap.parse_args(argv)
    if args.live:
        live = [measure_live(f) for f in args.files]
        print("| file | parcels | import, whole (wall / cpu) | longest GUI gap: during / 3 s after "
              "| push of the command | peak MB | load |")
        print("|---|---|---|---|---|---|---|")
        for r in live:
            print(f"| {r['file']} | {r['parcels']:,} | {r['wall']:.2f} s / {r['cpu']:.2f} s "
                  f"| {r['gap']:.2f} s / {r['gap after']:.2f} s | {r['push']:.2f} s | {r['peak MB']:,} | {r['load']:.1f} |")
        return
    rows = [measure(f, args.old_max) for f in args.files]
    print("| file | findings | dialog (wall / cpu) | old list, an item each (cpu) | import, whole (wall / cpu) "
          "| insert of the first N (cpu): new / old index | N | peak MB | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file']} | {r['findings']:,} | {r['dialog wall']:.2f} s / {r['dialog cpu']:.2f} s "
              f"| {r['old list cpu']:.2f} s | {r['import wall']:.2f} s / {r['import cpu']:.2f} s "
              f"| {r['insert cpu']:.2f} s / {r['old index cpu']:.2f} s ({r['old index cpu'] / r['insert cpu']:.0f}×) "
              f"| {r['old max']:,} | {r['peak MB']:,} | {r['load']:.1f} |")


if __name__ == "__main__":
    main()
