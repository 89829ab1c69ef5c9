"""Map timing, offscreen: full redraw, zoomed redraw, pan, and the app's start-up.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_timing --n 10000 100000 [--repeats 15]

For each N (parcels from :mod:`benchmarks.synthetic_city`, made into ``--dir`` when
missing) a 1200 × 800 :class:`desktop.map.map_canvas.MapCanvas` is shown with the
bundled zone set and the parcels, and ``canvas.draw()`` (the synchronous redraw Qt
does on a repaint) is timed at full extent (all parcels), zoomed in (a 1.5 km view
on the centre) and after each pan step (a tenth of the view). Medians in ms.

Start-up: ``python -c`` of a script that builds the real main window
(``desktop.app.build_window``), shows it and stops at the map's first draw event;
wall time of the whole process, median of ``--startup-repeats``.
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


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def canvas_timings(n: int, folder: Path, repeats: int) -> dict:
    import numpy as np
    import pyogrio
    from PySide6.QtWidgets import QApplication

    from benchmarks.batch import city
    from desktop.map.map_canvas import MapCanvas
    from zones.zoneset import load_zoneset

    app = QApplication.instance() or QApplication([])
    parcels = pyogrio.read_dataframe(city(n, folder), columns=["parcel_id"])
    geoms = np.asarray(parcels.geometry.values, dtype=object)
    ids = parcels["parcel_id"].tolist()
    canvas = MapCanvas()
    canvas.resize(1200, 800)
    canvas.show()
    app.processEvents()
    out = {"n": n}
    t = time.perf_counter()
    canvas.set_zoneset(load_zoneset("wenzhou-urban-2024"))
    canvas.set_parcels(geoms, ids)
    canvas.zoom_to_parcels()
    canvas.canvas.draw()
    out["load_and_first_draw_ms"] = (time.perf_counter() - t) * 1000
    draw = canvas.canvas.draw
    out["full_extent_ms"] = timed(draw, repeats)
    x0, y0, x1, y1 = canvas.view.data_bounds("zones")
    cx, cy = canvas.view.centre
    canvas.zoom_to((cx - 750, cy - 500, cx + 750, cy + 500))
    draw()
    out["zoomed_ms"] = timed(draw, repeats)
    step = (canvas.view.bounds[2] - canvas.view.bounds[0]) / 10

    def pan_and_draw():
        canvas.view.pan(step, 0)
        draw()
    out["pan_step_zoomed_ms"] = timed(pan_and_draw, repeats)
    canvas.zoom_to_parcels()
    draw()

    def pan_full():
        canvas.view.pan(step * 20, 0)
        draw()
    out["pan_step_full_ms"] = timed(pan_full, max(3, repeats // 3))
    canvas.close()
    return out


def startup(repeats: int) -> float:
    times = []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(repeats):
        res = subprocess.run([sys.executable, "-c", STARTUP, repr(time.time())], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        times.append(float(res.stdout.strip().splitlines()[-1]) if res.returncode == 0 and res.stdout.strip() else float("nan"))
    return statistics.median(times)


def main(argv=None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ap = argparse.ArgumentParser(description="map timings (offscreen)")
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--startup-repeats", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/bench")
    args = ap.parse_args(argv)
    results = {"canvas": [canvas_timings(n, Path(args.dir), args.repeats) for n in args.n],
               "startup_s": startup(args.startup_repeats), "loadavg": os.getloadavg()}
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
