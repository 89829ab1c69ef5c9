"""Batch report PDF: this application's renderer against a plain reference, on the same parcels.

The reference is what a first attempt would do: one matplotlib figure per parcel (the parcel
over the grade zones, a table of its grade rows) saved into one ``PdfPages`` file. Both run in
this process, one after the other, each in its own child process, on the same assessed parcels of the
synthetic city; the script prints for each the wall and CPU time of the writing alone, the
child's peak RSS (os.wait4) and the size per parcel, the ratio, and the load average (other
jobs on the machine distort wall time). ``--also`` times this application alone on more parcels.

    python -m benchmarks.report_batch [N] [--also 1000 10000] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def reference(assessment, path) -> None:
    """One matplotlib figure per parcel into one PdfPages file."""
    import matplotlib

    matplotlib.use("Agg")
    import shapely
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from zones.fonts import matplotlib_cjk_family

    matplotlib_cjk_family()
    zones = assessment.zoneset.grades
    with PdfPages(path) as pdf:
        for i in range(len(assessment)):
            r = assessment.parcel(i)
            fig = Figure(figsize=(8.27, 11.69))
            ax = fig.add_axes((0.1, 0.45, 0.8, 0.5))
            g = assessment.geoms[i]
            x0, y0, x1, y1 = g.buffer(50).bounds
            near = zones.cx[x0:x1, y0:y1]
            for geom, grade in zip(near.geometry, near["grade"]):
                for part in shapely.get_parts(shapely.clip_by_rect(geom, x0, y0, x1, y1)):
                    if part.geom_type == "Polygon":
                        ax.fill(*part.exterior.xy, alpha=0.3, label=str(grade))
            for part in shapely.get_parts(g):
                ax.plot(*part.exterior.xy, color="black")
            ax.set_aspect("equal")
            ax.set_title(f"宗地 {r.parcel_id}")
            t = fig.add_axes((0.1, 0.1, 0.8, 0.3))
            t.axis("off")
            rows = [[row.grade_label, f"{row.area_m2:,.2f}", str(row.rate), str(row.months), f"{row.gross:,.2f}"] for row in r.rows]
            rows.append(["合计", f"{r.taxable_area_m2:,.2f}", "", "", f"{r.due:,.2f}"])
            t.table(cellText=rows, colLabels=["等级", "面积", "税额标准", "月数", "税额"], loc="upper center")
            pdf.savefig(fig)


def ours(assessment, path) -> None:
    from zones.report import write_parcel_reports

    write_parcel_reports(assessment, path)


def _assessed(n: int):
    """The first ``n`` parcels of the synthetic city, assessed (not timed)."""
    from benchmarks.synthetic_city import generate
    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.zoneset import load_zoneset

    parcels = generate(max(n, 1000)).iloc[:n]   # the generator needs a city of some size
    a = assess(parcels, load_zoneset("wenzhou-urban-2024"), TaxPeriod(2024), keep_pieces=True)
    a.pieces()
    for i in range(len(a)):
        a.parcel(i)
    return a


def leg(name: str, n: int, out: Path) -> dict:
    """Run one approach on ``n`` parcels in this process; the leg's own wall and CPU time."""
    a = _assessed(n)
    path = out / f"report_batch_{name}_{n}.pdf"
    fn = {"reference": reference, "ours": ours}[name]
    before = _rss_mb()
    peak = [before]
    stop = threading.Event()

    def sample():   # the leg's own peak: the setup (a synthetic city) dominates the process's high-water mark
        while not stop.wait(0.05):
            peak[0] = max(peak[0], _rss_mb())

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    wall, cpu = time.perf_counter(), time.process_time()
    fn(a, path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stop.set()
    watcher.join()
    return {"leg": name, "n": n, "wall_s": wall, "cpu_s": cpu, "bytes": os.path.getsize(path),
            "rss_before_mb": before, "rss_peak_mb": max(peak[0], _rss_mb())}


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_child(name: str, n: int, out: Path) -> dict:
    """``leg`` in a child process: its result plus the child's peak RSS and whole CPU (os.wait4)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                       os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.report_batch", "--leg", name, str(n), "--out", str(out)],
                            stdout=subprocess.PIPE, env=env)
    data = proc.stdout.read()  # type: ignore[union-attr]  # stdout=PIPE
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{name} {n}: child failed ({proc.returncode})")
    r = json.loads(data.decode().strip().splitlines()[-1])
    return r | {"peak_rss_mb": usage.ru_maxrss / 1024, "child_cpu_s": usage.ru_utime + usage.ru_stime}


def _line(r: dict) -> str:
    n = r["n"]
    return (f"{r['leg']:9s} {n:>6,} parcels: leg wall {r['wall_s']:.1f} s, leg CPU {r['cpu_s']:.1f} s "
            f"({r['cpu_s'] / n * 1000:.1f} ms/parcel), RSS during the leg {r['rss_before_mb']:.0f} → peak "
            f"{r['rss_peak_mb']:.0f} MB (process peak {r['peak_rss_mb']:.0f} MB), "
            f"{r['bytes'] / 1024 / n:.1f} KB/parcel, child CPU {r['child_cpu_s']:.1f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=300, help="parcels timed for both approaches")
    ap.add_argument("--also", type=int, nargs="*", default=[], help="more sizes for this application alone")
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    ap.add_argument("--leg", choices=("reference", "ours"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.leg:
        print(json.dumps(leg(args.leg, args.n, args.out)))
        return 0
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    same = {name: run_child(name, args.n, args.out) for name in ("reference", "ours")}
    for r in same.values():
        print(_line(r))
    ref, our = same["reference"], same["ours"]
    print(f"throughput ratio ours / reference on the same {args.n:,} parcels: CPU {ref['cpu_s'] / our['cpu_s']:.1f}×, "
          f"wall {ref['wall_s'] / our['wall_s']:.1f}×")
    for n in args.also:
        print(_line(run_child("ours", n, args.out)), flush=True)
    print(f"load average at end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
