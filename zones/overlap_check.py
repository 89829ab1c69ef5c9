"""Which parcels of one batch overlap, decided pair by pair without measuring every overlap.

A pair of parcels is an overlap when GEOS's intersection of the two has an area above a
tolerance (0.01 m²: less is digitising noise). Measuring that area is GEOS's full overlay,
about 30 µs a pair; a batch of parcels strewn on top of each other has hundreds of
thousands of such pairs. So each pair is settled by the cheapest exact argument that holds:

1. boxes apart — never a candidate (a sweep over the boxes in numpy: :func:`box_pairs`);
2. a straight line parts the two outlines (:class:`~zones.overlay.SeparatingShapes`) —
   every pair of lots that merely touch in a cadastre: no overlap (asked only where a sample
   of the pairs shows it parts many: :func:`_separation_pays`);
3. twins — one outline registered twice (shared-use parcels) — overlap by the outline's own
   area (:func:`twins`);
4. extents apart along one of six more axes than the box's (every 22.5°): no point in
   common, no overlap (:meth:`Fans.apart`);
5. a *disc*: each outline holds the disc round a point inside it out to its boundary; two
   such discs that meet deeply enough hold a common disc whose area is above twice the
   tolerance, lying in both outlines: an overlap (:meth:`Wedges.discs`);
6. a disc on the line between two *fans* — outlines seen whole from the mean of their
   corners, whose edge facing a direction is found by one sorted search — deep enough in
   both, its depth in each bounded from a few edges near the line (:meth:`Fans.proves`);
7. a *wedge*: a corner of one outline lies strictly inside the other, and the part of the
   first outline's corner within reach of that point — a circular sector whose area is known
   in closed form — lies in both, with an area above twice the tolerance: an overlap, proven
   without measuring it (a corner inside the other's disc of 5 is inside it without asking GEOS);
8. the rest (slivers, crossings without a corner inside, outlines that come close): their
   common area in numpy where both are one ring, from the crossings of their edges that meet
   the boxes' common part (:meth:`Wedges.common_area`, about 2 µs a pair against GEOS's 12 µs
   for intersects and the area); GEOS is asked only where a corner touches the other's edge
   or the area is at the tolerance (:func:`overlap_areas`). (A gap between the corners along
   the line between the centres cost more here than the common areas of the pairs it settled.)

The area itself is measured only where a finding states it (:func:`overlap_areas`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
import shapely.errors

if TYPE_CHECKING:
    from zones.overlay import SeparatingShapes

#: A wedge must prove at least this multiple of the tolerance: far above the rounding of the
#: arithmetic (relative 1e-15), so a proven pair is one GEOS measures above the tolerance too.
PROOF_MARGIN = 2.0
#: Box pairs parted together by the separating-line test (bounded memory, warm caches).
PAIRS_BLOCK = 200_000
#: A box wider or higher than this multiple of the batch's median is left to GEOS's tree
#: (:func:`box_pairs`): the sweep's strips are as high, and its runs as long, as the largest box.
BIG_BOX = 4.0
#: Box pairs sampled to decide whether the separating-line test pays (:func:`_separation_pays`).
SEPARATION_SAMPLE = 512
#: The share of the sampled pairs it must part for its arrays to pay.
SEPARATION_PAYS = 0.25
#: Kept off every distance a wedge uses (CRS units): far above the rounding of a coordinate.
SLACK = 1e-6
#: The least area a wedge proves when the tolerance is 0 (any overlap at all), in CRS units².
MIN_PROOF = 1e-6


def overlapping_pairs(geoms: np.ndarray, min_area: float, *, checked: bool = False, outlines: Wedges | None = None,
                      box: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j), in record order, whose interiors overlap by more than ``min_area``
    (GEOS's intersection area, in CRS units²) — exactly the pairs that measuring every
    intersection would give, without measuring the ones a wedge proves. ``checked``: every
    outline is known valid (the importer's), so validity is not asked again. ``outlines``:
    these very outlines' corners and fans, made by the importer's validity check
    (:func:`zones.io.validate._clean_mask`), and ``box`` their bounds, when already made."""
    from zones.overlay import SeparatingShapes, in_threads

    geoms = np.asarray(geoms, dtype=object)
    empty = np.empty(0, dtype=np.int64)
    if len(geoms) < 2:
        return empty, empty
    if box is None:
        box = shapely.bounds(geoms)               # each outline's box, for the stages that use it
    if outlines is not None and len(outlines.geoms) != len(geoms):
        outlines = None
    a, b = box_pairs(geoms, box)
    shapes = SeparatingShapes(geoms) if _separation_pays(geoms, a, b) else None
    if shapes is not None:
        def parted(part):
            # in blocks: the pairs of a block are parted while their columns are still in the cache
            return np.concatenate([shapes.separated(a[part[s:s + PAIRS_BLOCK]], b[part[s:s + PAIRS_BLOCK]])
                                   for s in range(0, len(part), PAIRS_BLOCK)] or [np.zeros(0, dtype=bool)])

        keep = ~np.concatenate(in_threads(parted, np.arange(len(a))))
        a, b = a[keep], b[keep]
    if not len(a):
        return empty, empty
    proof = max(PROOF_MARGIN * min_area, MIN_PROOF)
    proven = twins(geoms, a, b, proof, checked=checked, box=box)
    apart = np.zeros(len(a), dtype=bool)          # outlines that do not even meet
    meet = np.zeros(len(a), dtype=bool)           # outlines known to meet (not whether by more than min_area)
    todo = np.flatnonzero(~proven)
    if len(todo):
        asked = np.zeros(len(geoms), dtype=bool)
        asked[a[todo]] = asked[b[todo]] = True
        if asked.sum() > len(geoms) // 2:       # most parcels still in question: all of them, sharing the coordinates
            wedges = outlines if outlines is not None else Wedges(geoms, checked=checked, shapes=shapes, box=box)
            sa, sb = a[todo], b[todo]
            wbox = box
        else:                                   # only the parcels still in question (a few in a cadastre)
            sub = np.flatnonzero(asked)
            place = np.cumsum(asked) - 1
            wedges = Wedges(geoms[sub], checked=checked)
            sa, sb = place[a[todo]], place[b[todo]]
            wbox = box[sub]
        del shapes                              # the separation arrays (but the coordinates taken over): memory back
        fans = wedges.use_fans()
        # each argument in turn, on the pairs still open (they shrink: each stage takes its own out);
        # `met`: the pairs of this stage a wedge found to meet (read by the wedges' lambdas when called)
        met: np.ndarray = np.zeros(0, dtype=bool)
        for settles, found in ((fans.apart, apart),              # extents apart along some axis
                               (lambda x, y: wedges.discs(x, y, proof), proven),     # a disc inside both
                               (lambda x, y: fans.proves(x, y, proof), proven),      # a disc on the line between the centres
                               (lambda x, y: wedges.proves(x, y, proof, met=met), proven),    # a corner of a inside b
                               (lambda x, y: wedges.proves(y, x, proof, met=met), proven)):   # a corner of b inside a
            met = np.zeros(len(sa), dtype=bool)
            done = settles(sa, sb)
            found[todo[done]] = True
            meet[todo[met]] = True               # a corner found inside the other: they meet, GEOS need not ask
            keep = ~done
            todo, sa, sb = todo[keep], sa[keep], sb[keep]
        # the rest, mostly slivers and outlines that come close: their common area in numpy
        # where both are one ring, from the crossings of their edges near the boxes' common part
        over, sure = wedges.overlap_exceeds(sa, sb, wbox, min_area)
        proven[todo[sure & over]] = True
        apart[todo[sure & ~over]] = True        # (not an overlap: at most min_area in common)
    todo = np.flatnonzero(~proven & ~apart)
    if len(todo):
        area = overlap_areas(geoms, a[todo], b[todo], meet=meet[todo])
        proven[todo] = area > min_area
    return a[proven], b[proven]                 # in record order, as the box pairs came


