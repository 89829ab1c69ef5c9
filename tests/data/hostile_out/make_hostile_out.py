"""Inputs of the hostile-output corpus (manifest.json beside this script), generated into a
folder because they are shapefiles/GeoPackages built from the synthetic city of
tests/synthetic.py: ``python tests/data/hostile_out/make_hostile_out.py OUT_DIR``.

Every input kind is named in the manifest's ``input`` field; ``build(kind, folder)``
writes it and returns the path to give to ``assess``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))          # tests/ (synthetic.py)

import geopandas as gpd  # noqa: E402
from synthetic import CRS, box, city  # noqa: E402

FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "＝HYPERLINK(\"x\")", "＋1", "－1", "＠A1"]


def _boxes(n: int, dx: float = 0, dy: float = 0):
    """n parcels of 50 × 50 m spread over the three grades of the synthetic city."""
    out = []
    for k in range(n):
        x, y = 100 + (k * 130) % 1700, 100 + ((k * 130) // 1700) * 130 % 1700
        out.append(box(x + dx, y + dy, x + 50 + dx, y + 50 + dy))
    return out


def zones(folder: Path) -> Path:
    path = folder / "zones.gpkg"
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        city().grades.to_file(path, layer="grades")
    return path


def _shp(folder: Path, name: str, gdf: gpd.GeoDataFrame) -> Path:
    d = folder / name
    d.mkdir(parents=True, exist_ok=True)
    gdf.to_file(d / "parcels.shp", encoding="utf-8")
    return d / "parcels.shp"


def build(kind: str, folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    zones(folder)
    if kind == "plain":
        g = gpd.GeoDataFrame({"宗地号": ["P-1", "P-2", "P-3"], "权利人": ["甲", "乙", "丙"]}, geometry=_boxes(3), crs=CRS)
        return _shp(folder, "plain", g)
    if kind == "plain_csv_input":          # a results-like CSV is not an input format: a GeoPackage
        g = gpd.GeoDataFrame({"宗地号": ["P-1", "P-2"]}, geometry=_boxes(2), crs=CRS)
        g.to_file(folder / "plain.gpkg", layer="parcels")
        return folder / "plain.gpkg"
    if kind == "pieces_input":             # p_pieces.shp as input: --out p.shp would write over it
        g = gpd.GeoDataFrame({"宗地号": ["P-1", "P-2"]}, geometry=_boxes(2), crs=CRS)
        d = folder / "pieces_input"
        d.mkdir(exist_ok=True)
        g.to_file(d / "p_pieces.shp", encoding="utf-8")
        return d / "p_pieces.shp"
    if kind == "formula":
        n = len(FORMULAS)
        g = gpd.GeoDataFrame({"宗地号": FORMULAS, "权利人": FORMULAS[::-1], "土地坐落": ["=A1"] * n,
                              "纳税人名称": FORMULAS, "证载面积": [2500.0] * n}, geometry=_boxes(n), crs=CRS)
        g.to_file(folder / "formula.gpkg", layer="parcels")
        return folder / "formula.gpkg"
    if kind == "formula_header":           # a field name that is a formula
        g = gpd.GeoDataFrame({"宗地号": ["F-1"], "=cmd": ["x"]}, geometry=_boxes(1), crs=CRS)
        g.to_file(folder / "formula_header.gpkg", layer="parcels")
        return folder / "formula_header.gpkg"
    if kind == "control":                  # vertical tab (Word), form feed, bell, escape, NUL-free
        texts = ["张\x0b三", "李\x0c四", "王\x07五", "赵\x1b[31m六"]
        g = gpd.GeoDataFrame({"宗地号": ["C-1", "C-2", "C-3", "C-4"], "权利人": texts, "纳税人名称": texts},
                             geometry=_boxes(4), crs=CRS)
        g.to_file(folder / "control.gpkg", layer="parcels")
        return folder / "control.gpkg"
    if kind == "escape_id":                # an id with a terminal escape, a bad declared area
        g = gpd.GeoDataFrame({"宗地号": ["\x1b[2J\x1b[31mE-1", "E-2"], "证载面积": ["abc", "100"]},
                             geometry=_boxes(2), crs=CRS)
        g.to_file(folder / "escape_id.gpkg", layer="parcels")
        return folder / "escape_id.gpkg"
    if kind == "long_text":                # 权利人 of 300 Chinese characters (900 UTF-8 bytes)
        g = gpd.GeoDataFrame({"宗地号": ["L-1", "L-2"], "权利人": ["王" * 300, "短"]}, geometry=_boxes(2), crs=CRS)
        g.to_file(folder / "long_text.gpkg", layer="parcels")
        return folder / "long_text.gpkg"
    if kind == "many_bad":                 # 300 parcels each with an unreadable declared area
        n = 300
        g = gpd.GeoDataFrame({"宗地号": [f"M-{k}" for k in range(n)], "证载面积": ["n/a"] * n},
                             geometry=_boxes(n), crs=CRS)
        g.to_file(folder / "many_bad.gpkg", layer="parcels")
        return folder / "many_bad.gpkg"
    if kind == "far_all":                  # stated EPSG:4549 but 300 km east: a wrong CRS
        g = gpd.GeoDataFrame({"宗地号": ["W-1", "W-2", "W-3"]}, geometry=_boxes(3, dx=300_000), crs=CRS)
        g.to_file(folder / "far_all.gpkg", layer="parcels")
        return folder / "far_all.gpkg"
    if kind == "far_most":                 # 3 of 4 far away
        geoms = _boxes(1) + _boxes(3, dy=-400_000)
        g = gpd.GeoDataFrame({"宗地号": ["N-1", "W-1", "W-2", "W-3"]}, geometry=geoms, crs=CRS)
        g.to_file(folder / "far_most.gpkg", layer="parcels")
        return folder / "far_most.gpkg"
    if kind == "far_one":                  # 1 of 4 far away: assessed, flagged far_from_zones
        geoms = _boxes(3) + _boxes(1, dy=-400_000)
        g = gpd.GeoDataFrame({"宗地号": ["N-1", "N-2", "N-3", "W-1"]}, geometry=geoms, crs=CRS)
        g.to_file(folder / "far_one.gpkg", layer="parcels")
        return folder / "far_one.gpkg"
    if kind == "dash_name":                # a file name starting with '-'
        g = gpd.GeoDataFrame({"宗地号": ["D-1"]}, geometry=_boxes(1), crs=CRS)
        g.to_file(folder / "-parcels.gpkg", layer="parcels")
        return folder / "-parcels.gpkg"
    if kind == "long_fields":              # Chinese field names cut for the DBF: a library warning
        g = gpd.GeoDataFrame({"宗地号": ["F-1"], "纳税人名称全称": ["甲公司"], "土地使用权人识别号": ["913303"]},
                             geometry=_boxes(1), crs=CRS)
        g.to_file(folder / "long_fields.gpkg", layer="parcels")
        return folder / "long_fields.gpkg"
    raise ValueError(f"unknown input kind {kind!r}")


if __name__ == "__main__":
    import json

    out = Path(sys.argv[1])
    for case in json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))["cases"]:
        print(build(case["input"], out))
