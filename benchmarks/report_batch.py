"""Batch report PDF: this application's renderer against a plain reference, on the same parcels.

The reference is what a first attempt would do: one matplotlib figure per parcel (the parcel
over the grade zones, a table of its grade rows) saved into one ``PdfPages`` file. Both run in
this process, one after the other, on the same assessed parcels of the synthetic city; the
script prints wall time, CPU time, peak memory growth (tracemalloc) and size per parcel, and
the ratio.

    python -m benchmarks.report_batch [N] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
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


def measure(fn, *args) -> dict:
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    out = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
           "peak_mb": tracemalloc.get_traced_memory()[1] / 2**20}
    tracemalloc.stop()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=100)
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    args = ap.parse_args(argv)
    from benchmarks.synthetic_city import generate
    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.zoneset import load_zoneset

    parcels = generate(max(args.n, 1000)).iloc[:args.n]   # the generator needs a city of some size
    a = assess(parcels, load_zoneset("wenzhou-urban-2024"), TaxPeriod(2024), keep_pieces=True)
    a.pieces()
    for i in range(len(a)):
        a.parcel(i)               # the assessment itself is not what is timed
    results = {}
    for name, fn in (("reference", reference), ("ours", ours)):
        path = args.out / f"report_batch_{name}.pdf"
        results[name] = measure(fn, a, path) | {"kb_per_parcel": os.path.getsize(path) / 1024 / len(a)}
        r = results[name]
        print(f"{name:9s} {len(a)} parcels: wall {r['wall_s']:.1f} s, CPU {r['cpu_s']:.1f} s "
              f"({r['cpu_s'] / len(a) * 1000:.0f} ms/parcel), peak +{r['peak_mb']:.0f} MB (Python heap), "
              f"{r['kb_per_parcel']:.0f} KB/parcel")
    print(f"throughput ratio ours / reference (CPU): {results['reference']['cpu_s'] / results['ours']['cpu_s']:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
