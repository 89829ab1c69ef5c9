"""zones.io.points: boundary-point tables (界址点坐标表) in CSV and XLSX."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zones.io.base import ParcelImportError
from zones.io.points import read_point_table

DATA = Path(__file__).parent / "data" / "text"
E0, N0 = 564_400.0, 3_100_380.0          # Lucheng, EPSG:4549 (easting, northing)


def rect(e, n, w, h):
    """(X=northing, Y=easting) corners, survey order."""
    return [(n, e), (n, e + w), (n + h, e + w), (n + h, e)]


def xlsx(path, rows, sheet="界址点"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_gbk_csv_title_rows_rings_edges_two_parcels():
    r = read_point_table(DATA / "points_gbk.csv")
    assert r.encoding == "gb18030" and r.crs.crs == "EPSG:4549" and r.crs.how == "inferred"
    gdf = r.parcels
    assert list(gdf.parcel_id) == ["330302001001GB00001", "330302001001GB00002"]
    a, b = gdf.geometry
    assert len(a.interiors) == 1
    assert a.area == pytest.approx(5000 - 200, abs=0.01) and b.area == pytest.approx(1200, abs=0.01)
    assert a.bounds[:2] == pytest.approx((E0, N0))       # x = easting (Y column), y = northing (X column)
    assert not r.errors


def test_utf8_bom_english_headers_single_parcel_bad_row():
    """One unreadable boundary point refuses its parcel: skipping the point would quietly
    change the outline and the tax. Here the file's only parcel is refused, so the file is."""
    with pytest.raises(ParcelImportError, match=r"row 4.*X='abc'.*not imported"):
        read_point_table(DATA / "points_english_bom.csv")


