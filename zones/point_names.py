"""Boundary-point names (点号) as the officer typed them or the file gave them.

A parcel's outline keeps its points in the order they were entered (nothing re-orients
the stored geometry); its names are kept beside it as one list, in the order
:func:`zones.report.content.boundary_rings` walks the outline — outer ring, its holes,
then any other part — closing points left out. Reports, their point tables and CSVs
print these names; a parcel without them (drawn, or an outline edited since) is
numbered J1, J2, … Qt-free."""

from __future__ import annotations

import json

#: The column of an imported table / attribute frame holding the names (a JSON list).
POINT_NAMES = "point_names"


def dumps(names) -> str:
    return json.dumps(list(names), ensure_ascii=False) if names else ""


def parse(value) -> tuple[str, ...]:
    """The names stored in a cell (a JSON list); () for a blank or unreadable cell."""
    if value is None or isinstance(value, float) or not str(value).strip():
        return ()
    try:
        names = json.loads(str(value))
    except ValueError:
        return ()
    return tuple(str(n) for n in names) if isinstance(names, list) else ()


def fit(names, count: int) -> tuple[str, ...]:
    """``names`` when there is one per point of an outline of ``count`` points, else ()."""
    names = tuple(names or ())
    return names if len(names) == count and count else ()


def of_row(assessment, attributes, i: int) -> tuple[str, ...]:
    """The names of row ``i``: the run's own (``assessment.point_names``), else the attribute column."""
    own = getattr(assessment, "point_names", None)
    if own:
        return tuple(own.get(i, ()))
    if attributes is not None and POINT_NAMES in attributes.columns and i < len(attributes):
        return parse(attributes[POINT_NAMES].iloc[i])
    return ()
