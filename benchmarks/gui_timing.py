"""Map timing, offscreen: redraws per view, panning, and the app's start-up.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_timing --n 10000 100000 [--repeats 20]

For each N the parcels of :mod:`benchmarks.synthetic_city` (``--dir``/cityN.gpkg, made
when missing; those crossing a grade line flagged ``near_boundary`` as after an
assessment, so their magenta outlines are drawn) are shown with the bundled zone set
in a 1100 × 700 :class:`desktop.map.map_canvas.MapCanvas`. At four views — the whole
zone set ("full"), and 8 km, 3 km and 1 km across centred on grade 1 — it times, in ms
(median of ``--repeats``, after one warm-up):

- ``zoom step``: a wheel notch into the view: the view alternates between these bounds
  and 1.25 × larger, every layer rebuilds what is in view and the canvas is drawn in
  full (``canvas.draw()``, the synchronous redraw Qt does on a repaint). Nothing is
  reused from the previous draw except the per-scale caches that a real zoom also hits;
- ``same view``: the canvas drawn again at the same view (a selection or an edit);
- ``pan step``: one 40 px step of a drag (``MapCanvas.pan_step``: the last picture
  shifted and blitted);
- ``pan end``: the view moved 40 px and drawn in full (what the end of a drag costs).

Also: zone set + parcels set and the first draw, and the start-up of the real main
window (``desktop.app.build_window``, process start to the map's first draw event),
median of ``--startup-repeats``. Prints markdown tables; ``--json PATH`` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1100, 700)
VIEWS_M = {"8 km": 8000.0, "3 km": 3000.0, "1 km": 1000.0}   # view sizes across, besides "full"
ZOOM_NOTCH = 1.25
PAN_PX = 40

STARTUP = r"""
import os, sys, time
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop import settings as S
from desktop.app import build_window, register_fonts
register_fonts(app)
doc, window = build_window(S.Settings(), synchronous=True, offer_recovery=False)
done = []
window.canvas.canvas.mpl_connect("draw_event", lambda e: done.append(time.time()))
window.resize(1200, 800)
window.show()
while not done and time.time() - t0 < 60:
    app.processEvents()
print(done[0] - t0 if done else -1)
"""


def median_ms(fn, repeats: int) -> float:
    fn()  # warm-up: the first draw of a view builds fonts and caches
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _grown(bounds, factor: float):
    x0, y0, x1, y1 = bounds
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 * factor, (y1 - y0) / 2 * factor
    return (cx - hw, cy - hh, cx + hw, cy + hh)


def canvas_timings(n: int, folder: Path, repeats: int) -> dict:
    import numpy as np
    import pyogrio
    import shapely
    from PySide6.QtWidgets import QApplication

    from benchmarks.batch import city
    from desktop.map.map_canvas import MapCanvas
    from zones.zoneset import load_zoneset

    app = QApplication.instance() or QApplication([])
    folder.mkdir(parents=True, exist_ok=True)
    parcels = pyogrio.read_dataframe(city(n, folder), columns=["parcel_id", "crosses"])
    geoms = np.asarray(parcels.geometry.values, dtype=object)
    flags = [{"near_boundary"} if c else set() for c in parcels["crosses"].astype(bool)]
    zs = load_zoneset("wenzhou-urban-2024")
    g = zs.grades
    cx, cy = shapely.centroid(g.geometry.values[list(g["grade"]).index(1)]).coords[0]

    canvas = MapCanvas()
    canvas.resize(*SIZE)
    canvas.show()
    app.processEvents()
    draw = canvas.canvas.draw
    out = {"n": n, "size_px": SIZE, "flagged": int(sum(map(bool, flags)))}
    t = time.perf_counter()
    canvas.set_zoneset(zs)
    canvas.set_parcels(geoms, parcels["parcel_id"].tolist(), flags)
    canvas._resized()                              # what the debounced resize does once shown
    draw()
    out["load_and_first_draw_ms"] = (time.perf_counter() - t) * 1000

    views = {"full": zs.bounds}
    views.update({name: (cx - m / 2, cy - m / 2, cx + m / 2, cy + m / 2) for name, m in VIEWS_M.items()})
    rows = []
    for name, bounds in views.items():
        notch = [0]

        def zoom_step(b=bounds):
            notch[0] ^= 1
            canvas.view.zoom_to(_grown(b, ZOOM_NOTCH) if notch[0] else b)
            draw()

        zoom = median_ms(zoom_step, repeats)
        canvas.view.zoom_to(bounds)
        draw()
        in_view, vectors = len(canvas.view.parcels.in_view), len(canvas.view.parcels.as_vectors)
        same = median_ms(draw, repeats)
        step = canvas.view.pixel_size() * PAN_PX
        sign = [1]

        def pan_step():
            sign[0] = -sign[0]                     # back and forth: stay over the same parcels
            canvas.pan_step(sign[0] * step, 0.0)
            app.processEvents()

        def pan_end():
            sign[0] = -sign[0]
            canvas.view.pan(sign[0] * step, 0.0)
            draw()

        pan = median_ms(pan_step, repeats)
        canvas.view.zoom_to(bounds)
        draw()
        end = median_ms(pan_end, repeats)
        rows.append({"view": name, "in_view": in_view, "vectors": vectors, "zoom_step_ms": zoom,
                     "same_view_ms": same, "pan_step_ms": pan, "pan_end_ms": end})
        print(f"{n:>7} {name:>5} {in_view:>7} in view  zoom step {zoom:6.1f}  same view {same:6.1f}  "
              f"pan step {pan:6.1f}  pan end {end:6.1f} ms", file=sys.stderr)
    out["views"] = rows
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    return out


def startup(repeats: int) -> float:
    times = []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(repeats):
        res = subprocess.run([sys.executable, "-c", STARTUP, repr(time.time())], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        ok = res.returncode == 0 and res.stdout.strip()
        times.append(float(res.stdout.strip().splitlines()[-1]) if ok else float("nan"))
    return statistics.median(times)


def table(results: dict) -> str:
    lines = ["| parcels | view | in view | as vectors | zoom step (ms) | same view (ms) | pan step (ms) | pan end (ms) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for run in results["canvas"]:
        for r in run["views"]:
            lines.append(f"| {run['n']:,} | {r['view']} | {r['in_view']:,} | {r['vectors']:,} | {r['zoom_step_ms']:.1f} "
                         f"| {r['same_view_ms']:.1f} | {r['pan_step_ms']:.1f} | {r['pan_end_ms']:.1f} |")
    lines += ["", "| parcels | zones + parcels set, first draw (ms) |", "|---:|---:|"]
    lines += [f"| {run['n']:,} | {run['load_and_first_draw_ms']:.0f} |" for run in results["canvas"]]
    if results.get("startup_s") is not None:
        lines += ["", f"App start to a drawn map: {results['startup_s']:.2f} s"]
    return "\n".join(lines)


def main(argv=None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ap = argparse.ArgumentParser(description="map timings (offscreen)")
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--startup-repeats", type=int, default=5, help="0 skips the start-up timing")
    ap.add_argument("--dir", default="/tmp/bench", help="where the synthetic cities are kept")
    ap.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args(argv)
    results = {"canvas": [canvas_timings(n, Path(args.dir), args.repeats) for n in args.n],
               "startup_s": startup(args.startup_repeats) if args.startup_repeats else None,
               "loadavg": os.getloadavg()}
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
