"""One map style: a grade has the same colour and hatch on screen and on paper."""

from zones.map_style import GRADE_STYLE, grade_style
from zones.report import map_excerpt


def test_screen_and_paper_share_each_grades_colour_and_hatch():
    from desktop.map import style as screen

    for g in GRADE_STYLE:
        fill, hatch, _ = grade_style(g)
        assert screen.grade_style(g) == grade_style(g)
        assert (map_excerpt.GRADE_COLOURS[g], map_excerpt.GRADE_HATCHES[g]) == (fill, hatch)
    fills = [grade_style(g)[0] for g in GRADE_STYLE]
    hatches = [grade_style(g)[1] for g in GRADE_STYLE]
    assert len(set(fills)) == len(fills) and len(set(hatches)) == len(hatches)   # distinct in grey too
