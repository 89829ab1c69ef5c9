"""Batch report PDF: this application's renderer against matplotlib references, on the same parcels.

Two references, each one matplotlib figure per parcel saved into one ``PdfPages`` file:

- ``reference`` (the fair one) draws what our 计算单 holds: the map excerpt (zones, the parcel's
  grade pieces coloured and hatched, outline, boundary-point numbers), the particulars, the basis,
  the grade-row table with its 合计, the totals with the 大写, the signature lines and the
  boundary-point table in three column blocks, continued on further figures (header repeated)
  when longer than a page holds, all set in the bundled CJK font;
- ``light`` (the first reference, kept for comparison) draws far less: the zones and outline and a
  five-column table of the grade rows.

Each approach runs in its own child process on the same assessed parcels of the synthetic city;
the script prints for each the wall and CPU time of the writing alone, the child's peak RSS
(os.wait4) and the size per parcel, the ratios, and the load average (other jobs on the machine
distort wall time). ``--also`` times this application alone on more parcels.

    python -m benchmarks.report_batch [N] [--no-accel] [--also 1000 10000] [--out DIR]
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


def light_reference(assessment, path) -> None:
    """One matplotlib figure per parcel into one PdfPages file: zones, outline, the grade rows."""
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


POINT_ROWS = 45     # rows of the point table a figure holds (three blocks: 135 points)


def reference(assessment, path) -> None:
    """The fair reference: for each parcel an A4 figure with the same information as our 计算单
    (see the module doc), laid out with matplotlib text and table artists, into one PdfPages file."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    from zones.fonts import matplotlib_cjk_family

    matplotlib_cjk_family()
    pieces = assessment.pieces()
    rows_of = pieces.groupby("parcel_index").indices
    with PdfPages(path) as pdf:
        for i in range(len(assessment)):
            for fig in _reference_figures(assessment, i, pieces.iloc[rows_of.get(i, [])]):
                pdf.savefig(fig)


