"""Boundary points keep the order and the names they were typed or imported with: a
clockwise J1 NW, J2 NE, J3 SE, J4 SW prints J1…J4 in that order with those coordinates —
in the typed-points dialog, the project file, the report's 界址点 table and the CSV of
points, and through the command line."""

import csv
import re

import geopandas as gpd
import pytest
import shapely
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from zones.report.content import boundary_rings
from zones.report.files import write_boundary_csv

from test_cli import cli


def corners():
    """(name, X north, Y east) of a 40 × 50 m square well inside grade 1, clockwise from the NW corner."""
    from zones.resources import resource

    c = gpd.read_file(resource("samples", "wenzhou_sample.gpkg")).geometry.iloc[0].centroid
    n, e = round(c.y), round(c.x)
    return [("J1", n + 50, e), ("J2", n + 50, e + 40), ("J3", n, e + 40), ("J4", n, e)]


def pdf_text(path) -> str:
    """The PDF's text laid out as printed (columns kept apart by their position on the line)."""
    return "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(str(path)).pages)


def table_rows(text: str):
    """(name, X, Y) of the 界址点 table in print order: the table is set in column blocks read
    down each block, so each point is put in the block whose 点号 heading it sits under."""
    lines = text[text.index("界址点坐标表"):].splitlines()
    head = next(k for k, line in enumerate(lines) if line.count("点号") >= 1)
    starts = [m.start() for m in re.finditer("点号", lines[head])]
    blocks: list[list] = [[] for _ in starts]
    for line in lines[head + 1:]:
        for m in re.finditer(r"(\S+)\s+(\d{7}\.\d{3})\s+(\d{6}\.\d{3})", line):
            col = max(k for k, s in enumerate(starts) if s <= m.start() + 3) if m.start() + 3 >= starts[0] else 0
            blocks[col].append((m[1], float(m[2]), float(m[3])))
    return [row for block in blocks for row in block]


def test_rings_take_the_names_when_there_is_one_per_point():
    sq = shapely.Polygon([(0, 10), (10, 10), (10, 0), (0, 0)])          # clockwise, as typed
    rings = boundary_rings(sq, ("A", "B", "C", "D"))
    assert [(p.label, p.y_east, p.x_north) for p in rings[0].points] == [("A", 0, 10), ("B", 10, 10), ("C", 10, 0),
                                                                          ("D", 0, 0)]
    assert [p.label for p in boundary_rings(sq, ("A", "B"))[0].points] == ["J1", "J2", "J3", "J4"]   # not one per point


def test_the_points_csv_keeps_names_and_order(tmp_path):
    sq = shapely.Polygon([(0, 10), (10, 10), (10, 0), (0, 0)])
    write_boundary_csv(sq, tmp_path / "p.csv", crs="EPSG:4549", names=("西北", "东北", "东南", "西南"))
    with open(tmp_path / "p.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    assert [(r[1], r[2], r[3]) for r in rows] == [("西北", "10.000", "0.000"), ("东北", "10.000", "10.000"),
                                                  ("东南", "0.000", "10.000"), ("西南", "0.000", "0.000")]


@pytest.mark.gui
def test_typed_points_print_in_the_typed_order(make_window, qtbot, tmp_path, dialogs):
    from PySide6.QtWidgets import QMessageBox

    from desktop.dialogs.coordinates_dialog import CoordinatesDialog

    doc, window = make_window()
    pts = corners()
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.set_text("点号\tX\tY\n" + "\n".join(f"{n}\t{x}\t{y}" for n, x, y in pts))    # pasted, as from Excel
    qtbot.keyClicks(dlg.parcel_no, "330302001001GB09998")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.result() == CoordinatesDialog.DialogCode.Accepted
    window.editing.add_typed(dlg)
    p = doc.project.parcels[0]
    assert p.point_names == ("J1", "J2", "J3", "J4")
    assert [(y, x) for x, y in list(p.geometry.exterior.coords)[:-1]] == [(x, y) for _, x, y in pts]
    # kept in the project file
    window.files.save_as(str(tmp_path / "typed.gpkg"))
    window.files.open(str(tmp_path / "typed.gpkg"))
    p = doc.project.parcels[0]
    assert p.point_names == ("J1", "J2", "J3", "J4")
    assert [(y, x) for x, y in list(p.geometry.exterior.coords)[:-1]] == [(x, y) for _, x, y in pts]
    # and on the report
    doc.selection.set([p.uid])
    out = tmp_path / "typed.pdf"
    dialogs.question = QMessageBox.StandardButton.Yes       # no taxpayer yet: print anyway
    assert window.files.report("pdf", False, path=str(out))
    text = pdf_text(out)
    assert table_rows(text) == [(n, float(x), float(y)) for n, x, y in pts]


@pytest.mark.gui
def test_moving_a_vertex_keeps_the_names_adding_one_drops_them(make_window, qtbot):
    from desktop.commands import EditParcel
    from desktop.dialogs.coordinates_dialog import CoordinatesDialog

    doc, window = make_window()
    pts = corners()
    dlg = CoordinatesDialog(doc.zoneset.bounds, window)
    qtbot.addWidget(dlg)
    dlg.set_text("\n".join(f"{n} {x} {y}" for n, x, y in [("A", *pts[0][1:]), ("B", *pts[1][1:]), ("C", *pts[2][1:]),
                                                           ("D", *pts[3][1:])]))
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    window.editing.add_typed(dlg)
    p = doc.project.parcels[0]
    coords = list(p.geometry.exterior.coords)[:-1]
    moved = shapely.Polygon([(coords[0][0] - 1, coords[0][1])] + coords[1:])
    doc.stack.push(EditParcel(doc, p.uid, geometry=moved))
    assert doc.project.parcels[0].point_names == ("A", "B", "C", "D")
    five = shapely.Polygon(coords[:2] + [((coords[1][0] + coords[2][0]) / 2 + 1, (coords[1][1] + coords[2][1]) / 2)]
                           + coords[2:])
    doc.stack.push(EditParcel(doc, p.uid, geometry=five))
    assert doc.project.parcels[0].point_names == ()
    doc.stack.undo()
    assert doc.project.parcels[0].point_names == ("A", "B", "C", "D")
    _ = Qt


