"""The GDAL fast path of the DXF reader gives exactly what the ezdxf reader gives (same points,
handles, layers, texts, findings and order), and hands every drawing it cannot read identically
back to ezdxf."""

from __future__ import annotations

import random
from pathlib import Path

import ezdxf
import pytest

from zones.io import dxf, dxf_fast, read_parcels

E0, N0 = 564_400.0, 3_100_400.0


def _fast(path: Path):
    return dxf_fast.read(path, dxf._too_few_points, dxf.CLOSED_GAP)


def _as_data(outl, found, labels, encoding):
    return ([(o["handle"], o["layer"], o["type"], o["where"], o["poly"].wkb) for o in outl], found,
            [(p.wkb, t) for p, t in labels], encoding)


def _reference(path: Path):
    doc = dxf._load(path)
    outl, found = dxf._outlines(path, doc)
    return _as_data(outl, found, dxf._label_points(doc.modelspace()), doc.encoding)


def _same_as_ezdxf(path: Path):
    fast = _fast(path)
    assert fast is not None, "the fast path should read this drawing"
    assert _as_data(*fast) == _reference(path)


def _square(x, y, w=25.0, h=25.0):
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def _plain(version="R2010"):
    doc = ezdxf.new(version)
    msp = doc.modelspace()
    zd = {"layer": "JZD"}
    msp.add_lwpolyline(_square(E0, N0), close=True, dxfattribs=zd)
    msp.add_lwpolyline(_square(E0 + 30, N0) + [(E0 + 30, N0)], close=True, dxfattribs=zd)    # end drawn on start
    msp.add_lwpolyline(_square(E0 + 60, N0) + [(E0 + 60, N0)], dxfattribs=zd)               # closed by position only
    msp.add_lwpolyline(_square(E0 + 90, N0) + [(E0 + 90 + 1e-10, N0)], dxfattribs=zd)       # ends 1e-10 apart
    msp.add_lwpolyline(_square(E0 + 120, N0) + [(E0 + 120 + 1e-4, N0)], close=True, dxfattribs=zd)
    msp.add_lwpolyline(_square(E0 + 150, N0), dxfattribs=zd)                                  # open
    msp.add_lwpolyline([(E0 + 180, N0), (E0 + 180, N0), (E0 + 205, N0), (E0 + 205, N0 + 25), (E0 + 180, N0 + 25)],
                       close=True, dxfattribs=zd)                                              # a repeated vertex
    msp.add_lwpolyline([(E0 + 210, N0), (E0 + 240, N0 + 30), (E0 + 240, N0), (E0 + 210, N0 + 30)], close=True,
                       dxfattribs=zd)                                                          # bow-tie
    msp.add_lwpolyline([(E0 + 250, N0), (E0 + 260, N0), (E0 + 270, N0)], close=True, dxfattribs=zd)  # flat
    msp.add_lwpolyline(_square(E0 + 5, N0 + 5, 5, 5), close=True, dxfattribs=zd)             # a courtyard
    msp.add_lwpolyline(_square(E0, N0), close=True, dxfattribs=zd)                            # drawn twice
    msp.add_lwpolyline([(E0 + 0.1234567891234, N0 + 300.987654321), (E0 + 40.000000001, N0 + 300.5),
                        (E0 + 33.3333333333333, N0 + 333.33333333333)], close=True, dxfattribs={"layer": "房屋"})
    for k, text in enumerate(["ZD-1", "  ZD   2 ", "", "   ", "123.45", "宗地 甲"]):
        msp.add_text(text, dxfattribs={"insert": (E0 + 2 + 30 * k, N0 + 2, 7.5), "layer": "注记"})
    return doc


def test_plain_drawing_same_as_ezdxf(tmp_path):
    path = tmp_path / "plain.dxf"
    _plain().saveas(path)
    _same_as_ezdxf(path)


@pytest.mark.parametrize("version", ["R2000", "R2000/cp936", "R2004", "R2013", "R2018"])
def test_other_versions_same_as_ezdxf(tmp_path, version):
    version, _, codepage = version.partition("/")
    doc = _plain(version)
    if version < "R2007":                 # text is ASCII or in the code page: only ASCII goes the fast way
        for e in doc.modelspace():
            e.dxf.layer = {"房屋": "HOUSE", "注记": "NOTE"}.get(e.dxf.layer, e.dxf.layer)
        doc.modelspace().query("TEXT")[-1].dxf.text = "ZD 3"
    path = tmp_path / f"{version}{codepage}.dxf"
    doc.saveas(path)
    if codepage:                          # a Chinese code page in the header, ASCII content
        path.write_bytes(path.read_bytes().replace(b"\nANSI_1252\n", b"\nANSI_936\n"))
    _same_as_ezdxf(path)
    assert _fast(path)[3] == ("gbk" if codepage else "cp1252")   # as ezdxf names them


