"""zones.io.exchange: 坐标报盘 exchange text (部标 TXT)."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zones.io.base import ParcelImportError
from zones.io.exchange import looks_like_exchange, read_exchange

DATA = Path(__file__).parent / "data" / "text"
GBK_FILE = DATA / "exchange_two_parcels_gbk.txt"
E0, N0 = 40_564_400.0, 3_100_380.0

HEADER = """[属性描述]
格式版本号=1.01版本
数据产生单位=温州市自然资源和规划局
数据产生日期=2024-03-15
坐标系={system}
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=40
精度=0.001
转换参数=,,,,,,
[地块坐标]
"""


def rect_lines(e, n, w, h, ring=1, start=1, close=True):
    pts = [(n, e), (n, e + w), (n + h, e + w), (n + h, e)]
    if close:
        pts.append(pts[0])
    return [f"J{start + i},{ring},{x:.3f},{y:.3f}" for i, (x, y) in enumerate(pts)]


def exchange_text(w=100.0, h=50.0, ha=None, system="2000国家大地坐标系", e0=E0):
    ha = w * h / 10000 if ha is None else ha
    body = [f"5,{ha:.4f},T-1,测试地块,面,H51G012034,工业用地,0601,@"] + rect_lines(e0, N0, w, h)
    return HEADER.format(system=system) + "\n".join(body) + "\n"


def write(tmp_path, text, name="t.txt", encoding="gbk"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


# ------------------------------------------------------------------ the sample file

def test_gbk_two_parcels_hole_and_areas():
    r = read_exchange(GBK_FILE)
    assert r.encoding == "gb18030" and r.encoding_how == "detected"
    assert r.crs.crs == "EPSG:4528" and r.crs.how == "stated" and not r.crs.needs_confirmation
    gdf = r.parcels
    assert list(gdf.columns[:7]) == ["parcel_id", "地块名称", "地块用途", "地类编码", "图幅号",
                                     "declared_area_ha", "declared_area_m2"]
    assert list(gdf.parcel_id) == ["330302001001GB00001", "330302001001GB00002"]
    assert list(gdf["地块名称"]) == ["鹿城工业地块", "鹿城商业地块"]
    assert gdf.crs.to_epsg() == 4528
    a, b = gdf.geometry
    assert len(a.interiors) == 1 and a.area == pytest.approx(5000 - 200, abs=0.01)
    assert b.area == pytest.approx(1200, abs=0.01)
    assert gdf.declared_area_m2.tolist() == pytest.approx([4800.0, 1500.0])
    # x is the easting (file Y, zone-prefixed), y the northing (file X)
    assert a.bounds[0] == pytest.approx(E0) and a.bounds[1] == pytest.approx(N0)
    mism = [f for f in r.findings if f.code == "area_mismatch"]
    assert len(mism) == 1 and "GB00002" in mism[0].message
    assert "1500.00" in mism[0].message and "1200.00" in mism[0].message
    assert r.declared_area_field == "declared_area_m2" and r.id_field == "parcel_id"


def test_looks_like_exchange():
    assert looks_like_exchange(GBK_FILE)
    assert not looks_like_exchange(DATA / "points_gbk.csv")
    assert not looks_like_exchange(DATA / "cass_one_parcel.dat")
    assert not looks_like_exchange(DATA / "does_not_exist.txt")


def test_utf8_and_encoding_override(tmp_path):
    p = write(tmp_path, exchange_text(), encoding="utf-8")
    assert read_exchange(p).encoding == "utf-8"
    r = read_exchange(write(tmp_path, exchange_text(), "g.txt"), encoding="gbk")
    assert r.encoding_how == "override" and r.parcels["地块名称"][0] == "测试地块"
    with pytest.raises(ParcelImportError):
        read_exchange(write(tmp_path, exchange_text(), "h.txt"), encoding="utf-8")


@pytest.mark.parametrize("w,h,ha,mismatch", [
    (100, 50, 0.5, False), (100, 50, 0.5049, False), (100, 50, 0.5051, True),
    (3, 2, 0.0006, False), (3, 2, 0.0007, False), (3, 2, 0.0008, True),   # tiny parcel: 1 m² tolerance
])
def test_area_tolerance(tmp_path, w, h, ha, mismatch):
    r = read_exchange(write(tmp_path, exchange_text(w, h, ha)))
    assert r.parcels.geometry[0].area == pytest.approx(w * h, abs=0.01)
    assert any(f.code == "area_mismatch" for f in r.findings) == mismatch


def test_unprefixed_is_4549(tmp_path):
    r = read_exchange(write(tmp_path, exchange_text(e0=564_400.0)))
    assert r.crs.crs == "EPSG:4549" and r.crs.how == "stated"


def test_xian80_flagged_no_datum_shift(tmp_path):
    r = read_exchange(write(tmp_path, exchange_text(system="1980西安坐标系")))
    assert r.crs.crs == "EPSG:2364"       # Xian 1980 / 3-degree Gauss-Kruger zone 40
    assert any(f.code == "datum_not_shifted" for f in r.findings) and "no datum shift" in r.crs.reason
    r = read_exchange(write(tmp_path, exchange_text(system="北京54坐标系", e0=564_400.0), "b.txt"))
    assert r.crs.crs == "EPSG:2437"       # Beijing 1954 / 3-degree Gauss-Kruger CM 120E


def test_zone_mismatch_and_missing_header(tmp_path):
    text = exchange_text().replace("带号=40", "带号=39")
    r = read_exchange(write(tmp_path, text))
    assert r.crs.crs == "EPSG:4528" and any(f.code == "crs_header" for f in r.findings)
    no_header = exchange_text().split("[地块坐标]\n", 1)[1]
    r = read_exchange(write(tmp_path, no_header, "n.txt"))
    assert r.crs.crs == "EPSG:4528" and r.crs.how == "inferred"


def test_override(tmp_path):
    r = read_exchange(GBK_FILE, crs="4528")
    assert r.crs.how == "override"
    with pytest.raises(ParcelImportError):
        read_exchange(GBK_FILE, crs="no such crs")


def test_bad_lines_and_truncation(tmp_path):
    text = exchange_text() + "\n".join([
        "4,0.0100,T-2,第二块,面,,,,@",
        "J1,1,3100380.000,40564700.000",
        "J2,1,abc,40564710.000",
        "J3,1,3100390.000,40564710.000",
    ]) + "\n"
    r = read_exchange(write(tmp_path, text))
    assert list(r.parcels.parcel_id) == ["T-1"]     # T-2 lost a point: refused, never built from the rest
    bad = next(f for f in r.findings if f.code == "bad_number")
    assert bad.record == 21 and bad.severity == "error" and "T-2" in bad.message
    cut = exchange_text() + "4,0.0100,T-2,第二块,面,,,,@\nJ1,1,3100380.000,40564700.000\n"   # cut short
    r = read_exchange(write(tmp_path, cut + "J2,1,3100380.000,40564710.000\nJ3,1,3100390.000,40564710.000\n"))
    assert any(f.code == "point_count" and "T-2" in f.message for f in r.findings)


def test_not_an_exchange_file(tmp_path):
    for text in ("hello world\n", "", "点号,编码,Y,X\n1,,2,3\n"):
        with pytest.raises(ParcelImportError) as ei:
            read_exchange(write(tmp_path, text, "x.txt", "utf-8"))
        assert "x.txt" in str(ei.value) and "\n" not in str(ei.value)
    with pytest.raises(ParcelImportError):
        read_exchange(tmp_path / "missing.txt")


# ------------------------------------------------------------------ fuzzing

def _run(data: bytes, **kw):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.txt"
        p.write_bytes(data)
        looks_like_exchange(p)
        try:
            return read_exchange(p, **kw)
        except ParcelImportError as exc:
            assert "\n" not in str(exc) and "f.txt" in str(exc)
            return None


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data):
    _run(data)


@FUZZ
@given(st.data())
def test_fuzz_mangled(data):
    lines = exchange_text().splitlines() + (exchange_text(30, 20, e0=E0 + 500).split("[地块坐标]\n")[1]).splitlines()
    n_ops = data.draw(st.integers(0, 6))
    for _ in range(n_ops):
        op = data.draw(st.sampled_from(["truncate", "delete", "shuffle", "number", "unicode", "dup"]))
        i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif op == "delete":
            del lines[i]
        elif op == "shuffle":
            lines = data.draw(st.permutations(lines))
        elif op == "number":
            lines[i] = lines[i].replace("3100", data.draw(st.sampled_from(["", "-", "1e999", "nan", "３１", "x", "1,0"])), 1)
        elif op == "unicode":
            lines.insert(i, data.draw(st.text(max_size=40)))
        else:
            lines.insert(i, lines[i])
    enc = data.draw(st.sampled_from(["utf-8", "gb18030"]))
    text = "\n".join(lines)
    r = _run(text.encode(enc, errors="replace"))
    if r is not None:
        assert len(r.parcels) >= 1


@FUZZ
@given(st.floats(0.5, 5000), st.floats(0.5, 5000))
def test_fuzz_rectangle_area_exact(w, h):
    w, h = round(w, 3), round(h, 3)
    r = _run(exchange_text(w, h).encode("gbk"))
    assert r is not None
    assert r.parcels.geometry[0].area == pytest.approx(w * h, abs=0.01)
    assert not any(f.code == "area_mismatch" for f in r.findings)
    assert math.isclose(r.parcels.declared_area_m2[0], round(w * h / 10000, 4) * 10000)


def test_exchange_text_through_the_dispatcher_and_the_command_line(tmp_path):
    """The one importer (and so the CLI and the GUI) must accept the exchange text, whose
    first line '[属性描述]' starts with a bracket like a JSON array."""
    import subprocess
    import sys

    from zones.io import read_parcels

    src = Path(__file__).parent / "data" / "text" / "exchange_two_parcels_gbk.txt"
    got = read_parcels(src)
    assert len(got.parcels) == 2 and got.crs.how == "stated"
    out = tmp_path / "x.csv"
    r = subprocess.run([sys.executable, "-m", "zones", "assess", str(src), "--out", str(out), "--year", "2024"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3