def box_pairs(geoms: np.ndarray, box: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i < j) of outlines whose boxes meet, touching included (as GEOS's tree
    query finds them; empty and missing outlines have none), in record order (by i, then j).

    A sweep in numpy, half the CPU of building GEOS's tree and querying it on parcels: the boxes
    are sorted by horizontal strip (as high as the highest box) and then by their left side;
    a box can only meet boxes of its own strip that start after it, up to its right side, and
    boxes of the strip above that start within one box width of it — contiguous runs of the
    sorted boxes, found by a sorted search. Those runs (a few more than the pairs) are then
    tested exactly. Boxes far larger than most (a road, a river) are left to GEOS's tree."""
    empty = np.empty(0, dtype=np.int64)
    if box is None:
        box = shapely.bounds(geoms)
    ok = np.flatnonzero(~np.isnan(box).any(axis=1))
    if len(ok) < 2:
        return empty, empty
    x0, y0, x1, y1 = (np.ascontiguousarray(box[ok, k]) for k in range(4))
    w, h = x1 - x0, y1 - y0
    small = (w <= BIG_BOX * np.median(w)) & (h <= BIG_BOX * np.median(h))
    idx = ok[small]
    x0, y0, x1, y1, w, h = x0[small], y0[small], x1[small], y1[small], w[small], h[small]
    pairs = []
    if len(idx) > 1:
        wide = w.max()
        # strips a little higher than the highest box (beyond the rounding of the division)
        high = max(h.max(), 1e-3 * (y1.max() - y0.min()) + 1e-9) * (1 + 1e-6)
        strip = np.floor((y0 - y0.min()) / high)
        # a box that ends below the strip above meets none of its boxes (they all start there):
        # about half of them, and most of the candidates the sweep would test (kept by far more
        # than the rounding of the division: a box is only ever asked about more)
        up = (y1 - y0.min()) / high >= strip + (1 - 1e-6)
        left = x0.min() - wide - 1.0
        band = np.ceil(x1.max() - left + 2 * wide + 2.0)       # one strip's room in the key
        if (strip.max() + 2) * band < 1e12:                    # the key's rounding (and margin) stays small
            pairs.append(_sweep(idx, x0, y0, x1, y1, strip, up, left, band, wide))
        else:
            small[:] = False
    big = ok[~small]
    if len(big):                # big boxes: against every box, by GEOS's tree (a pair of two big ones once)
        q, b = shapely.STRtree(geoms).query(geoms[big])
        a = big[q]
        once = np.ones(len(geoms), dtype=bool)
        once[big] = False
        keep = (a != b) & (once[b] | (a < b))
        a, b = a[keep], b[keep]
        pairs.append((np.minimum(a, b), np.maximum(a, b)))
    if not pairs:
        return empty, empty
    a, b = np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    # in record order: every later stage gathers each pair's numbers by its two records, and
    # one side in order keeps half of those reads in the cache (the separation test on a
    # shuffled cadastre: 0.08 s so, 0.14–0.18 s in the sweep's order); and the pairs found are
    # then in the order they are reported in, with no sort at the end
    key = a * len(geoms) + b
    key.sort()                                  # (the keys themselves: a third cheaper than an argsort and gathers)
    return np.divmod(key, len(geoms))


def _sweep(idx, x0, y0, x1, y1, strip, up, left, band, wide):
    """:func:`box_pairs` among boxes whose width is at most ``wide`` and height at most a strip's
    (``up``: the boxes that reach the strip above theirs)."""
    key = strip * band + (x0 - left)          # strip by strip, left side by left side
    order = np.argsort(key)                   # (the key itself sorted: no rounding between strip and side)
    idx, x0, y0, x1, y1, strip, key = idx[order], x0[order], y0[order], x1[order], y1[order], strip[order], key[order]
    up = up[order]
    base = strip * band
    margin = 1e-9 * band * (strip[-1] + 2)    # far above the key's rounding: a few boxes more, never fewer
    here = np.arange(len(key))
    end = np.searchsorted(key, base + (x1 - left) + margin, side="right")
    above = np.searchsorted(key, base + band + (x0 - left - wide) - margin, side="left")
    above_end = np.searchsorted(key, base + band + (x1 - left) + margin, side="right")
    i1, j1 = _runs(here + 1, np.maximum(end - here - 1, 0))
    i2, j2 = _runs(above, np.where(up, np.maximum(above_end - above, 0), 0))
    i, j = np.concatenate([i1, i2]), np.concatenate([j1, j2])
    meet = (x0[j] <= x1[i]) & (x0[i] <= x1[j]) & (y0[j] <= y1[i]) & (y0[i] <= y1[j])
    a, b = idx[i[meet]], idx[j[meet]]
    return np.minimum(a, b), np.maximum(a, b)


