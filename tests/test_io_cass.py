"""zones.io.cass: CASS .dat coordinate files (点号,编码,Y,X,H — easting first)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zones.io.base import ParcelImportError
from zones.io.cass import read_cass

DATA = Path(__file__).parent / "data" / "text"
E0, N0 = 564_400.0, 3_100_380.0


def dat(tmp_path, lines, name="t.dat", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def test_one_parcel_easting_first():
    r = read_cass(DATA / "cass_one_parcel.dat")
    assert list(r.parcels.parcel_id) == ["cass_one_parcel"]
    g = r.parcels.geometry[0]
    assert g.area == pytest.approx(25 * 40, abs=0.01)
    # the third field (Y) is the easting: geometry x spans 25 m, y spans 40 m
    minx, miny, maxx, maxy = g.bounds
    assert (minx, miny, maxx - minx, maxy - miny) == pytest.approx((E0, N0, 25, 40))
    assert r.crs.crs == "EPSG:4549" and not r.crs.swapped


def test_grouped_by_code():
    r = read_cass(DATA / "cass_by_code.dat")
    assert list(r.parcels.parcel_id) == ["ZD1", "ZD2"]
    assert r.parcels.area.tolist() == pytest.approx([100, 100], abs=0.01)
    one = read_cass(DATA / "cass_by_code.dat", group_by_code=False)
    assert len(one.parcels) == 1


def test_mixed_codes_one_parcel_and_single_code_names_it(tmp_path):
    lines = [f"{i},{'K' if i == 2 else ''},{E0 + dx},{N0 + dy},0"
             for i, (dx, dy) in enumerate([(0, 0), (10, 0), (10, 10), (0, 10)], 1)]
    r = read_cass(dat(tmp_path, lines))
    assert len(r.parcels) == 1 and any(f.code == "codes_ignored" for f in r.findings)
    lines = [f"{i},ZD7,{E0 + dx},{N0 + dy}" for i, (dx, dy) in enumerate([(0, 0), (10, 0), (10, 10)], 1)]
    r = read_cass(dat(tmp_path, lines, "s.dat"))
    assert list(r.parcels.parcel_id) == ["ZD7"] and r.parcels.geometry[0].area == pytest.approx(50, abs=0.01)


def test_prefixed_and_bad_lines(tmp_path):
    lines = ["1,,40564400.000,3100380.000,1", "garbage", "2,,40564420.000,abc,1", "3,,40564420.000,3100380.000,1",
             "4,,40564420.000,3100400.000", "", "5,,40564400.000,3100400.000,1"]
    # a boundary point without usable coordinates: the parcel is refused, never built without it
    with pytest.raises(ParcelImportError, match=r"line 3: Y='40564420.000' X='abc' not usable"):
        read_cass(dat(tmp_path, lines))
    del lines[2]
    r = read_cass(dat(tmp_path, lines))
    assert r.crs.crs == "EPSG:4528"
    assert r.parcels.geometry[0].area == pytest.approx(400, abs=0.01)
    recs = {f.code: f.record for f in r.findings}
    assert recs == {"skipped": 2}


def test_gbk_codes(tmp_path):
    lines = [f"{i},宗地甲,{E0 + dx},{N0 + dy},0" for i, (dx, dy) in enumerate([(0, 0), (5, 0), (5, 5), (0, 5)], 1)]
    r = read_cass(dat(tmp_path, lines, encoding="gbk"))
    assert r.encoding == "gb18030" and list(r.parcels.parcel_id) == ["宗地甲"]


def test_unusable(tmp_path):
    for text in ("", "hello\nworld\n", "1,2\n"):
        with pytest.raises(ParcelImportError) as ei:
            read_cass(dat(tmp_path, [text], "u.dat"))
        assert "u.dat" in str(ei.value)
    with pytest.raises(ParcelImportError):
        read_cass(tmp_path / "missing.dat")


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(data: bytes, **kw):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.dat"
        p.write_bytes(data)
        try:
            return read_cass(p, **kw)
        except ParcelImportError as exc:
            assert "\n" not in str(exc) and "f.dat" in str(exc)
            return None


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data):
    _run(data)


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=40),
                          st.builds(lambda a, b, c, d: f"{a},{b},{c},{d}", st.text(max_size=5), st.text(max_size=5),
                                    st.floats(), st.floats())), max_size=30),
       st.sampled_from([None, True, False]))
def test_fuzz_random_lines(lines, group):
    _run("\n".join(lines).encode("utf-8", errors="replace"), group_by_code=group)


@FUZZ
@given(st.floats(0.5, 3000), st.floats(0.5, 3000), st.integers(0, 3))
def test_fuzz_rectangle_area(w, h, start):
    w, h = round(w, 3), round(h, 3)
    corners = [(E0, N0), (E0 + w, N0), (E0 + w, N0 + h), (E0, N0 + h)]
    corners = corners[start:] + corners[:start]
    r = _run("\n".join(f"{i},,{e:.3f},{n:.3f},0" for i, (e, n) in enumerate(corners, 1)).encode())
    assert r is not None and r.parcels.geometry[0].area == pytest.approx(w * h, abs=0.01)
