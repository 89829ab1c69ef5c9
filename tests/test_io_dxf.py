"""DXF parcels: closed polylines (with bulges), hatches, courtyards and enclaves,
id labels, open and self-crossing outlines — drawings built with ezdxf."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import ezdxf
import pytest
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from _io_helpers import E0, N0, WENZHOU  # noqa: E402

from zones.io import ParcelImportError, list_layers, read_parcels  # noqa: E402


def _square(x, y, w, h):
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def _drawing(tmp_path, *, hatch_layer=False):
    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    zd = {"layer": "宗地"}
    # parcel 1: 100 x 80 with a 20 x 20 courtyard (no label inside the courtyard -> hole)
    msp.add_lwpolyline(_square(E0, N0, 100, 80), close=True, dxfattribs=zd)
    msp.add_lwpolyline(_square(E0 + 10, N0 + 10, 20, 20), close=True, dxfattribs=zd)
    msp.add_text("330302001001GB00001", dxfattribs={"layer": "注记"}).set_placement((E0 + 60, N0 + 40))
    msp.add_text("8000.00", dxfattribs={"layer": "注记"}).set_placement((E0 + 60, N0 + 30))  # an area, not the id
    # an enclave parcel inside parcel 1, with its own id -> hole there and a parcel of its own
    msp.add_lwpolyline(_square(E0 + 60, N0 + 5, 30, 20), close=True, dxfattribs=zd)
    msp.add_mtext("ENCLAVE-7", dxfattribs={"layer": "注记", "insert": (E0 + 70, N0 + 15)})
    # parcel 2: closed by first == last vertex, one edge a half-circle bulge (radius 25)
    pts = [(E0 + 200, N0, 0, 0, 0), (E0 + 250, N0, 0, 0, 1.0), (E0 + 250, N0 + 50, 0, 0, 0),
           (E0 + 200, N0 + 50, 0, 0, 0), (E0 + 200, N0, 0, 0, 0)]
    msp.add_lwpolyline(pts, format="xyseb", dxfattribs=zd)
    block = doc.blocks.new("ZDH")
    block.add_attdef("宗地号", (0, 0))
    msp.add_blockref("ZDH", (E0 + 220, N0 + 25), dxfattribs={"layer": "注记"}).add_auto_attribs({"宗地号": "B-2"})
    # an open polyline and a bowtie: reported, not imported
    msp.add_lwpolyline(_square(E0 + 400, N0, 30, 30), dxfattribs=zd)
    msp.add_lwpolyline([(E0 + 500, N0), (E0 + 530, N0 + 30), (E0 + 530, N0), (E0 + 500, N0 + 30)], close=True, dxfattribs=zd)
    if hatch_layer:
        h = msp.add_hatch(dxfattribs={"layer": "填充"})
        h.paths.add_polyline_path(_square(E0, N0 + 300, 40, 40), is_closed=True, flags=1)
        h.paths.add_polyline_path(_square(E0 + 10, N0 + 310, 10, 10), is_closed=True, flags=16)
    path = tmp_path / "宗地图.dxf"
    doc.saveas(path)
    return path


def test_dxf_parcels_holes_labels_and_findings(tmp_path):
    path = _drawing(tmp_path)
    res = read_parcels(path, zones_bounds_lonlat=WENZHOU)
    p = res.parcels.set_index("parcel_id")
    assert sorted(p.index) == ["330302001001GB00001", "B-2", "ENCLAVE-7"]
    assert res.id_field == "parcel_id"
    # courtyard and enclave are holes of parcel 1
    assert p.loc["330302001001GB00001", "geometry"].area == pytest.approx(8000 - 400 - 600)
    assert len(p.loc["330302001001GB00001", "geometry"].interiors) == 2
    assert p.loc["ENCLAVE-7", "geometry"].area == pytest.approx(600)
    # bulge: 50 x 50 square plus a half disc of radius 25, chords within 1 mm
    assert p.loc["B-2", "geometry"].area == pytest.approx(2500 + math.pi * 25 ** 2 / 2, rel=1e-4)
    codes = {f.code for f in res.findings}
    assert {"open_ring", "self_intersection", "hole"} <= codes
    assert "8000.00" in p.loc["330302001001GB00001", "dxf_texts"]  # kept for the user, not taken as the id
    bow = [f for f in res.findings if f.code == "self_intersection"]
    assert bow and bow[0].severity == "error" and "LWPOLYLINE" in str(bow[0].record)
    assert not any(f.code == "repaired" for f in res.findings)  # a bowtie is never guessed
    # DXF states no CRS: inferred from the coordinates when zones.crs is available
    assert res.crs.how in ("inferred", "unknown")
    if res.crs.how == "inferred":
        assert res.parcels.crs.to_epsg() == 4549


def test_dxf_layers_must_be_chosen(tmp_path):
    path = _drawing(tmp_path, hatch_layer=True)
    assert list_layers(path) == sorted(["宗地", "填充"])
    with pytest.raises(ParcelImportError, match="several layers") as err:
        read_parcels(path)
    assert "宗地" in str(err.value) and "填充" in str(err.value)
    res = read_parcels(path, layer="填充")
    assert len(res.parcels) == 1 and res.parcels.geometry.iloc[0].area == pytest.approx(1600 - 100)


def test_dxf_without_closed_outline(tmp_path):
    doc = ezdxf.new()
    doc.modelspace().add_lwpolyline(_square(E0, N0, 10, 10))
    path = tmp_path / "open.dxf"
    doc.saveas(path)
    with pytest.raises(ParcelImportError, match="no closed outline") as err:
        read_parcels(path)
    assert "open.dxf" in str(err.value)


def test_dxf_user_crs_and_2d_polyline(tmp_path):
    doc = ezdxf.new()
    doc.modelspace().add_polyline2d(_square(E0, N0, 10, 10), close=True)
    path = tmp_path / "p.dxf"
    doc.saveas(path)
    res = read_parcels(path, crs="EPSG:4549")
    assert res.crs.how == "override" and res.parcels.crs.to_epsg() == 4549
    assert shapely.equals_exact(shapely.normalize(res.parcels.geometry.iloc[0]),
                                shapely.normalize(shapely.Polygon(_square(E0, N0, 10, 10))), 1e-6)
    assert res.id_field is None
