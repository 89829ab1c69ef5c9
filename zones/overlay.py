"""The grade split: how much of each parcel lies in each grade, vectorised.

Parcels that lie wholly inside one grade need no intersection: a spatial-index
``within`` query against the grade polygons settles them. Grade polygons are
large (thousands of vertices), and intersecting a small parcel with a large
polygon costs time proportional to the polygon, so they are first cut into
small pieces (a quadtree subdivision, like PostGIS ``ST_Subdivide``). Only the
parcels that touch two or more pieces are intersected, each with the few small
pieces it touches. All areas are plane areas in the zone set's CRS (m²).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise

import geopandas as gpd
import numpy as np
import shapely
import shapely.errors

#: A piece of a grade polygon has at most this many vertices after subdivision.
MAX_PIECE_VERTICES = 64
#: Grade-line segments used for the near-boundary test have at most this many vertices.
MAX_LINE_VERTICES = 32
#: Threads for the big vectorised steps (one per core), and the least parcels worth a thread.
WORKERS = os.cpu_count() or 1
PARALLEL_MIN = 20_000


def _polygons(geom) -> list:
    """Polygonal parts of any geometry (intersections may return lines/points too)."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for part in geom.geoms for p in _polygons(part)]
    return []


def subdivide(geom, max_vertices: int = MAX_PIECE_VERTICES) -> list:
    """Cut a polygon into pieces of at most ``max_vertices`` vertices (halving its box)."""
    out, stack = [], _polygons(geom)
    while stack:
        g = stack.pop()
        if shapely.get_num_coordinates(g) <= max_vertices:
            out.append(g)
            continue
        minx, miny, maxx, maxy = g.bounds
        if maxx - minx >= maxy - miny:
            mid = (minx + maxx) / 2
            halves = (shapely.box(minx, miny, mid, maxy), shapely.box(mid, miny, maxx, maxy))
        else:
            mid = (miny + maxy) / 2
            halves = (shapely.box(minx, miny, maxx, mid), shapely.box(minx, mid, maxx, maxy))
        for half in halves:
            stack.extend(_polygons(shapely.intersection(g, half)))
    return out


def _line_chunks(line, max_vertices: int = MAX_LINE_VERTICES) -> list:
    coords = shapely.get_coordinates(line)
    step = max_vertices - 1
    return [shapely.linestrings(coords[i:i + max_vertices]) for i in range(0, len(coords) - 1, step)]


def _lines(geom) -> list:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type in ("LineString", "LinearRing"):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in _lines(part)]
    return []


@dataclass
class PreparedZones:
    """The grade polygons cut into small pieces behind an STRtree, and the grade lines
    (with the positional accuracy of each stretch) behind another."""

    grades: list[int]                 # grade of each column of the area matrix
    pieces: np.ndarray                # shapely polygons
    piece_col: np.ndarray             # column (index into grades) of each piece
    tree: shapely.STRtree
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    line_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    line_feature: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    line_tree: shapely.STRtree | None = None

    @classmethod
    def build(cls, zs) -> "PreparedZones":
        grades = zs.grade_list
        col = {g: i for i, g in enumerate(grades)}
        pieces, piece_col = [], []
        for geom, grade in zip(zs.grades.geometry.values, zs.grades["grade"]):
            parts = subdivide(geom)
            pieces.extend(parts)
            piece_col.extend([col[int(grade)]] * len(parts))
        pieces_arr = np.array(pieces, dtype=object)
        prepared = cls(grades, pieces_arr, np.array(piece_col, dtype=np.int64), shapely.STRtree(pieces_arr))
        if zs.accuracy_m:
            prepared._build_lines(zs)
        return prepared

    def _build_lines(self, zs) -> None:
        base = float(zs.accuracy_m)
        runs = zs.boundary_runs
        lines, acc, names = [], [], []
        if runs is not None and len(runs):
            run_acc = runs["accuracy_m"] if "accuracy_m" in runs else [base] * len(runs)
            run_name = runs["feature"] if "feature" in runs else [""] * len(runs)
            for geom, a, name in zip(runs.geometry.values, run_acc, run_name):
                for line in _lines(geom):
                    chunks = _line_chunks(line)
                    lines += chunks
                    acc += [max(base, float(a or 0))] * len(chunks)
                    names += [str(name)] * len(chunks)
        else:  # no named runs: every grade polygon's outline is a grade line
            for geom in zs.grades.geometry.values:
                for line in _lines(shapely.boundary(geom)):
                    chunks = _line_chunks(line)
                    lines += chunks
                    acc += [base] * len(chunks)
                    names += [""] * len(chunks)
        self.lines = np.array(lines, dtype=object)
        self.line_accuracy = np.array(acc, dtype=float)
        self.line_feature = np.array(names, dtype=object)
        self.line_tree = shapely.STRtree(self.lines) if len(lines) else None


