"""Opening a project file in bulk (issue 10: a district's project opens in ≤ 5 s): the
parcels made from the file's columns, their attributes' JSON text made from the Arrow
columns for the first fingerprints, the grade pieces grouped, and the map's outlines, are
exactly what the one-by-one code made, on real saved files with awkward values."""

from __future__ import annotations

import dataclasses
import gc
from decimal import Decimal

import geopandas as gpd
import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from zones.collector import collector_paused
from zones.periods import TaxPeriod
from zones.project import (
    Parcel,
    Project,
    Review,
    Source,
    assess_context,
    assess_parcels,
    attrs_json,
    fingerprint,
    fingerprints,
)
from zones.project_file import load_project, save_project
from zones.reliefs import load_catalogue
from zones.zoneset import ZoneSet

#: values JSON escapes (quote, backslash, control characters), non-ASCII, full-width, blanks
AWKWARD = ['他说"好"', "C:\\地块\\1", "第一行\n第二行", "tab\there", "bell\x07", "\x1f", "全角１２３", " ", "", "√",
           "A;B", "A；B", "😀 emoji", "\\u0041", "quote\" and \\ both"]


def zoneset() -> ZoneSet:
    grades = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                              crs="EPSG:4549")
    return ZoneSet("syn", "Synthetic", "1", "EPSG:4549", {1: Decimal(15), 2: Decimal(10)}, grades)


def awkward_project() -> Project:
    src = Source("import", "甲", "2024-01-02T03:04:05", file="a.gpkg", sha256="0" * 64, what="导入自 a.gpkg")
    pr = Project(period=TaxPeriod(2024))
    for k in range(60):
        value = AWKWARD[k % len(AWKWARD)]
        attrs = {"parcel_no": f"P{k}", "taxpayer_name": value, "address": AWKWARD[(k * 7) % len(AWKWARD)]}
        if k % 4 == 0:
            attrs["declared_area"] = "25.00"
        if k % 9 == 0:
            attrs = {}                       # a parcel without any attribute
        attrs = {f: v for f, v in attrs.items() if v}
        x = (k % 20) * 10.0 - 5            # every second outline across the grade line at x = 100
        pr.parcels.append(Parcel(
            f"u{k:03d}", shapely.box(x, k, x + 12, k + 3), attrs,
            Review("乙", "2024-05-06T07:08:09", "") if k % 5 == 0 else None, "甲" if k % 3 else "",
            src if k % 2 else None, (("repaired", "导入时图形无效，已修复"),) if k % 11 == 0 else (),
            ("J1", "J2", "J3", "J4") if k % 13 == 0 else ()))
    zs = zoneset()
    pr.context = assess_context(zs, pr.period)
    pr.set_results(assess_parcels(pr.parcels, zs, pr.period, catalogue=load_catalogue())[0], compare=False)
    return pr


def test_parcels_read_in_bulk_are_the_saved_ones(tmp_path):
    pr = awkward_project()
    back = load_project(save_project(pr, tmp_path / "awkward.gpkg"))
    names = {f.name for f in dataclasses.fields(Parcel)}
    assert len(back.parcels) == len(pr.parcels)
    for p, q in zip(pr.parcels, back.parcels):
        assert set(vars(q)) == names                      # every field set, as the constructor sets them
        assert q == Parcel(**{n: getattr(q, n) for n in names})
        assert (q.uid, q.attrs, q.geometry.wkb, q.entered_by, q.source, q.import_flags, q.point_names) == (
            p.uid, p.attrs, p.geometry.wkb, p.entered_by, p.source, p.import_flags, p.point_names)
        assert (q.review.reviewer, q.review.when) == (p.review.reviewer, p.review.when) if p.review else q.review is None
    # pieces: two for parcels across the grade line, in the file's order; flags split
    for uid, s in pr.results.items():
        t = back.results[uid]
        assert [(g, geom.wkb) for g, geom in t.pieces] == [(g, geom.wkb) for g, geom in s.pieces]
        assert t.flags == s.result.flags and t.due == s.result.due
    assert any(len(s.pieces) == 2 for s in back.results.values())