def test_windows_line_ends_same_as_ezdxf(tmp_path):
    plain = tmp_path / "lf.dxf"
    _plain().saveas(plain)
    crlf = tmp_path / "crlf.dxf"
    crlf.write_bytes(plain.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    _same_as_ezdxf(crlf)


def test_random_drawings_same_as_ezdxf(tmp_path):
    rng = random.Random(11)
    for n in range(5):
        doc = ezdxf.new("R2010")
        msp = doc.modelspace()
        for k in range(150):
            x, y = E0 + rng.uniform(0, 2000), N0 + rng.uniform(0, 2000)
            pts = [(x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)) for _ in range(rng.choice([3, 4, 5, 8, 20]))]
            if rng.random() < 0.2:
                pts.append(pts[0] if rng.random() < 0.5 else (pts[0][0] + rng.choice([1e-12, 1e-9, 1e-6]), pts[0][1]))
            if rng.random() < 0.1:
                pts.insert(1, pts[1])
            msp.add_lwpolyline(pts, close=rng.random() < 0.7, dxfattribs={"layer": rng.choice(["JZD", "JZD", "X"])})
            if rng.random() < 0.5:
                msp.add_text(rng.choice(["ZD", "面积", "1.5", " a  b "]) + str(k),
                             dxfattribs={"insert": (x, y), "layer": "T"})
        path = tmp_path / f"random{n}.dxf"
        doc.saveas(path)
        _same_as_ezdxf(path)


def test_read_parcels_same_either_way(tmp_path, monkeypatch):
    """End to end (nesting, labels, ids, findings): the fast path changes nothing."""
    path = tmp_path / "plain.dxf"
    _plain().saveas(path)
    fast = read_parcels(path, layer="JZD", crs="EPSG:4549")
    monkeypatch.setattr(dxf_fast, "read", lambda *a: None)
    slow = read_parcels(path, layer="JZD", crs="EPSG:4549")
    assert fast.parcels.to_wkb().equals(slow.parcels.to_wkb())
    assert fast.findings == slow.findings and fast.encoding == slow.encoding
    assert fast.parcels["dxf_handle"].tolist() == ["2F", "30", "31", "35"]
    assert fast.parcels["parcel_id"].tolist()[:2] == ["ZD-1", "ZD 2"]
    assert [f.code for f in fast.findings] == ["self_intersection"] * 2 + ["open_ring"] + ["self_intersection"] * 2 + [
        "skipped", "hole"]
    assert fast.parcels.area.round(2).tolist() == [600.0, 625.0, 625.0, 625.0]


def _with(tmp_path, name, change):
    doc = _plain()
    change(doc.modelspace())
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    return path