@dataclass
class GradeSplit:
    """Areas (m², unrounded) of ``n`` parcels: ``by_grade[i, j]`` is parcel i's area in
    grade ``grades[j]``; ``outside`` the part outside every grade (outside the levy scope).
    ``fragments`` (parcel index, column, geometry) are kept only when asked for."""

    grades: list[int]
    area: np.ndarray
    by_grade: np.ndarray
    outside: np.ndarray
    whole: np.ndarray                  # True where the parcel lies wholly inside one grade piece
    frag_parcel: np.ndarray | None = None
    frag_col: np.ndarray | None = None
    frag_geom: np.ndarray | None = None


def in_threads(fn, geoms: np.ndarray, *, min_size: int = PARALLEL_MIN) -> list:
    """``fn`` over consecutive slices of ``geoms``, one per core, in threads: shapely releases
    the GIL inside GEOS, so on 2 cores the big vectorised steps take about half the time.
    Returns the list of results in order (one item when there is nothing to gain)."""
    workers = min(WORKERS, max(1, len(geoms) // min_size))
    if workers <= 1:
        return [fn(geoms)]
    parts = np.array_split(np.arange(len(geoms)), workers)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda idx: fn(geoms[idx]), parts))


def split_by_grade(geoms: np.ndarray, prepared: PreparedZones, *, keep_fragments: bool = False) -> GradeSplit:
    """Split parcels (shapely polygons in the zone set's CRS) across the grades."""
    geoms = np.asarray(geoms, dtype=object)
    parts = in_threads(lambda g: _split(g, prepared, keep_fragments), geoms)
    return parts[0] if len(parts) == 1 else concat_splits(parts)


def concat_splits(splits: list[GradeSplit]) -> GradeSplit:
    """Splits of consecutive slices of parcels as one (fragment parcel indices shifted)."""
    keep = splits[0].frag_parcel is not None
    offsets = np.cumsum([0] + [len(s.area) for s in splits[:-1]])
    return GradeSplit(
        splits[0].grades,
        np.concatenate([s.area for s in splits]),
        np.concatenate([s.by_grade for s in splits]),
        np.concatenate([s.outside for s in splits]),
        np.concatenate([s.whole for s in splits]),
        np.concatenate([s.frag_parcel + o for s, o in zip(splits, offsets)]) if keep else None,  # type: ignore[operator]
        np.concatenate([s.frag_col for s in splits]) if keep else None,
        np.concatenate([s.frag_geom for s in splits]) if keep else None,
    )


def _split(geoms: np.ndarray, prepared: PreparedZones, keep_fragments: bool) -> GradeSplit:
    # Safe in threads: the pieces are not shapely.prepare()d, so each query prepares its own copy.
    n, ncol = len(geoms), len(prepared.grades)
    area = shapely.area(geoms)
    by_grade = np.zeros((n, ncol))
    # 1. Parcels wholly within one piece: their whole area is in that grade. Asked from the
    #    pieces' side (piece contains parcel): each piece is prepared once and tests the parcels
    #    in its box, 3–4× faster than preparing every parcel for a `within` test.
    t_in, p_in = shapely.STRtree(geoms).query(prepared.pieces, predicate="contains")
    order = np.argsort(p_in, kind="stable")
    p_in, t_in = p_in[order], t_in[order]
    by_grade[p_in, prepared.piece_col[t_in]] = area[p_in]
    whole = np.zeros(n, dtype=bool)
    whole[p_in] = True
    # 2. The rest: intersect with the pieces whose boxes they touch.
    rest = np.flatnonzero(~whole & (area > 0))
    fp = fc = fg = None
    if len(rest):
        rp, rt = prepared.tree.query(geoms[rest])
        parcel_idx = rest[rp]
        frags = shapely.intersection(geoms[parcel_idx], prepared.pieces[rt])
        fa = shapely.area(frags)
        keep = fa > 0
        cols = prepared.piece_col[rt]
        np.add.at(by_grade, (parcel_idx[keep], cols[keep]), fa[keep])
        if keep_fragments:
            fp, fc, fg = parcel_idx[keep], cols[keep], frags[keep]
    outside = np.where(whole, 0.0, np.maximum(area - by_grade.sum(axis=1), 0.0))
    if keep_fragments:
        fp = np.concatenate([p_in, fp if fp is not None else np.empty(0, dtype=np.int64)])
        fc = np.concatenate([prepared.piece_col[t_in], fc if fc is not None else np.empty(0, dtype=np.int64)])
        fg = np.concatenate([geoms[p_in], fg if fg is not None else np.empty(0, dtype=object)])
    return GradeSplit(prepared.grades, area, by_grade, outside, whole, fp, fc, fg)


