"""The map style: the colours and hatches of each land grade, shared by the screen
(:mod:`desktop.map`) and the printed report's map excerpt (:mod:`zones.report.map_excerpt`),
so a grade looks the same on screen and on paper. Chosen to stay distinct when printed
in grey: each grade differs in lightness *and* hatching; parcels near a grade line get a
magenta edge that no grade uses. Qt-free: plain matplotlib colour and hatch strings."""

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
NEAR_BOUNDARY_EDGE = "#d4007a"


def grade_style(grade: int) -> tuple[str, str, str]:
    """(fill, hatch, strong colour) of ``grade``."""
    return GRADE_STYLE.get(int(grade), OTHER_GRADE)


def grade_fill(grade: int) -> str:
    return grade_style(grade)[0]


def grade_hatch(grade: int) -> str:
    return grade_style(grade)[1]