def _runs(start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs of ``count[i]`` positions from ``start[i]``: each position's run ``i``, and the position."""
    owner = np.repeat(np.arange(len(start)), count)
    return owner, np.arange(len(owner)) + np.repeat(start - (np.cumsum(count) - count), count)


def _separation_pays(geoms: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the separating-line test (:class:`~zones.overlay.SeparatingShapes`) is worth its
    arrays here: asked first of an even sample of the box pairs. Among a cadastre's touching
    lots it parts nearly every pair; among parcels strewn over each other under 1 % (2,154 of
    330,891 box pairs on the benchmark's random set), for arrays that cost more than the later
    stages spend on all the pairs it would part. Only the cost depends on the answer: every
    pair it would part is settled exactly by the later arguments or by GEOS."""
    from zones.overlay import SeparatingShapes

    if len(a) <= SEPARATION_SAMPLE:
        return True
    pick = np.linspace(0, len(a) - 1, SEPARATION_SAMPLE).astype(np.int64)
    sub, place = np.unique(np.r_[a[pick], b[pick]], return_inverse=True)
    parted = SeparatingShapes(geoms[sub]).separated(place[:len(pick)], place[len(pick):])
    return bool(parted.mean() >= SEPARATION_PAYS)


def twins(geoms: np.ndarray, a: np.ndarray, b: np.ndarray, proof: float, *, checked: bool = False,
          box: np.ndarray | None = None) -> np.ndarray:
    """True where ``a[i]`` and ``b[i]`` are one valid outline registered twice (the same
    coordinates in the same order: shared-use parcels): their overlap is the outline itself,
    so its area, above ``proof``, proves the pair without GEOS's overlay. ``box``: the outlines' bounds."""
    if box is None:
        box = shapely.bounds(geoms)
    left = np.ascontiguousarray(box[:, 0])
    maybe = np.flatnonzero(left[a] == left[b])                     # the same box first: a cheap sieve
    maybe = maybe[(box[a[maybe]] == box[b[maybe]]).all(axis=1)]
    same = maybe[shapely.equals_exact(geoms[a[maybe]], geoms[b[maybe]], tolerance=0.0)]
    one = geoms[a[same]]
    if not checked:                                 # the argument holds for valid outlines only
        keep = shapely.is_valid(one)
        same, one = same[keep], one[keep]
    out = np.zeros(len(a), dtype=bool)
    out[same] = shapely.area(one) > proof
    return out


def overlap_areas(geoms: np.ndarray, a: np.ndarray, b: np.ndarray, *, overlapping: bool = False,
                  meet: np.ndarray | None = None) -> np.ndarray:
    """GEOS's intersection area of each pair (0 where the outlines do not meet, and for a
    pair GEOS cannot intersect — an outline no importer has checked). ``overlapping``: every
    pair is known to overlap (found by :func:`overlapping_pairs`), so none is asked whether they meet;
    ``meet``: True for the pairs known to meet, which are not asked either (the intersection of a
    pair that did not would have no area: the answer is the same either way, only its cost differs)."""
    from zones.overlay import in_threads

    geoms = np.asarray(geoms, dtype=object)
    area = np.zeros(len(a))
    if not len(a):
        return area
    if overlapping:
        k = np.arange(len(a))
    else:
        asked = np.arange(len(a)) if meet is None else np.flatnonzero(~meet)
        met = asked[shapely.intersects(geoms[a[asked]], geoms[b[asked]])]      # far cheaper than an overlay for pairs apart
        k = met if meet is None else np.sort(np.r_[np.flatnonzero(meet), met])
    try:
        area[k] = np.concatenate(in_threads(lambda s: shapely.area(shapely.intersection(geoms[a[s]], geoms[b[s]])),
                                            k, min_size=2_000))
    except shapely.errors.GEOSException:
        area[k] = [_pair_area(geoms[i], geoms[j]) for i, j in zip(a[k].tolist(), b[k].tolist())]
    return area


def _pair_area(one, other) -> float:
    try:
        return float(shapely.area(shapely.intersection(one, other)))
    except shapely.errors.GEOSException:
        return 0.0


class Wedges:
    """The corners of plain polygons (one ring, no holes), for the wedge proof of an overlap.

    Near a corner ``v`` of a valid polygon ``A``, within the distance ``ρ`` to its nearest
    edge not at ``v``, the polygon is exactly the sector of the corner's inner angle ``θ``.
    When ``v`` lies strictly inside ``B`` at a distance ``d`` from ``B``'s boundary, the
    sector of radius ``min(ρ, d)`` lies in both, so they overlap by at least
    ``θ·min(ρ, d)²/2``. The corner tried for each pair is the corner of ``A`` nearest a point
    inside ``B`` (its fan centre, else ``point_on_surface``: :meth:`_inner`): the likeliest to lie in ``B``.
    Which corner is tried only changes how many pairs are proven, never a proof."""

    def __init__(self, geoms: np.ndarray, *, checked: bool = False, shapes: SeparatingShapes | None = None,
                 box: np.ndarray | None = None):
        """``shapes``: the same outlines' separation arrays, whose coordinates are taken over;
        ``box``: the outlines' bounds (``shapely.bounds``), when already made."""
        self.geoms = geoms
        self.known_valid = np.full(len(geoms), checked)   # every outline known valid: an importer's
        if shapes is not None:
            plain, n, self.centre, size = shapes.outlines
            self.plain = plain.copy()
            x, y = shapes.x[:size], shapes.y[:size]
        else:
            self.plain = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
            outlines = np.where(self.plain, geoms, None)  # type: ignore[call-overload]
            xy = shapely.get_coordinates(outlines)
            n = shapely.get_num_coordinates(outlines)     # the ring repeats its first corner at the end
            box = shapely.total_bounds(geoms) if box is None else np.r_[np.nanmin(box[:, :2], axis=0), np.nanmax(box[:, 2:], axis=0)]
            self.centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
            # small numbers from the batch's centre: the arithmetic loses nothing that matters
            x, y = xy[:, 0] - self.centre[0], xy[:, 1] - self.centre[1]
        self.start = np.zeros(len(geoms) + 1, dtype=np.int64)
        np.cumsum(n, out=self.start[1:])
        self.corners = np.maximum(n - 1, 0)
        self.plain &= self.corners >= 3
        self.ring = self.plain.copy()       # one ring of three corners or more, in x, y: its distances in numpy
        self.x, self.y = x, y
        self._ccw: np.ndarray | None = None              # each ring's orientation, when first asked for
        self.inner_made = False                          # the inner points and discs, when first asked for
        self.fans: Fans | None = None
        self._rims: dict[int, object] = {}               # GEOS boundaries of the outlines without one ring
        self.radius = self.inner_x = self.inner_y = np.empty(0)

    @property
    def ccw(self) -> np.ndarray:
        """True where a plain ring runs counter-clockwise (made with the fans when they are)."""
        if self._ccw is None:
            self._ccw = self._counter_clockwise()
        return self._ccw

    def orientation(self, twice: np.ndarray, rings: np.ndarray) -> np.ndarray:
        """Each plain ring's orientation from ``twice[i]``, twice the signed area of ring
        ``rings[i]`` (a shoelace sum), from GEOS where that sum is too small for its sign to be
        beyond the rounding (under 0.5 m²)."""
        ccw = np.zeros(len(self.geoms), dtype=bool)
        full = np.zeros(len(self.geoms))
        full[rings] = twice
        ring = np.flatnonzero(self.plain)
        ccw[ring] = full[ring] > 0
        doubtful = ring[np.abs(full[ring]) < 1.0]
        if len(doubtful):
            ccw[doubtful] = shapely.is_ccw(shapely.get_exterior_ring(self.geoms[doubtful]))
        return ccw

    def _counter_clockwise(self) -> np.ndarray:
        """Each plain ring's orientation: the sign of its shoelace sum (twice its signed area)."""
        ring = np.flatnonzero(self.plain)
        if not len(ring):
            return np.zeros(len(self.geoms), dtype=bool)
        x, y = self.x, self.y
        term = np.zeros(len(x))
        term[:-1] = x[:-1] * y[1:] - x[1:] * y[:-1]          # corner k to k + 1; the closing corner ends each ring
        ends = self.start[1:] - 1
        term[ends[ends >= 0]] = 0.0                          # no step from one ring into the next
        return self.orientation(np.add.reduceat(term, self.start[ring]), ring)

    def _nearest(self, A: np.ndarray, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
        """For each pair, the corner of ``A`` (its place in the ring) nearest the point (tx, ty)
        (the first such, where two are as near)."""
        count = self.corners[A]
        first = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(A)), count)
        corner = np.repeat(self.start[A] - first, count) + np.arange(len(pair))
        d2 = (self.x[corner] - tx[pair]) ** 2 + (self.y[corner] - ty[pair]) ** 2
        hit = np.flatnonzero(d2 == np.minimum.reduceat(d2, first)[pair])
        hit = hit[np.r_[True, pair[hit][1:] != pair[hit][:-1]]]
        return corner[hit] - self.start[A]

    def proves(self, a: np.ndarray, b: np.ndarray, proof: float, *, met: np.ndarray | None = None) -> np.ndarray:
        """True where a corner of ``a[i]`` proves that ``a[i]`` and ``b[i]`` overlap by more than ``proof``;
        ``met``, when given, is set True where the corner tried was found inside ``b[i]`` (they meet)."""
        out = np.zeros(len(a), dtype=bool)
        self._validate(a)                             # the argument holds for valid outlines only
        live = np.flatnonzero(self.plain[a])
        if not len(live):
            return out
        A, B = a[live], b[live]
        self._inner()
        j = self._nearest(A, self.inner_x[B], self.inner_y[B])          # nearest a point inside each B
        v = self.start[A] + j
        # A corner inside B's disc (:meth:`_inner`) is inside B, at least the disc's radius less
        # its distance from the disc's centre away from B's boundary: no GEOS asked (the
        # distance lengthened, the depth shortened, by far more than their rounding).
        far = np.hypot(self.x[v] - self.inner_x[B], self.y[v] - self.inner_y[B]) * (1 + 1e-9) + SLACK
        deep = np.flatnonzero(far < self.radius[B])
        if len(deep):
            out[live[deep]] = self._sector_proves(A[deep], j[deep], v[deep], self.radius[B[deep]] - far[deep], proof)
        ask = np.flatnonzero(~out[live])                 # the rest (and any the disc's depth fell short for): GEOS
        if not len(ask):
            return out
        A, B, j, v = A[ask], B[ask], j[ask], v[ask]
        # strictly inside B, and how far from its boundary: over the edges of a one-ring B in
        # numpy (the crossings of a ray from the corner, and the distance, in one pass), else GEOS
        inside, d = np.zeros(len(B), dtype=bool), np.zeros(len(B))
        ring = self.ring[B] & self.plain[B]             # (a ring found invalid: GEOS, as before)
        one = np.flatnonzero(ring)
        if len(one):
            inside[one] = self._ring_inside(B[one], self.x[v[one]], self.y[v[one]])
            one = one[inside[one]]                      # (the distance only where it can prove)
            d[one] = self._ring_distance(B[one], self.x[v[one]], self.y[v[one]])
        other = np.flatnonzero(~ring)
        if len(other):
            px, py = self.x[v[other]] + self.centre[0], self.y[v[other]] + self.centre[1]
            inside[other] = shapely.contains_xy(self.geoms[B[other]], px, py)
            k = other[inside[other]]
            # the point tested is the corner moved back from the centred numbers (a rounding off it):
            # its distance to B's boundary is kept short of by far more than that
            d[k] = self._to_rim(B[k], px[inside[other]] - self.centre[0], py[inside[other]] - self.centre[1])
        sel = np.flatnonzero(inside)
        if not len(sel):
            return out
        if met is not None:
            met[live[ask[sel]]] = True
        out[live[ask[sel]]] = self._sector_proves(A[sel], j[sel], v[sel], d[sel] - SLACK, proof)
        return out

    def _sector_proves(self, A: np.ndarray, j: np.ndarray, v: np.ndarray, depth: np.ndarray, proof: float) -> np.ndarray:
        """True where the sector of corner ``v`` (number ``j`` of ``A``'s ring), of radius the
        least of its clearance and ``depth`` (how deep inside the other outline it lies, at
        least), has an area above ``proof``."""
        # a corner's clearance and angle are its own, whichever pair it is tried in: computed once per corner
        corner, first, again = np.unique(v, return_index=True, return_inverse=True)
        A1, j1 = A[first], j[first]
        with np.errstate(invalid="ignore", divide="ignore"):   # an edge of length 0: NaN, proves nothing
            clear = np.empty(len(corner))
            fan = self.fans.fan[A1] if self.fans is not None else np.zeros(len(corner), dtype=bool)
            k = np.flatnonzero(fan)
            if len(k):
                clear[k] = self._fan_clearance(A1[k], j1[k], corner[k])
            k = np.flatnonzero(~fan)
            if len(k):
                clear[k] = self._clearance(A1[k], j1[k], corner[k])
            r = np.maximum(np.minimum(clear[again], depth) * (1 - 1e-9), 0.0)
            return self._inner_angle(A1, j1, corner)[again] * r * r / 2 > proof

    def _fan_clearance(self, A: np.ndarray, j: np.ndarray, v: np.ndarray) -> np.ndarray:
        """At most the distance from corner ``v`` (number ``j`` of fan ``A``) to ``A``'s edges not at
        ``v``, in a few steps instead of one per edge: the fan's triangles round its centre ``c``
        tile it, each edge in its own angle, so every edge but the corner's two lies outside the
        angle between the rays from ``c`` through the corners either side of ``v`` — no nearer to
        ``v`` than those rays (less :data:`SLACK`, far more than the rounding). On the benchmark's
        parcels it proves the very pairs the distance to every edge proves: the depth is what binds."""
        fans = self.fans
        assert fans is not None
        n, s0 = self.corners[A], self.start[A]
        cx, cy = fans.cx[A], fans.cy[A]
        vx, vy = self.x[v] - cx, self.y[v] - cy

        def to_ray(k):
            ux, uy = self.x[k] - cx, self.y[k] - cy
            return np.where(vx * ux + vy * uy > 0, np.abs(vx * uy - vy * ux) / np.hypot(ux, uy), np.hypot(vx, vy))

        return np.minimum(to_ray(s0 + (j - 1) % n), to_ray(s0 + (j + 1) % n)) - SLACK

    def _validate(self, idx: np.ndarray) -> None:
        """Validity asked once of each plain outline not known valid; invalid ones are left out."""
        tried = np.unique(idx[self.plain[idx] & ~self.known_valid[idx]])
        if len(tried):
            self.plain[tried] = shapely.is_valid(self.geoms[tried])
            self.known_valid[tried] = True

    def _inner(self) -> None:
        """Each outline's point inside and the radius of the disc round that point inside the
        outline (at most its distance to the boundary, holes too; 0 where the point is not
        strictly inside), centred as the corners: a fan's centre (:meth:`use_fans`), else
        GEOS's point on surface."""
        if self.inner_made:
            return
        self.inner_made = True
        self.inner_x, self.inner_y, self.radius = np.zeros(len(self.geoms)), np.zeros(len(self.geoms)), np.zeros(len(self.geoms))
        rest = np.arange(len(self.geoms))
        if self.fans is not None:
            fan = self.fans.fan
            self.inner_x[fan], self.inner_y[fan], self.radius[fan] = self.fans.cx[fan], self.fans.cy[fan], self.fans.radius[fan]
            rest = np.flatnonzero(~fan)
        if not len(rest):
            return
        inner = shapely.point_on_surface(self.geoms[rest])
        x, y = shapely.get_x(inner), shapely.get_y(inner)
        inside = shapely.contains_xy(self.geoms[rest], x, y)
        self.inner_x[rest], self.inner_y[rest] = x - self.centre[0], y - self.centre[1]
        self.radius[rest] = np.where(inside, self._to_rim(rest, self.inner_x[rest], self.inner_y[rest]), 0.0)

    def proven_valid(self) -> np.ndarray:
        """True where the outline is a fan (:class:`Fans`): a ring going once round its corners'
        mean, every turn beyond the rounding, is simple — a valid polygon, with no GEOS asked
        (the importer's validity check asks GEOS about the others only)."""
        if self.fans is None:
            self.fans = Fans(self)
        self.known_valid |= self.fans.fan
        return self.fans.fan

    def use_fans(self) -> Fans:
        """The outlines as fans (:class:`Fans`; every other outline's validity asked), whose
        centres are then the points inside of the discs and wedges."""
        self.proven_valid()
        self._validate(np.arange(len(self.geoms)))
        fans = self.fans
        assert fans is not None
        fans.fan &= self.plain
        fans.edges()
        return fans

    def _to_rim(self, idx: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Distance from each point (``px``, ``py``, centred) to the boundary of outline ``idx[i]``:
        over the edges of its ring in numpy where it is one ring (the same sums as GEOS's,
        without making the boundary as a new geometry), else asked of GEOS."""
        out = np.empty(len(idx))
        one = self.ring[idx]
        k = np.flatnonzero(one)
        if len(k):
            out[k] = self._ring_distance(idx[k], px[k], py[k])
        k = np.flatnonzero(~one)
        if len(k):
            missing = np.setdiff1d(idx[k], np.fromiter(self._rims, dtype=np.int64, count=len(self._rims)))
            self._rims.update(zip(missing.tolist(), shapely.boundary(self.geoms[missing])))
            rims = np.array([self._rims[i] for i in idx[k].tolist()] + [None], dtype=object)[:-1]
            out[k] = shapely.distance(shapely.points(px[k] + self.centre[0], py[k] + self.centre[1]), rims)
        return out

    def _ring_distance(self, A: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Distance from point (px[i], py[i]) to the nearest edge of ``A[i]``'s ring (an edge of
        length 0 counts as its corner)."""
        count = self.corners[A]
        first = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(A)), count)
        e0 = np.repeat(self.start[A] - first, count) + np.arange(len(pair))   # edge k: corner k to k + 1
        x0, y0 = self.x[e0], self.y[e0]
        ex, ey = self.x[e0 + 1] - x0, self.y[e0 + 1] - y0
        wx, wy = px[pair] - x0, py[pair] - y0
        length2 = ex * ex + ey * ey
        t = np.divide(wx * ex + wy * ey, length2, out=np.zeros(len(pair)), where=length2 > 0)
        np.clip(t, 0.0, 1.0, out=t)
        wx -= t * ex
        wy -= t * ey
        return np.sqrt(np.minimum.reduceat(wx * wx + wy * wy, first))

    def _ring_inside(self, A: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Whether point (px[i], py[i]) lies inside ``A[i]``'s ring: an odd number of its edges
        crossed by the ray from the point along +x. Exact wherever the point lies farther from
        the ring than the rounding of the crossings (the ray meets an edge no nearer than the
        point's distance to it), which every proof asks for (its depth less :data:`SLACK`)."""
        count = self.corners[A]
        first = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(A)), count)
        e0 = np.repeat(self.start[A] - first, count) + np.arange(len(pair))   # edge k: corner k to k + 1
        y0, y1 = self.y[e0], self.y[e0 + 1]
        qy = py[pair]
        crossed = (y0 > qy) != (y1 > qy)
        k = np.flatnonzero(crossed)                     # the edges level with the point: where it meets them
        e, x0, y0 = e0[k], self.x[e0[k]], y0[k]
        with np.errstate(invalid="ignore", divide="ignore"):
            crossed[k] = px[pair[k]] - x0 < (qy[k] - y0) * (self.x[e + 1] - x0) / (y1[k] - y0)
        return np.logical_xor.reduceat(crossed, first)

    def discs(self, a: np.ndarray, b: np.ndarray, proof: float) -> np.ndarray:
        """True where the discs inside ``a[i]`` and ``b[i]`` (:meth:`_inner`) share a disc of
        area above ``proof``: that disc lies in both outlines, so they overlap by more.
        Two discs (centres d apart, radii r₁, r₂) hold the disc of radius
        min((r₁ + r₂ − d)/2, r₁, r₂) on the line between their centres."""
        self._validate(a)
        self._validate(b)
        out = np.zeros(len(a), dtype=bool)
        live = np.flatnonzero(self.plain[a] & self.plain[b])
        if not len(live):
            return out
        self._inner()
        A, B = a[live], b[live]
        # radii shortened and the distance lengthened by far more than their rounding
        r1 = np.maximum(self.radius[A] - SLACK, 0.0) * (1 - 1e-9)
        r2 = np.maximum(self.radius[B] - SLACK, 0.0) * (1 - 1e-9)
        d = np.hypot(self.inner_x[A] - self.inner_x[B], self.inner_y[A] - self.inner_y[B]) * (1 + 1e-9) + SLACK
        h = np.minimum(np.minimum((r1 + r2 - d) / 2, r1), r2)
        out[live] = (h > 0) & (np.pi * h * h * (1 - 1e-9) > proof)
        return out

    def overlap_exceeds(self, a: np.ndarray, b: np.ndarray, box: np.ndarray, min_area: float
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Whether outlines ``a[i]`` and ``b[i]`` have more than ``min_area`` in common, and where
        that is sure (elsewhere GEOS is to be asked): their common area in numpy
        (:meth:`common_area`), sure where it is farther from ``min_area`` than a billionth of the
        edges' terms that sum to it (far beyond the rounding of either sum: GEOS's is the same
        area, up to its own rounding). ``box``: the outlines' bounds."""
        area, size, sure = self.common_area(a, b, box)
        sure &= np.abs(area - min_area) > 1e-9 * size
        return area > min_area, sure

    def common_area(self, a: np.ndarray, b: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The area outlines ``a[i]`` and ``b[i]`` have in common, the sum of the absolute terms
        it is summed from (its rounding's scale), and where it is known (one-ring outlines, no
        corner touching the other's edges). ``box``: the outlines' bounds.

        The common part's area is the integral of ``x dy − y dx`` / 2 round its boundary: the
        parts of each ring's edges inside the other. Only edges that meet the boxes' common part
        can be such parts (:meth:`_window_edges`), so only those are crossed with each other;
        an edge's part inside is then its start's inside-ness (the parity of the crossings since
        an edge off that window, outside the other outline) plus ``1 − t`` for each crossing
        into the other outline and less ``1 − t`` for each crossing out of it, in any order.
        Not known: a corner within :data:`SLACK` of an edge of the other that it may touch
        (touching outlines, shared corners: their crossings are the rounding's), a ring all of
        whose edges meet that window (one inside the other's box), an outline not one ring."""
        n = len(a)
        out_area, out_size, out_ok = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
        self._validate(a)                           # the parity argument holds for simple rings only
        self._validate(b)
        live = np.flatnonzero(self.ring[a] & self.plain[a] & self.ring[b] & self.plain[b])
        if not len(live):
            return out_area, out_size, out_ok
        A, B = a[live], b[live]
        cx, cy = self.centre
        lo_x = np.maximum(box[A, 0], box[B, 0]) - cx - SLACK
        lo_y = np.maximum(box[A, 1], box[B, 1]) - cy - SLACK
        hi_x = np.minimum(box[A, 2], box[B, 2]) - cx + SLACK
        hi_y = np.minimum(box[A, 3], box[B, 3]) - cy + SLACK
        window = (lo_x, lo_y, hi_x, hi_y)
        ea, pa, ka, anchor_a, all_a = self._window_edges(A, window)
        eb, pb, kb, anchor_b, all_b = self._window_edges(B, window)
        ok = (anchor_a >= 0) & (anchor_b >= 0)
        # every edge of A in the window against every edge of B in it, pair by pair
        nb = np.bincount(pb, minlength=len(A))
        rep = nb[pa]
        i = np.repeat(np.arange(len(pa)), rep)
        j = np.repeat((np.cumsum(nb) - nb)[pa] - (np.cumsum(rep) - rep), rep) + np.arange(len(i))
        px, py, dx, dy = (c[i] for c in ea)
        rx, ry, sx, sy = (c[j] for c in eb)
        wx, wy = rx - px, ry - py
        o1 = dx * wy - dy * wx                          # B's edge's start, left (> 0) of A's edge
        o2 = dx * (wy + sy) - dy * (wx + sx)            # its end
        o3 = wx * sy - wy * sx                          # A's edge's start, left of B's edge
        o4 = sx * (dy - wy) - sy * (dx - wx)            # its end
        # a corner within SLACK of the other's edge's line (their products within SLACK times the
        # edge's length), where the edges' boxes grown by SLACK meet: GEOS decides the pair
        near = np.flatnonzero((np.minimum(o1 * o1, o2 * o2) <= SLACK * SLACK * (dx * dx + dy * dy)) |
                              (np.minimum(o3 * o3, o4 * o4) <= SLACK * SLACK * (sx * sx + sy * sy)))
        if len(near):
            P, Q, R, S = (np.stack([c[near], c[near] + d[near]]) for c, d in ((px, dx), (py, dy), (rx, sx), (ry, sy)))
            near = near[(P.min(axis=0) <= R.max(axis=0) + SLACK) & (R.min(axis=0) <= P.max(axis=0) + SLACK) &
                        (Q.min(axis=0) <= S.max(axis=0) + SLACK) & (S.min(axis=0) <= Q.max(axis=0) + SLACK)]
            ok[pa[i[near]]] = False
        crossed = ((o1 > 0) != (o2 > 0)) & ((o3 > 0) != (o4 > 0))
        crossed[near] = False
        hit = np.flatnonzero(crossed)
        ih, jh = i[hit], j[hit]
        o1, o2, o3, o4 = o1[hit], o2[hit], o3[hit], o4[hit]
        turn = dx[hit] * sy[hit] - dy[hit] * sx[hit]     # > 0: B's edge crosses A's from its right to its left
        ccw_a, ccw_b = self.ccw[A][pa[ih]], self.ccw[B][pa[ih]]
        # A's edge goes into B where it crosses B's edge to B's inside (its left, for a counter-clockwise B)
        t, u = 1 - o3 / (o3 - o4), 1 - o1 / (o1 - o2)    # the rest of each edge after the crossing
        into_a = np.bincount(ih, np.where((turn < 0) == ccw_b, t, -t), minlength=len(pa))
        into_b = np.bincount(jh, np.where((turn > 0) == ccw_a, u, -u), minlength=len(pb))
        area, size = np.zeros(len(A)), np.zeros(len(A))
        ox, oy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2     # (small numbers: the window's centre)
        for (x0, y0, ex, ey), p, k, anchor, edges, into, crossing, ccw in (
                (ea, pa, ka, anchor_a, all_a, into_a, ih, self.ccw[A]),
                (eb, pb, kb, anchor_b, all_b, into_b, jh, self.ccw[B])):
            # the parity of the crossings from an edge off the window (outside the other) to each
            # edge's start: the ring's crossings are even, so any such edge serves, before or after
            before = np.zeros(edges + 1, dtype=np.int64)
            before[k + 1] = np.bincount(crossing, minlength=len(p))
            np.cumsum(before, out=before)
            inside = (before[k] - before[np.maximum(anchor, 0)][p]) & 1
            term = ((x0 - ox[p]) * ey - (y0 - oy[p]) * ex) / 2
            size += np.bincount(p, np.abs(term), minlength=len(A))
            area += np.bincount(p, np.where(ccw[p], term, -term) * (inside + into), minlength=len(A))
        out_area[live], out_size[live], out_ok[live] = area, size, ok
        return out_area, out_size, out_ok

    def _window_edges(self, A: np.ndarray, window: tuple) -> tuple:
        """The edges of each ring ``A[i]`` whose boxes meet the window ``(lo_x, lo_y, hi_x, hi_y)[i]``:
        their starts and runs (x0, y0, ex, ey), pairs and places in the list of every pair's
        coordinates; per pair the place of one edge off the window (−1: none); and how many
        coordinates in all. An edge's box misses the window where both its ends lie beyond
        the same side of it: each coordinate's sides (one bit each) gathered once, not twice."""
        count = self.corners[A] + 1                     # the ring's coordinates, the first repeated at its end
        first = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(A)), count)
        v = np.repeat(self.start[A] - first, count) + np.arange(len(pair))
        xv, yv = self.x[v], self.y[v]
        lo_x, lo_y, hi_x, hi_y = (np.repeat(side, count) for side in window)
        code = (xv < lo_x).view(np.uint8)
        code |= (xv > hi_x).view(np.uint8) << 1
        code |= (yv < lo_y).view(np.uint8) << 2
        code |= (yv > hi_y).view(np.uint8) << 3
        off = (code[:-1] & code[1:]) != 0               # edge from coordinate q to q + 1 wholly beyond one side
        edge = np.ones(len(off), dtype=bool)
        edge[(first + count - 1)[:-1]] = False          # (none from a ring's closing coordinate into the next)
        anchor = np.full(len(A), -1)
        far = np.flatnonzero(off & edge)
        anchor[pair[far]] = far         # an edge wholly outside the other's box: outside the other
        k = np.flatnonzero(~off & edge)
        return (xv[k], yv[k], xv[k + 1] - xv[k], yv[k + 1] - yv[k]), pair[k], k, anchor, len(v)

    def _clearance(self, A: np.ndarray, j: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Distance from corner ``v`` (number ``j`` of ``A``'s ring) to ``A``'s edges not at ``v``."""
        count = self.corners[A]
        first = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(A)), count)
        k = np.arange(len(pair)) - first[pair]
        e0 = self.start[A][pair] + k                 # edge k runs from corner k to corner k + 1
        x0, y0 = self.x[e0], self.y[e0]
        ex, ey = self.x[e0 + 1] - x0, self.y[e0 + 1] - y0
        wx, wy = self.x[v][pair] - x0, self.y[v][pair] - y0
        t = np.clip((wx * ex + wy * ey) / (ex * ex + ey * ey), 0.0, 1.0)
        wx -= t * ex
        wy -= t * ey
        d2 = wx * wx + wy * wy
        d2[(k == j[pair]) | (k == (j[pair] - 1) % count[pair])] = np.inf      # the corner's own edges
        return np.sqrt(np.minimum.reduceat(d2, first))

    def _inner_angle(self, A: np.ndarray, j: np.ndarray, v: np.ndarray) -> np.ndarray:
        """The polygon's inner angle at corner ``v`` (0–2π)."""
        prev = self.start[A] + (j - 1) % self.corners[A]
        ix, iy = self.x[v] - self.x[prev], self.y[v] - self.y[prev]
        ox, oy = self.x[v + 1] - self.x[v], self.y[v + 1] - self.y[v]
        turn = np.arctan2(ix * oy - iy * ox, ix * ox + iy * oy)      # left turn > 0
        return np.pi - np.where(self.ccw[A], turn, -turn)




#: Directions (radians from the x axis) of the axes the outlines' extents are also kept
#: along, for :meth:`Fans.apart` (x and y are the boxes', met by every candidate pair).
EXTENT_AXES = np.pi / 8 * np.array([1, 2, 3, 5, 6, 7])
#: The least gap between two extents that parts them, in units of the batch's reach (the
#: centred coordinates' largest): a single-precision projection is within 5e-7 of it (the
#: coordinates', the axis' and the sum's rounding), so two of them and the subtraction's stay far below.
EXTENT_GAP = 4e-6


class Fans:
    """Plain outlines seen from the mean of their corners, to settle most pairs in a few steps.

    When every edge of a valid ring is seen from its corners' mean ``c`` turning the ring's way
    (each cross product of ``v_k − c`` and ``v_{k+1} − c`` has the ring's sign), the outline is a
    *fan*: the triangles ``(c, v_k, v_{k+1})`` tile it — the angles from ``c`` go once round, so
    edge k alone is seen between the angles of corners k and k + 1. The edge a ray from ``c``
    leaves by is then found by its angle (one sorted search), and a point ``P`` on that ray, on
    ``c``'s side of that edge, lies inside the outline at least as deep as the least of its
    distances to that edge and the edges either side, and to the rays from ``c`` through the
    corners beyond them (every other edge lies past those rays); and at least ``r − |P − c|``
    (``r``: the distance from ``c`` to the ring). A point on the line between the centres of
    two fans deep in both holds a disc in both: an overlap (:meth:`proves`).

    Each outline's extent along a few more axes than the box's parts pairs whose boxes meet but
    not they (:meth:`apart`). Rings that are not fans are left to the other arguments."""

    def __init__(self, w: Wedges):
        """The fans' core, which also proves each fan a valid outline (:meth:`Wedges.proven_valid`):
        centres, the products round them, the corners' angles; the edges come with :meth:`edges`."""
        self.w = w
        count = len(w.geoms)
        n = np.diff(w.start)                       # coordinates per ring (the first repeated at its end)
        x, y = w.x, w.y
        live = np.flatnonzero(n > 0)
        self.live, self.first = live, w.start[live]
        ends = w.start[1:][live] - 1               # the rings' closing coordinates
        self.ends = ends
        self.cx, self.cy = np.zeros(count), np.zeros(count)
        if len(live):
            self.cx[live] = (np.add.reduceat(x, self.first) - x[ends]) / w.corners[live]
            self.cy[live] = (np.add.reduceat(y, self.first) - y[ends]) / w.corners[live]
        dx = x - np.repeat(self.cx, n)
        dy = y - np.repeat(self.cy, n)
        # edge j runs from coordinate j to j + 1 (none from a ring's closing coordinate into the next)
        size = len(x)
        cross = np.empty(size)
        np.subtract(dx[:-1] * dy[1:], dy[:-1] * dx[1:], out=cross[:-1])
        if size:
            cross[-1] = 0.0
        if w._ccw is None:          # the ring's orientation from the same products: their sum is twice its area
            cross[ends] = 0.0
            w._ccw = w.orientation(np.add.reduceat(cross, self.first) if len(live) else np.empty(0), live)
        self.o = np.where(w.ccw, 1.0, -1.0)
        turn = np.repeat(self.o, n)
        dy *= turn                                  # clockwise rings mirrored: every fan turns left
        cross *= turn                               # (the products as if made mirrored: negation is exact)
        del turn
        with np.errstate(invalid="ignore", divide="ignore"):
            key = _pseudo_angle(dx, dy)          # each corner's angle round c, from the ring's first corner
        del dx, dy
        self.p0 = np.zeros(count)
        self.p0[live] = key[self.first]
        key -= np.repeat(self.p0[live], n[live])
        key += 4.0 * (key < 0)
        cross[ends] = np.inf                      # no edge from a ring into the next
        key[ends] = 4.0
        # the products are of numbers under `reach` (centred coordinates): each turn must beat their rounding
        reach = 1.0 + max(np.abs(x).max(initial=0.0), np.abs(y).max(initial=0.0))
        self.fan = np.zeros(count, dtype=bool)
        if len(live):
            # every turn the ring's way, and the angles growing from the first corner to the closing one
            # (4: once round): the ring goes once round c, so it is simple — a valid outline
            step = np.diff(key, append=np.inf)
            step[ends] = np.inf                   # (the step from one ring into the next is none)
            self.fan[live] = (np.minimum.reduceat(cross, self.first) > 1e-12 * reach * reach) & \
                (np.minimum.reduceat(step, self.first) > 0)
        self.fan &= w.plain
        key += np.repeat(live * 8.0, n[live])      # sorted within each fan: its corners' angles only grow
        self.key = key
        self.cross = cross
        self.reach = reach
        self.ex = self.ey = self.radius = np.empty(0)
        self._extents: tuple[np.ndarray, np.ndarray] | None = None

    def edges(self) -> None:
        """The edges (ex, ey) and each fan's radius: the distance from its centre to its ring."""
        if len(self.ex) or not len(self.w.x):
            return
        w, cross, ends = self.w, self.cross, self.ends
        x, y = w.x, w.y
        size = len(x)
        ex, ey = np.empty(size), np.empty(size)
        np.subtract(x[1:], x[:-1], out=ex[:-1])
        np.subtract(y[1:], y[:-1], out=ey[:-1])
        ex[-1] = ey[-1] = 0.0
        length2 = ex * ex
        length2 += ey * ey
        to_line = cross                           # (made in the products' place: their use ends here)
        with np.errstate(invalid="ignore", divide="ignore"):
            # squared distance from c to each edge's line (at most that to the edge)
            np.multiply(cross, cross, out=to_line)
            np.divide(to_line, length2, out=to_line)
        to_line[-1] = 0.0
        to_line[ends] = np.inf
        del length2
        self.radius = np.zeros(len(w.geoms))
        if len(self.live):
            self.radius[self.live] = np.sqrt(np.minimum.reduceat(to_line, self.first))
        self.radius[~self.fan] = 0.0
        self.ex, self.ey = ex, ey
        self.cross = np.empty(0)                  # (its use ends here)

    def _edge(self, A: np.ndarray, ux: np.ndarray, uy: np.ndarray, s0: np.ndarray, n: np.ndarray,
              o: np.ndarray) -> np.ndarray:
        """The edge of each fan ``A[i]`` that the ray from its centre along (ux, uy)[i] leaves by
        (the place of the coordinate it starts from); ``s0``, ``n``, ``o``: the fans' first
        coordinate, corners and turn."""
        with np.errstate(invalid="ignore", divide="ignore"):
            p = _pseudo_angle(ux, uy * o)
        p -= self.p0[A]
        np.add(p, 4.0, out=p, where=p < 0)
        p += A * 8.0
        # the last corner of the ring whose key is at most p: a search within each ring in steps
        # of halving powers of two (a few steps over its own corners, instead of a search through
        # every corner's key). No step leaves the ring: its closing corner's key (8A + 4) and every
        # later ring's are above p. (A NaN direction stays on the first edge: it proves nothing.)
        lo = s0.copy()
        key = self.key
        top = len(key) - 1
        step = 1 << max(int(n.max(initial=1)) - 1, 0).bit_length()
        while step > 1:
            step >>= 1
            at = lo + step
            np.minimum(at, top, out=at)
            np.copyto(lo, at, where=key[at] <= p)
        # a ray a rounding short of the first corner's angle has p = 8A + 4 (its key less p0 is -tiny,
        # plus 4), the closing corner's key: it leaves by the last edge, not from the closing corner
        return np.minimum(lo, s0 + n - 1)

    @staticmethod
    def _seg(e: tuple, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Distance from (px, py) to the edges ``e`` (their starts x0, y0 and runs ex, ey)."""
        x0, y0, ex, ey = e
        wx, wy = px - x0, py - y0
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (wx * ex + wy * ey) / (ex * ex + ey * ey)
        np.clip(t, 0.0, 1.0, out=t)
        wx -= t * ex
        wy -= t * ey
        return np.sqrt(wx * wx + wy * wy)

    @staticmethod
    def _ray(qx: np.ndarray, qy: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> np.ndarray:
        """Distance, per unit of distance from the centre, from a point on the ray from a fan's
        centre along the unit (vx, vy) to the ray from the centre through the corner (qx, qy) from it."""
        with np.errstate(invalid="ignore", divide="ignore"):
            side = np.abs(qx * vy - qy * vx) / np.hypot(qx, qy)
        return np.where(qx * vx + qy * vy > 0, side, 1.0)

    def _side(self, A: np.ndarray, ux: np.ndarray, uy: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> dict:
        """Each fan ``A[i]`` seen along the ray from its centre along (ux, uy), of unit (vx, vy):
        the edge it leaves by and the edges either side (their corners gathered once), how the other edges'
        distance grows along the ray, and how far the ray runs inside (to its edge's line)."""
        w = self.w
        s0, n = w.start[A], w.corners[A]
        cx, cy, o = self.cx[A], self.cy[A], self.o[A]
        i = self._edge(A, ux, uy, s0, n, o)
        last = s0 + n - 1
        ip = np.where(i == s0, last, i - 1)
        inx = np.where(i == last, s0, i + 1)
        # the four corners ip, i, inx, inx + 1 gathered once (the edges' runs are their differences,
        # the very subtractions of :meth:`edges`: ip + 1 and i + 1 are corners i and inx, or the
        # ring's closing coordinate, the same numbers)
        (xp, xi, xn, xf), (yp, yi, yn, yf) = ((c[ip], c[i], c[inx], c[inx + 1]) for c in (w.x, w.y))
        before, edge, after = (xp, yp, xi - xp, yi - yp), (xi, yi, xn - xi, yn - yi), (xn, yn, xf - xn, yf - yn)
        # every other edge lies beyond the rays through corner ip and corner inx + 1
        far = np.minimum(self._ray(xp - cx, yp - cy, vx, vy), self._ray(xf - cx, yf - cy, vx, vy))
        far[n == 3] = np.inf                              # three edges: none other
        x0, y0, ex0, ey0 = edge
        with np.errstate(invalid="ignore", divide="ignore"):
            run = (ex0 * (y0 - cy) - ey0 * (x0 - cx)) / (ex0 * vy - ey0 * vx)
        return {"cx": cx, "cy": cy, "o": o, "edges": (before, edge, after), "far": far, "run": run, "A": A}

    def _depth(self, side: dict, px: np.ndarray, py: np.ndarray, s: np.ndarray) -> np.ndarray:
        """A lower bound of how deep (px, py), ``s`` from the fan's centre on the ray of ``side``
        (:meth:`_side`), lies inside the fan (−inf: not known inside)."""
        before, edge, after = side["edges"]
        x0, y0, ex0, ey0 = edge
        inside = (ex0 * (py - y0) - ey0 * (px - x0)) * side["o"] > 0
        local = np.minimum(np.minimum(self._seg(before, px, py), self._seg(edge, px, py)), self._seg(after, px, py))
        local = np.where(inside, np.minimum(local, side["far"] * s), -np.inf)
        return np.maximum(local, self.radius[side["A"]] - s)

    def proves(self, a: np.ndarray, b: np.ndarray, proof: float) -> np.ndarray:
        """True where a disc of area above ``proof`` lies in both fans ``a[i]`` and ``b[i]``,
        centred on the line between their centres."""
        out = np.zeros(len(a), dtype=bool)
        live = np.flatnonzero(self.fan[a] & self.fan[b])
        if not len(live):
            return out
        A, B = a[live], b[live]
        ux, uy = self.cx[B] - self.cx[A], self.cy[B] - self.cy[A]
        d = np.hypot(ux, uy)
        with np.errstate(invalid="ignore", divide="ignore"):
            vx, vy = ux / d, uy / d
        sa = self._side(A, ux, uy, vx, vy)
        sb = self._side(B, -ux, -uy, -vx, -vy)
        with np.errstate(invalid="ignore", divide="ignore"):
            # how far each ray runs inside its fan (to where it meets its edge's line)
            tA, tB = sa["run"], sb["run"]
            lo, hi = np.maximum(d - tB, 0.0), np.minimum(tA, d)
            t = np.where(hi > lo, (lo + hi) / 2, d / 2)      # the middle of the line's common part
            px, py = sa["cx"] + t * vx, sa["cy"] + t * vy
            h = np.minimum(self._depth(sa, px, py, t), self._depth(sb, px, py, d - t))
            # the depths shortened by far more than their rounding
            h = np.nan_to_num(h, nan=-np.inf) * (1 - 1e-9) - SLACK
            out[live] = (h > 0) & (np.pi * h * h * (1 - 1e-9) > proof)
        return out

    def apart(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where the outlines' extents along one of :data:`EXTENT_AXES` leave a gap
        between them: no point in common, no overlap."""
        out = np.zeros(len(a), dtype=bool)
        live = np.flatnonzero(self.w.plain[a] & self.w.plain[b])
        if not len(live):
            return out
        if self._extents is None:
            self._extents = self._make_extents()
        hi, lo = self._extents
        A, B = a[live], b[live]
        # far above the rounding of the projections, made in single precision (each within
        # 5e-7 of the batch's reach: :meth:`_make_extents`), and of subtracting the gap
        gap = EXTENT_GAP * self.reach
        part = np.zeros(len(A), dtype=bool)
        for k in range(len(EXTENT_AXES)):
            part |= (hi[k, A] < lo[k, B] - gap) | (hi[k, B] < lo[k, A] - gap)
        out[live] = part
        return out

    def _make_extents(self) -> tuple[np.ndarray, np.ndarray]:
        """Each outline's least and greatest projection on each axis, in single precision: half
        the memory to go through, for a gap kept far above its rounding (:data:`EXTENT_GAP`)."""
        count = len(self.w.geoms)
        hi = np.full((len(EXTENT_AXES), count), np.inf, dtype=np.float32)
        lo = np.full((len(EXTENT_AXES), count), -np.inf, dtype=np.float32)
        if len(self.first):
            x, y = self.w.x.astype(np.float32), self.w.y.astype(np.float32)
            p, q = np.empty_like(x), np.empty_like(y)
            for k, angle in enumerate(EXTENT_AXES):
                np.multiply(x, np.float32(np.cos(angle)), out=p)
                np.multiply(y, np.float32(np.sin(angle)), out=q)
                p += q
                hi[k, self.live] = np.maximum.reduceat(p, self.first)
                lo[k, self.live] = np.minimum.reduceat(p, self.first)
        return hi, lo


def _pseudo_angle(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """A number growing with the angle of (dx, dy), going once round from −1 (at −90°) to 3
    (at 270°, the same direction): cheaper than the angle, and ordered as it is."""
    side = np.copysign(1.0, dx)
    p = dy / (np.abs(dx) + np.abs(dy))
    p *= side
    p += 1.0 - side
    return p