def grade_pieces(split: GradeSplit, crs) -> gpd.GeoDataFrame:
    """One polygon per (parcel, grade): the union of that parcel's fragments in the grade."""
    if split.frag_parcel is None:
        raise ValueError("split_by_grade(..., keep_fragments=True) is needed for pieces")
    assert split.frag_col is not None and split.frag_geom is not None    # kept together with frag_parcel
    order = np.lexsort((split.frag_col, split.frag_parcel))
    fp, fc, fg = split.frag_parcel[order], split.frag_col[order], split.frag_geom[order]
    if not len(fp):            # every parcel outside every grade: no pieces, not an error
        return gpd.GeoDataFrame({"parcel_index": np.empty(0, np.int64), "grade": np.empty(0, np.int64),
                                 "area_m2": np.empty(0)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    keys = fp * (len(split.grades) + 1) + fc
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    geoms = [fg[s] if e - s == 1 else shapely.union_all(fg[s:e]) for s, e in zip(starts, ends)]
    return gpd.GeoDataFrame(
        {"parcel_index": fp[starts], "grade": np.array(split.grades)[fc[starts]], "area_m2": shapely.area(geoms)},
        geometry=geoms, crs=crs,
    )


def near_grade_lines(geoms: np.ndarray, prepared: PreparedZones) -> dict[int, list[str]]:
    """Parcels within the map's positional accuracy of a grade line → the named
    features (roads/rivers) they are near. Empty when the zone set states no accuracy."""
    if prepared.line_tree is None:
        return {}
    geoms = np.asarray(geoms, dtype=object)
    # Asked from the lines' side: a few hundred prepared line chunks, not every parcel prepared.
    l, p = shapely.STRtree(geoms).query(prepared.lines, predicate="dwithin", distance=float(prepared.line_accuracy.max()))
    if not len(p):
        return {}
    order = np.lexsort((l, p))
    p, l = p[order], l[order]
    # The query used the largest accuracy of any stretch; keep only the pairs within their own.
    if prepared.line_accuracy.min() != prepared.line_accuracy.max():
        ok = shapely.distance(geoms[p], prepared.lines[l]) <= prepared.line_accuracy[l]
        p, l = p[ok], l[ok]
    out: dict[int, list[str]] = {}
    for i, name in zip(p.tolist(), prepared.line_feature[l].tolist()):
        names = out.setdefault(i, [])
        if name and name not in names:
            names.append(name)
    return out


def interior_overlaps(geoms: np.ndarray, min_area: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of polygons whose interiors overlap by more than ``min_area``, in record
    order, with their overlap areas (units of the CRS). Every area is measured: for a batch,
    :func:`zones.overlap_check.overlapping_pairs` finds the pairs without measuring them."""
    from zones.overlap_check import overlap_areas, overlapping_pairs

    a, b = overlapping_pairs(geoms, min_area)
    area = overlap_areas(np.asarray(geoms, dtype=object), a, b)
    inner = area > min_area               # a pair proven by a wedge always measures above it
    return a[inner], b[inner], area[inner]


#: Vertex counts of the padded blocks the separation test works in (shapes with more vertices
#: are left to GEOS: they are rare among parcels, and the test's cost grows as the square).
SHAPE_SIZES = np.array([4, 5, 6, 8, 12, 16, 24, 32])
#: Pairs tested together by the separation test (a few MB of columns: warm in the cache).
PARTS_BLOCK = 32_768
#: Fewer pairs of one pair of sizes than this are tested in one (m, ke, kv) array op instead.
PARTS_COLUMNS_MIN = 1_024


class SeparatingShapes:
    """Convex outlines of polygons, for the separating-line test between pairs of them.

    Each polygon is stood for by a convex shape holding it: its own outline when that is
    convex (a lot of a cadastre almost always is), else its convex hull. Two convex shapes
    whose interiors do not meet have a separating line along one of their edges (the
    separating-axis theorem, touching allowed), and any line parting the shapes parts the
    polygons. The test asks, for each edge of one shape, whether every vertex of the other
    lies on or beyond it; a vertex shared by both (the corners of neighbouring lots) is
    measured from that same vertex, so it lies exactly on the line, with no rounding.
    Rounding elsewhere can only misjudge a vertex within ~1e-11 of the line (coordinates
    are taken from the centre of the batch), i.e. an overlap far below any reported area."""

    def __init__(self, geoms: np.ndarray):
        geoms = np.asarray(geoms, dtype=object)
        # a polygon without holes is its own ring: its coordinates are the outline's
        plain = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
        shapes = np.where(plain, geoms, None)  # type: ignore[call-overload]  # numpy's stubs refuse a None fill
        xy = shapely.get_coordinates(shapes)
        n = shapely.get_num_coordinates(shapes)
        box = shapely.total_bounds(geoms)
        centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        #: the outlines' own rings (x, y from the batch's centre), for other tests to share
        self.outlines = (plain, n.copy(), centre, len(xy))
        turns = _ring_turns(xy, n, len(geoms))     # +1 convex counter-clockwise, -1 clockwise, 0 neither
        other = np.flatnonzero(turns == 0)
        # Hulls pay in a cadastre (a few L-shaped lots among many touching neighbours), not
        # when most outlines are concave (parcels strewn over each other): those pairs are
        # mostly real overlaps, left to the next test, and the hulls would cost more than they save.
        if len(other) > len(geoms) // 2:
            other = other[:0]
        start = np.cumsum(n) - n                        # where each shape's ring starts in xy
        vertex_turn = np.repeat(turns, n)
        if len(other):                                  # concave, holed or multi-part: its convex hull
            hulls = shapely.convex_hull(geoms[other])
            hulls = np.where(shapely.get_type_id(hulls) == 3, hulls, None)
            hxy = shapely.get_coordinates(hulls)
            hn = shapely.get_num_coordinates(hulls)
            turns[other] = _ring_turns(hxy, hn, len(other))
            # the hulls' rings after the outlines', and those shapes pointed at them
            start[other], n[other] = len(xy) + np.cumsum(hn) - hn, hn
            xy = np.concatenate([xy, hxy])
            vertex_turn = np.concatenate([vertex_turn, np.repeat(turns[other], hn)])
        # x, y and the edge (ex, ey) of each vertex, each a contiguous array: gathered pair by pair
        self.x = xy[:, 0] - centre[0]
        self.y = xy[:, 1] - centre[1]
        turn = vertex_turn.astype(float)
        self.ex, self.ey = (np.diff(c, append=c[:1]) * turn for c in (self.x, self.y))   # each vertex's edge to the next,
        self.ex[(self.ex == 0) & (self.ey == 0)] = np.nan    # turned to run counter-clockwise (exact); length 0: parts nothing
        self.start = start
        self.n = np.maximum(n - 1, 0)                   # distinct vertices (the ring repeats the first)
        self.size = np.searchsorted(SHAPE_SIZES, self.n)
        self.size[(self.n < 3) | (self.n > SHAPE_SIZES[-1]) | (turns == 0)] = -1

    def _column(self, idx: np.ndarray, k: int) -> np.ndarray:
        # vertex k of each shape, padded by repeating the last vertex (whose edge is the closing one)
        return self.start[idx] + np.minimum(k, self.n[idx] - 1)

    def separated(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where a line separates shape a[i] from shape b[i] (their interiors cannot meet)."""
        out = np.zeros(len(a), dtype=bool)
        live = np.flatnonzero((self.size[a] >= 0) & (self.size[b] >= 0))
        for edges, verts in ((a, b), (b, a)):          # the edges of one shape, then of the other
            if not len(live):
                break
            key = self.size[edges[live]] * len(SHAPE_SIZES) + self.size[verts[live]]
            if key.min() != key.max():                 # a cadastre's lots are all of one size: no sort
                order = np.argsort(key, kind="stable")
                live, key = live[order], key[order]
            cuts = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True])
            for s, e in pairwise(cuts):
                ke, kv = SHAPE_SIZES[self.size[edges[live[s]]]], SHAPE_SIZES[self.size[verts[live[s]]]]
                if e - s < PARTS_COLUMNS_MIN:    # a few pairs: one array op over all their edges and vertices
                    sel = live[s:e]
                    out[sel] = self._few_parts(self._pos(edges[sel], ke), self._pos(verts[sel], kv))
                    continue
                for c in range(s, e, PARTS_BLOCK):
                    sel = live[c:min(e, c + PARTS_BLOCK)]
                    out[sel] = self._parts(edges[sel], ke, verts[sel], kv)
            live = live[~out[live]]
        return out

    def _pos(self, idx: np.ndarray, k: int) -> np.ndarray:
        return self.start[idx, None] + np.minimum(np.arange(k)[None, :], self.n[idx, None] - 1)

    def _few_parts(self, e: np.ndarray, v: np.ndarray) -> np.ndarray:
        """:meth:`_parts` for (m, ke) edge and (m, kv) vertex positions in (m, ke, kv) arrays: the
        same arithmetic, for a few pairs (where the columns' ke·kv loop would cost more)."""
        dy = self.y[v][:, None, :] - self.y[e][:, :, None]
        dy *= self.ex[e][:, :, None]
        dx = self.x[v][:, None, :] - self.x[e][:, :, None]
        dx *= self.ey[e][:, :, None]
        return (dy <= dx).all(axis=2).any(axis=1)

    def _parts(self, edges: np.ndarray, ke: int, verts: np.ndarray, kv: int) -> np.ndarray:
        """For each pair: does every vertex of shape ``verts[i]`` (``kv`` of them, padded) lie on
        or right of some edge of shape ``edges[i]`` (``ke``)? One edge and one vertex of every
        pair at a time: whole columns, so numpy's loops run long and nothing big is allocated."""
        m = len(edges)
        vx = [self.x[p] for p in (self._column(verts, j) for j in range(kv))]
        vy = [self.y[p] for p in (self._column(verts, j) for j in range(kv))]
        found = np.zeros(m, dtype=bool)
        holds, dy, dx, le = np.empty(m, dtype=bool), np.empty(m), np.empty(m), np.empty(m, dtype=bool)
        for k in range(ke):
            p = self._column(edges, k)
            px, py, ex, ey = self.x[p], self.y[p], self.ex[p], self.ey[p]
            holds.fill(True)
            for j in range(kv):
                # cross = ex·dy − ey·dx ≤ 0, as ex·dy ≤ ey·dx (NaN edges: never)
                np.multiply(np.subtract(vy[j], py, out=dy), ex, out=dy)
                np.multiply(np.subtract(vx[j], px, out=dx), ey, out=dx)
                holds &= np.less_equal(dy, dx, out=le)
            found |= holds
        return found


def _ring_turns(xy: np.ndarray, n: np.ndarray, count: int) -> np.ndarray:
    """For each closed ring: +1 when every turn is to the left (convex, counter-clockwise),
    -1 when every turn is to the right (convex, clockwise), 0 otherwise or when empty.
    ``xy`` holds the rings one after another, each repeating its first corner at its end
    (``n`` coordinates each, as get_coordinates gives them)."""
    out = np.zeros(count, dtype=np.int8)
    if not len(xy):
        return out
    start = np.cumsum(n) - n
    ex, ey = np.diff(xy[:, 0]), np.diff(xy[:, 1])        # edge k: corner k to k + 1 (junk across two rings)
    turn = np.zeros(len(xy))                             # the turn from edge k into edge k + 1 (its sign)
    np.subtract(ex[:-1] * ey[1:], ey[:-1] * ex[1:], out=turn[:-2])
    ring = np.flatnonzero(n >= 4)                        # a ring of 3 corners or more
    last = start[ring] + n[ring] - 2                     # a ring's last edge turns into its first
    first = start[ring]
    turn[last] = ex[last] * ey[first] - ey[last] * ex[first]
    turn[last + 1] = 0.0                                 # the edge from one ring into the next: no turn
    if len(ring) < np.count_nonzero(n):                  # a degenerate ring (1–3 coordinates) among them: silenced
        turn[np.repeat(n < 4, n)] = 0.0
    lo = np.minimum.reduceat(turn, first)                # each ring's turns lie from its start to its last edge
    hi = np.maximum.reduceat(turn, first)
    turns = np.zeros(len(ring), dtype=np.int8)
    turns[(lo >= 0) & (hi > 0)] = 1
    turns[(hi <= 0) & (lo < 0)] = -1
    out[ring] = turns
    return out


def overlapping_parcels(geoms: np.ndarray, tolerance_m2: float = 0.01) -> dict[int, list[int]]:
    """Parcels of one batch whose interiors overlap by more than ``tolerance_m2`` → partners."""
    from zones.overlap_check import overlapping_pairs

    a, b = overlapping_pairs(geoms, tolerance_m2)
    out: dict[int, list[int]] = {}
    for i, j in zip(a.tolist(), b.tolist()):
        out.setdefault(i, []).append(j)
        out.setdefault(j, []).append(i)
    return out