def test_bad_point_refuses_only_its_parcel(tmp_path):
    path = tmp_path / "two.csv"
    lines = ["宗地号,点号,X,Y"]
    lines += [f"A,J{i},{x:.3f},{y:.3f}" for i, (x, y) in enumerate(rect(E0, N0, 40, 30), 1)]
    lines += ["B,J1,3100abc.5,564000", "B,J2,3100000,564050", "B,J3,3100040,564050"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = read_point_table(path)
    assert list(r.parcels.parcel_id) == ["A"]
    bad = [f for f in r.findings if f.code == "bad_number"]
    assert len(bad) == 1 and bad[0].severity == "error" and "parcel B" in bad[0].message


def test_xlsx_chinese_headers_merged_ids_rings(tmp_path):
    rows = [("宗地界址点成果表",), ("单位：米",), ("宗地代码", "点号", "环号", "纵坐标", "横坐标", "边长")]
    for i, (x, y) in enumerate(rect(E0, N0, 60, 40), 1):
        rows.append(("330302001001GB00009" if i == 1 else None, f"J{i}", 1, x, y, None))
    for i, (x, y) in enumerate(rect(E0 + 10, N0 + 10, 10, 5), 5):
        rows.append((None, f"J{i}", 2, x, y, None))
    for i, (x, y) in enumerate(rect(E0 + 100, N0, 7, 3), 1):
        rows.append(("330302001001GB00010", f"J{i}", None, str(x), f"{y:,.3f}", 7.0))
    r = read_point_table(xlsx(tmp_path / "t.xlsx", rows))
    assert r.layer == "界址点" and r.encoding is None
    assert list(r.parcels.parcel_id) == ["330302001001GB00009", "330302001001GB00010"]
    assert r.parcels.geometry[0].area == pytest.approx(2400 - 50, abs=0.01)
    assert r.parcels.geometry[1].area == pytest.approx(21, abs=0.01)


def test_xlsx_english_x_is_easting_gets_swapped(tmp_path):
    # a GIS user's table where "x" holds eastings: the CRS inference swaps it back
    rows = [("parcel", "point", "x", "y")]
    for i, (n, e) in enumerate(rect(E0, N0, 20, 10), 1):
        rows.append(("P1", i, e, n))
    r = read_point_table(xlsx(tmp_path / "e.xlsx", rows))
    assert r.crs.swapped and r.crs.crs == "EPSG:4549"
    assert r.parcels.geometry[0].bounds[:2] == pytest.approx((E0, N0))


def test_two_row_header_and_sheet_choice(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表为界址点坐标"])
    ws = wb.create_sheet("坐标")
    ws.append(["界址点号", "坐标", None])
    ws.append([None, "X(m)", "Y(m)"])
    for i, (x, y) in enumerate(rect(E0, N0, 10, 10), 1):
        ws.append([f"J{i}", x, y])
    wb.save(tmp_path / "w.xlsx")
    r = read_point_table(tmp_path / "w.xlsx")
    assert r.layer == "坐标" and r.parcels.geometry[0].area == pytest.approx(100, abs=0.01)
    assert read_point_table(tmp_path / "w.xlsx", sheet="坐标").layer == "坐标"
    with pytest.raises(ParcelImportError):
        read_point_table(tmp_path / "w.xlsx", sheet="说明")
    with pytest.raises(ParcelImportError):
        read_point_table(tmp_path / "w.xlsx", sheet="none")


def test_hole_without_ring_column_after_closure(tmp_path):
    pts = rect(E0, N0, 50, 50)
    hole = rect(E0 + 10, N0 + 10, 10, 10)
    lines = ["点号,X,Y"] + [f"J{i},{x},{y}" for i, (x, y) in enumerate(pts + [pts[0]] + hole, 1)]
    p = tmp_path / "h.csv"
    p.write_text("\n".join(lines), encoding="utf-8")
    r = read_point_table(p)
    g = r.parcels.geometry[0]
    assert len(g.interiors) == 1 and g.area == pytest.approx(2500 - 100, abs=0.01)
    assert any(f.code == "new_ring" for f in r.findings)


def test_xls_named_files(tmp_path):
    rows = [("点号", "X", "Y")] + [(f"J{i}", x, y) for i, (x, y) in enumerate(rect(E0, N0, 10, 20), 1)]
    xlsx(tmp_path / "real.xlsx", rows)
    (tmp_path / "saved_as.xls").write_bytes((tmp_path / "real.xlsx").read_bytes())
    assert read_point_table(tmp_path / "saved_as.xls").parcels.geometry[0].area == pytest.approx(200, abs=0.01)
    (tmp_path / "text.xls").write_text("点号\tX\tY\n" + "\n".join(f"J{i}\t{x}\t{y}" for i, (x, y) in
                                                                enumerate(rect(E0, N0, 10, 20), 1)), encoding="gbk")
    assert read_point_table(tmp_path / "text.xls").parcels.geometry[0].area == pytest.approx(200, abs=0.01)
    (tmp_path / "pk.csv").write_text("点号,X,Y\nPK1,3100000,564000\nPK2,3100000,564010\nPK3,3100010,564010\n")
    assert len(read_point_table(tmp_path / "pk.csv").parcels) == 1


def test_lonlat_table_and_override(tmp_path):
    p = tmp_path / "ll.csv"
    p.write_text("经度,纬度\n120.650,28.010\n120.652,28.010\n120.652,28.012\n", encoding="utf-8")
    r = read_point_table(p)
    assert r.crs.crs == "EPSG:4490" and r.parcels.crs.to_epsg() == 4490
    r = read_point_table(p, crs="gcj02")
    assert r.crs.how == "override" and r.parcels.crs.to_epsg() == 4326
    assert r.parcels.geometry[0].bounds[0] < 120.650       # GCJ-02 → WGS84 moves Wenzhou west


def test_local_system_not_converted(tmp_path):
    p = tmp_path / "local.csv"
    p.write_text("点号,X,Y\n1,3100000,498000\n2,3100000,498050\n3,3100040,498050\n", encoding="utf-8")
    r = read_point_table(p)
    assert r.crs.local_suspect and r.crs.crs is None and r.parcels.crs is None
    assert any(f.code == "local_crs" for f in r.findings)
    assert r.parcels.geometry[0].area == pytest.approx(1000, abs=0.01)


def test_too_few_points_and_duplicates(tmp_path):
    p = tmp_path / "few.csv"
    p.write_text("宗地号,X,Y\nA,3100000,564000\nA,3100000,564000\nA,3100000,564010\nA,3100010,564010\n"
                 "B,3100100,564000\nB,3100100,564010\n", encoding="utf-8")
    r = read_point_table(p)
    assert list(r.parcels.parcel_id) == ["A"]
    assert any(f.code == "duplicate_point" and f.severity == "info" for f in r.findings)
    assert any(f.code == "too_few_points" and f.severity == "error" for f in r.findings)


def test_no_coordinate_columns_lists_headers(tmp_path):
    p = tmp_path / "nope.csv"
    p.write_text("姓名,地址,电话\n张三,鹿城区,123\n", encoding="gbk")
    with pytest.raises(ParcelImportError) as ei:
        read_point_table(p)
    msg = str(ei.value)
    assert "nope.csv" in msg and "姓名" in msg and "电话" in msg and "\n" not in msg
    with pytest.raises(ParcelImportError) as ei:
        read_point_table(xlsx(tmp_path / "nope.xlsx", [("name", "value"), ("a", 1)]))
    assert "name" in str(ei.value)


def test_unusable_files(tmp_path):
    for name, data in (("x.xlsx", b"not a zip"), ("y.csv", b""), ("z.csv", b"\x00\x01\x02"),
                       ("o.xls", b"\xd0\xcf\x11\xe0")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ParcelImportError):
            read_point_table(tmp_path / name)
    with pytest.raises(ParcelImportError):
        read_point_table(tmp_path / "missing.csv")
    (tmp_path / "g.csv").write_bytes("点号,X,Y\n".encode("gbk"))
    with pytest.raises(ParcelImportError):
        read_point_table(tmp_path / "g.csv", encoding="utf-8")


# ------------------------------------------------------------------ fuzzing

def _run(data: bytes, name="f.csv"):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        try:
            return read_point_table(p)
        except ParcelImportError as exc:
            assert "\n" not in str(exc) and name in str(exc)
            return None


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_fuzz_random_bytes(data, name):
    _run(data, name)


@FUZZ
@given(st.data())
def test_fuzz_mangled_csv(data):
    lines = open(DATA / "points_gbk.csv", encoding="gbk").read().splitlines()
    for _ in range(data.draw(st.integers(0, 6))):
        if not lines:
            break
        op = data.draw(st.sampled_from(["truncate", "delete", "shuffle", "number", "unicode", "cell"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        elif op == "delete":
            del lines[i]
        elif op == "shuffle":
            lines = data.draw(st.permutations(lines))
        elif op == "number":
            lines[i] = lines[i].replace("3100", data.draw(st.sampled_from(["", "-", "1e999", "nan", "３１", "1_0"])), 1)
        elif op == "unicode":
            lines.insert(i, data.draw(st.text(max_size=40)))
        else:
            lines[i] += "," + data.draw(st.text(max_size=10))
    enc = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    r = _run("\r\n".join(lines).encode(enc, errors="replace"))
    if r is not None:
        assert len(r.parcels) >= 1


cells = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(max_size=12), st.sampled_from(["X", "Y", "宗地号", "圈号", "点号", "3100000", "40564000"]))


@FUZZ
@given(st.lists(st.lists(cells, max_size=6), max_size=12))
def test_fuzz_xlsx_cells(rows):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.xlsx"
        wb = openpyxl.Workbook()
        for r in rows:
            try:
                wb.active.append(r)
            except Exception:  # noqa: BLE001 - openpyxl refuses control characters: not our concern
                pass
        wb.save(p)
        try:
            read_point_table(p)
        except ParcelImportError:
            pass


@FUZZ
@given(st.floats(0.5, 3000), st.floats(0.5, 3000), st.booleans(), st.booleans())
def test_fuzz_rectangle_area(w, h, closed, prefixed):
    w, h = round(w, 3), round(h, 3)
    e0 = E0 + (40_000_000 if prefixed else 0)
    pts = rect(e0, N0, w, h)
    pts = pts + [pts[0]] if closed else pts
    text = "界址点号,X坐标,Y坐标\n" + "\n".join(f"J{i},{x:.3f},{y:.3f}" for i, (x, y) in enumerate(pts, 1))
    r = _run(text.encode("gbk"))
    assert r is not None and r.crs.crs == ("EPSG:4528" if prefixed else "EPSG:4549")
    assert r.parcels.geometry[0].area == pytest.approx(w * h, abs=0.01)


def test_point_table_saved_as_txt_goes_through_the_dispatcher(tmp_path):
    from zones.io import read_parcels

    path = tmp_path / "界址点.txt"
    path.write_text("宗地号,点号,X,Y\nA,J1,3100000,560000\nA,J2,3100000,560050\nA,J3,3100040,560050\nA,J4,3100040,560000\n",
                    encoding="gbk")
    got = read_parcels(path)
    assert got.parcels.crs.to_epsg() == 4549
    assert round(got.parcels.geometry.area.iloc[0], 2) == 2000.00
