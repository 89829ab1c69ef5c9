"""The overlap check between the parcels of a batch: the separating-line and wedge shortcuts
find exactly the overlaps the plain GEOS test finds (both parcels flagged, the partner named,
the same areas where they are stated), on known shapes, on a cadastre of touching lots and on
random data."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from zones.overlap_check import Wedges, overlap_areas, overlapping_pairs
from zones.overlay import SeparatingShapes, interior_overlaps, overlapping_parcels

TOL = 0.01          # OVERLAP_MIN_M2 of the importer, overlap_tolerance_m2 of the assessment


def reference(geoms):
    """The check as it was before the shortcut: every pair of meeting boxes asked of GEOS
    (intersects, then the interior test, then the area), pairs in record order."""
    geoms = np.asarray(geoms, dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    hit = shapely.intersects(geoms[a], geoms[b])
    a, b = a[hit], b[hit]
    inner = shapely.relate_pattern(geoms[a], geoms[b], "T********")
    a, b = a[inner], b[inner]
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    return a, b, shapely.area(shapely.intersection(geoms[a], geoms[b]))


def flagged(result, tol=TOL):
    a, b, area = result
    big = area > tol
    return list(zip(a[big].tolist(), b[big].tolist())), area[big]


def reference_pairs(geoms, min_area, *, checked=False, outlines=None, box=None):
    """``overlapping_pairs`` as measuring every intersection gives it (the importer's corners unused)."""
    a, b, area = reference(geoms)
    big = area > min_area
    return a[big], b[big]


def assert_same_as_reference(geoms):
    new, old = flagged(interior_overlaps(geoms)), flagged(reference(geoms))
    assert new[0] == old[0]
    np.testing.assert_allclose(new[1], old[1], rtol=0, atol=1e-9)
    for tol in (0.0, TOL, 1.0):          # the pairs alone, never measured where a wedge proves them
        pairs = overlapping_pairs(geoms, tol)
        assert list(zip(*(p.tolist() for p in pairs))) == flagged(reference(geoms), tol)[0]


def jittered_grid(rng, rows, cols, side=30.0, jitter=0.3, x0=500_000.0, y0=3_100_000.0):
    """Quadrilateral lots sharing their corners (a cadastre), corners moved at random."""
    px, py = np.meshgrid(x0 + np.arange(cols + 1) * side, y0 + np.arange(rows + 1) * side)
    px = px + rng.uniform(-jitter, jitter, px.shape) * side
    py = py + rng.uniform(-jitter, jitter, py.shape) * side
    ring = np.stack([np.stack([px[:-1, :-1], px[:-1, 1:], px[1:, 1:], px[1:, :-1], px[:-1, :-1]], -1),
                     np.stack([py[:-1, :-1], py[:-1, 1:], py[1:, 1:], py[1:, :-1], py[:-1, :-1]], -1)], -1)
    return shapely.polygons(shapely.linearrings(ring.reshape(-1, 5, 2)))


def test_touching_lots_are_not_overlaps_and_a_duplicate_is():
    lots = [shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10), shapely.box(10, 10, 20, 20),
            shapely.box(0, 0, 10, 10)]                   # the last: the first registered again
    a, b, area = interior_overlaps(np.array(lots, dtype=object))
    assert list(zip(a.tolist(), b.tolist())) == [(0, 3)]
    assert area.tolist() == [100.0]
    assert overlapping_parcels(np.array(lots, dtype=object)) == {0: [3], 3: [0]}


def test_known_overlaps_with_their_areas():
    geoms = np.array([
        shapely.box(0, 0, 10, 10),
        shapely.box(5, 5, 15, 15),                                        # 25 m² with 0
        shapely.box(2, 2, 4, 4),                                          # inside 0: 4 m²
        shapely.Polygon([(20, 0), (30, 0), (30, 10), (25, 2), (20, 10)]),   # concave (a notch)
        shapely.box(24, 5, 26, 12),                                       # in the notch, not touching 3
        shapely.Polygon([(40, 0), (50, 0), (50, 10), (40, 10)], [[(42, 2), (48, 2), (48, 8), (42, 8)]]),
        shapely.box(43, 3, 47, 7),                                        # in the hole of 5: no overlap
        shapely.MultiPolygon([shapely.box(60, 0, 62, 2), shapely.box(70, 0, 72, 2)]),
        shapely.box(61, 1, 71, 1.5),                                      # 0.5 + 0.5 m² with 7
        shapely.box(100, 0, 100.1, 0.05),
        shapely.box(100.05, 0, 100.2, 0.05),                              # 0.0025 m²: below the tolerance
    ], dtype=object)
    pairs, areas = flagged(interior_overlaps(geoms))
    assert pairs == [(0, 1), (0, 2), (7, 8)]
    assert dict(zip(pairs, areas.tolist()))[(0, 1)] == pytest.approx(25.0)
    assert dict(zip(pairs, areas.tolist()))[(0, 2)] == pytest.approx(4.0)
    assert dict(zip(pairs, areas.tolist()))[(7, 8)] == pytest.approx(1.0)
    assert_same_as_reference(geoms)


def test_cadastre_with_shared_use_parcels_matches_the_reference():
    rng = np.random.default_rng(7)
    lots = jittered_grid(rng, 40, 50)
    twice = rng.choice(len(lots), 40, replace=False)
    geoms = np.concatenate([lots, lots[twice]])[rng.permutation(len(lots) + 40)]
    new = flagged(interior_overlaps(geoms))
    assert len(new[0]) == 40                              # each shared-use parcel with its twin, once
    assert_same_as_reference(geoms)
    # the lots themselves only touch: every neighbouring pair is parted by a straight line
    a, b = shapely.STRtree(lots).query(lots)
    keep = a < b
    assert SeparatingShapes(lots).separated(a[keep], b[keep]).sum() >= 0.99 * keep.sum()


def test_random_overlapping_parcels_match_the_reference():
    rng = np.random.default_rng(11)
    n = 800
    cx, cy = rng.uniform(0, 600, n), rng.uniform(0, 600, n)
    out = []
    for x, y in zip(cx, cy):
        m = int(rng.integers(3, 40))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(3, 25, m)
        out.append(shapely.make_valid(shapely.Polygon(np.c_[x + r * np.cos(th), y + r * np.sin(th)])))
    geoms = np.array([g if g.geom_type in ("Polygon", "MultiPolygon") else shapely.convex_hull(g) for g in out],
                     dtype=object)
    geoms = np.concatenate([geoms, np.array([shapely.box(0, 0, 600, 600, ccw=False)], dtype=object),
                            shapely.buffer(geoms[:50], 0.5), geoms[50:60]])
    assert len(flagged(interior_overlaps(geoms))[0]) > 800
    assert_same_as_reference(geoms)


coord = st.integers(0, 12).map(float)


@st.composite
def polygons(draw):
    """Small polygons on a coarse grid, so that shared vertices, shared edges, collinear
    edges, containment and exact duplicates come up often; clockwise or not."""
    kind = draw(st.sampled_from(["box", "triangle", "poly"]))
    if kind == "box":
        x, y = draw(coord), draw(coord)
        w, h = draw(st.integers(1, 6)), draw(st.integers(1, 6))
        return shapely.box(x, y, x + w, y + h, ccw=draw(st.booleans()))
    pts = draw(st.lists(st.tuples(coord, coord), min_size=3, max_size=7 if kind == "poly" else 3, unique=True))
    g = shapely.make_valid(shapely.Polygon(pts))
    polys = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon" and p.area > 0]
    if not polys:
        return shapely.box(pts[0][0], pts[0][1], pts[0][0] + 1, pts[0][1] + 1)
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


@settings(max_examples=150, deadline=None)
@given(st.lists(polygons(), min_size=2, max_size=12), st.sampled_from([(0.0, 0.0), (512_345.678, 3_061_234.5)]))
def test_any_small_batch_matches_the_reference(geoms, offset):
    geoms = np.array([shapely.transform(g, lambda xy: xy + offset) for g in geoms], dtype=object)
    new, old = interior_overlaps(geoms), reference(geoms)
    assert flagged(new, 0.0)[0] == flagged(old, 0.0)[0]      # every pair with any overlap at all
    assert_same_as_reference(geoms)