FALLBACKS = {
    "arc": lambda m: m.add_lwpolyline([(E0, N0, 0, 0, 0.5), (E0 + 9, N0), (E0 + 9, N0 + 9)], format="xyseb", close=True),
    "hatch": lambda m: m.add_hatch().paths.add_polyline_path(_square(E0, N0), is_closed=True),
    "mtext": lambda m: m.add_mtext("ZD-9", dxfattribs={"insert": (E0, N0)}),
    "insert": lambda m: m.add_blockref("B", (E0, N0)),
    "polyline": lambda m: m.add_polyline2d(_square(E0, N0), close=True),
    "aligned_text": lambda m: m.add_text("ZD-8").set_placement((E0, N0), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER),
    "extrusion": lambda m: m.add_lwpolyline(_square(E0, N0), close=True, dxfattribs={"extrusion": (0, 0, -1)}),
    "elevation": lambda m: m.add_lwpolyline(_square(E0, N0), close=True, dxfattribs={"elevation": 5}),
    "paper_space": lambda m: m.doc.paperspace().add_lwpolyline(_square(E0, N0), close=True),
    "escape_text": lambda m: m.add_text("%%c100", dxfattribs={"insert": (E0, N0)}),
    "backslash_text": lambda m: m.add_text("A\\PB", dxfattribs={"insert": (E0, N0)}),
    "control_text": lambda m: m.add_text("\x1b[2JA", dxfattribs={"insert": (E0, N0)}),
    "xdata": lambda m: m.add_lwpolyline(_square(E0, N0), close=True).set_xdata("ACAD", [(1000, "x")]),
    "one_vertex": lambda m: m.add_lwpolyline([(E0, N0)], close=True),
    "circle": lambda m: m.add_circle((E0, N0), 5),
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_drawings_gdal_reads_differently_go_to_ezdxf(tmp_path, name):
    path = _with(tmp_path, name, FALLBACKS[name])
    assert _fast(path) is None
    read_parcels(path, layer="JZD", crs="EPSG:4549")     # and the ezdxf reader still reads them


def test_paper_space_by_owner_only_goes_to_ezdxf(tmp_path):
    """An entity owned by the paper-space block record is paper space for ezdxf even without
    the paper-space flag (67)."""
    path = _with(tmp_path, "paper", FALLBACKS["paper_space"])
    data = path.read_bytes()
    assert b"\n 67\n1\n" in data
    path.write_bytes(data.replace(b"\n 67\n1\n", b"\n"))
    assert _fast(path) is None


def test_two_vertex_outline_same_as_ezdxf(tmp_path):
    path = _with(tmp_path, "two", lambda m: m.add_lwpolyline([(E0, N0), (E0 + 5, N0 + 5)], close=True))
    _same_as_ezdxf(path)
    assert any(f.code == "empty_geometry" for f in _fast(path)[1])


def test_damaged_tags_go_to_ezdxf(tmp_path):
    plain = tmp_path / "plain.dxf"
    _plain().saveas(plain)
    data = plain.read_bytes()
    cases = {
        "nan": data.replace(b"\n 10\n564400.0\n", b"\n 10\nnan\n", 1),
        "bad_number": data.replace(b"\n 10\n564400.0\n", b"\n 10\n564400.0x\n", 1),
        "bad_code": data.replace(b"\n 10\n564400.0\n", b"\n1O\n564400.0\n", 1),
        "lone_cr": data.replace(b"\n", b"\r"),
        "no_eof": data[:data.rindex(b"EOF")],
        "cut": data[: len(data) // 2],
        "gbk_r2000": None,
    }
    gbk = tmp_path / "gbk.dxf"
    doc = _plain("R2000")
    doc.encoding = "cp936"
    doc.saveas(gbk)
    assert "宗地 甲".encode("gbk") in gbk.read_bytes()
    assert _fast(gbk) is None
    for name, content in cases.items():
        if content is None:
            continue
        path = tmp_path / f"{name}.dxf"
        path.write_bytes(content)
        assert _fast(path) is None, name


def test_duplicate_handles_go_to_ezdxf(tmp_path):
    plain = tmp_path / "plain.dxf"
    doc = _plain()
    doc.saveas(plain)
    h = [e.dxf.handle for e in doc.modelspace()]
    data = plain.read_bytes().replace(f"\n  5\n{h[1]}\n".encode(), f"\n  5\n{h[0]}\n".encode(), 1)
    path = tmp_path / "dup.dxf"
    path.write_bytes(data)
    assert _fast(path) is None


def test_fast_path_never_writes(tmp_path):
    path = tmp_path / "plain.dxf"
    _plain().saveas(path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert _fast(path) is not None
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def _mutant(rng: random.Random, data: bytes) -> bytes:
    """A plain drawing with a few lines replaced, repeated, dropped or given hostile values."""
    import fuzz_readers

    if rng.random() < 0.3:
        return fuzz_readers.mutate_bytes(rng, data)
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(lines))
        op = rng.randrange(5)
        if op == 0:
            lines[k] = rng.choice(fuzz_readers.HOSTILE_NUMBERS).encode("utf-8", "replace")
        elif op == 1:
            lines[k] += rng.choice(fuzz_readers.HOSTILE_TEXT).encode()
        elif op == 2:
            del lines[k:k + rng.choice([1, 2, 4])]
        elif op == 3:
            lines[k:k] = lines[k:k + rng.choice([2, 4, 20])]
        else:
            lines[k] = str(rng.choice([0, 1, 5, 8, 10, 20, 42, 70, 90, 100, 330, 999])).encode()
    return b"\n".join(lines)


def test_mutated_drawings_fast_or_same(tmp_path, monkeypatch):
    """Damaged copies of a plain drawing: the fast path either hands the drawing to ezdxf or gives
    exactly ezdxf's result (a damage ezdxf refuses must never be read by GDAL instead)."""
    import sys

    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "tools"))
    sys.modules.pop("fuzz_readers", None)
    base = tmp_path / "base.dxf"
    _plain().saveas(base)
    data = base.read_bytes()
    rng = random.Random(2)
    taken = 0
    for i in range(120):
        path = tmp_path / f"m{i}.dxf"
        mutant = _mutant(rng, data)
        path.write_bytes(mutant)
        fast = _fast(path)
        if fast is not None:
            taken += 1
            try:
                reference = _reference(path)
            except Exception as exc:  # noqa: BLE001 - ezdxf refused what the fast path read
                reference = repr(exc)
            assert _as_data(*fast) == reference, f"mutant {i}"
        assert path.read_bytes() == mutant
        path.unlink()
    assert taken > 10          # the mutants include readable drawings, so the comparison happens