def test_attribute_texts_made_in_bulk_are_those_fingerprints_hash(tmp_path):
    pr = awkward_project()
    back = load_project(save_project(pr, tmp_path / "awkward.gpkg"))
    texts = back.attrs_texts
    assert set(texts) == {p.uid for p in back.parcels}
    for p in back.parcels:
        parcel, wkb, text = texts[p.uid]
        assert parcel is p
        assert wkb == p.geometry.wkb                      # the file's bytes: what geometry.wkb writes
        assert text == attrs_json(p.attrs).encode()       # to the byte, escapes included
    ctx = assess_context(zoneset(), TaxPeriod(2024))
    assert fingerprints(back.parcels, ctx, texts) == [fingerprint(p, ctx) for p in back.parcels]
    # the results the file keeps are current: the same fingerprints as when they were assessed
    back.context = ctx
    assert back.stale() == [] and back.attrs_texts == {}      # used once, then dropped
    # a text is used for its own snapshot only: an edited parcel is fingerprinted afresh
    p = back.parcels[1]
    edited = dataclasses.replace(p, attrs={**p.attrs, "address": "新地址"}, geometry=shapely.box(0, 0, 5, 5))
    assert fingerprints([edited], ctx, {p.uid: texts[p.uid]}) == [fingerprint(edited, ctx)]


def test_an_outline_in_other_bytes_shows_its_result_as_stale_never_a_stale_one_as_current(tmp_path):
    """Another writer's WKB (big-endian here) for the same outline gives another fingerprint: the
    result is assessed again. Equal bytes read back to the very outline that was assessed."""
    pr = awkward_project()
    back = load_project(save_project(pr, tmp_path / "awkward.gpkg"))
    p = back.parcels[2]
    parcel, wkb, text = back.attrs_texts[p.uid]
    big_endian = shapely.to_wkb(p.geometry, byte_order=0)
    assert big_endian != wkb and shapely.from_wkb(big_endian).equals_exact(p.geometry, 0)
    back.attrs_texts[p.uid] = (parcel, big_endian, text)
    back.context = assess_context(zoneset(), TaxPeriod(2024))
    assert back.stale() == [2]


def test_without_arrow_columns_there_are_no_texts_and_the_same_fingerprints(tmp_path):
    from zones import project_file

    pr = awkward_project()
    path = save_project(pr, tmp_path / "awkward.gpkg")
    df = gpd.read_file(path, layer="parcels", engine="pyogrio", use_arrow=False)
    df = df.astype({c: object for c in df.columns if c != "geometry"})
    assert project_file._attrs_texts(df, pr.parcels) == {}


def test_the_maps_outlines_keep_polygons_and_empty_the_rest():
    from desktop.map.paths import _polygonal

    tri = Polygon([(0, 0), (1, 0), (1, 1)])
    geoms = [tri, None, Polygon(), LineString([(0, 0), (1, 1)]), GeometryCollection([tri, Point(0, 0)]),
             MultiPolygon([tri]), GeometryCollection(), Point(3, 3)]
    out = _polygonal(geoms)
    assert out[0] is tri and out[5] is geoms[5]
    assert [g.wkt for g in out] == ["POLYGON ((0 0, 1 0, 1 1, 0 0))", "POLYGON EMPTY", "POLYGON EMPTY",
                                    "POLYGON EMPTY", "POLYGON ((0 0, 1 0, 1 1, 0 0))",
                                    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))", "POLYGON EMPTY", "POLYGON EMPTY"]


def test_the_collector_is_paused_while_a_project_is_read_and_as_it_was_afterwards(tmp_path, monkeypatch):
    from zones import project_file

    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            pass
        assert not gc.isenabled()       # a nested block leaves it paused
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()       # paused by the caller: left paused
    finally:
        gc.enable()
    path = save_project(awkward_project(), tmp_path / "awkward.gpkg")
    parse, seen = project_file._project_from_tables, []

    def watched(*args):
        seen.append(gc.isenabled())
        return parse(*args)
    monkeypatch.setattr(project_file, "_project_from_tables", watched)
    assert len(load_project(path)) == 60
    assert seen == [False] and gc.isenabled()


def test_results_share_one_object_per_distinct_provenance(tmp_path):
    pr = awkward_project()
    back = load_project(save_project(pr, tmp_path / "awkward.gpkg"))
    for uid, s in pr.results.items():
        assert back.results[uid].texts() == s.texts()
    shared = {id(s.provenance_text()) for s in back.results.values()}
    assert len(shared) == len({s.provenance_text() for s in back.results.values()}) < len(back.results)