def test_results_file_is_byte_identical_with_the_reference_check(tmp_path, monkeypatch, capsys):
    """The whole command on a generated register (a cadastre over the bundled zones, shared-use
    parcels registered twice, random parcels strewn over it): the CSV and the findings are the
    same, byte for byte, whether the overlaps are found by the shortcut or by the plain test."""
    import geopandas as gpd

    import zones.overlap_check
    from zones.cli import main
    from zones.zoneset import load_zoneset

    rng = np.random.default_rng(3)
    zs = load_zoneset("wenzhou-urban-2024")
    centre = shapely.centroid(zs.grades.geometry.values[list(zs.grades["grade"]).index(1)])
    lots = jittered_grid(rng, 50, 60, x0=centre.x - 900, y0=centre.y - 750)
    twice = lots[rng.choice(len(lots), 60, replace=False)]
    th = np.linspace(0, 2 * np.pi, 9)[:-1]
    strewn = [shapely.Polygon(np.c_[x + rng.uniform(5, 30, 8) * np.cos(th), y + rng.uniform(5, 30, 8) * np.sin(th)])
              for x, y in zip(rng.uniform(centre.x - 900, centre.x + 900, 300), rng.uniform(centre.y - 750, centre.y + 750, 300))]
    geoms = np.concatenate([lots, twice, np.array(strewn, dtype=object)])
    src = tmp_path / "register.gpkg"
    gpd.GeoDataFrame({"宗地号": [f"P{i:05d}" for i in range(len(geoms))]}, geometry=geoms, crs=zs.crs).to_file(src)

    def run(out):
        assert main(["assess", str(src), "--out", str(out), "--year", "2024"]) == 0
        return [ln.replace(out.name, "OUT") for ln in capsys.readouterr().err.splitlines() if "wrote" not in ln]

    found = run(tmp_path / "new.csv")
    monkeypatch.setattr(zones.overlap_check, "overlapping_pairs", reference_pairs)
    assert run(tmp_path / "old.csv") == found
    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()
    # stderr shows the first 50 findings; all of them are in the findings file beside the output
    listed = (tmp_path / "new.csv.findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert sum("overlap" in ln for ln in listed) > 2 * 60          # the twins, and the strewn parcels
    old_listed = (tmp_path / "old.csv.findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [ln.split(",", 1)[1] for ln in old_listed[1:]] == [ln.split(",", 1)[1] for ln in listed[1:]]


def test_an_outline_geos_cannot_intersect_does_not_stop_the_check():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])        # invalid: not from an importer
    geoms = np.array([bowtie, shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10), shapely.box(25, 5, 35, 15)],
                     dtype=object)
    pairs, areas = flagged(interior_overlaps(geoms))
    assert (2, 3) in pairs and dict(zip(pairs, areas.tolist()))[(2, 3)] == pytest.approx(25.0)


def test_findings_made_in_bulk_equal_findings_made_one_by_one():
    """Finding.many (the overlap check's half-million findings) escapes as the constructor does."""
    from zones.io.base import Finding

    source = "/tmp/地块\x1b[2J.gpkg"
    records = [7, "id\x1b  x", None, 12]
    messages = ["overlaps record 9 by 1.50 m²", "a \n b\u202e", "", "x" * 400]
    one_by_one = [Finding(source, r, "overlap", m) for r, m in zip(records, messages)]
    bulk = Finding.many(source, "overlap", records, messages)
    assert bulk == one_by_one
    own = ["overlaps record 9 by 1.50 m²", "overlaps record 12", "overlaps record 3 by 1,234.00 m²"]
    assert Finding.many(source, "overlap", [7, 8, "id\x1b"], own, own_words=True) == \
        [Finding(source, r, "overlap", m) for r, m in zip([7, 8, "id\x1b"], own)]
    assert [str(f) for f in bulk] == [str(f) for f in one_by_one]
    assert bulk[1].record == "id\\e  x" and "\\u202e" in bulk[1].message and bulk[0].source.endswith("\\e[2J.gpkg")


def test_overlaps_at_the_tolerance_are_measured_not_guessed():
    """Pairs overlapping by just under, at and just over 0.01 m² (and a thin crossing with no
    corner inside the other): decided by GEOS's area exactly as before."""
    geoms = np.array([
        shapely.box(0, 0, 10, 10), shapely.box(9.999, 0, 20, 10),           # 0.01 m² (10 × 0.001, a hair under)
        shapely.box(30, 0, 40, 10), shapely.box(39.99899, 0, 50, 10),        # just over
        shapely.box(60, 0, 70, 10), shapely.box(69.99901, 0, 80, 10),        # just under
        shapely.box(100, 0, 110, 1), shapely.box(104, -5, 105, 6),           # a cross: 1 m², no corner inside
    ], dtype=object)
    area = reference(geoms)[2]
    assert sorted(area.round(6).tolist()) == [0.0099, 0.01, 0.0101, 1.0]
    a, b = overlapping_pairs(geoms, TOL)
    assert list(zip(a.tolist(), b.tolist())) == [(2, 3), (6, 7)]
    assert_same_as_reference(geoms)


def test_a_wedge_never_proves_more_than_the_overlap():
    """Every pair a corner proves overlaps by more than the proof when GEOS measures it: star,
    concave, clockwise and spiky outlines strewn over each other."""
    rng = np.random.default_rng(5)
    out = []
    for x, y in zip(rng.uniform(0, 300, 600), rng.uniform(0, 300, 600)):
        m = int(rng.integers(3, 25))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(0.5, 20, m)
        ring = np.c_[x + r * np.cos(th), y + r * np.sin(th)]
        out.append(shapely.Polygon(ring if rng.random() < 0.5 else ring[::-1]))
    geoms = np.array([g for g in out if g.is_valid], dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    area = overlap_areas(geoms, a, b)
    wedges = Wedges(geoms, checked=True)
    for proof in (0.02, 1.0, 10.0):
        for one, other in ((a, b), (b, a)):
            proven = wedges.proves(one, other, proof)
            assert proven.sum() > 0.3 * (area > 10 * proof).sum()      # it proves most real overlaps
            assert (area[proven] > proof).all()


def test_touching_squares_are_not_flagged_overlapping_ones_are_both_named_with_the_area(tmp_path):
    import geopandas as gpd

    from zones.io.validate import validate_parcels

    parcels = gpd.GeoDataFrame({"宗地号": ["A", "B", "C", "D"]}, geometry=[
        shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10),        # touch along an edge
        shapely.box(15, 5, 25, 15),                                   # overlaps B by 25 m²
        shapely.box(20, 10, 30, 20)], crs=4549)                       # overlaps C by 25 m², touches B at a corner
    _, findings = validate_parcels(parcels, "p.gpkg")
    overlaps = [(f.record, f.message) for f in findings if f.code == "overlap"]
    assert overlaps == [(2, "overlaps record 3 by 25.00 m²"), (3, "overlaps record 2 by 25.00 m²"),
                        (3, "overlaps record 4 by 25.00 m²"), (4, "overlaps record 3 by 25.00 m²")]


def test_areas_are_stated_for_the_first_pairs_only(monkeypatch):
    """Beyond OVERLAP_AREAS_MAX pairs a finding names the partner without the area, and one
    finding says so; the flags (every overlapping record, both ways) are unchanged."""
    import geopandas as gpd

    import zones.io.validate as validate

    monkeypatch.setattr(validate, "OVERLAP_AREAS_MAX", 2)
    boxes = [shapely.box(20 * i, 0, 20 * i + 10, 10) for i in range(4)]
    twins = [shapely.box(20 * i + 5, 0, 20 * i + 15, 10) for i in range(4)]     # 50 m² with each box
    parcels = gpd.GeoDataFrame(geometry=boxes + twins, crs=4549)
    _, findings = validate.validate_parcels(parcels, "p.gpkg")
    told = [(f.record, f.message) for f in findings if f.code == "overlap" and f.record is not None]
    assert told == [(1, "overlaps record 5 by 50.00 m²"), (2, "overlaps record 6 by 50.00 m²"),
                    (3, "overlaps record 7"), (4, "overlaps record 8"),
                    (5, "overlaps record 1 by 50.00 m²"), (6, "overlaps record 2 by 50.00 m²"),
                    (7, "overlaps record 3"), (8, "overlaps record 4")]
    summary = [f for f in findings if f.code == "overlap" and f.record is None]
    assert [f.message for f in summary] == ["4 pairs of parcels overlap; the overlap area is stated for the first "
                                            "2 pairs (in record order) and the others name the partner only"]
    assert summary[0].severity == "info"


