"""Unit tests of the reader fixes the hostile corpus drove: bounded, escaped messages; inputs
refused before reading; records that keep their line numbers; sparse workbooks; the DXF
steps by STRtree equal to the pairwise rules they replace."""

from __future__ import annotations

import os
import random
import time
import warnings

import pytest
import shapely
from shapely.geometry import Point

from zones.io import ParcelImportError, read_parcels
from zones.io.base import Finding
from zones.io.safety import MAX_MESSAGE, check_input_file, shown, warnings_as_findings

E0, N0 = 564_400.0, 3_100_400.0


def test_messages_are_escaped_bounded_and_name_no_temporary_folder(tmp_path):
    assert shown("A\x1b[2J\x0b\u202eB") == "A\\e[2J\\x0b\\u202eB"
    assert shown("x" * 1000) == "x" * (MAX_MESSAGE - 1) + "…"
    assert shown("/tmp/zones-zip-abc123/doc.kml: bad") == "doc.kml: bad"
    err = ParcelImportError(str(tmp_path / ("d" * 300) / "宗地.csv"), "9" * 800 + "\n\x1b[31m")
    assert len(str(err)) <= MAX_MESSAGE and "宗地.csv" in str(err) and "\x1b" not in str(err) and "\n" not in str(err)
    f = Finding("f.csv", "\x1b]0;t\x07", "bad_number", "x" * 900)
    assert len(str(f)) <= MAX_MESSAGE and "\x1b" not in str(f) and "\x07" not in f.record


def test_fifo_and_oversized_inputs_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    t = time.perf_counter()
    with pytest.raises(ParcelImportError, match="pipe"):
        read_parcels(fifo)
    assert time.perf_counter() - t < 5
    big = tmp_path / "big.geojson"
    big.write_bytes(b'{"type":"FeatureCollection"')
    os.truncate(big, (1 << 30) + 1)
    with pytest.raises(ParcelImportError, match="over 1.0 GB"):
        check_input_file(big)


def _table(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_multi_line_cells_keep_their_record_and_line_numbers(tmp_path):
    rows = ['宗地号,权利人,点号,X,Y', f'A,"张三\n李四\n王五",J1,{N0},{E0}', f'A,,J2,{N0},{E0 + 60}',
            f'A,,J3,{N0 + 40},{E0 + 60}', f'A,,J4,{N0 + 40},{E0}', f'B,"甲\n乙",K1,{N0},{E0 + 100}',
            f'B,,K2,abc,{E0 + 150}', f'B,,K3,{N0 + 30},{E0 + 150}']
    r = read_parcels(_table(tmp_path, "\n".join(rows) + "\n"), crs="EPSG:4549")
    assert list(r.parcels.parcel_id) == ["A"] and r.parcels.geometry[0].area == pytest.approx(2400)
    bad = next(f for f in r.findings if f.code == "bad_number")
    assert bad.record == 10 and bad.severity == "error" and "parcel B" in bad.message   # line 10 of the file


def test_a_cell_beyond_the_csv_field_limit_is_read_not_dropped(tmp_path):
    rows = ["宗地号,点号,X,Y,备注"] + [f"A,J{k},{n},{e},{'长' * 200_000 if k == 1 else ''}"
                                       for k, (e, n) in enumerate([(E0, N0), (E0 + 60, N0), (E0 + 60, N0 + 40), (E0, N0 + 40)], 1)]
    r = read_parcels(_table(tmp_path, "\n".join(rows) + "\n"), crs="EPSG:4549")
    assert r.parcels.geometry[0].area == pytest.approx(2400)


def test_stray_cell_far_away_costs_one_row_not_a_padded_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["宗地号", "X", "Y"])
    for e, n in [(E0, N0), (E0 + 60, N0), (E0 + 60, N0 + 40), (E0, N0 + 40)]:
        ws.append(["A", n, e])
    ws["XFD1048576"] = "stray"
    wb.save(tmp_path / "s.xlsx")
    t = time.perf_counter()
    r = read_parcels(tmp_path / "s.xlsx", crs="EPSG:4549")
    assert time.perf_counter() - t < 30          # padded, this took 21 s and 4.8 GB
    assert r.parcels.geometry[0].area == pytest.approx(2400)


def test_library_warnings_become_findings():
    found = []
    with warnings_as_findings("f.shp", found):
        warnings.warn("something odd in /site-packages/x.py", RuntimeWarning, stacklevel=1)
    assert [f.code for f in found] == ["library_warning"] and found[0].severity == "info"


def _drawing(rng, n):
    """Random squares, some nested, some repeated, with label points."""
    from zones.io.dxf import _assign_labels, _dedupe, _nest  # noqa: F401

    outl, labels = [], []
    for k in range(n):
        x, y, s = rng.uniform(0, 500), rng.uniform(0, 500), rng.choice([5, 20, 80, 200])
        poly = shapely.box(x, y, x + s, y + s)
        for _ in range(2 if k % 9 == 0 else 1):
            outl.append({"poly": poly, "layer": "0", "handle": str(len(outl)), "type": "LWPOLYLINE", "where": f"#{len(outl)}"})
        labels.append((Point(x + s / 3, y + s / 3), f"L{k}"))
    return outl, labels


def test_dxf_steps_by_strtree_match_the_pairwise_rules():
    from benchmarks.dxf_import import old_assign, old_dedupe, old_nest
    from zones.io.dxf import _assign_labels, _dedupe, _nest

    rng = random.Random(5)
    outl, labels = _drawing(rng, 300)
    old = old_dedupe([dict(o) for o in outl], "", [])
    new = _dedupe([dict(o) for o in outl], "", [])
    assert [o["handle"] for o in new] == [o["handle"] for o in old]
    old_nest(old)
    old_assign(old, labels)
    _nest(new)
    _assign_labels(new, labels, "", [])
    for a, b in zip(old, new):
        assert (a["parent"] or {}).get("handle") == (b["parent"] or {}).get("handle")
        assert a["labels"] == b["labels"]