def test_text_columns_in_batches_are_read_as_one():
    """GDAL hands a long table over in batches of 65,536 rows: the columns are chunked."""
    import pandas as pd
    import pyarrow as pa

    from zones import project_file

    chunks = pa.chunked_array([["a", None, ""], ["他说\"好\"", "a", "x\\y"]], type=pa.large_string())
    col = pd.Series(pd.arrays.ArrowStringArray(chunks))
    assert project_file._arrow_texts(col).to_pylist() == ["a", None, "", "他说\"好\"", "a", "x\\y"]
    assert project_file._shared_texts(col) == ["a", "", "", "他说\"好\"", "a", "x\\y"]
    assert list(project_file._filled(pd.DataFrame({"c": col}), "c")) == [(0, "a"), (3, "他说\"好\""), (4, "a"),
                                                                         (5, "x\\y")]
    df = pd.DataFrame({"parcel_no": col, "address": pd.Series(pd.arrays.ArrowStringArray(chunks))})
    parcels = [Parcel(f"u{k}", None, {}) for k in range(6)]
    texts = project_file._attrs_texts(df, parcels)
    for p, v in zip(parcels, chunks.to_pylist()):
        assert texts[p.uid][1] is None                     # no outlines' WKB given
        assert texts[p.uid][2] == attrs_json({"address": v, "parcel_no": v} if v else {}).encode()


def test_the_parcels_table_is_read_as_pyogrio_reads_it(tmp_path):
    import pyogrio
    from geopandas.testing import assert_geodataframe_equal

    from zones import project_file

    path = save_project(awkward_project(), tmp_path / "awkward.gpkg")
    ours, wkb = project_file._read_parcels(path)
    assert_geodataframe_equal(ours, pyogrio.read_dataframe(path, layer="parcels", use_arrow=True))
    assert wkb.tolist() == [g.wkb for g in ours.geometry.values]


def test_opening_in_the_window_shows_the_stored_results_with_the_collector_paused_meanwhile(make_window, tmp_path,
                                                                                            monkeypatch):
    """File ▸ Open of a saved project: every stored result is current (the fingerprints made
    from the file's bytes and texts are those of the assessment); no cyclic collection while
    the project is read and the views are built; the collector runs again afterwards."""
    doc, window = make_window()
    window.files.open_sample()
    window.assessing.assess_all()
    saved = doc.save(tmp_path / "sample.gpkg")
    results = {uid: s.texts() for uid, s in doc.project.results.items()}
    assert results
    window.files.new()
    seen = []
    notify = type(doc).notify

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return notify(self, *args, **kwargs)
    monkeypatch.setattr(type(doc), "notify", watched)
    assert window.files.open(str(saved))
    assert seen and not any(seen) and gc.isenabled()
    assert doc.project.stale() == []
    assert {uid: doc.project.current_result(uid).texts() for uid in results} == results


def test_result_texts_stay_in_their_column_until_read_and_are_saved_unchanged(tmp_path):
    """An opened project's results keep their JSON in the file's Arrow column (no Python text
    per result); reading one parses it; a save writes every text back byte for byte, those
    still in the column, those read since and a new result's own, each in its row."""
    import pyogrio

    pr = awkward_project()
    first = save_project(pr, tmp_path / "first.gpkg")
    back = load_project(first)
    assert all(s.json_in_column() is not None for s in back.results.values())
    uids = list(back.results)
    read = back.results[uids[3]]
    assert read.result == pr.results[uids[3]].result and read.json_in_column() is not None
    assert read.texts() == pr.results[uids[3]].texts() and read.json_in_column() is None    # now its own text
    # a re-assessed parcel's new result (its own text) among results still in the column
    edited = back.parcels[7]
    back.parcels[7] = dataclasses.replace(edited, attrs={**edited.attrs, "declared_area": "99.00"})
    back.set_results(assess_parcels([back.parcels[7]], zoneset(), back.period, catalogue=load_catalogue())[0],
                     compare=False)
    assert back.results[edited.uid].json_in_column() is None
    second = save_project(back, tmp_path / "second.gpkg")
    table = pyogrio.read_dataframe(second, layer="results", use_arrow=True)
    written = dict(zip(table["uid"], table["result"]))
    assert written == {uid: s.texts()[0] for uid, s in back.results.items()}
    assert {u: t for u, t in written.items() if u != edited.uid} == \
        {uid: s.texts()[0] for uid, s in pr.results.items() if uid != edited.uid}
    assert written[edited.uid] != pr.results[edited.uid].texts()[0]
    assert {uid: s.texts() for uid, s in load_project(second).results.items()} == \
        {uid: s.texts() for uid, s in back.results.items()}