def test_record_flags_name_the_rows_kept_whatever_the_index():
    """Findings become flags on the row of their record: records dropped on import are skipped,
    a finding without a record is not a flag, and an index out of file order still works."""
    import geopandas as gpd

    from zones.io.base import Finding, ImportResult

    findings = [Finding("f", 1, "overlap", "overlaps record 4"), Finding("f", 2, "overlap", "x"),
                Finding("f", 4, "overlap", "overlaps record 1"), Finding("f", None, "overlap", "summary"),
                Finding("f", 4, "repaired", "fixed"), Finding("f", 9, "overlap", "beyond the file"),
                Finding("f", 3, "duplicate_id", "not asked for")]
    prefixes = {"overlap": "重叠：", "repaired": "修复："}
    want = {0: [("overlap", "重叠：overlaps record 4")], 2: [("overlap", "重叠：overlaps record 1"), ("repaired", "修复：fixed")]}
    kept = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)] * 3, index=[0, 2, 3])      # record 2 was dropped
    assert ImportResult(kept, "f", findings=findings).record_flags(prefixes) == want
    shuffled = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)] * 3, index=[3, 0, 2])
    assert ImportResult(shuffled, "f", findings=findings).record_flags(prefixes) == {
        1: want[0], 0: want[2]}


def test_the_separation_arrays_hold_each_outline_or_its_hull():
    """A convex outline is its own ring in the separation test; a concave, holed or multi-part
    one is stood for by its convex hull (its ring appended after the outlines'); a shape with
    no usable ring (empty, missing) takes no part."""
    rng = np.random.default_rng(2)
    convex = [shapely.Polygon(rng.uniform(0, 10, (int(rng.integers(3, 9)), 2))).convex_hull for _ in range(40)]
    odd = [shapely.Polygon([(0, 0), (4, 0), (4, 4), (2, 1), (0, 4)]),                       # concave (a notch)
           shapely.box(0, 0, 6, 6).difference(shapely.box(2, 2, 4, 4)),                    # a hole
           shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 2)]),      # two parts
           shapely.box(0, 0, 3, 2, ccw=False), None, shapely.Polygon()]
    geoms = np.array(convex[:20] + odd + convex[20:], dtype=object)
    s = SeparatingShapes(geoms)
    box = shapely.total_bounds(geoms)
    centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            assert s.size[i] == -1
            continue
        assert s.size[i] >= 0
        want = shapely.get_coordinates(g if i < 20 or i >= 26 or i == 23 else shapely.convex_hull(g))[:-1]
        ring = np.c_[s.x, s.y][s.start[i]:s.start[i] + s.n[i]] + centre
        np.testing.assert_allclose(ring, want, rtol=0, atol=1e-9)


@pytest.mark.parametrize("columns_from", [0, 10 ** 9])
def test_the_column_test_and_the_array_test_part_the_same_pairs(monkeypatch, columns_from):
    """Many pairs of one size are tested column by column, a few in one array op: the same
    arithmetic, so the same answers; every pair either parts is disjoint in GEOS's eyes."""
    import zones.overlay as overlay

    rng = np.random.default_rng(5)
    lots = jittered_grid(rng, 60, 60)
    stars = []
    for x, y in rng.uniform(0, 1800, (300, 2)):
        m = int(rng.integers(3, 12))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        stars.append(shapely.convex_hull(shapely.MultiPoint(np.c_[500_000 + x + 20 * np.cos(th),
                                                                   3_100_000 + y + 20 * np.sin(th)])))
    shifted = np.array([shapely.transform(g, lambda xy: xy + 0.05) for g in lots[50:80]], dtype=object)
    geoms = np.concatenate([lots, lots[:50], shifted, np.array(stars, dtype=object)])
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    monkeypatch.setattr(overlay, "PARTS_COLUMNS_MIN", columns_from)
    parted = SeparatingShapes(geoms).separated(a, b)
    monkeypatch.setattr(overlay, "PARTS_COLUMNS_MIN", 10 ** 9 - columns_from)
    assert (SeparatingShapes(geoms).separated(a, b) == parted).all()
    assert parted.sum() > 0.9 * len(lots) * 4 and not parted.all()
    assert not shapely.relate_pattern(geoms[a[parted]], geoms[b[parted]], "T********").any()
    twins = (a < 50) & (b == a + len(lots))
    assert twins.sum() == 50 and not parted[twins].any()


def test_twins_are_proven_by_their_own_area_and_only_when_that_proves_it():
    """One outline registered twice overlaps by its whole area; a twin pair at or under the
    proof margin, an invalid twin, or the same outline started at another corner is left to
    the other arguments, and every answer is the reference's."""
    from zones.overlap_check import twins

    lot = shapely.box(0, 0, 10, 10)
    small = shapely.box(20, 0, 20.1, 0.15)                   # 0.015 m²: over the tolerance, under the margin
    tiny = shapely.box(30, 0, 30.1, 0.05)                    # 0.005 m²: under the tolerance
    bowtie = shapely.Polygon([(40, 0), (44, 4), (44, 0), (40, 1)])       # invalid: crosses itself
    assert not bowtie.is_valid and bowtie.area > 1
    turned = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])        # the lot from another corner
    geoms = np.array([lot, lot, small, small, tiny, tiny, bowtie, bowtie, turned], dtype=object)
    a, b = np.array([0, 2, 4, 6, 0]), np.array([1, 3, 5, 7, 8])
    assert twins(geoms, a, b, 2 * TOL).tolist() == [True, False, False, False, False]
    assert twins(geoms, a, b, 2 * TOL, checked=True).tolist() == [True, False, False, True, False]
    valid = geoms[:6].tolist() + [turned]
    pairs = overlapping_pairs(np.array(valid, dtype=object), TOL)
    assert list(zip(*(p.tolist() for p in pairs))) == [(0, 1), (0, 6), (1, 6), (2, 3)]
    assert_same_as_reference(np.array(valid, dtype=object))


@pytest.mark.parametrize("offset", [0.0, 512_345.678])
def test_outlines_whose_boxes_meet_but_not_they_have_no_common_area(offset):
    """Two concave outlines (no separating-line test for them) whose boxes overlap: their common
    area, 0, is known without GEOS, either way round; touching along an edge, or overlapping
    with a corner on the other's edge, is left to GEOS."""
    def poly(pts):
        return shapely.Polygon([(x + offset, y) for x, y in pts])

    # diamonds with a notch (concave), boxes overlapping in the corner [8, 10]²
    hook = poly([(5, 0), (10, 5), (5, 10), (0, 6), (3, 5), (0, 4)])
    beside = poly([(13, 8), (18, 12), (15, 13), (18, 14), (13, 18), (8, 13)])      # edge x + y = 21: 6/√2 m off
    touching = poly([(10, 5), (15, 10), (10, 15), (5, 10), (8, 9)])                 # shares the edge x + y = 15
    across = poly([(9, 4), (14, 9), (9, 14), (4, 9), (7, 8)])                       # over it by a strip
    geoms = np.array([hook, beside, touching, across], dtype=object)
    assert shapely.intersects(shapely.envelope(hook), shapely.envelope(beside))
    area, size, known, geos = _common(geoms, [0, 0, 0, 1], [1, 2, 3, 0])
    assert known.tolist() == [True, False, False, True]      # (the hook's corner (10, 5) lies on across's edge)
    assert area[[0, 3]].tolist() == [0.0, 0.0] and geos[2] > 1
    assert shapely.intersects(hook, touching) and not shapely.intersects(hook, beside)
    assert_same_as_reference(geoms)


def test_t_junctions_shared_edges_and_slivers_either_side_of_the_tolerance():
    """Known answers: lots meeting at a T-junction (a corner on the middle of another's edge)
    or along a shared edge do not overlap; a sliver of 0.011 m² does, one of 0.009 m² does not
    (GEOS's area either side of 0.01 m²); each pair once, both parcels named."""
    x0, y0 = 512_345.0, 3_061_234.0

    def box(x1, y1, x2, y2):
        return shapely.box(x0 + x1, y0 + y1, x0 + x2, y0 + y2)

    geoms = np.array([
        box(0, 0, 20, 10),              # 0
        box(0, 10, 10, 20),             # 1: shares half of 0's top edge
        box(10, 10, 20, 20),            # 2: T-junction: its corner (10, 10) on 0's top edge, beside 1
        box(20, 0, 30, 10.011),         # 3: shares 0's right edge
        box(29.999, 10, 40, 20),        # 4: over 3 by 0.001 × 0.011 m: 0.000011 m², below
        box(40, 0, 50, 10),             # 5
        box(49.989, 0, 60, 1),          # 6: over 5 by 0.011 × 1 m = 0.011 m², above
        box(60, 0, 70, 10),             # 7: touches 6's right edge
        box(69.991, 5, 80, 6),          # 8: over 7 by 0.009 × 1 m = 0.009 m², below
    ], dtype=object)
    pairs = overlapping_pairs(geoms, TOL)
    assert list(zip(*(p.tolist() for p in pairs))) == [(5, 6)]
    area = overlap_areas(geoms, *pairs)
    assert area[0] == pytest.approx(0.011, abs=1e-6)
    assert overlapping_parcels(geoms) == {5: [6], 6: [5]}
    assert_same_as_reference(geoms)


