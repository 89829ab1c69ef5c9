"""zones.io.read_parcels on vector files: shapefile encodings, zip/gpkg layers,
GeoJSON/KML/KMZ, ogr2ogr-made files, CRS decisions and per-record validation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from _io_helpers import E0, N0, WENZHOU, parcels, same_geoms  # noqa: E402

from zones.io import ParcelImportError, list_layers, read_parcels  # noqa: E402
from zones.io.encoding import detect_bytes, shapefile_encoding  # noqa: E402

OGR = shutil.which("ogr2ogr")


def _listing(folder: Path):
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


def _gbk_shapefile(tmp_path, name="gbk"):
    g = parcels()
    g["权利人"] = ["温州市鹿城区某某有限公司", "张三", "瓯海区娄桥街道"]
    shp = tmp_path / f"{name}.shp"
    g.to_file(shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink()
    return g, shp


def _set_ldid(shp: Path, value: int):
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = value
    dbf.write_bytes(bytes(data))


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("ext", [".shp", ".gpkg", ".geojson"])
def test_round_trip_keeps_geometry_and_chinese(tmp_path, ext):
    g = parcels()
    path = tmp_path / f"宗地{ext}"
    g.to_file(path, encoding="UTF-8") if ext == ".shp" else g.to_file(path)
    before = _listing(tmp_path)
    res = read_parcels(path)
    assert _listing(tmp_path) == before  # nothing written beside the input
    assert res.crs.how == "stated" and res.crs.crs == "EPSG:4549"
    assert res.parcels.crs.to_epsg() == 4549
    assert same_geoms(res.parcels.geometry, g.geometry)
    assert list(res.parcels["宗地号"]) == list(g["宗地号"])
    assert list(res.parcels["权利人"]) == list(g["权利人"])
    assert list(res.parcels["面积"]) == pytest.approx(list(g["面积"]))
    assert res.id_field == "宗地号" and res.declared_area_field == "面积"
    assert not res.errors
    assert set(res.parcels.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("ext", [".kml", ".kmz"])
def test_kml_and_kmz(tmp_path, ext):
    g = parcels().to_crs(4326)
    kml = tmp_path / "doc.kml"
    g.to_file(kml, driver="KML")
    path = kml
    if ext == ".kmz":
        path = tmp_path / "宗地.kmz"
        with zipfile.ZipFile(path, "w") as z:
            z.write(kml, "doc.kml")
    res = read_parcels(path)
    assert res.parcels.crs.to_epsg() == 4326
    assert same_geoms(res.parcels.geometry, g.geometry, tol=1e-7)
    assert "330302001001GB00002" in set(res.parcels.astype(str).stack())


def test_zip_with_two_layers(tmp_path):
    g = parcels()
    src = tmp_path / "src"
    src.mkdir()
    g.iloc[:2].to_file(src / "鹿城.shp", encoding="UTF-8")
    g.iloc[2:].to_file(src / "瓯海.shp", encoding="UTF-8")
    zpath = tmp_path / "parcels.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for p in src.iterdir():
            z.write(p, f"data/{p.name}")
    assert sorted(list_layers(zpath)) == ["瓯海", "鹿城"]
    with pytest.raises(ParcelImportError, match="choose one") as err:
        read_parcels(zpath)
    assert "鹿城" in str(err.value) and "瓯海" in str(err.value)
    res = read_parcels(zpath, layer="瓯海")
    assert res.layer == "瓯海" and len(res.parcels) == 1
    assert same_geoms(res.parcels.geometry, g.geometry.iloc[2:])
    with pytest.raises(ParcelImportError, match="no layer 'x'"):
        read_parcels(zpath, layer="x")


def test_gpkg_with_two_layers(tmp_path):
    g = parcels()
    path = tmp_path / "two.gpkg"
    g.iloc[:1].to_file(path, layer="宗地A")
    g.iloc[1:].to_file(path, layer="Parcels_B")
    assert list_layers(path) == ["宗地A", "Parcels_B"]
    with pytest.raises(ParcelImportError, match="2 layers"):
        read_parcels(path)
    res = read_parcels(path, layer="parcels_b")  # case-insensitive
    assert len(res.parcels) == 2 and res.layer == "Parcels_B"


# ---------------------------------------------------------------- encodings
def test_gbk_shapefile_without_cpg_is_detected(tmp_path):
    g, shp = _gbk_shapefile(tmp_path)
    before = _listing(tmp_path)
    res = read_parcels(shp)
    assert res.encoding == "GB18030" and res.encoding_how == "detected"
    assert list(res.parcels["权利人"]) == list(g["权利人"])
    assert _listing(tmp_path) == before  # no .cpg was created


def test_gbk_shapefile_with_ldid(tmp_path):
    g, shp = _gbk_shapefile(tmp_path)
    _set_ldid(shp, 0x4D)
    res = read_parcels(shp)
    assert (res.encoding, res.encoding_how) == ("GB18030", "ldid")
    assert list(res.parcels["权利人"]) == list(g["权利人"])


def test_ldid_0x57_means_system_code_page_so_detect(tmp_path):
    g, shp = _gbk_shapefile(tmp_path)
    _set_ldid(shp, 0x57)
    res = read_parcels(shp)
    assert res.encoding_how == "detected" and list(res.parcels["权利人"]) == list(g["权利人"])


def test_gbk_shapefile_with_cpg(tmp_path):
    g, shp = _gbk_shapefile(tmp_path)
    shp.with_suffix(".cpg").write_text("936")
    res = read_parcels(shp)
    assert (res.encoding, res.encoding_how) == ("GB18030", "cpg")
    assert list(res.parcels["宗地号"]) == list(g["宗地号"])


def test_override_beats_wrong_cpg(tmp_path):
    g, shp = _gbk_shapefile(tmp_path)
    shp.with_suffix(".cpg").write_text("UTF-8")
    res = read_parcels(shp, encoding="GBK")
    assert res.encoding_how == "override"
    assert list(res.parcels["权利人"]) == list(g["权利人"])
    with pytest.raises(ParcelImportError, match="unknown text encoding"):
        read_parcels(shp, encoding="no-such-codec")


def test_utf8_without_cpg_is_detected(tmp_path):
    g = parcels()
    shp = tmp_path / "u.shp"
    g.to_file(shp, encoding="UTF-8")
    shp.with_suffix(".cpg").unlink()
    assert shapefile_encoding(shp)[:2] == ("UTF-8", "detected")
    assert list(read_parcels(shp).parcels["权利人"]) == list(g["权利人"])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=30))
def test_detect_bytes_tells_gbk_from_utf8(text):
    assert detect_bytes(text.encode("utf-8")) == "UTF-8"
    raw = text.encode("gbk")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:   # the usual case: GBK bytes that are not UTF-8 must be told apart
        assert detect_bytes(raw) == "GB18030" and raw.decode("gb18030") == text
    else:   # a short text whose GBK bytes are also valid UTF-8 ("宸嶡" = "巎@") is ambiguous by nature
        assert detect_bytes(raw) in ("GB18030", "UTF-8")


# ---------------------------------------------------------------- CRS
def test_user_crs_beats_the_file(tmp_path):
    g = parcels()
    path = tmp_path / "p.gpkg"
    g.set_crs(4528, allow_override=True).to_file(path)
    res = read_parcels(path, crs="4549")
    assert res.crs.how == "override" and res.parcels.crs.to_epsg() == 4549
    assert any(f.code == "crs_override" for f in res.findings)
    assert same_geoms(res.parcels.geometry, g.geometry)  # reinterpreted, not reprojected


def test_no_prj_gets_inferred_crs(tmp_path):
    pytest.importorskip("zones.crs")
    shp = tmp_path / "noprj.shp"
    parcels().to_file(shp, encoding="UTF-8")
    shp.with_suffix(".prj").unlink()
    res = read_parcels(shp, zones_bounds_lonlat=WENZHOU)
    assert res.crs.how == "inferred" and res.crs.crs == "EPSG:4549" and res.crs.needs_confirmation
    assert res.parcels.crs.to_epsg() == 4549


def test_swapped_xy_is_put_right(tmp_path):
    pytest.importorskip("zones.crs")
    g = parcels()
    swapped = g.set_geometry(shapely.transform(g.geometry.values, lambda c: c[:, ::-1])).set_crs(None, allow_override=True)
    path = tmp_path / "swapped.gpkg"
    swapped.to_file(path)
    res = read_parcels(path)
    assert res.crs.swapped and res.parcels.crs.to_epsg() == 4549
    assert same_geoms(res.parcels.geometry, g.geometry)


def test_local_system_is_flagged_not_converted(tmp_path):
    pytest.importorskip("zones.crs")
    g = parcels()
    local = g.set_geometry(g.translate(337641 - E0, 3379401 - N0)).set_crs(None, allow_override=True)
    path = tmp_path / "local.gpkg"
    local.to_file(path)
    res = read_parcels(path)
    assert res.crs.local_suspect and res.parcels.crs is None
    assert same_geoms(res.parcels.geometry, local.geometry)


def test_geojson_claiming_degrees_with_metres_is_caught(tmp_path):
    pytest.importorskip("zones.crs")
    path = tmp_path / "metres.geojson"
    parcels().set_crs(None, allow_override=True).to_file(path, driver="GeoJSON")
    res = read_parcels(path)
    assert any(f.code == "crs_conflict" for f in res.findings)
    assert res.parcels.crs.to_epsg() == 4549


# ---------------------------------------------------------------- validation
def test_records_are_checked(tmp_path):
    g = parcels()
    bowtie = shapely.Polygon([(E0, N0 + 200), (E0 + 10, N0 + 210), (E0 + 10, N0 + 200), (E0, N0 + 210)])
    overlap = shapely.box(E0 + 50, N0 + 30, E0 + 70, N0 + 50)
    extra = gpd.GeoDataFrame({"宗地号": ["X", "330302001001GB00001", "Y"], "权利人": ["a", "b", "c"], "面积": [0.0] * 3, "grade": [1] * 3},
                             geometry=[bowtie, overlap, None], crs=g.crs)
    path = tmp_path / "checks.gpkg"
    gpd.GeoDataFrame(list(g.to_dict("records")) + list(extra.to_dict("records")), geometry="geometry", crs=g.crs).to_file(path)
    res = read_parcels(path, zones_bounds_lonlat=WENZHOU)
    codes = {(f.record, f.code) for f in res.findings}
    assert (4, "repaired") in codes
    assert (5, "duplicate_id") in codes and (5, "overlap") in codes
    assert (6, "empty_geometry") in codes
    assert len(res.parcels) == 5 and list(res.parcels.index + 1) == [1, 2, 3, 4, 5]
    assert all(res.parcels.is_valid)
    far = read_parcels(path, zones_bounds_lonlat=(100.0, 30.0, 101.0, 31.0))
    msgs = [f.message for f in far.findings if f.code == "far_from_zones"]
    assert msgs and "coordinate system is wrong" in msgs[0]


def test_3d_and_closed_lines(tmp_path):
    ring = [(E0, N0, 5.0), (E0 + 10, N0, 5.0), (E0 + 10, N0 + 10, 5.0), (E0, N0, 5.0)]
    g = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[shapely.LineString(ring), shapely.LineString(ring[:3])], crs=4549)
    path = tmp_path / "lines.gpkg"
    g.to_file(path)
    res = read_parcels(path)
    codes = {(f.record, f.code, f.severity) for f in res.findings}
    assert (1, "not_polygon", "info") in codes and (2, "open_ring", "error") in codes
    assert any(f.code == "z_dropped" for f in res.findings)
    assert not res.parcels.has_z.any() and list(res.parcels.geom_type) == ["Polygon"]


# ---------------------------------------------------------------- ogr2ogr-made files
@pytest.mark.skipif(OGR is None, reason="ogr2ogr not installed")
@pytest.mark.parametrize("fmt,ext", [("ESRI Shapefile", ".shp"), ("GPKG", ".gpkg"), ("KML", ".kml")])
def test_files_made_by_ogr2ogr(tmp_path, fmt, ext):
    g = parcels().to_crs(4326)
    src = tmp_path / "src.geojson"
    g.to_file(src, driver="GeoJSON")
    out = tmp_path / f"ogr{ext}"
    args = [OGR, "-f", fmt, str(out), str(src)]
    if ext == ".shp":
        args[3:3] = ["-lco", "ENCODING=UTF-8"]
    subprocess.run(args, check=True, capture_output=True)
    res = read_parcels(out)
    assert res.parcels.crs.to_epsg() == 4326
    assert same_geoms(res.parcels.geometry, g.geometry, tol=1e-7)
    assert "张三" in set(res.parcels.astype(str).stack())


_coord = st.floats(min_value=-50, max_value=50, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.lists(st.tuples(_coord, _coord), min_size=0, max_size=7)), min_size=1, max_size=6))
def test_validate_always_returns_clean_polygons(rings):
    """Whatever comes in (bowties, slivers, lines, nothing), what comes out is valid 2D polygons."""
    from zones.io.validate import validate_parcels
    geoms = []
    for r in rings:
        if r is None or len(r) == 0:
            geoms.append(None)
        elif len(r) < 3:
            geoms.append(shapely.LineString(r) if len(r) == 2 else shapely.Point(r[0]))
        else:
            geoms.append(shapely.Polygon([(E0 + x, N0 + y) for x, y in r]))
    g = gpd.GeoDataFrame({"宗地号": [str(i % 2) for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:4549")
    out, findings = validate_parcels(g, "h.gpkg", zones_bounds_lonlat=WENZHOU)
    assert out.is_valid.all() and set(out.geom_type) <= {"Polygon", "MultiPolygon"} and not out.has_z.any()
    assert set(out.index) <= set(range(len(g)))
    dropped = set(range(len(g))) - set(out.index)
    assert dropped == {f.record - 1 for f in findings if f.severity == "error"}
