"""Colours of the screen map. The grades' colours and hatches are the core's
(:mod:`zones.map_style`), which the printed map excerpt uses too; this module adds
what only the screen draws (selection, sketches, reference lines)."""

from __future__ import annotations

from zones.map_style import GRADE_STYLE, NEAR_BOUNDARY_EDGE, OTHER_GRADE, grade_style  # noqa: F401

PARCEL_FACE = "#fff6c8b3"  # 70 % opaque: the grade colour shows through
PARCEL_EDGE = "#5b4a00"
SELECTION_EDGE = "#0050ff"
DISTRICT_EDGE = "#6b6b6b"
ROAD_COLOUR = "#4d4d4d"
RIVER_COLOUR = "#2c7fb8"
BAND_FACE = "#7f7f7f"
UNCERTAIN_EDGE = "#7a0177"
SKETCH_COLOUR = "#e6550d"
SNAP_COLOUR = "#00a651"


def is_river(name: str) -> bool:
    """A reference line named after water (…河, …江, …溪, a river bank) is drawn as a river."""
    base = str(name).split("(")[0].split("（")[0].strip()
    return base.endswith(("河", "江", "溪", "湖", "浦")) or "岸" in base or "bank" in base
