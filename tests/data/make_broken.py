"""Build the corpus of broken parcel files in tests/data/broken/.

Run ``python tests/data/make_broken.py`` to (re)create the files; the tests call
:func:`build` on a temporary folder when a file is missing. ``CASES`` maps each
file to words its import error message must contain (case-insensitive).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

HERE = Path(__file__).parent / "broken"

CASES = {
    "truncated.shp": "cut short",
    "no_shx.shp": ".shx",
    "no_dbf.shp": ".dbf",
    "bad_header.shp": "content is",
    "empty.shp": "empty",
    "no_layer.zip": "no shapefile",
    "not_a_zip.zip": "not a readable .zip",
    "truncated_inside.zip": "cut short",
    "corrupt.gpkg": "damaged",
    "empty.geojson": "empty",
    "empty_fc.geojson": "no features",
    "points_only.geojson": "no usable parcel",
    "broken.kml": "not valid xml",
    "no_outline.dxf": "no closed outline",
    "truncated.dxf": "dxf",
    "not_exchange.txt": "neither a 部标",
    "binary.csv": "binary",
    "drawing.dwg": "dwg",
}


def _shapefile(folder: Path, stem: str) -> Path:
    g = gpd.GeoDataFrame({"宗地号": ["A1", "A2"]},
                         geometry=[shapely.box(564000, 3100000, 564050, 3100040), shapely.box(564100, 3100000, 564150, 3100040)],
                         crs="EPSG:4549")
    shp = folder / f"{stem}.shp"
    g.to_file(shp, encoding="UTF-8")
    return shp


def build(dest: Path = HERE) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        good = _shapefile(Path(tmp), "good")
        for stem, drop in (("truncated", None), ("no_shx", ".shx"), ("no_dbf", ".dbf")):
            for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                if ext != drop:
                    shutil.copy(good.with_suffix(ext), dest / f"{stem}{ext}")
        data = (dest / "truncated.shp").read_bytes()
        (dest / "truncated.shp").write_bytes(data[:130])
        raw = {ext: good.with_suffix(ext).read_bytes() for ext in (".shp", ".shx", ".dbf")}
    (dest / "bad_header.shp").write_text("this is not a shapefile\n", encoding="utf-8")
    (dest / "empty.shp").write_bytes(b"")
    with zipfile.ZipFile(dest / "no_layer.zip", "w") as z:
        z.writestr("说明.txt", "没有图层")
    (dest / "not_a_zip.zip").write_bytes(b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(200)))
    with zipfile.ZipFile(dest / "truncated_inside.zip", "w") as z:
        z.writestr("parcels.shp", raw[".shp"][:130])
        z.writestr("parcels.shx", raw[".shx"])
        z.writestr("parcels.dbf", raw[".dbf"])
    (dest / "corrupt.gpkg").write_bytes(b"SQLite format 3\0" + bytes(rnd.randrange(256) for _ in range(3000)))
    (dest / "empty.geojson").write_bytes(b"")
    (dest / "empty_fc.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    (dest / "points_only.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "界址点"}, "geometry": {"type": "Point", "coordinates": [120.65, 28.01]}}]},
        ensure_ascii=False), encoding="utf-8")
    (dest / "broken.kml").write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>',
                                     encoding="utf-8")
    import ezdxf
    doc = ezdxf.new()
    msp = doc.modelspace()
    msp.add_lwpolyline([(564000, 3100000), (564050, 3100000), (564050, 3100040)])  # open
    msp.add_text("ZD001").set_placement((564010, 3100010))
    doc.saveas(dest / "no_outline.dxf")
    text = (dest / "no_outline.dxf").read_text(encoding="utf-8", errors="replace")
    (dest / "truncated.dxf").write_text(text[: len(text) // 3], encoding="utf-8")
    (dest / "not_exchange.txt").write_text("温州市鹿城区 宗地说明\n这是一段普通的文字，不是坐标报盘文件。\n", encoding="utf-8")
    (dest / "binary.csv").write_bytes(bytes(rnd.randrange(256) for _ in range(512)) + b"\0\0")
    (dest / "drawing.dwg").write_bytes(b"AC1032" + bytes(200))
    return dest


if __name__ == "__main__":
    out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"wrote {len(CASES)} broken files to {out}")
