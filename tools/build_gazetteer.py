#!/usr/bin/env python3
"""Build the bundled gazetteer ``resources/gazetteer/wenzhou_places.json``.

Input, all in the repository (a clean clone rebuilds the same file):

- ``tools/data/gazetteer/places.csv`` and ``sources.csv``: named places with their WGS84
  position (read as CGCS2000 geographic, EPSG:4490), accuracy, confidence and source;
- the bundled grade map ``resources/zonesets/wenzhou-urban-2024/zones.gpkg``: its
  ``reference_lines`` (the named roads, rivers and bridges the grade lines follow) and
  ``districts`` layers (EPSG:4549).

Output: one JSON file, coordinates in EPSG:4549 metres rounded to 1 cm, entries in a fixed
order, no build time: re-running gives the same bytes.

    python tools/build_gazetteer.py [--output FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import pyogrio
import shapely
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO / "tools" / "data" / "gazetteer"
ZONESET = REPO / "resources" / "zonesets" / "wenzhou-urban-2024" / "zones.gpkg"
DEFAULT_OUTPUT = REPO / "resources" / "gazetteer" / "wenzhou_places.json"
TARGET_CRS = "EPSG:4549"
MIN_EXTENT_M = 200.0      # a point place zooms to at least this much around it

# A named line's accuracy follows the grade map's own statement: roads ±30 m, canals ±60 m,
# the approximated 瓯江 bank ±100 m, the 香源路 stand-in for the unlocated 华光路 ±500 m.
LINE_ACCURACY = (("香源路", 500), ("华光路", 500), ("瓯江", 100), ("河", 60))
# Other names a user may type for a line (the notice's and the common names).
LINE_ALIASES = {"汇昌河（会昌河）": ["会昌河", "汇昌河"], "汇昌河": ["会昌河"], "瓯越大桥": ["瓯越大桥南引桥"],
                "学院东路": ["学院路", "学院西路"], "惠民路南段": ["惠民路"], "江滨西路": ["江滨路"],
                "江滨东路": ["江滨路"], "过境公路": ["104国道"],
                "香源路（代华光路）": ["香源路", "华光路"], "瓯江南岸（近似）": ["瓯江", "瓯江南岸"]}
LINE_NOTES = {"香源路（代华光路）": "通知中的华光路在公开资料中未找到，等级图以香源路代替；此角的等级以官方等级图为准。"}


def _r(v: float) -> float:
    return round(float(v), 2)


def line_kind(name: str) -> str:
    if name.endswith("桥"):
        return "bridge"
    if "河" in name or "江" in name and "江滨" not in name:
        return "river"
    return "road"


def line_accuracy(name: str) -> int:
    for word, metres in LINE_ACCURACY:
        if word in name:
            return metres
    return 30


def place_entries(facts: Path, to_plane: Transformer) -> list[dict]:
    out = []
    with open(facts / "places.csv", encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), start=2):
            try:
                lon, lat = float(row["lon"]), float(row["lat"])
                acc = int(row["accuracy_m"])
            except ValueError as exc:
                raise ValueError(f"places.csv line {i} ({row.get('name')}): {exc}") from None
            x, y = to_plane.transform(lon, lat)
            half = max(acc, MIN_EXTENT_M / 2)
            out.append({"name": row["name"], "aliases": [a for a in row["aliases"].split(";") if a],
                        "kind": row["kind"], "x": _r(x), "y": _r(y),
                        "bounds": [_r(x - half), _r(y - half), _r(x + half), _r(y + half)],
                        "accuracy_m": acc, "confidence": row["confidence"], "source": row["source"],
                        "note": row["note"]})
    return out


def line_entries(gpkg: Path) -> list[dict]:
    """One entry per named line; lines with the same label (the two 香源路 pieces) merge."""
    df = pyogrio.read_dataframe(gpkg, layer="reference_lines")
    by_label: dict[str, list] = {}
    conf: dict[str, str] = {}
    for label, geom, c in zip(df["label"], df.geometry, df["confidence"]):
        by_label.setdefault(label, []).append(geom)
        conf.setdefault(label, c)
    out = []
    for label, geoms in by_label.items():
        merged = shapely.union_all(geoms)
        point = shapely.line_interpolate_point(shapely.line_merge(merged), 0.5, normalized=True) \
            if merged.geom_type == "LineString" else merged.representative_point()
        if point.is_empty:
            point = merged.representative_point()
        x0, y0, x1, y1 = merged.bounds
        out.append({"name": label, "aliases": LINE_ALIASES.get(label, []), "kind": line_kind(label),
                    "x": _r(point.x), "y": _r(point.y), "bounds": [_r(x0), _r(y0), _r(x1), _r(y1)],
                    "accuracy_m": line_accuracy(label), "confidence": conf[label], "source": "zoneset",
                    "note": LINE_NOTES.get(label, "等级界线所沿的一段（内置等级图的参考线），不是整条道路或河道。")})
    return out


def district_entries(gpkg: Path) -> list[dict]:
    df = pyogrio.read_dataframe(gpkg, layer="districts")
    out = []
    for name, adcode, geom in zip(df["name"], df["adcode"], df.geometry):
        p = geom.representative_point()
        x0, y0, x1, y1 = geom.bounds
        out.append({"name": name, "aliases": [name[:-1]] if name.endswith("区") else [], "kind": "district",
                    "x": _r(p.x), "y": _r(p.y), "bounds": [_r(x0), _r(y0), _r(x1), _r(y1)], "accuracy_m": 300,
                    "confidence": "high", "source": "districts", "note": f"行政区划代码 {int(adcode)}"})
    return out


def sources(facts: Path) -> dict:
    with open(facts / "sources.csv", encoding="utf-8", newline="") as f:
        return {row["key"]: {"zh": row["source_zh"], "en": row["source_en"]} for row in csv.DictReader(f)}


def build(output: Path, facts: Path = FACTS, gpkg: Path = ZONESET) -> dict:
    to_plane = Transformer.from_crs("EPSG:4490", TARGET_CRS, always_xy=True)
    src = sources(facts)
    entries = district_entries(gpkg) + line_entries(gpkg) + place_entries(facts, to_plane)
    unknown = sorted({e["source"] for e in entries} - set(src))
    if unknown:
        raise ValueError(f"places.csv names unknown sources: {', '.join(unknown)}")
    doc = {"name": "温州市区地名（内置）", "crs": TARGET_CRS,
           "accuracy": {"zh": "用于在地图上找位置，不用于量算：道路与路口约±30 m，河道约±60 m，"
                              "由店铺地址得到的地名约±50–200 m，推断的地点约±300 m；行政区界已概化。",
                        "en": "For finding a place on the map, not for measuring: roads and junctions about "
                              "±30 m, canals ±60 m, places from shop addresses ±50–200 m, inferred places "
                              "±300 m; district outlines are generalised."},
           "sources": src, "entries": entries}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"entries": len(entries), "output": str(output)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = ap.parse_args(argv)
    print(json.dumps(build(args.output), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