def test_a_disc_inside_both_outlines_proves_an_overlap_and_never_more_than_there_is():
    """Squares of 10 m overlapping by a 2 m strip hold a common disc of radius 1 m (π m²): proven.
    A 0.1 m strip (radius 0.05 m: 0.008 m²), touching squares, a square in the hole of a
    ring: not proven by a disc. On random outlines every disc proof is an overlap GEOS
    measures above the proof."""
    geoms = np.array([
        shapely.box(0, 0, 10, 10), shapely.box(8, 0, 18, 10),             # 0-1: 2 m strip
        shapely.box(30, 0, 40, 10), shapely.box(39.9, 0, 49.9, 10),      # 2-3: 0.1 m strip
        shapely.box(60, 0, 70, 10), shapely.box(70, 0, 80, 10),          # 4-5: touching
        shapely.box(90, 0, 120, 30).difference(shapely.box(95, 5, 115, 25)), shapely.box(100, 10, 110, 20),  # 6-7
        shapely.box(200, 0, 230, 30), shapely.box(210, 10, 212, 12),     # 8-9: one inside the other (4 m²)
    ], dtype=object)
    w = Wedges(geoms, checked=True)
    a, b = np.array([0, 2, 4, 6, 8]), np.array([1, 3, 5, 7, 9])
    assert w.discs(a, b, 2 * TOL).tolist() == [True, False, False, False, True]
    assert w.discs(b, a, 2 * TOL).tolist() == [True, False, False, False, True]
    assert_same_as_reference(geoms)

    rng = np.random.default_rng(3)
    stars = []
    for x, y in rng.uniform(0, 300, (400, 2)):
        m = int(rng.integers(3, 30))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(2, 20, m)
        g = shapely.make_valid(shapely.Polygon(np.c_[512_000 + x + r * np.cos(th), 3_061_000 + y + r * np.sin(th)]))
        stars.append(g if g.geom_type == "Polygon" else shapely.convex_hull(g))
    stars = np.array(stars, dtype=object)
    a, b = shapely.STRtree(stars).query(stars)
    keep = a < b
    a, b = a[keep], b[keep]
    proven = Wedges(stars, checked=True).discs(a, b, 2 * TOL)
    assert proven.sum() > 50
    assert (shapely.area(shapely.intersection(stars[a[proven]], stars[b[proven]])) > 2 * TOL).all()


def test_the_corner_tried_is_the_one_nearest_the_point_inside_the_other_parcel():
    geoms = np.array([shapely.box(0, 0, 10, 10), shapely.Polygon([(100, 0), (110, 0), (105, 8)])], dtype=object)
    w = Wedges(geoms, checked=True)
    # box corners in ring order: (10, 0), (10, 10), (0, 10), (0, 0); triangle: (100, 0), (110, 0), (105, 8)
    A = np.array([0, 0, 0, 1, 1, 0])
    tx = np.array([9.0, 1.0, 5.0, 104.0, 109.0, 0.1]) - w.centre[0]
    ty = np.array([1.0, 9.0, 0.0, 7.0, 1.0, 0.2]) - w.centre[1]
    assert w._nearest(A, tx, ty).tolist() == [0, 2, 0, 2, 1, 3]        # a tie: the first in the ring


def test_ring_orientation_from_the_shoelace_sum_and_from_geos_for_slivers():
    x0 = 512_345.678
    geoms = np.array([
        shapely.box(x0, 0, x0 + 10, 10),                                  # counter-clockwise
        shapely.box(x0, 0, x0 + 10, 10, ccw=False),                       # clockwise
        None,
        shapely.MultiPolygon([shapely.box(x0, 0, x0 + 1, 1)]),           # not a plain polygon
        shapely.Polygon([(x0, 0), (x0 + 100, 0), (x0 + 100, 1e-6)]),     # a sliver (0.00005 m²): GEOS
        shapely.Polygon([(x0, 0), (x0 + 100, 1e-6), (x0 + 100, 0)]),     # the same, clockwise
        shapely.Polygon([(x0, 0), (x0 + 4, 0), (x0 + 4, 4), (x0 + 2, 1), (x0, 4)]),   # concave, counter-clockwise
    ], dtype=object)
    w = Wedges(geoms, checked=True)
    assert w.ccw.tolist() == [True, False, False, False, True, False, True]


def _overlap_batch():
    """Four boxes and four shifted twins (each pair overlaps by 50 m²), plus one lone box."""
    import geopandas as gpd

    boxes = [shapely.box(20 * i, 0, 20 * i + 10, 10) for i in range(4)]
    twins = [shapely.box(20 * i + 5, 0, 20 * i + 15, 10) for i in range(4)]
    return gpd.GeoDataFrame(geometry=boxes + twins + [shapely.box(500, 500, 510, 510)], crs=4549)


def test_overlap_findings_stay_columns_until_gone_through(monkeypatch):
    """The importer's overlap findings are one block of columns (record told, partner, area);
    going through them gives the Finding objects the check used to make, in the same order."""
    import zones.io.validate as validate
    from zones.io.base import Finding, FindingList, OverlapBlock

    monkeypatch.setattr(validate, "OVERLAP_AREAS_MAX", 2)
    _, findings = validate.validate_parcels(_overlap_batch(), "p.gpkg")
    assert isinstance(findings, FindingList)
    block = next(p for p in findings.parts if isinstance(p, OverlapBlock))
    assert block.told.tolist() == [1, 2, 3, 4, 5, 6, 7, 8] and block.partner.tolist() == [5, 6, 7, 8, 1, 2, 3, 4]
    assert block.area[[0, 1, 4, 5]].tolist() == [50.0] * 4 and np.isnan(block.area[[2, 3, 6, 7]]).all()
    want = [Finding("p.gpkg", r, "overlap", m) for r, m in [
        (1, "overlaps record 5 by 50.00 m²"), (2, "overlaps record 6 by 50.00 m²"), (3, "overlaps record 7"),
        (4, "overlaps record 8"), (5, "overlaps record 1 by 50.00 m²"), (6, "overlaps record 2 by 50.00 m²"),
        (7, "overlaps record 3"), (8, "overlaps record 4")]]
    summary = Finding("p.gpkg", None, "overlap", "4 pairs of parcels overlap; the overlap area is stated for the "
                      "first 2 pairs (in record order) and the others name the partner only", "info")
    assert list(findings) == [*want, summary] and findings == [*want, summary]
    assert len(findings) == 9 and findings[2] == want[2] and findings[-1] == summary and findings[-9] == want[0]
    assert findings[1:3] == want[1:3]
    with pytest.raises(IndexError):
        findings[9]
    with pytest.raises(IndexError):
        findings[-10]
    assert findings.with_code("overlap") == [*want, summary] and findings.with_code("far_from_zones") == []
    # read as a list: appended, extended, added to and put in front of
    more = Finding("p.gpkg", 9, "far_from_zones", "far")
    joined = [Finding("p.gpkg", None, "encoding", "utf-8", "info")] + findings
    assert isinstance(joined, FindingList) and list(joined)[1:] == [*want, summary]
    joined.append(more)
    joined[:0] = [more]
    assert list(joined) == [more, Finding("p.gpkg", None, "encoding", "utf-8", "info"), *want, summary, more]
    assert joined.with_code("far_from_zones") == [more, more]
    assert FindingList() == [] and not FindingList([]) and not FindingList(OverlapBlock("f", [], [], []))
    from zones.io.base import ImportResult

    broken = Finding("p.gpkg", 3, "self_intersection", "encloses no area (skipped)", "error")
    assert ImportResult(_overlap_batch(), "p.gpkg", findings=findings + [broken]).errors == [broken]