def _reference_figures(a, i, pieces):
    """The figures (pages) of parcel ``i``: the 计算单, then the rest of a long point table."""
    import shapely
    from matplotlib.figure import Figure

    from zones.map_style import GRADE_STYLE, OTHER_GRADE
    from zones.money import capitals, fmt_yuan
    from zones.report.content import (area_method_text, boundary_rings, liable_text, period_text, report_number,
                                      warnings)

    r, zs = a.parcel(i), a.zoneset
    number = report_number(a, i)
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.5, 0.965, "城镇土地使用税计税面积及税额计算单", ha="center", size=13.5)
    fig.text(0.5, 0.948, f"报告编号：{number}", ha="center", size=9)
    # 一、纳税人及宗地 (left) beside 三、the map (right)
    fig.text(0.08, 0.928, "一、纳税人及宗地", size=9)
    info = fig.add_axes((0.08, 0.74, 0.48, 0.18))
    info.axis("off")
    declared = "未提供" if r.declared_area_m2 is None else f"{r.declared_area_m2:,.2f}"
    _table(info, [["纳税人名称", "—"], ["纳税人类型", "土地使用权人"], ["统一社会信用代码", "—"], ["宗地号", r.parcel_id],
                  ["不动产单元号", "—"], ["不动产权证号", "—"], ["土地用途", "—"], ["土地坐落", "—"],
                  ["证载面积（m²）", declared], ["图上量算面积（m²）", f"{r.map_area_m2:,.2f}"],
                  ["计税面积（m²）", f"{r.taxable_area_m2:,.2f}"]], None, 8, colWidths=[0.35, 0.65], cellLoc="left")
    fig.text(0.60, 0.928, "三、宗地位置及土地等级分布图", size=9)
    ax = fig.add_axes((0.60, 0.74, 0.32, 0.18))
    g = a.geoms[i]
    x0, y0, x1, y1 = g.buffer(50).bounds
    near = zs.grades.cx[x0:x1, y0:y1]
    for geom, grade in zip(near.geometry, near["grade"]):
        for part in shapely.get_parts(shapely.clip_by_rect(geom, x0, y0, x1, y1)):
            if part.geom_type == "Polygon":
                ax.fill(*part.exterior.xy, color=GRADE_STYLE.get(int(grade), OTHER_GRADE)[0], alpha=0.22)
    for grade, piece in zip(pieces["grade"], pieces.geometry):
        fill, hatch, _ = GRADE_STYLE.get(int(grade), OTHER_GRADE) if grade == grade else ("#ffffff", "||", "")
        for part in shapely.get_parts(piece):
            if part.geom_type == "Polygon":
                ax.fill(*part.exterior.xy, facecolor=fill, hatch=hatch, edgecolor="black", linewidth=0.3, alpha=0.85)
    for part in shapely.get_parts(g):
        ax.plot(*part.exterior.xy, color="black", linewidth=1.3)
    rings = boundary_rings(g)
    for ring in rings:
        for p in ring.points[::max(1, len(ring.points) // 40)]:
            ax.text(p.y_east, p.x_north, p.label, size=5.5, ha="center")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=5)
    ax.ticklabel_format(useOffset=False, style="plain")
    # 二、计税依据
    fig.text(0.08, 0.715, "二、计税依据", size=9)
    rates = "；".join(f"{zs.grade_label(k)} {zs.rates[k]} 元/m²·年" for k in zs.grade_list)
    basis = [f"土地等级图：{zs.name}（{zs.id}，版本 {zs.version}）", f"税额标准：{rates}",
             f"税款所属期：{period_text(a.period)}", f"应税月份：{liable_text(r)}"]
    for k, line in enumerate(basis):
        fig.text(0.09, 0.698 - k * 0.014, line, size=8)
    # 四、税额计算: the grade rows and 合计, the totals and the 大写
    fig.text(0.08, 0.635, "四、税额计算", size=9)
    t = fig.add_axes((0.08, 0.52, 0.84, 0.11))
    t.axis("off")
    rows = [[row.grade_label, f"{row.area_m2:,.2f}", f"{row.share * 100:.2f}%", str(row.rate), fmt_yuan(row.annual),
             str(row.months), fmt_yuan(row.gross)] for row in r.rows]
    rows.append(["合计", f"{r.taxable_area_m2:,.2f}", "", "", "", str(r.liable.count), fmt_yuan(r.gross)])
    _table(t, rows, ["土地等级", "计税面积（m²）", "占比", "税额标准", "年应纳税额（元）", "应税月数", "本期应纳税额（元）"], 8)
    totals = [f"本期应纳税额 {fmt_yuan(r.gross)}　减免税额 {fmt_yuan(r.relief)}　小规模纳税人减征额 "
              f"{fmt_yuan(r.small_taxpayer_relief)}", f"本期应缴税额（小写，元）{fmt_yuan(r.due)}",
              f"本期应缴税额（大写）{capitals(r.due)}"]
    for k, line in enumerate(totals):
        fig.text(0.09, 0.505 - k * 0.015, line, size=8)
    fig.text(0.08, 0.455, "五、面积量算说明及提示事项", size=9)
    for k, line in enumerate(area_method_text(r, zs.crs, r.declared_area_m2) + ["提示事项：" + ("；".join(warnings(r)) or "无")]):
        fig.text(0.09, 0.44 - k * 0.011, line[:80], size=6.6)
    fig.text(0.08, 0.39, "经办人：________　　　复核人：________　　　日期：________", size=8)
    p = a.provenance
    fig.text(0.08, 0.378, f"报告编号 {number}；等级图 {p.zoneset_id} 版本 {p.zoneset_version}；计税规则版本 {p.rules_version}；"
             f"计算时间 {p.created}（UTC）", size=6.6)
    fig.text(0.08, 0.36, f"附表：界址点坐标表（{zs.crs}，X 为北坐标，Y 为东坐标，边长单位 m）", size=9)
    lines = []
    for ring in rings:
        lines.append([f"{ring.title}（{len(ring.points)} 点）", "", "", ""])
        lines += [[p.label, f"{p.x_north:.3f}", f"{p.y_east:.3f}", f"{p.edge_m:.2f}"] for p in ring.points]
    first = 3 * 20        # the 计算单 page holds 20 rows of three blocks; later pages POINT_ROWS
    yield _point_figure(fig, lines[:first], (0.08, 0.06, 0.84, 0.29))
    for k in range(first, len(lines), 3 * POINT_ROWS):
        more = Figure(figsize=(8.27, 11.69))
        more.text(0.08, 0.95, f"附表（续）：界址点坐标表 {number}", size=9)
        yield _point_figure(more, lines[k:k + 3 * POINT_ROWS], (0.08, 0.06, 0.84, 0.87))


def _point_figure(fig, lines, box):
    """``lines`` (点号, X, Y, 边长) in three column blocks read down each block, header repeated."""
    n = max(1, -(-len(lines) // 3))
    cells = [sum((lines[b * n + k] if b * n + k < len(lines) else ["", "", "", ""] for b in range(3)), [])
             for k in range(n)]
    ax = fig.add_axes(box)
    ax.axis("off")
    _table(ax, cells, ["点号", "X", "Y", "边长"] * 3, 6.8)
    return fig


def _table(ax, cells, labels, size, **kw) -> None:
    """A table artist at a fixed font size (matplotlib would otherwise shrink it to fit)."""
    kw.setdefault("cellLoc", "right")
    t = ax.table(cellText=cells, colLabels=labels, loc="upper center", **kw)
    t.auto_set_font_size(False)
    t.set_fontsize(size)


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
    fn = {"reference": reference, "light": light_reference, "ours": ours, "ours_no_accel": ours}[name]
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
    from reportlab.lib.rl_accel import fp_str

    return {"leg": name, "n": n, "wall_s": wall, "cpu_s": cpu, "bytes": os.path.getsize(path),
            "rl_accel": type(fp_str).__name__ == "builtin_function_or_method",
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
    accel = " (rl-accel in use)" if r["rl_accel"] and r["leg"].startswith("ours") else ""
    return (f"{r['leg'] + accel:9s} {n:>6,} parcels: leg wall {r['wall_s']:.1f} s, leg CPU {r['cpu_s']:.1f} s "
            f"({r['cpu_s'] / n * 1000:.1f} ms/parcel), RSS during the leg {r['rss_before_mb']:.0f} → peak "
            f"{r['rss_peak_mb']:.0f} MB (process peak {r['peak_rss_mb']:.0f} MB), "
            f"{r['bytes'] / 1024 / n:.1f} KB/parcel, child CPU {r['child_cpu_s']:.1f} s")


LEGS = ("reference", "light", "ours")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=300, help="parcels timed for both approaches")
    ap.add_argument("--also", type=int, nargs="*", default=[], help="more sizes for this application alone")
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    ap.add_argument("--no-accel", action="store_true",
                    help="also time this application with reportlab's C accelerator (rl-accel) blocked")
    ap.add_argument("--leg", choices=LEGS + ("ours_no_accel",), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.leg == "ours_no_accel":
        sys.modules["_rl_accel"] = None  # type: ignore[assignment]  # reportlab then uses its Python code
    if args.leg:
        print(json.dumps(leg(args.leg, args.n, args.out)))
        return 0
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    same = {}
    for name in LEGS:
        same[name] = run_child(name, args.n, args.out)
        print(_line(same[name]), flush=True)
    our = same["ours"]
    for name, what in (("reference", "the fair reference (same information)"), ("light", "the light reference")):
        ref = same[name]
        print(f"throughput ratio ours / {what} on the same {args.n:,} parcels: CPU {ref['cpu_s'] / our['cpu_s']:.1f}×, "
              f"wall {ref['wall_s'] / our['wall_s']:.1f}×")
    if args.no_accel:
        slow = run_child("ours_no_accel", args.n, args.out)
        print(_line(slow))
        print(f"rl-accel: CPU {slow['cpu_s'] / our['cpu_s']:.2f}× faster with it")
    for n in args.also:
        print(_line(run_child("ours", n, args.out)), flush=True)
    print(f"load average at end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
