"""The desktop on the document store, timed through the real main window (offscreen).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.desktop_store --n 10000 100000 [--json out.json]

For each N: the parcels of :mod:`benchmarks.synthetic_city` (``--dir``/cityN.gpkg, made
when missing) become a project file (imported parcels with attributes, assessed, with
their grade pieces; ``--dir``/projectN.gpkg, made when missing). Then, in the real
:class:`desktop.main_window.MainWindow` built by ``desktop.app.build_window`` with the
real (threaded) task runner, it times in ms:

- ``open``: File ▸ Open of the project file until every view (map, parcel table,
  results table) is up to date;
- ``edit``: one attribute edit typed into the parcel table (an undo command) until the
  parcel is re-assessed and every view shows it — median of ``--repeats`` edits;
- ``select``: selecting a parcel until the assessment panel, the map's grade pieces and
  both tables show it (no re-assessment: the stored result) — median;
- ``assess all``: Assess ▸ Assess all, off the GUI thread with progress (at this size in a child
  process, :mod:`zones.store_assess`), until the
  results are stored and the views updated; ``gui max gap``: the longest the GUI thread
  did not process events meanwhile, storing the results included (a 10 ms timer);
  ``assess all gui cpu``: the GUI thread's share of the CPU time;
- ``rates changed``: the same after new rates (each grade's rate + 1 yuan, as the zone set
  is replaced): every result is new — made in bulk and sent back by the child, stored a
  slice at a time between GUI events, logged (amounts before → after) and every view
  redrawn; ``… gui max gap`` as above;
- ``save``: File ▸ Save (atomic GeoPackage with results, pieces and the audit log);
- ``peak MB``: the process's peak resident memory (ru_maxrss); ``child peak MB``: the
  assessment's child process's (0 when none ran).

Each time is wall-clock; ``… cpu`` is the CPU time of the GUI thread over the same span
(of the whole process and its child process for ``assess all``), which a machine shared with other work does
not inflate; ``load average`` is the 1-minute load when the run ended.

The old approach, timed in the same run on the same project where it is meaningful:
``old stale()`` (every fingerprint recomputed after each edit, the previous
``Project.stale``), ``old select`` (assessing the parcel again to draw its pieces) and,
at N ≤ 20,000, ``old results refresh`` (the results panel rebuilding a QStandardItem per
cell after each edit). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def city(n: int, folder: Path):
    import geopandas as gpd

    path = folder / f"city{n}.gpkg"
    if not path.exists():
        from benchmarks.synthetic_city import generate

        generate(n).to_file(path, layer="parcels", driver="GPKG")
    return gpd.read_file(path)


def project_file(n: int, folder: Path) -> Path:
    """An assessed project of N imported parcels (made once, then reused)."""
    path = folder / f"project{n}.gpkg"
    if path.exists():
        return path
    from zones.assess import file_sha256
    from zones.periods import TaxPeriod
    from zones.project import (
        Project,
        Source,
        assess_context,
        assess_parcels,
        new_parcel,
        now_text,
    )
    from zones.project_file import save_project
    from zones.reliefs import load_catalogue
    from zones.zoneset import load_zoneset

    g = city(n, folder)
    sha, when = file_sha256(folder / f"city{n}.gpkg"), now_text()
    zs = load_zoneset("wenzhou-urban-2024")
    pr = Project(period=TaxPeriod(2024))
    for k, geom in enumerate(g.geometry.values):
        attrs = {"parcel_no": f"330302{k:013d}", "taxpayer_name": f"示例公司{k % 997}", "land_use": "工业",
                 "declared_area": f"{geom.area:.2f}" if k % 10 == 0 else "", "small_taxpayer": "是" if k % 7 == 0 else ""}
        src = Source("import", "基准", when, file=f"city{n}.gpkg", sha256=sha, what=f"导入自 city{n}.gpkg")
        pr.parcels.append(new_parcel(geom, "基准", attrs, what=src.what, source=src))
    pr.context = assess_context(zs, pr.period)
    pr.set_results(assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())[0], compare=False)
    save_project(pr, path)
    return path


def children_cpu() -> float:
    """CPU seconds of the finished child processes (user + system)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def peak_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def measure(n: int, folder: Path, repeats: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from desktop import settings as S
    from desktop.app import build_window, register_fonts

    path = project_file(n, folder)
    app = QApplication.instance() or QApplication([])
    register_fonts(app)  # type: ignore[arg-type]  # QApplication.instance() is typed as the core class
    settings_dir = tempfile.mkdtemp()
    from PySide6.QtCore import QSettings
    settings = S.Settings(QSettings(os.path.join(settings_dir, "s.ini"), QSettings.Format.IniFormat))
    doc, window = build_window(settings, synchronous=False, data_folder=Path(settings_dir), offer_recovery=False)
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    doc.recovery = None            # autosave is timed apart (it is a save)
    window.canvas.canvas.draw()     # the first draw loads the CJK font (seconds): start-up, not opening
    out: dict[str, float] = {"n": n}

    t, c = time.perf_counter(), time.thread_time()
    assert window.files.open(str(path))
    app.processEvents()
    out["open"] = (time.perf_counter() - t) * 1000
    out["open cpu"] = (time.thread_time() - c) * 1000
    assert len(doc.project) == n and not doc.project.stale()

    model = window.table.model
    col = model.column_of("address")
    times, cpu = [], []
    for k in range(repeats):
        row = (k * 7919) % n
        t, c = time.perf_counter(), time.thread_time()
        model.setData(model.index(row, col), f"温州市示例路{k}号")
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        assert doc.project.current_result(doc.project.parcels[row].uid) is not None
    out["edit"], out["edit cpu"] = statistics.median(times), statistics.median(cpu)

    times, cpu = [], []
    for k in range(repeats):
        uid = doc.project.parcels[(k * 104729) % n].uid
        t, c = time.perf_counter(), time.thread_time()
        doc.selection.set([uid])
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    out["select"], out["select cpu"] = statistics.median(times), statistics.median(cpu)

    out.update(timed_assess(app, doc, lambda: doc.assess_all(), "assess all"))
    save_to = folder / f"saved{n}.gpkg"
    t, c = time.perf_counter(), time.thread_time()
    doc.save(save_to)
    out["save"] = (time.perf_counter() - t) * 1000
    out["save cpu"] = (time.thread_time() - c) * 1000
    out["load average"] = os.getloadavg()[0]
    out.update(old_approach(doc, window, app, n, repeats))
    # the officer's other assess-all: new rates, so every parcel's result is new (shipped back,
    # stored, logged with its amounts before → after, every view redrawn)
    import dataclasses

    new_rates = {g: r + 1 for g, r in doc.zoneset.rates.items()}
    out.update(timed_assess(app, doc, lambda: doc.set_zoneset(dataclasses.replace(doc.zoneset, rates=new_rates),
                                                              compare=True), "rates changed"))
    assert not doc.project.stale()
    out["load average"] = os.getloadavg()[0]
    assert not doc.project.stale()
    out["peak MB"] = peak_mb()
    out["child peak MB"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    doc.stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return out


def timed_assess(app, doc, start, name: str) -> dict:
    """Wall and CPU time of an assess-all started by ``start()`` until its results are stored
    and the views updated, and the longest the GUI thread did not process events meanwhile."""
    from PySide6.QtCore import QTimer

    gaps, last = [], [time.perf_counter()]
    timer = QTimer()
    timer.setInterval(10)

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer.timeout.connect(tick)
    finished: list = []
    doc.assessFinished.connect(finished.append)
    t, c, g, kids = time.perf_counter(), time.process_time(), time.thread_time(), children_cpu()
    timer.start()
    start()
    while not finished:
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()
    tick()                    # the results being stored on the GUI thread count too
    out = {name: (time.perf_counter() - t) * 1000,
           # every thread of the process, and the child process the assessment runs in
           f"{name} cpu": (time.process_time() - c + children_cpu() - kids) * 1000,
           f"{name} gui cpu": (time.thread_time() - g) * 1000}    # of which on the GUI thread
    timer.stop()
    doc.assessFinished.disconnect(finished.append)
    out[f"{name} gui max gap" if name != "assess all" else "gui max gap"] = max(gaps or [0]) * 1000
    return out


def old_approach(doc, window, app, n: int, repeats: int) -> dict:
    """The same operations as the code before the document store did them."""
    from zones.project import assess_parcels, fingerprint

    pr = doc.project
    out = {}
    t = time.perf_counter()
    [i for i, p in enumerate(pr.parcels)                        # the old Project.stale(): per edit, O(n)
     if pr.results.get(p.uid) is None or pr.results[p.uid].fingerprint != fingerprint(p, pr.context)]
    out["old stale()"] = (time.perf_counter() - t) * 1000
    times = []
    for k in range(min(repeats, 5)):
        p = pr.parcels[(k * 104729) % n]
        t = time.perf_counter()
        _, run = assess_parcels([p], doc.zoneset, pr.period, catalogue=doc.catalogue, keep_pieces=True)
        run.pieces()
        times.append((time.perf_counter() - t) * 1000)
    out["old select"] = statistics.median(times)
    if n <= 20_000:
        out["old results refresh"] = old_results_refresh(doc) * 1000
    return out


def old_results_refresh(doc) -> float:
    """The previous ResultsPanel.refresh: a QStandardItem per cell, three setters each."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from desktop.panels.results_panel import results_frame

    model = QStandardItemModel()
    t = time.perf_counter()
    df = results_frame(doc)
    cols = [c for c in df.columns if c != "uid"]
    for rec in df.to_dict("records"):
        items = []
        for c in cols:
            item = QStandardItem(str(rec[c]))
            item.setEditable(False)
            item.setData(rec[c], Qt.ItemDataRole.UserRole + 1)
            item.setData(rec["uid"], Qt.ItemDataRole.UserRole + 2)
            items.append(item)
        model.appendRow(items)
    return time.perf_counter() - t


COLUMNS = ("open", "open cpu", "edit", "edit cpu", "select", "select cpu", "assess all", "assess all cpu",
           "assess all gui cpu", "gui max gap", "rates changed", "rates changed cpu", "rates changed gui cpu",
           "rates changed gui max gap", "save", "save cpu", "old stale()", "old select", "old results refresh", "peak MB",
           "child peak MB", "load average")


def table(results: list[dict]) -> str:
    head = "| parcels | " + " | ".join(f"{c} (ms)" if c not in ("peak MB", "child peak MB", "load average") else c
                                       for c in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for r in results:
        cells = [f"{r[c]:,.0f}" if c in r and r[c] >= 10 else (f"{r[c]:.1f}" if c in r else "—") for c in COLUMNS]
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--dir", type=Path, default=ROOT / "benchmarks" / "data")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.dir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.n:          # one process per size, so peak memory is that size's own
        if len(args.n) > 1:
            import subprocess

            js = args.dir / f"desktop_store_{n}.json"
            subprocess.run([sys.executable, "-m", "benchmarks.desktop_store", "--n", str(n), "--dir", str(args.dir),
                            "--repeats", str(args.repeats), "--json", str(js)], check=True, cwd=ROOT)
            results.append(json.loads(js.read_text())[0])
        else:
            results.append(measure(n, args.dir, args.repeats))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
