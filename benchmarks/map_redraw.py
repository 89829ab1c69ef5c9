"""GUI timing: how long the map takes to redraw with many parcels (offscreen canvas).

For N in (10 000, 100 000) synthetic parcels (``benchmarks.synthetic_city``, weighted
towards the urban core) on the bundled Wenzhou zone set, in a 1100 × 700 px canvas:

- ``redraw``: the view is set (``zoom_to``) and the canvas drawn in full — what a
  zoom step or a resize costs;
- ``same view``: the canvas drawn again at the same view (a selection or an edit);
- ``pan step``: one 40 px step of a drag (the last picture shifted, ``MapCanvas.pan_step``).

At three views: the whole zone set ("full"), 8 km and 1 km across, centred on grade 1.
Medians of 20 repeats, milliseconds. ``python -m benchmarks.map_redraw [N ...]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPEATS = 20
SIZE = (1100, 700)


def _median_ms(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up: first draws build caches and fonts
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(counts=(10_000, 100_000)) -> list[tuple]:
    import shapely
    from PySide6.QtWidgets import QApplication

    from benchmarks.synthetic_city import generate
    from desktop.map.map_canvas import MapCanvas
    from zones.zoneset import load_zoneset

    app = QApplication.instance() or QApplication([])
    zs = load_zoneset("wenzhou-urban-2024")
    g = zs.grades
    cx, cy = shapely.centroid(g.geometry.values[list(g["grade"]).index(1)]).coords[0]
    rows = []
    for n in counts:
        parcels = generate(n).geometry.values
        canvas = MapCanvas()
        canvas.resize(*SIZE)
        canvas.show()
        app.processEvents()
        canvas.set_zoneset(zs)
        canvas.set_parcels(parcels)
        canvas._resized()
        views = {"full": zs.bounds, "8 km": (cx - 4000, cy - 4000, cx + 4000, cy + 4000),
                 "1 km": (cx - 500, cy - 500, cx + 500, cy + 500)}
        for name, bounds in views.items():
            def redraw(b=bounds):
                canvas.view.zoom_to(b)
                canvas.canvas.draw()

            redraw()
            step = canvas.view.pixel_size() * 40
            sign = [1]

            def pan():
                sign[0] = -sign[0]            # back and forth: stay over the same parcels
                if hasattr(canvas, "pan_step"):
                    canvas.pan_step(sign[0] * step, 0.0)      # one mouse step of a drag
                    app.processEvents()
                else:
                    canvas.view.pan(sign[0] * step, 0.0)
                    canvas.canvas.draw()

            r = _median_ms(redraw)
            redraw()
            again = _median_ms(canvas.canvas.draw)
            p = _median_ms(pan)
            shown = len(canvas.view.parcels.in_view)
            rows.append((n, name, shown, r, again, p))
            print(f"{n:>7} {name:>5} {shown:>7} in view  new view {r:6.1f} ms  same view {again:6.1f} ms  "
                  f"pan step {p:6.1f} ms", file=sys.stderr)
        canvas.close()
        canvas.deleteLater()
    return rows


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    counts = tuple(int(a) for a in argv) or (10_000, 100_000)
    rows = run(counts)
    print("| parcels | view | in view | redraw, new view (ms) | redraw, same view (ms) | pan step (ms) |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, name, shown, r, again, p in rows:
        print(f"| {n:,} | {name} | {shown:,} | {r:.1f} | {again:.1f} | {p:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
