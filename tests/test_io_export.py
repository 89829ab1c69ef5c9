"""Export of assessed parcels and their per-grade pieces: GeoPackage, Shapefile,
GeoJSON, CSV, XLSX — atomic, never over an input, readable by ogrinfo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _io_helpers import parcels, same_geoms  # noqa: E402

from zones.errors import InputError  # noqa: E402
from zones.io import read_parcels  # noqa: E402
from zones.io.export import shapefile_field_names, write_parcels, write_results  # noqa: E402

OGRINFO = shutil.which("ogrinfo")


def _assessed():
    g = parcels()
    g["纳税人名称"] = g["权利人"]
    g["纳税人识别号"] = ["91330302MA2ABCDE1X", "330302199001011234", None]
    g["年应纳税额"] = [Decimal("34500.00"), Decimal("16791.25"), Decimal("10000.00")]
    pieces = gpd.GeoDataFrame({"宗地号": g["宗地号"], "土地等级": ["一级", "二级", "三级"], "面积": g.area},
                              geometry=g.geometry.values, crs=g.crs)
    return g, pieces


def _ogrinfo(path):
    out = subprocess.run([OGRINFO, "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("ext", [".gpkg", ".shp", ".geojson"])
def test_write_then_read_back(tmp_path, ext):
    g, pieces = _assessed()
    path = tmp_path / f"结果{ext}"
    out = write_parcels(g, path, pieces=pieces)
    assert all(p.exists() for p in out["paths"])
    layer = {"layer": "parcels"} if ext == ".gpkg" else {}
    back = read_parcels(path, **layer)
    ref = g.to_crs(4326) if ext == ".geojson" else g
    assert back.parcels.crs.to_epsg() == (4326 if ext == ".geojson" else 4549)
    assert same_geoms(back.parcels.geometry, ref.geometry)
    fmap = out["field_map"] or {c: c for c in g.columns}
    assert list(back.parcels[fmap["纳税人名称"]]) == list(g["纳税人名称"])
    assert list(back.parcels[fmap["年应纳税额"]]) == pytest.approx([34500.0, 16791.25, 10000.0])
    if ext == ".shp":
        assert (tmp_path / "结果_pieces.shp").exists() and (tmp_path / "结果.prj").exists()
        assert (tmp_path / "结果.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
        fields = pd.read_csv(tmp_path / "结果_fields.csv", encoding="utf-8-sig")
        assert dict(zip(fields["field"], fields["shapefile_field"])) == out["field_map"]
        assert back.encoding_how == "cpg"
    pieces_back = read_parcels(path, layer="pieces") if ext == ".gpkg" else read_parcels(path.with_name(f"结果_pieces{ext}"))
    assert len(pieces_back.parcels) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers
    if OGRINFO:
        info = _ogrinfo(path)
        assert "Feature Count: 3" in info
        if ext == ".shp":
            assert "纳税人" in info  # Chinese field names survive the 10-byte cut and the .cpg is honoured


def test_field_names_fit_the_dbf():
    m = shapefile_field_names(["纳税人名称", "纳税人识别号", "parcel_identifier", "PARCEL_IDENTIFIER_2", "面积"])
    assert all(len(v.encode("utf-8")) <= 10 for v in m.values())
    assert len({v.lower() for v in m.values()}) == 5
    assert m["面积"] == "面积" and m["纳税人名称"] == "纳税人"


def test_refuses_to_overwrite_inputs(tmp_path):
    g, pieces = _assessed()
    src = tmp_path / "in.shp"
    g.to_file(src, encoding="UTF-8")
    before = src.read_bytes()
    with pytest.raises(InputError, match="refusing"):
        write_parcels(g, src, protect=[src])
    with pytest.raises(InputError, match="refusing"):
        write_parcels(g, tmp_path / "in.shp", protect=[src.with_suffix(".dbf")])
    gp = tmp_path / "in.gpkg"
    g.to_file(gp)
    with pytest.raises(InputError, match="refusing"):
        write_results(pd.DataFrame(g.drop(columns="geometry")), gp, provenance={}, parcels=g, protect=[gp])
    assert src.read_bytes() == before


def test_stale_shapefile_parts_are_removed(tmp_path):
    g, _ = _assessed()
    path = tmp_path / "out.shp"
    write_parcels(g, path)
    path.with_suffix(".qix").write_bytes(b"old index")
    write_parcels(g.iloc[:1], path)
    assert not path.with_suffix(".qix").exists()
    assert len(read_parcels(path).parcels) == 1


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".gpkg", ".shp", ".geojson"])
def test_write_results_every_format(tmp_path, ext):
    g, pieces = _assessed()
    table = pd.DataFrame(g.drop(columns="geometry"))
    prov = {"zoneset": "wenzhou-2024", "rules": {"version": "2024.1"}, "输入": "宗地.shp"}
    path = write_results(table, tmp_path / f"r{ext}", provenance=prov, pieces=pieces, parcels=g)
    assert path.exists()
    if ext == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        assert list(pd.read_csv(path, encoding="utf-8-sig")["纳税人名称"]) == list(g["纳税人名称"])
    elif ext == ".xlsx":
        assert list(pd.read_excel(path, sheet_name="结果")["宗地号"]) == list(g["宗地号"])
    elif ext == ".gpkg":
        import pyogrio
        assert {n for n, _ in pyogrio.list_layers(path)} >= {"parcels", "pieces", "provenance"}
    else:
        assert json.loads(path.with_name(f"r{ext}.provenance.json").read_text(encoding="utf-8"))["输入"] == "宗地.shp"
        assert path.with_name(f"r_pieces{ext}").exists()


def test_geojson_needs_a_crs(tmp_path):
    g, _ = _assessed()
    with pytest.raises(InputError, match="no coordinate system"):
        write_parcels(g.set_crs(None, allow_override=True), tmp_path / "x.geojson")


@pytest.mark.skipif(OGRINFO is None, reason="ogrinfo not installed")
def test_ogrinfo_reads_geojson_and_gpkg(tmp_path):
    g, pieces = _assessed()
    for ext in (".gpkg", ".geojson"):
        write_parcels(g, tmp_path / f"o{ext}", pieces=pieces)
        assert "Feature Count: 3" in _ogrinfo(tmp_path / f"o{ext}")


def test_both_csv_writers_give_the_same_cells(tmp_path):
    """pyarrow's writer (when installed) and the column-wise writer (the frozen build) must
    produce the same cells for the same table, whatever the values."""
    import csv

    from zones.io.export import _write_csv_arrow, _write_csv_numpy

    t = pd.DataFrame({"parcel_id": ["A", "B,1", 'C"q', "温州\n二"], "tax_due": [150000.0, 0.1, 12.35, -0.5],
                      "months": [12, 6, 1, 0], "flags": ["", "outside;sliver", "", "x"],
                      "证载面积": [2762.31, float("nan"), 8680.0, 1e20], "小规模": [True, False, True, False]})
    t.attrs["two_decimals"] = ["tax_due"]
    _write_csv_arrow(t, tmp_path / "a.csv")
    _write_csv_numpy(t, tmp_path / "n.csv")
    read = lambda p: list(csv.reader(open(p, encoding="utf-8-sig", newline="")))
    assert read(tmp_path / "a.csv") == read(tmp_path / "n.csv")
    assert read(tmp_path / "a.csv")[1][:2] == ["A", "150000.00"]
