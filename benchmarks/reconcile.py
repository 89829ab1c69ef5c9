"""税源比对 benchmark: the product against a plain pandas merge + geopandas overlay, in one run.

    python -m benchmarks.reconcile --n 100000 --rows 150000 --repeats 3 [--format xlsx|csv]

- the cadastre: the batch benchmark's synthetic city of N parcels (benchmarks.synthetic_city)
  with a 不动产单元号 on 60 % of them (the rest are found by 宗地号);
- the registry: 税源明细 rows made from the true split (one row per parcel and grade), then
  disturbed as a real registry is: 8 % of parcels unregistered, 3 % with a wrong area, 2 %
  with the area on the wrong grade, 2 % with a wrong rate, 1 % registered twice, some keys
  typed with spaces / lower case / full-width digits, and registry keys without a parcel
  until there are ``--rows`` rows;
- product: ``python -m zones reconcile CITY --registry REG --out OUT.csv --year 2024`` as a
  child process, the whole process (start-up, reading both files, split, match, write);
- competitor: a child process doing the same matching the obvious way — ``read_file`` +
  ``read_excel``/``read_csv``, ``geopandas.overlay(parcels, zones, how="intersection")``,
  area per parcel and grade, keys normalised with pandas string methods, ``merge`` on
  不动产单元号 then on 宗地号, a pivot per grade, statuses and money with pandas — also the
  whole process, writing the same kind of CSV.

Both outputs are compared (status per parcel) so the two really do the same work.
Prints a JSON summary and a Markdown row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.batch import ROOT, city, measure

COMPETITOR = r'''
import sys, time, unicodedata
import numpy as np, pandas as pd, geopandas as gpd
from decimal import Decimal
parcels_path, registry_path, out_path = sys.argv[1:4]
parcels = gpd.read_file(parcels_path)
zones = gpd.read_file(sys.argv[4], layer="grades")[["grade", "geometry"]]
reg = pd.read_excel(registry_path, dtype=str) if registry_path.endswith(".xlsx") else pd.read_csv(registry_path, dtype=str)
rates = {1: 15.0, 2: 10.0, 3: 5.0}
def norm(s):
    return s.fillna("").astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.upper()
pieces = gpd.overlay(parcels[["parcel_id", "不动产单元号", "geometry"]], zones, how="intersection", keep_geom_type=True)
pieces["area"] = pieces.geometry.area
split = pieces.groupby(["parcel_id", "grade"])["area"].sum().round(2).unstack(fill_value=0.0)
split = split.reindex(parcels["parcel_id"], fill_value=0.0)
reg["unit_key"] = norm(reg["不动产单元号"]); reg["parcel_key"] = norm(reg["宗地号"])
reg["grade"] = reg["土地等级"].map({"一级": 1, "二级": 2, "三级": 3}).fillna(pd.to_numeric(reg["土地等级"], errors="coerce"))
reg["area"] = pd.to_numeric(reg["占用土地面积"].str.replace(",", ""), errors="coerce")
reg["rate"] = pd.to_numeric(reg["税额标准"], errors="coerce")
keys = pd.DataFrame({"parcel_id": parcels["parcel_id"], "unit_key": norm(parcels["不动产单元号"]), "parcel_key": norm(parcels["parcel_id"])})
by_unit = reg[reg.unit_key != ""].merge(keys[keys.unit_key != ""][["unit_key", "parcel_id"]].drop_duplicates("unit_key"), on="unit_key", how="left")
rest = pd.concat([reg[reg.unit_key == ""], by_unit[by_unit.parcel_id.isna()].drop(columns="parcel_id")])
by_parcel = rest.merge(keys[["parcel_key", "parcel_id"]], on="parcel_key", how="left")
m = pd.concat([by_unit[by_unit.parcel_id.notna()], by_parcel])
hit = m[m.parcel_id.notna()]
reg_split = hit.pivot_table(index="parcel_id", columns="grade", values="area", aggfunc="sum", fill_value=0.0)
reg_split = reg_split.reindex(index=parcels["parcel_id"], columns=split.columns, fill_value=0.0)
count = hit.groupby("parcel_id").size().reindex(parcels["parcel_id"], fill_value=0)
dup = hit.duplicated(["parcel_id", "grade"], keep=False).groupby(hit["parcel_id"]).any().reindex(parcels["parcel_id"], fill_value=False)
hit_rate = hit["grade"].map(rates)
rate_bad = (hit["rate"] != hit_rate).groupby(hit["parcel_id"]).any().reindex(parcels["parcel_id"], fill_value=False)
tax_map = sum((split[g].apply(lambda a: Decimal(str(a))) * Decimal(str(rates[g]))) for g in split.columns)
hit_tax = hit.apply(lambda r: Decimal(str(r["area"])) * Decimal(str(r["rate"])), axis=1)
tax_reg = hit_tax.groupby(hit["parcel_id"]).sum().reindex(parcels["parcel_id"], fill_value=Decimal(0))
tot_map, tot_reg = split.sum(axis=1), reg_split.sum(axis=1)
area_bad = (count > 0) & ((tot_map - tot_reg).abs() > 1)
grade_bad = (count > 0) & ~area_bad & ((split - reg_split).abs() > 1).any(axis=1)
status = []
for c, t, a, g, r, d in zip(count.values, tot_map.values, area_bad.values, grade_bad.values, rate_bad.values, dup.values):
    s = []
    if c == 0: s.append("unregistered" if t > 0 else "not_taxable")
    if g: s.append("grade_mismatch")
    if a: s.append("area_mismatch")
    if r: s.append("rate_mismatch")
    if d: s.append("duplicate_registry")
    if c and not s: s = ["matched"]
    status.append(";".join(s))
out = pd.DataFrame({"parcel_id": parcels["parcel_id"], "status": status, "area_map_m2": tot_map.values,
                    "area_registered_m2": tot_reg.values, "tax_map_year": tax_map.values, "tax_registered_year": tax_reg.values})
orphans = m[m.parcel_id.isna()]
out = pd.concat([out, pd.DataFrame({"parcel_id": "", "status": "not_in_cadastre",
                 "unit_key": orphans.drop_duplicates(["unit_key", "parcel_key"])["unit_key"]})])
out.to_csv(out_path, index=False, encoding="utf-8-sig")
'''


def cadastre(n: int, folder: Path) -> Path:
    """The synthetic city with a 不动产单元号 on 60 % of its parcels."""
    import geopandas as gpd
    import numpy as np

    path = folder / f"cadastre{n}.gpkg"
    if path.exists():
        return path
    gdf = gpd.read_file(city(n, folder))
    rng = np.random.default_rng(5)
    seq = np.char.zfill(np.arange(1, len(gdf) + 1).astype(str), 5)
    units = np.char.add(np.char.add("330302001001GB", seq), "W00000000")
    gdf["不动产单元号"] = np.where(rng.uniform(size=len(gdf)) < 0.6, units, "")
    gdf.to_file(path, layer="parcels", driver="GPKG")
    return path


def registry(cad: Path, rows: int, fmt: str, folder: Path) -> Path:
    """The disturbed 税源明细 registry (see the module docstring), written as the form."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from zones.assess import assess
    from zones.periods import TaxPeriod
    from zones.zoneset import load_zoneset

    path = folder / f"registry{rows}.{fmt}"
    if path.exists():
        return path
    gdf = gpd.read_file(cad)
    zs = load_zoneset("wenzhou-urban-2024")
    a = assess(gdf, zs, TaxPeriod(2024), ids=list(gdf["parcel_id"]), check_overlaps=False)
    rng = np.random.default_rng(11)
    n = len(gdf)
    fate = rng.uniform(size=n)
    out = []
    labels = {1: "一级", 2: "二级", 3: "三级"}
    for j, g in enumerate(a.split.grades):
        areas = np.round(a.split.by_grade[:, j], 2)
        has = areas >= 0.01
        idx = np.flatnonzero(has & (fate >= 0.08))                     # 8 % unregistered
        area = areas[idx].copy()
        wrong_area = (fate[idx] >= 0.08) & (fate[idx] < 0.11)
        area[wrong_area] *= 1.1
        grade = np.full(len(idx), g)
        swap = (fate[idx] >= 0.11) & (fate[idx] < 0.13)
        grade[swap] = np.where(g == 1, 2, 1)
        rate = np.array([float(zs.rates[x]) for x in grade])
        rate[(fate[idx] >= 0.13) & (fate[idx] < 0.15)] += 1
        out.append(pd.DataFrame({"i": idx, "grade": grade, "area": area, "rate": rate}))
    reg = pd.concat(out).sort_values(["i", "grade"], kind="stable")
    dup = reg[(fate[reg["i"]] >= 0.15) & (fate[reg["i"]] < 0.16)]
    reg = pd.concat([reg, dup]).sort_values(["i", "grade"], kind="stable")
    units = gdf["不动产单元号"].to_numpy()[reg["i"]]
    pids = gdf["parcel_id"].to_numpy()[reg["i"]].astype(object)
    messy = rng.uniform(size=len(reg)) < 0.05
    pids[messy] = [p[:6] + " " + p[6:].lower() for p in pids[messy]]
    frame = pd.DataFrame({"不动产单元号": units, "宗地号": pids, "土地等级": [labels[g] for g in reg["grade"]],
                          "税额标准": reg["rate"].to_numpy(), "占用土地面积": reg["area"].round(2).to_numpy()})
    extra = rows - len(frame)
    if extra > 0:
        ghost = pd.DataFrame({"不动产单元号": [f"330303002002GB{k:05d}W00000000" for k in range(extra)], "宗地号": "",
                              "土地等级": rng.choice(["一级", "二级", "三级"], extra), "税额标准": 10.0,
                              "占用土地面积": np.round(rng.uniform(100, 5000, extra), 2)})
        frame = pd.concat([frame, ghost], ignore_index=True)
    frame.insert(0, "纳税人名称", [f"纳税人{k % 40000}" for k in range(len(frame))])
    if fmt == "xlsx":
        frame.to_excel(path, sheet_name="税源明细", index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--rows", type=int, default=150_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--competitor-repeats", type=int, default=1)
    ap.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "bench"))
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    cad = cadastre(args.n, folder)
    reg = registry(cad, args.rows, args.format, folder)
    out = folder / "reconcile_out.csv"
    cmd = [sys.executable, "-m", "zones", "reconcile", str(cad), "--registry", str(reg), "--out", str(out),
           "--year", "2024", "--quiet"]
    runs = [measure(cmd) for _ in range(args.repeats)]
    zones = ROOT / "resources" / "zonesets" / "wenzhou-urban-2024" / "zones.gpkg"
    script = folder / "reconcile_competitor.py"
    script.write_text(COMPETITOR, encoding="utf-8")
    comp_out = folder / "reconcile_competitor.csv"
    comp = [measure([sys.executable, str(script), str(cad), str(reg), str(comp_out), str(zones)])
            for _ in range(args.competitor_repeats)]
    agree = compare(out, comp_out)
    wall = statistics.median(r["wall"] for r in runs)
    cwall = statistics.median(r["wall"] for r in comp)
    cpu = statistics.median(r["cpu"] for r in runs)
    ccpu = statistics.median(r["cpu"] for r in comp)
    load = os.getloadavg()[0]
    summary = {"n": args.n, "rows": args.rows, "format": args.format, "load_1min_after": round(load, 1),
               "product_wall_s": [round(r["wall"], 2) for r in runs], "product_cpu_s": [round(r["cpu"], 2) for r in runs],
               "product_rss_mb": round(max(r["rss_mb"] for r in runs)),
               "competitor_wall_s": [round(r["wall"], 2) for r in comp], "competitor_cpu_s": [round(r["cpu"], 2) for r in comp],
               "competitor_rss_mb": round(max(r["rss_mb"] for r in comp)), "ratio_wall": round(cwall / wall, 2),
               "ratio_cpu": round(ccpu / cpu, 2), **agree}
    print(json.dumps(summary, ensure_ascii=False))
    print(f"| {args.n:,} × {args.rows:,} ({args.format}) | **{wall:.2f} s** wall, {cpu:.2f} s CPU ({len(runs)} runs) "
          f"| {summary['product_rss_mb']} MB | {cwall:.2f} s wall, {ccpu:.2f} s CPU ({len(comp)} run{'s' if len(comp) > 1 else ''}) "
          f"| {summary['competitor_rss_mb']} MB | **{cwall / wall:.1f}×** wall, **{ccpu / cpu:.1f}×** CPU "
          f"| {agree['same_status']:,} of {agree['parcels']:,} | {load:.1f} |")
    return 0


def compare(ours: Path, theirs: Path) -> dict:
    """How many parcels the two give the same status (the competitor knows no 宗地号 fallback subtleties)."""
    import pandas as pd

    a = pd.read_csv(ours, usecols=["parcel_id", "status"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    b = pd.read_csv(theirs, usecols=["parcel_id", "status"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    a, b = a[a.parcel_id != ""], b[b.parcel_id != ""]
    m = a.merge(b, on="parcel_id", suffixes=("", "_c"))
    return {"parcels": len(a), "same_status": int((m.status == m.status_c).sum()),
            "status_counts": a["status"].value_counts().to_dict()}


if __name__ == "__main__":
    sys.exit(main())