def test_cli_reports_imported_points_in_file_order_with_their_names(tmp_path):
    pts = corners()
    src = tmp_path / "points.csv"
    src.write_text("宗地号,点号,X,Y\n" + "\n".join(f"Z-1,{n.replace('J', 'P')},{x},{y}" for n, x, y in pts) + "\n",
                   encoding="utf-8")
    out, pdf = tmp_path / "out.csv", tmp_path / "out.pdf"
    r = cli("assess", src, "--out", out, "--year", "2024", "--crs", "EPSG:4549", "--report", pdf)
    assert r.returncode == 0, r.stderr
    text = pdf_text(pdf)
    assert table_rows(text) == [(n.replace("J", "P"), float(x), float(y)) for n, x, y in pts]
    with open(out, encoding="utf-8-sig") as f:
        assert "point_names" not in next(csv.reader(f))       # names are for the report, not a result column
    gpkg = tmp_path / "out.gpkg"
    r = cli("assess", src, "--out", gpkg, "--year", "2024", "--crs", "EPSG:4549")
    assert r.returncode == 0, r.stderr
    ring = list(gpd.read_file(gpkg).geometry.iloc[0].exterior.coords)[:-1]
    assert [(round(y), round(x)) for x, y in ring] == [(x, y) for _, x, y in pts]       # the file's order kept


def test_readers_keep_point_names_in_the_outline_order(tmp_path):
    """A points table with a hole (圈号 2) and the exchange text: one name per point of the built
    outline, outer ring first, in the file's order, closing points left out."""
    from zones.io.exchange import read_exchange
    from zones.io.points import read_point_table
    from zones.point_names import parse

    src = tmp_path / "holes.csv"
    rows = [("A", 1, 3100100, 564000), ("B", 1, 3100100, 564100), ("C", 1, 3100000, 564100), ("D", 1, 3100000, 564000),
            ("H1", 2, 3100060, 564040), ("H2", 2, 3100060, 564060), ("H3", 2, 3100040, 564060), ("H1", 2, 3100060, 564040)]
    src.write_text("宗地号,点号,圈号,X,Y\n" + "\n".join(f"Q,{n},{r},{x},{y}" for n, r, x, y in rows) + "\n", encoding="utf-8")
    r = read_point_table(src, crs="EPSG:4549")
    g = r.parcels.geometry.iloc[0]
    assert parse(r.parcels["point_names"].iloc[0]) == ("A", "B", "C", "D", "H1", "H2", "H3")
    assert [(round(y), round(x)) for x, y in list(g.exterior.coords)[:-1]] == [(x, y) for _, _, x, y in rows[:4]]
    assert [p.label for ring in boundary_rings(g, parse(r.parcels["point_names"].iloc[0])) for p in ring.points] \
        == ["A", "B", "C", "D", "H1", "H2", "H3"]
    from test_io_exchange import GBK_FILE

    ex = read_exchange(GBK_FILE)
    names = parse(ex.parcels["point_names"].iloc[0])
    geom = ex.parcels.geometry.iloc[0]
    assert len(names) == len(geom.exterior.coords) - 1 + sum(len(h.coords) - 1 for h in geom.interiors)
    assert names[0] and all(names)


def test_cass_points_keep_their_names(tmp_path):
    from zones.io.cass import read_cass
    from zones.point_names import parse

    pts = corners()
    dat = tmp_path / "p.dat"
    dat.write_text("\n".join(f"K{k},,{y},{x},0" for k, (_, x, y) in enumerate(pts, 1)) + "\n", encoding="utf-8")
    r = read_cass(dat, crs="EPSG:4549")
    assert parse(r.parcels["point_names"].iloc[0]) == ("K1", "K2", "K3", "K4")
    ring = list(r.parcels.geometry.iloc[0].exterior.coords)[:-1]
    assert [(round(y), round(x)) for x, y in ring] == [(x, y) for _, x, y in pts]


@pytest.mark.gui
def test_an_imported_point_table_keeps_its_names_in_the_project(make_window, tmp_path, dialogs):
    from PySide6.QtWidgets import QMessageBox

    doc, window = make_window()
    dialogs.question = QMessageBox.StandardButton.Yes       # a point table names no taxpayer: print anyway
    pts = corners()
    src = tmp_path / "points.csv"
    src.write_text("宗地号,点号,X,Y\n" + "\n".join(f"Z-9,{n}a,{x},{y}" for n, x, y in pts) + "\n",
                   encoding="utf-8")
    assert window.files.import_file(str(src), interactive=False)
    p = doc.project.parcels[0]
    assert p.point_names == ("J1a", "J2a", "J3a", "J4a") and p.get("parcel_no") == "Z-9"
    doc.selection.set([p.uid])
    out = tmp_path / "imported.pdf"
    assert window.files.report("pdf", False, path=str(out))
    text = pdf_text(out)
    assert table_rows(text) == [(n + "a", float(x), float(y)) for n, x, y in pts]
