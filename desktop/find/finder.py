"""What the search box offers for a text (Qt-free): a typed position first, then the
project's parcels, then the bundled place names. Each result knows where to go."""

from __future__ import annotations

from dataclasses import dataclass

from zones.coordinate_text import CoordinateTextError, TypedPosition, parse_position
from zones.gazetteer import Gazetteer, Place, load_gazetteer, search_parcels

#: a point result (a typed position) shows this many metres around it
POINT_VIEW_M = 300.0
#: a small result (a parcel, a junction) is shown with at least this much around it
MIN_VIEW_M = 200.0


@dataclass(frozen=True)
class Result:
    kind: str                 # 'position', 'parcel' or a gazetteer kind ('road', 'district', …)
    label: str
    bounds: tuple | None      # what to show (EPSG:4549), None for a parcel without geometry
    point: tuple | None = None  # where to put the marker
    parcel_uid: str | None = None
    field: str = ""           # the parcel field that matched
    value: str = ""
    place: Place | None = None
    position: TypedPosition | None = None


def view_around(bounds, minimum: float = MIN_VIEW_M) -> tuple:
    """``bounds`` grown to at least ``minimum`` metres each way, about their centre."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = max((x1 - x0) / 2, minimum / 2), max((y1 - y0) / 2, minimum / 2)
    return (cx - hw, cy - hh, cx + hw, cy + hh)


class Finder:
    """``records`` is called at each search: it returns the project's parcels as
    ``(uid, attrs, bounds)`` (see :func:`zones.gazetteer.search_parcels`)."""

    def __init__(self, records, gazetteer: Gazetteer | None = None) -> None:
        self.records = records
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:          # read on first use: start-up stays quick
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def find(self, text: str, limit: int = 30) -> list[Result]:
        out: list[Result] = []
        try:
            pos = parse_position(text)
        except CoordinateTextError:
            pos = None
        if pos is not None:
            half = POINT_VIEW_M / 2
            out.append(Result("position", pos.describe(), (pos.x - half, pos.y - half, pos.x + half, pos.y + half),
                              (pos.x, pos.y), position=pos))
        for h in search_parcels(self.records(), text, limit):
            out.append(Result("parcel", h.label, view_around(h.bounds) if h.bounds else None,
                              parcel_uid=h.parcel_uid, field=h.field, value=h.value))
        for h in self.gazetteer.search(text, limit):
            p = h.place
            assert p is not None     # the gazetteer finds places
            out.append(Result(p.kind, p.name, view_around(p.bounds), (p.x, p.y), place=p))
        return out[:limit]


def project_records(project):
    """The project's parcels in the form :meth:`Finder.find` searches."""
    return [(p.uid, p.attrs, None if p.geometry is None or p.geometry.is_empty else tuple(p.geometry.bounds))
            for p in project.parcels]
