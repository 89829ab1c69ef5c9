"""DXF import time: n labelled outlines (a grid of lots, every 10th with a courtyard hole and
every 50th drawn twice), read end to end by read_parcels, in two child processes timed in the
same run: the reader as shipped (GDAL's DXF driver for such plain drawings, zones.io.dxf_fast)
and the ezdxf reader alone (the fast path switched off). Both results are compared: same
parcels, points, attributes and findings. Also the three steps that were quadratic (_dedupe,
_nest, _assign_labels) timed against the old pairwise code on a smaller drawing.

    python -m benchmarks.dxf_import 100000 --old-n 2000

CPU time is the child's user + system time (os.wait4), beside wall time and the load average,
because other work on the machine distorts wall time.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
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


def leg(kind: str, dxf_path: Path, out: Path) -> None:
    """One timed read in this (child) process; the result pickled for the comparison."""
    from zones.io import dxf_fast, read_parcels

    if kind == "ezdxf":
        dxf_fast.read = lambda *a: None
    t = time.perf_counter()
    res = read_parcels(dxf_path, layer="JZD", crs="EPSG:4549")
    wall = time.perf_counter() - t
    parcels = res.parcels.drop(columns="geometry")
    out.write_bytes(pickle.dumps((wall, res.parcels.geometry.to_wkb().tolist(), parcels.to_dict("list"),
                                  [repr(f) for f in res.findings], res.encoding)))


def run_leg(kind: str, dxf_path: Path, tmp: Path):
    out = tmp / f"{kind}.pickle"
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.dxf_import", "--leg", kind, "--file", str(dxf_path),
                             "--out", str(out)])
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{kind} leg failed ({status})")
    wall_all = time.perf_counter() - t
    wall, *result = pickle.loads(out.read_bytes())
    return wall, usage.ru_utime + usage.ru_stime, wall_all, result, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--old-n", type=int, default=2000, help="0: skip the pairwise steps")
    ap.add_argument("--leg", choices=["gdal", "ezdxf"], help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.leg:
        return leg(args.leg, args.file, args.out)

    with tempfile.TemporaryDirectory() as tmp:
        if args.old_n:
            small = make_dxf(args.old_n, Path(tmp, "small.dxf"))
            t_old, t_new = steps(small, True), steps(small, False)
            print(f"n={args.old_n}: the three steps, old pairwise {t_old:.2f} s, STRtree {t_new:.3f} s, "
                  f"ratio {t_old / t_new:.0f}x")
        big = make_dxf(args.n, Path(tmp, "big.dxf"))
        print(f"n={args.n}: drawing {big.stat().st_size / 1e6:.0f} MB, load average {os.getloadavg()[0]:.1f}")
        times = {}
        for kind in ("gdal", "ezdxf"):
            wall, cpu, wall_all, result, peak = run_leg(kind, big, Path(tmp))
            times[kind] = (wall, cpu, result)
            print(f"  {kind:5}: read_parcels {wall:.1f} s wall; process {wall_all:.1f} s wall, {cpu:.1f} s CPU, "
                  f"peak {peak:.0f} MB; "
                  f"{len(result[0])} parcels, {len(result[2])} findings; load average {os.getloadavg()[0]:.1f}",
                  flush=True)
        same = times["gdal"][2] == times["ezdxf"][2]
        print(f"  identical results: {same}; ezdxf / gdal: {times['ezdxf'][1] / times['gdal'][1]:.1f}x CPU, "
              f"{times['ezdxf'][0] / times['gdal'][0]:.1f}x wall")
        if not same:
            raise SystemExit("the two readers differ")


if __name__ == "__main__":
    main()