def test_overlap_block_flags_every_record_and_first_only_keeps_the_first_note():
    """record_flags reads the block's columns: both parcels flagged, the partner named, in the
    order of the findings; ``first_only`` keeps each flag's first note (all the assessment keeps)."""
    import geopandas as gpd

    from zones.io.base import Finding, FindingList, ImportResult, OverlapBlock

    block = OverlapBlock("f", np.array([1, 1, 3, 4, 4]), np.array([3, 4, 1, 1, 9]), np.array([2.5, np.nan, 2.5, np.nan, 1.0]))
    findings = FindingList([Finding("f", 4, "repaired", "fixed")]) + block
    findings.append(Finding("f", 1, "far_from_zones", "far"))
    prefixes = {"overlap": "重叠：", "repaired": "修复：", "far_from_zones": "远："}
    kept = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)] * 3, index=[0, 2, 3])      # record 2 was dropped
    res = ImportResult(kept, "f", findings=findings)
    assert res.record_flags(prefixes) == {
        0: [("overlap", "重叠：overlaps record 3 by 2.50 m²"), ("overlap", "重叠：overlaps record 4"), ("far_from_zones", "远：far")],
        1: [("overlap", "重叠：overlaps record 1 by 2.50 m²")],
        2: [("repaired", "修复：fixed"), ("overlap", "重叠：overlaps record 1"), ("overlap", "重叠：overlaps record 9 by 1.00 m²")]}
    assert res.record_flags(prefixes, first_only=True) == {
        0: [("overlap", "重叠：overlaps record 3 by 2.50 m²"), ("far_from_zones", "远：far")],
        1: [("overlap", "重叠：overlaps record 1 by 2.50 m²")],
        2: [("repaired", "修复：fixed"), ("overlap", "重叠：overlaps record 1")]}
    # the same findings as objects in a plain list give the same flags
    plain = ImportResult(kept, "f", findings=list(findings))
    assert plain.record_flags(prefixes) == res.record_flags(prefixes)
    assert plain.record_flags(prefixes, first_only=True) == res.record_flags(prefixes, first_only=True)


@pytest.mark.parametrize("source", ["/data/地块.gpkg", "/data/zones-x=1.gpkg", "/data/a\x1bb.gpkg", "/d/" + "长" * 300])
def test_the_findings_file_from_the_columns_is_the_file_from_the_objects(tmp_path, source):
    """The run's findings file written from the overlap columns in bulk holds, byte for byte,
    what writing one row per finding object (``str(finding)``) gives — also for a file name that
    is escaped, cut, or names one of this program's temporaries — and stderr shows the same first lines."""
    import contextlib
    import io

    from zones.io.base import Finding, FindingList, OverlapBlock
    from zones.run_guard import Findings

    block = OverlapBlock(source, np.arange(1, 61), np.arange(61, 121), np.r_[[1234.5, 0.004, 7.0], np.full(57, np.nan)])
    found = FindingList([Finding(source, None, "encoding", "=utf-8 read", "info")]) + block
    found.append(Finding(source, 3, "far_from_zones", "far"))
    columns, objects = Findings(), Findings()
    for f in (columns, objects):
        f.add("warning", "note", "a.csv", "+first")
    columns.add_import(found)
    for finding in list(found):
        objects.add(finding.severity, finding.code, None, finding)
    for f in (columns, objects):
        f.add("warning", "library_warning", "", "UserWarning: x")
    assert [type(p).__name__ for p in columns.parts] == ["list", "OverlapBlock", "list"]
    assert len(columns) == len(objects) == 64
    a, b = columns.write(tmp_path / "a.csv", "run1"), objects.write(tmp_path / "b.csv", "run1")
    assert a.read_bytes() == b.read_bytes()
    assert "by 1234.50 m²" in a.read_text(encoding="utf-8-sig") and "'+first" in a.read_text(encoding="utf-8-sig")
    printed = []
    for f in (columns, objects):
        with contextlib.redirect_stderr(io.StringIO()) as err:
            f.print(False, tmp_path / "x.findings.csv")
        printed.append(err.getvalue())
    assert printed[0] == printed[1] and printed[0].count("\n") == 51


def test_a_corner_inside_the_other_parcels_disc_is_proven_without_geos(monkeypatch):
    """The corner (10, 10) of the square A lies 7.07 m from the centre (15, 15) of the disc of
    radius 10 inside B = [5, 25]²: at least 2.93 m inside B, so the quarter disc of that radius
    (6.7 m²) lies in both — proven with no point-in-polygon or distance asked of GEOS. Against
    B = [9, 40]² the corner is outside B's disc (20.5 m from its centre, radius 15.5): B's ring
    is asked (in numpy, not GEOS: B is one ring), and the corner found 1 m inside (π/4 m² > the
    proof of 0.5, not of 1)."""
    a = shapely.box(0, 0, 10, 10)
    near, far = shapely.box(5, 5, 25, 25), shapely.box(9, 9, 40, 40)
    wedges = Wedges(np.array([a, near, far], dtype=object), checked=True)
    wedges._inner()
    assert wedges.radius.tolist() == pytest.approx([5.0, 10.0, 15.5])
    asked = []
    real = shapely.contains_xy
    monkeypatch.setattr(shapely, "contains_xy", lambda *args: asked.append(len(args[1])) or real(*args))
    assert wedges.proves(np.array([0]), np.array([1]), 6.6).tolist() == [True] and asked == []
    # above 6.7 m² the disc's depth bound falls short and B's ring is asked: the corner is 5 m inside B
    # (B's edges x = 5 and y = 5), its clearance in A 10 m, so the quarter disc of 5 m (19.63 m²) is proven
    assert wedges.proves(np.array([0]), np.array([1]), 6.8).tolist() == [True] and asked == []
    assert wedges.proves(np.array([0]), np.array([1]), 19.6).tolist() == [True]
    assert wedges.proves(np.array([0]), np.array([1]), 19.7).tolist() == [False]
    asked.clear()
    assert wedges.proves(np.array([0]), np.array([2]), 0.5).tolist() == [True] and asked == []
    assert wedges.proves(np.array([0]), np.array([2]), 1.0).tolist() == [False]
    holed = shapely.box(9, 9, 40, 40).difference(shapely.box(20, 20, 30, 30))     # not one ring: GEOS
    wedges = Wedges(np.array([a, holed], dtype=object), checked=True)
    wedges._inner()
    asked.clear()
    assert wedges.proves(np.array([0]), np.array([1]), 0.5).tolist() == [True] and asked == [1]


def test_inside_a_ring_by_its_crossings_is_geos_contains_away_from_the_boundary():
    """The parity of a ray's crossings (the wedges' point-in-polygon) against GEOS's contains, for
    points on the level of corners too and outlines of both orientations, wherever the point lies
    farther from the boundary than the slack every proof keeps."""
    rng = np.random.default_rng(19)
    out = []
    for x, y in rng.uniform(0, 300, (300, 2)):
        th = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 25))))
        r = np.round(rng.uniform(0.5, 20, len(th)))
        ring = np.c_[512_000 + np.round(x + r * np.cos(th)), 3_061_000 + np.round(y + r * np.sin(th))]
        out.append(shapely.Polygon(ring if rng.random() < 0.5 else ring[::-1]))
    geoms = np.array(out, dtype=object)
    geoms = geoms[shapely.is_valid(geoms)]
    w = Wedges(geoms, checked=True)
    idx = rng.integers(0, len(geoms), 20_000)
    box = shapely.bounds(geoms[idx])
    px = np.round(rng.uniform(box[:, 0] - 2, box[:, 2] + 2))
    py = np.round(rng.uniform(box[:, 1] - 2, box[:, 3] + 2)) + rng.choice([0.0, 0.5], len(idx))   # often a corner's level
    d = w._ring_distance(idx, px - w.centre[0], py - w.centre[1])
    inside = w._ring_inside(idx, px - w.centre[0], py - w.centre[1])
    far = d > 1e-6
    assert far.sum() > 15_000 and inside[far].sum() > 3_000
    np.testing.assert_array_equal(inside[far], shapely.contains_xy(geoms[idx[far]], px[far], py[far]))


