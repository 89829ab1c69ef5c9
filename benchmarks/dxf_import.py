"""DXF import time: n labelled outlines (a grid of lots, every 10th with a courtyard hole and
every 50th drawn twice, as a hatch over its polyline), read end to end by read_parcels; and the
three steps that were quadratic (_dedupe, _nest, _assign_labels) timed against the old
pairwise code on the same smaller drawing.

    python -m benchmarks.dxf_import 100000 --old-n 2000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import shapely

E0, N0 = 560_000.0, 3_095_000.0   # Wenzhou, EPSG:4549 metres


def make_dxf(n: int, path: Path) -> Path:
    import ezdxf

    doc = ezdxf.new()
    msp = doc.modelspace()
    side = int(n ** 0.5) + 1
    for k in range(n):
        x, y = E0 + (k % side) * 30.0, N0 + (k // side) * 30.0
        sq = [(x, y), (x + 25, y), (x + 25, y + 25), (x, y + 25)]
        msp.add_lwpolyline(sq, close=True, dxfattribs={"layer": "JZD"})
        msp.add_text(f"ZD{k:06d}", dxfattribs={"layer": "ZDH", "insert": (x + 3, y + 3)})
        if k % 10 == 0:
            msp.add_lwpolyline([(x + 10, y + 10), (x + 15, y + 10), (x + 15, y + 15), (x + 10, y + 15)], close=True,
                               dxfattribs={"layer": "JZD"})
        if k % 50 == 0:
            msp.add_lwpolyline(sq, close=True, dxfattribs={"layer": "JZD"})
    doc.saveas(path)
    return path


# ---- the pre-STRtree code, kept only to time it side by side
def old_dedupe(outl, src, found):
    keep = []
    for o in outl:
        twin = next((k for k in keep if shapely.equals_exact(shapely.normalize(k["poly"]), shapely.normalize(o["poly"]), 1e-6)), None)
        if twin is None:
            keep.append(o)
    return keep


def old_nest(outl):
    order = sorted(outl, key=lambda o: o["poly"].area)
    for o in outl:
        o["children"], o["labels"], o["id"] = [], [], None
    for i, o in enumerate(order):
        o["parent"] = next((b for b in order[i + 1:] if b["poly"].contains(o["poly"])), None)
        if o["parent"] is not None:
            o["parent"]["children"].append(o)


def old_assign(outl, labels):
    order = sorted(outl, key=lambda o: o["poly"].area)
    for pt, text in labels:
        owner = next((o for o in order if o["poly"].covers(pt)), None)
        if owner is not None:
            owner["labels"].append(text)


def steps(path: Path, old: bool) -> float:
    from zones.io import dxf

    doc = dxf._load(path)
    outl, _found = dxf._outlines(path, doc)
    labels = dxf._label_points(doc.modelspace())
    t = time.perf_counter()
    if old:
        outl = old_dedupe(outl, "", [])
        old_nest(outl)
        old_assign(outl, labels)
    else:
        outl = dxf._dedupe(outl, "", [])
        dxf._nest(outl)
        dxf._assign_labels(outl, labels, "", [])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--old-n", type=int, default=2000)
    args = ap.parse_args()
    from zones.io import read_parcels

    with tempfile.TemporaryDirectory() as tmp:
        small = make_dxf(args.old_n, Path(tmp, "small.dxf"))
        t_old, t_new = steps(small, True), steps(small, False)
        print(f"n={args.old_n}: the three steps, old pairwise {t_old:.2f} s, STRtree {t_new:.3f} s, "
              f"ratio {t_old / t_new:.0f}x")
        big = make_dxf(args.n, Path(tmp, "big.dxf"))
        t = time.perf_counter()
        res = read_parcels(big, layer="JZD", crs="EPSG:4549")
        total = time.perf_counter() - t
        print(f"n={args.n}: read_parcels end to end {total:.1f} s, {len(res.parcels)} parcels; "
              f"the three steps alone {steps(big, False):.2f} s")


if __name__ == "__main__":
    main()
