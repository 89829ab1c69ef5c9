"""Colours and hatches of the map, chosen to stay distinct when printed in grey:
each grade differs in lightness *and* hatching, parcels near a grade line get a
magenta edge that no grade uses."""

from __future__ import annotations

#: grade → (zone fill, hatch, strong colour for grade pieces and legend edge)
GRADE_STYLE = {
    1: ("#f4a582", "////", "#b2182b"),
    2: ("#fddc8a", "\\\\\\\\", "#c47f00"),
    3: ("#d9efd3", "", "#238b45"),
    4: ("#c6dbef", "....", "#2171b5"),
    5: ("#dadaeb", "xx", "#6a51a3"),
    6: ("#e0e0e0", "++", "#525252"),
}
OTHER_GRADE = ("#eeeeee", "..", "#444444")

PARCEL_FACE = "#fff6c8b3"  # 70 % opaque: the grade colour shows through
PARCEL_EDGE = "#5b4a00"
NEAR_BOUNDARY_EDGE = "#d4007a"
SELECTION_EDGE = "#0050ff"
DISTRICT_EDGE = "#6b6b6b"
ROAD_COLOUR = "#4d4d4d"
RIVER_COLOUR = "#2c7fb8"
BAND_FACE = "#7f7f7f"
UNCERTAIN_EDGE = "#7a0177"
SKETCH_COLOUR = "#e6550d"
SNAP_COLOUR = "#00a651"


def grade_style(grade: int) -> tuple[str, str, str]:
    return GRADE_STYLE.get(int(grade), OTHER_GRADE)


def is_river(name: str) -> bool:
    """A reference line named after water (…河, …江, …溪, a river bank) is drawn as a river."""
    base = str(name).split("(")[0].split("（")[0].strip()
    return base.endswith(("河", "江", "溪", "湖", "浦")) or "岸" in base or "bank" in base