def test_distances_to_the_boundary_in_numpy_are_geos_distances():
    """The distance from a point to an outline's boundary, summed in numpy over the edges of a
    one-ring outline (a repeated corner too), asked of GEOS for one with a hole or in parts:
    GEOS's distance to the boundary, to far below the slack the proofs keep."""
    rng = np.random.default_rng(8)
    out = []
    for x, y in zip(rng.uniform(0, 300, 200), rng.uniform(0, 300, 200)):
        th = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 25))))
        r = rng.uniform(0.5, 20, len(th))
        out.append(shapely.Polygon(np.c_[x + r * np.cos(th), y + r * np.sin(th)]))
    out += [shapely.Polygon([(0, 0), (10, 0), (10, 0), (10, 10), (0, 10)]),                 # a corner twice
            shapely.box(0, 0, 10, 10).difference(shapely.box(4, 4, 6, 6)),                  # a hole
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 1)])]
    geoms = np.array(out, dtype=object)
    wedges = Wedges(geoms)
    idx = rng.integers(0, len(geoms), 2000)
    px, py = rng.uniform(-20, 320, 2000), rng.uniform(-20, 320, 2000)
    got = wedges._to_rim(idx, px - wedges.centre[0], py - wedges.centre[1])
    want = shapely.distance(shapely.points(px, py), shapely.boundary(geoms[idx]))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert wedges.ring[-3] and not wedges.ring[-2] and not wedges.ring[-1]
    # known answers: the square with a corner twice, its middle 5 m from every edge; the holed square's middle, 1 m
    known = wedges._to_rim(np.array([len(geoms) - 3, len(geoms) - 2]), np.array([5.0, 5.0]) - wedges.centre[0],
                           np.array([5.0, 5.0]) - wedges.centre[1])
    np.testing.assert_allclose(known, [5.0, 1.0], rtol=0, atol=1e-9)


def _fans(geoms):
    w = Wedges(np.asarray(geoms, dtype=object), checked=True)
    return w, w.use_fans()


def test_fans_prove_overlaps_by_a_disc_on_the_centre_line_and_part_outlines_apart_by_their_extents():
    """Known answers: squares overlapping by a 2 m strip are proven (either ring orientation);
    a strip of 0.1 m (a disc of 0.05 m: 0.008 m²), a sliver of 1e-6 m and touching squares are
    not proven, and none of them is called apart; triangles whose boxes meet but not they are apart."""
    x0, y0 = 512_345.0, 3_061_234.0

    def box(x1, y1, x2, y2, ccw=True):
        return shapely.box(x0 + x1, y0 + y1, x0 + x2, y0 + y2, ccw=ccw)

    def tri(*pts):
        return shapely.Polygon([(x0 + x, y0 + y) for x, y in pts])

    geoms = [
        box(0, 0, 10, 10), box(8, 0, 18, 10, ccw=False),            # 0-1: 2 m strip
        box(30, 0, 40, 10), box(39.9, 0, 49.9, 10),                # 2-3: 0.1 m strip
        box(60, 0, 70, 10), box(70, 0, 80, 10, ccw=False),         # 4-5: touching along an edge
        box(90, 0, 100, 10), box(100 - 1e-6, 3, 110, 13),          # 6-7: over by a sliver of 1e-6 m
        tri((200, 0), (210, 0), (200, 10)), tri((210, 10), (206, 10), (210, 6)),    # 8-9: boxes meet, 2.8 m apart
        box(300, 0, 310, 10), box(310, 10, 320, 20),               # 10-11: touching at a corner
    ]
    w, fans = _fans(geoms)
    assert fans.fan.all()
    a, b = np.arange(0, 12, 2), np.arange(1, 12, 2)
    assert fans.proves(a, b, 2 * TOL).tolist() == [True, False, False, False, False, False]
    assert fans.proves(b, a, 2 * TOL).tolist() == [True, False, False, False, False, False]
    assert fans.apart(a, b).tolist() == [False, False, False, False, True, False]
    assert fans.apart(b, a).tolist() == [False, False, False, False, True, False]
    assert_same_as_reference(np.array(geoms, dtype=object))


def test_outlines_that_are_not_fans_round_their_corners_mean_are_left_to_the_other_arguments():
    """A U whose corners' mean lies in its gap, an outline whose corners' mean lies on one of its
    edges, and one with an edge seen from behind from that mean, are no fans (no proof from
    them); a notched square seen whole from it is one."""
    u = shapely.Polygon([(0, 0), (30, 0), (30, 30), (25, 30), (25, 5), (5, 5), (5, 30), (0, 30)])
    notched = shapely.Polygon([(100, 0), (110, 0), (110, 10), (105, 7), (100, 10)])
    on_edge = shapely.Polygon([(195, -5), (205, -5), (205, 5), (201, 0), (199, 0), (195, 5)])   # mean (200, 0)
    behind = shapely.Polygon([(295, -5), (305, -5), (305, 5), (301, 1), (299, 1), (295, 5)])    # mean (300, 1/3)
    inside_u = shapely.box(10, 10, 20, 20)             # in the U's gap: no overlap at all
    geoms = [u, notched, on_edge, behind, inside_u, shapely.box(101, 1, 109, 6)]
    w, fans = _fans(geoms)
    assert fans.fan.tolist() == [False, True, False, False, True, True]
    assert fans.proves(np.array([0, 1]), np.array([4, 5]), 2 * TOL).tolist() == [False, True]
    assert_same_as_reference(np.array(geoms, dtype=object))


def test_fan_proofs_on_random_outlines_are_overlaps_and_their_apart_pairs_never_meet():
    """Random star-shaped and other outlines, both ring orientations: every pair the fans prove
    overlaps by more than the proof (GEOS's area), every pair called apart has no point in
    common, each fan's centre lies inside it farther from the boundary than its radius, and the
    whole check still gives the reference's pairs."""
    rng = np.random.default_rng(11)
    out = []
    for x, y in rng.uniform(0, 400, (600, 2)):
        m = int(rng.integers(3, 25))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(2, 20, m)
        ring = np.c_[512_000 + x + r * np.cos(th), 3_061_000 + y + r * np.sin(th)]
        g = shapely.make_valid(shapely.Polygon(ring if rng.random() < 0.5 else ring[::-1]))
        if g.geom_type == "Polygon":
            out.append(g)
    geoms = np.array(out, dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    w, fans = _fans(geoms)
    assert fans.fan.mean() > 0.2
    proven, apart = fans.proves(a, b, 2 * TOL), fans.apart(a, b)
    assert proven.sum() > 50 and apart.sum() > 20
    assert (shapely.area(shapely.intersection(geoms[a[proven]], geoms[b[proven]])) > 2 * TOL).all()
    assert not shapely.intersects(geoms[a[apart]], geoms[b[apart]]).any()
    f = np.flatnonzero(fans.fan)
    centres = shapely.points(fans.cx[f] + w.centre[0], fans.cy[f] + w.centre[1])
    assert shapely.contains_properly(geoms[f], centres).all()
    assert (fans.radius[f] <= shapely.distance(centres, shapely.boundary(geoms[f])) + 1e-9).all()
    assert_same_as_reference(geoms)


def test_the_pseudo_angle_is_ordered_as_the_angle():
    from zones.overlap_check import _pseudo_angle

    th = np.linspace(-np.pi / 2, 3 * np.pi / 2, 2001)[:-1]
    r = np.random.default_rng(5).uniform(0.1, 100, len(th))
    p = _pseudo_angle(r * np.cos(th), r * np.sin(th))
    assert (np.diff(p) > 0).all() and p[0] == pytest.approx(-1) and p[-1] < 3


def test_wedges_built_on_the_separation_arrays_are_the_wedges_built_alone():
    """Sharing the separation test's coordinates (with convex hulls appended for a cadastre's
    few concave lots) changes nothing the wedges hold: same corners, centre, orientation."""
    rng = np.random.default_rng(2)
    lots = list(jittered_grid(rng, 6, 6))
    lots[3] = shapely.Polygon([(0, 0), (4, 0), (4, 4), (2, 1), (0, 4)])          # concave: a hull appended
    lots[5] = shapely.box(0, 0, 5, 5).difference(shapely.box(1, 1, 2, 2))        # a hole: not plain
    lots[7] = shapely.box(0, 0, 5, 5, ccw=False)
    geoms = np.array(lots, dtype=object)
    shapes = SeparatingShapes(geoms)
    shared, alone = Wedges(geoms, checked=True, shapes=shapes), Wedges(geoms, checked=True)
    for name in ("x", "y", "start", "corners", "plain", "ring", "ccw", "centre"):
        np.testing.assert_array_equal(getattr(shared, name), getattr(alone, name))


def _strewn(rng, n, span=400.0):
    """Star-shaped parcels strewn at random over each other (the benchmark's random set, small)."""
    out = []
    for x, y in zip(rng.uniform(0, span, n), rng.uniform(0, span, n)):
        m = int(rng.integers(5, 20))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(8, 25, m)
        out.append(shapely.Polygon(np.c_[x + r * np.cos(th), y + r * np.sin(th)]))
    out = np.array(out, dtype=object)
    return out[shapely.is_valid(out)]          # (two corners at one angle make a few invalid)


def test_the_separation_test_is_asked_where_it_parts_pairs_and_either_way_the_pairs_are_the_same(monkeypatch):
    import zones.overlap_check as oc

    rng = np.random.default_rng(23)
    lots = jittered_grid(rng, 30, 40)
    strewn = _strewn(rng, 1_500)
    assert oc._separation_pays(lots, *oc.box_pairs(lots))              # touching lots: nearly every pair parted
    assert not oc._separation_pays(strewn, *oc.box_pairs(strewn))      # strewn parcels: a few
    for geoms in (lots, np.concatenate([lots, lots[:50]]), strewn):
        found = {}
        for pays in (0.0, 2.0):                                     # always asked, never asked
            monkeypatch.setattr(oc, "SEPARATION_PAYS", pays)
            found[pays] = [p.tolist() for p in oc.overlapping_pairs(geoms, TOL)]
        assert found[0.0] == found[2.0]
        assert list(zip(*found[0.0])) == flagged(reference(geoms))[0]


def _tree_box_pairs(geoms):
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    return sorted(zip(a[keep].tolist(), b[keep].tolist()))


GRID_X, GRID_ROW = np.tile(np.arange(30.0) * 7, 30), np.repeat(np.arange(30), 30)


def test_the_box_sweep_finds_the_pairs_of_geos_tree_query():
    from zones.overlap_check import box_pairs

    rng = np.random.default_rng(5)
    lots = jittered_grid(rng, 20, 25)
    strewn = _strewn(rng, 800)
    odd = np.array([None, shapely.Polygon(), shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10),   # touching at an edge
                    shapely.box(20, 10, 30, 20),                       # at a corner
                    shapely.box(0, 0, 10, 10),                         # the same box twice
                    shapely.box(-500, -500, 5_000, 40),                # a road far larger than any lot: GEOS's tree
                    shapely.box(-400, -400, 4_000, 30),                # another, meeting the first
                    shapely.box(0, 20, 10, 20 + 1e-9),                 # a sliver of a box
                    shapely.box(30 + 1e-12, 0, 40, 10)], dtype=object) # a hair's breadth from the third's neighbour
    for geoms in (lots, strewn, odd, np.concatenate([odd, lots, strewn]), odd[:3], lots[:1],
                  shapely.box(np.arange(50.0), 0, np.arange(50.0) + 1, 1),    # a row of boxes in one strip
                  # rows of equal boxes touching above and below (the strips' edges on their edges), and
                  # rows shifted by 1e-3 in turn, so that some just reach the row above and some just do not
                  shapely.box(GRID_X, GRID_ROW * 3.0, GRID_X + 7, GRID_ROW * 3.0 + 3),
                  shapely.box(GRID_X, GRID_ROW * 3.0 + GRID_ROW % 2 * 1e-3, GRID_X + 7, GRID_ROW * 3.0 + GRID_ROW % 2 * 1e-3 + 3)):
        a, b = box_pairs(np.asarray(geoms, dtype=object))
        assert (a < b).all()
        assert sorted(zip(a.tolist(), b.tolist())) == _tree_box_pairs(np.asarray(geoms, dtype=object))


