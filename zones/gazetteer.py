"""Find a place by name: the bundled gazetteer of central Wenzhou (districts, the roads,
rivers and bridges the grade lines follow, landmarks and junctions) and the project's own
parcels (宗地号, taxpayer, address, 不动产单元号).

Qt-free. Positions and bounds are EPSG:4549 metres (x = easting). Matching ignores spaces,
full-/half-width and case; a name that equals the query ranks first, then one that starts
with it, then one that contains it, then a place whose name the query contains (typing
“车站大道577号” still finds 车站大道).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from zones.resources import resource

GAZETTEER_FILE = ("gazetteer", "wenzhou_places.json")
#: kinds in the order they are offered when two names match equally well
KINDS = ("district", "road", "river", "bridge", "landmark", "place", "junction")
#: parcel fields searched, in the order a match in them is preferred
PARCEL_FIELDS = ("parcel_no", "unit_no", "taxpayer_name", "address", "taxpayer_id", "land_name")

_DROP = re.compile(r"[\s·・()（）\[\]【】,，、/\\\-—_.。:：;；\"'“”]+")


def normalise(text: str) -> str:
    """The form two names are compared in: NFKC (full-width → half-width), lower case,
    without spaces and punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text or ""))).lower()


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    x: float
    y: float
    bounds: tuple          # (x0, y0, x1, y1), EPSG:4549 m
    accuracy_m: int
    confidence: str = ""
    source: str = ""
    note: str = ""
    aliases: tuple = ()


@dataclass(frozen=True)
class Hit:
    """One search result: a place or a parcel. ``rank``: lower is better."""
    rank: tuple
    label: str
    place: Place | None = None
    parcel_uid: str | None = None
    field: str = ""         # the parcel field that matched
    value: str = ""         # its value
    bounds: tuple | None = None


def _rank(query: str, names) -> int | None:
    """0 equal, 1 starts with, 2 contains, 3 the query contains the name; None: no match."""
    best = None
    for name in names:
        n = normalise(name)
        if not n:
            continue
        if n == query:
            r = 0
        elif n.startswith(query):
            r = 1
        elif query in n:
            r = 2
        elif len(n) >= 2 and n in query:
            r = 3
        else:
            continue
        best = r if best is None else min(best, r)
    return best


@dataclass
class Gazetteer:
    places: list[Place]
    accuracy: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        q = normalise(query)
        if not q:
            return []
        hits = []
        for i, p in enumerate(self.places):
            r = _rank(q, (p.name, *p.aliases))
            if r is not None:
                kind = KINDS.index(p.kind) if p.kind in KINDS else len(KINDS)
                hits.append(Hit((r, kind, i), p.name, place=p, bounds=p.bounds))
        return sorted(hits, key=lambda h: h.rank)[:limit]

    def source_text(self, place: Place, lang: str = "zh") -> str:
        return self.sources.get(place.source, {}).get(lang, place.source)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The bundled gazetteer (built by ``tools/build_gazetteer.py``), or the file at ``path``."""
    path = path or resource(*GAZETTEER_FILE)
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    places = [Place(name=e["name"], kind=e["kind"], x=e["x"], y=e["y"], bounds=tuple(e["bounds"]),
                    accuracy_m=int(e["accuracy_m"]), confidence=e.get("confidence", ""), source=e.get("source", ""),
                    note=e.get("note", ""), aliases=tuple(e.get("aliases", ())))
              for e in doc["entries"]]
    return Gazetteer(places, doc.get("accuracy", {}), doc.get("sources", {}))


def search_parcels(records, query: str, limit: int = 50) -> list[Hit]:
    """Parcels whose 宗地号, 不动产单元号, taxpayer, address, credit code or land name match.

    ``records``: iterable of ``(uid, attrs, bounds)`` with ``attrs`` a mapping of field key →
    text and ``bounds`` the parcel's (x0, y0, x1, y1) or None. One hit per parcel, for its
    best-matching field; the parcel's own name (宗地号, else the matched value) is the label."""
    q = normalise(query)
    if not q:
        return []
    hits = []
    for order, (uid, attrs, bounds) in enumerate(records):
        best = None
        for f_rank, key in enumerate(PARCEL_FIELDS):
            value = str(attrs.get(key, "") or "")
            n = normalise(value)
            if not n:
                continue
            r = 0 if n == q else 1 if n.startswith(q) else 2 if q in n else None
            if r is not None and (best is None or (r, f_rank) < best[0]):
                best = ((r, f_rank), key, value)
        if best is not None:
            (r, f_rank), key, value = best
            label = str(attrs.get("parcel_no", "") or "") or value
            hits.append(Hit((r, f_rank, order), label, parcel_uid=uid, field=key, value=value, bounds=bounds))
    return sorted(hits, key=lambda h: h.rank)[:limit]