def test_a_fan_is_a_valid_outline_and_a_ring_going_twice_round_is_not_one():
    """The validity the importer no longer asks of GEOS for fans: a pentagram (every corner
    turning the same way round its centre, but going twice round: it crosses itself) and a
    bow-tie are no fans; a notched square, a triangle and a star are, and GEOS finds them valid."""
    th = np.pi / 2 + np.arange(5) * 4 * np.pi / 5                       # corners 144° apart: twice round
    pentagram = shapely.Polygon(np.c_[50 + 10 * np.cos(th), 50 + 10 * np.sin(th)])
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    notched = shapely.Polygon([(100, 0), (110, 0), (110, 10), (105, 7), (100, 10)])
    k = np.arange(16)
    star = shapely.Polygon(np.c_[300 + (5 + 4 * (k % 2)) * np.cos(k * np.pi / 8), 5 * np.sin(k * np.pi / 8) * (1 + k % 2)])
    geoms = np.array([pentagram, bowtie, notched, shapely.box(0, 0, 1, 1, ccw=False),
                      shapely.Polygon([(0, 0), (3, 0), (0, 4)]), star], dtype=object)
    assert Wedges(geoms).proven_valid().tolist() == [False, False, True, True, True, True]
    assert shapely.is_valid(geoms).tolist() == [False, False, True, True, True, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50)), min_size=3, max_size=12),
       st.sampled_from([(0.0, 0.0), (512_345.678, 3_061_234.5)]))
def test_every_outline_proven_valid_is_valid_for_geos(corners, offset):
    """Any ring (self-crossing, repeated corners, spikes, collinear runs, both orientations):
    proven valid from its corners only if GEOS finds it valid — the importer's findings stay GEOS's."""
    ring = np.asarray(corners) + offset
    geoms = np.array([shapely.Polygon(ring), shapely.Polygon(ring[::-1]), shapely.Polygon(np.round(ring))], dtype=object)
    proven = Wedges(geoms).proven_valid()
    assert not (proven & ~shapely.is_valid(geoms)).any()


def test_random_stars_are_mostly_proven_valid_and_the_importer_flags_the_same_records(tmp_path):
    """On star-shaped parcels (the benchmark's strewn set, small) most are proven valid without
    GEOS, every one GEOS finds invalid is still repaired or dropped with its finding, and the
    overlap check given the validation's corners finds the reference's pairs."""
    import geopandas as gpd

    from zones.io.validate import _clean_mask, validate_parcels

    rng = np.random.default_rng(31)
    out = []
    for x, y in zip(rng.uniform(0, 400, 800), rng.uniform(0, 400, 800)):
        m = int(rng.integers(5, 20))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(15, 25, m)
        out.append(shapely.Polygon(np.c_[512_000 + x + r * np.cos(th), 3_061_000 + y + r * np.sin(th)]))
    geoms = np.array(out, dtype=object)
    ok, outlines, _ = _clean_mask(geoms.copy())
    assert ok.tolist() == shapely.is_valid(geoms).tolist()
    assert outlines is None or outlines.fans is not None
    valid = geoms[shapely.is_valid(geoms)]
    ok, outlines, bounds = _clean_mask(valid.copy())
    assert ok.all() and outlines is not None and outlines.fans is not None and outlines.fans.fan.mean() > 0.5
    assert [p.tolist() for p in overlapping_pairs(valid, TOL, checked=True, outlines=outlines, box=bounds)] == \
        [p.tolist() for p in reference_pairs(valid, TOL)]
    frame = gpd.GeoDataFrame({"宗地号": [f"P{i}" for i in range(len(geoms))]}, geometry=geoms, crs=4549)
    kept, findings = validate_parcels(frame, "p.gpkg")
    bad = np.flatnonzero(~shapely.is_valid(geoms)) + 1
    assert len(bad) and {f.record for f in findings if f.code in ("repaired", "self_intersection")} == set(bad.tolist())


def test_a_fans_clearance_from_its_rays_is_never_more_than_the_distance_to_its_other_edges():
    """The wedges' clearance of a fan's corner bounded by the rays through the corners either
    side (the other edges lie beyond them) is at most the distance to every other edge, and on
    a square it is the known answer: from corner (0, 0), the rays through (10, 0) and (0, 10)
    from the centre (5, 5) are 7.07 m away (the distance to the other edges is 10 m)."""
    rng = np.random.default_rng(41)
    out = [shapely.box(0, 0, 10, 10)]
    for x, y in rng.uniform(0, 300, (400, 2)):
        th = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 25))))
        r = rng.uniform(10, 20, len(th))
        out.append(shapely.Polygon(np.c_[x + r * np.cos(th), y + r * np.sin(th)]))
    geoms = np.array(out, dtype=object)
    w, fans = _fans(geoms)
    A = np.repeat(np.flatnonzero(fans.fan), w.corners[fans.fan])
    j = np.arange(len(A)) - np.repeat(np.cumsum(w.corners[fans.fan]) - w.corners[fans.fan], w.corners[fans.fan])
    v = w.start[A] + j
    bound, exact = w._fan_clearance(A, j, v), w._clearance(A, j, v)
    assert len(A) > 2_000 and (bound <= exact).all()
    assert bound[0] == pytest.approx(50 ** 0.5 - 1e-6) and exact[0] == pytest.approx(10.0)


def test_areas_of_pairs_known_to_meet_are_the_areas_measured_after_asking():
    """Pairs a wedge found to meet skip GEOS's intersects; the areas are the same, and a pair
    wrongly said to meet (apart, or touching) still gets no area."""
    geoms = np.array([shapely.box(0, 0, 10, 10), shapely.box(5, 5, 15, 15), shapely.box(10, 0, 20, 10),
                      shapely.box(30, 30, 40, 40)], dtype=object)
    a, b = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 3])
    plain = overlap_areas(geoms, a, b)
    assert plain.tolist() == [25.0, 0.0, 0.0, 0.0]
    for meet in ([True, False, False, False], [True, True, True, True], [False, True, False, True]):
        assert overlap_areas(geoms, a, b, meet=np.array(meet)).tolist() == plain.tolist()


def _common(geoms, a, b, *, geos=True):
    """The common areas in numpy (area, its terms' scale, where known) and GEOS's."""
    geoms = np.asarray(geoms, dtype=object)
    w = Wedges(geoms, checked=False)
    a, b = np.asarray(a), np.asarray(b)
    area, size, known = w.common_area(a, b, shapely.bounds(geoms))
    return area, size, known, shapely.area(shapely.intersection(geoms[a], geoms[b])) if geos else None


def test_common_areas_from_the_edges_crossings_are_geos_areas_or_left_to_geos():
    """Known answers in numpy where no corner touches the other outline: a 2 m strip, slivers
    of 0.011 and 0.009 m², a box across both arms of a U (four crossings, two parts), a box in
    the U's gap (none), a clockwise ring, a box across a hexagon. Left to GEOS
    (not known): lots sharing an edge, a T-junction, a shared corner, a collinear overlap, a
    sliver 1e-7 m wide (a corner within the slack of the other's edge), a sliver along a shared
    edge, one outline inside the other's box, two triangles each of whose edges meets the other's
    box (no edge known outside the other to start the parity from), an outline with a hole, two
    parts, or one invalid."""
    x0, y0 = 512_345.0, 3_061_234.0

    def box(x1, y1, x2, y2, ccw=True):
        return shapely.box(x0 + x1, y0 + y1, x0 + x2, y0 + y2, ccw=ccw)

    def poly(*pts):
        return shapely.Polygon([(x0 + x, y0 + y) for x, y in pts])

    u = [(0, 100), (30, 100), (30, 130), (25, 130), (25, 105), (5, 105), (5, 130), (0, 130)]
    holed = shapely.Polygon(box(200, 0, 220, 20).exterior.coords, [box(205, 5, 215, 15).exterior.coords])
    known = [
        (box(0, 0, 10, 10), box(8, 3, 18, 13, ccw=False), 14.0),          # strip 2 × 7 m, the other clockwise
        (box(40, 0, 50, 10), box(49.989, 1, 60, 2), 0.011),               # sliver 0.011 × 1
        (box(60, 0, 70, 10), box(69.991, 5, 80, 6), 0.009),               # sliver 0.009 × 1
        (poly(*u), box(-2, 120, 32, 122), 20.0),                          # across both arms of the U
        (poly(*u), box(8, 110, 22, 135), 0.0),                            # in the U's gap
        (poly((150, 0), (160, 0), (165, 8), (160, 16), (150, 16), (145, 8)), box(140, 6, 170, 10), None),  # across a hexagon
    ]
    for one, other, expected in known:
        area, size, ok, geos = _common([one, other], [0], [1])
        assert ok[0]
        assert area[0] == pytest.approx(geos[0], rel=0, abs=1e-9 * size[0])
        if expected is not None:
            assert area[0] == pytest.approx(expected, rel=0, abs=1e-6)
        area, size, ok, geos = _common([one, other], [1], [0])   # either way round
        assert ok[0] and area[0] == pytest.approx(geos[0], rel=0, abs=1e-9 * size[0])
    unknown = [
        (box(300, 0, 310, 10), box(310, 0, 320, 10)),                    # a shared edge
        (box(300, 20, 320, 30), box(310, 30, 320, 40)),                  # a T-junction
        (box(330, 0, 340, 10), box(340, 10, 350, 20)),                   # a shared corner
        (box(360, 0, 370, 10), box(365, 10, 375, 20)),                   # a collinear overlap of edges
        (box(380, 0, 390, 10), box(390 - 1e-7, 3, 400, 13)),             # a sliver 1e-7 m wide
        (box(40, 0, 50, 10), box(49.989, 0, 60, 1)),                     # a sliver along a shared edge
        (box(400, 0, 420, 20), box(405, 5, 410, 10)),                    # inside the other's box
        (poly((450, 0), (460, 0), (455, 8)), poly((450, 6), (460, 6), (455, -2))),   # a star of David: no edge off
        (holed, box(210, 18, 230, 25)),                                  # a hole
        (shapely.MultiPolygon([box(500, 0, 510, 10), box(520, 0, 530, 10)]), box(505, 5, 525, 8)),
        (poly((600, 0), (610, 10), (610, 0), (600, 10)), box(605, 2, 615, 8)),   # a bow tie: invalid
    ]
    for one, other in unknown:
        for i, j in ((0, 1), (1, 0)):
            assert not _common([one, other], [i], [j], geos=False)[2][0]


def test_common_areas_of_random_outlines_are_geos_areas_and_decide_the_pairs_as_geos():
    """Random stars (fans and not), both ring orientations, strewn over each other far from the
    origin: wherever the area is known it is GEOS's within a billionth of its terms, nearly
    every pair's is known, and the overlaps it decides are GEOS's at every tolerance."""
    rng = np.random.default_rng(17)
    out = []
    for x, y in rng.uniform(0, 300, (500, 2)):
        m = int(rng.integers(3, 30))
        th = np.sort(rng.uniform(0, 2 * np.pi, m))
        r = rng.uniform(1, 25, m)
        ring = np.c_[512_000 + x + r * np.cos(th), 3_061_000 + y + r * np.sin(th)]
        out.append(shapely.Polygon(ring if rng.random() < 0.5 else ring[::-1]))
    geoms = np.array(out, dtype=object)
    geoms = geoms[shapely.is_valid(geoms)]
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    area, size, ok, geos = _common(geoms, a, b)
    assert ok.mean() > 0.85 and (geos[ok] > 0).sum() > 500
    np.testing.assert_array_less(np.abs(area - geos)[ok], 1e-9 * size[ok] + 1e-12)
    w = Wedges(geoms)
    for tol in (0.0, TOL, 1.0, 30.0):
        over, sure = w.overlap_exceeds(a, b, shapely.bounds(geoms), tol)
        assert (over[sure] == (geos[sure] > tol)).all()


@settings(max_examples=150, deadline=None)
@given(st.lists(polygons(), min_size=2, max_size=8), st.sampled_from([(0.0, 0.0), (512_345.678, 3_061_234.5)]))
def test_common_areas_on_a_coarse_grid_are_geos_areas_where_known(geoms, offset):
    """Shared corners, shared and collinear edges, containment, duplicates and multipolygons
    come up often on a coarse grid: the area is GEOS's wherever it is called known, and the
    overlaps decided as GEOS decides them."""
    geoms = np.array([shapely.transform(g, lambda xy: xy + offset) for g in geoms], dtype=object)
    a, b = np.nonzero(np.triu(np.ones((len(geoms), len(geoms)), dtype=bool), 1))
    area, size, ok, geos = _common(geoms, a, b)
    assert (np.abs(area - geos)[ok] <= 1e-9 * size[ok] + 1e-12).all()
    over, sure = Wedges(geoms).overlap_exceeds(a, b, shapely.bounds(geoms), 0.0)
    assert (over[sure] == (geos[sure] > 0.0)).all()


def test_a_ray_a_rounding_short_of_a_fans_first_corner_leaves_by_its_last_edge():
    """Found by hypothesis: the thin triangle's centre sees the square's direction at an angle
    that rounds to a full turn from its first corner; the edge found is its last one (no index
    beyond the ring), and the pairs are the reference's."""
    geoms = np.array([shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)]), shapely.Polygon([(0, 0), (9, 0), (12, 1)]),
                      shapely.Polygon([(7, 0), (8, 0), (6, 2)])], dtype=object)
    assert_same_as_reference(geoms)
