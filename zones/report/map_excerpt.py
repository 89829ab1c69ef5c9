"""The map excerpt of a parcel report, drawn with matplotlib's Agg backend (no Qt,
no pyplot state): the grade zones around the parcel, the parcel's grade pieces
coloured AND hatched per grade (readable when printed in black and white), the
outline with boundary-point numbers, named reference lines, a coordinate grid
in the zone set's projected CRS (X = northing, Y = easting), scale bar, north
arrow and legend. Returns PNG bytes."""

from __future__ import annotations

import io
import math
from decimal import Decimal

import matplotlib
import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Patch, PathPatch, Polygon as MplPolygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from matplotlib import font_manager

from zones.fonts import cjk_font_path, matplotlib_cjk_family
from zones.map_style import GRADE_STYLE
from zones.money import area2
from zones import point_names
from zones.report.content import boundary_rings, map_shows_other_area

MAX_VERTEX_MARKERS = 2000
# the screen's grade colours and hatches (one style for screen and paper)
GRADE_COLOURS = {g: fill for g, (fill, _, _) in GRADE_STYLE.items()}
GRADE_HATCHES = {g: hatch for g, (_, hatch, _) in GRADE_STYLE.items()}
MAX_VERTEX_LABELS = 40


def _path(geom) -> MplPath | None:
    """A matplotlib path of a (multi)polygon, holes included."""
    verts, codes = [], []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


#: Outlines with more vertices than this are simplified for drawing.
DRAW_VERTICES = 20_000


def _drawn(geom, tolerance: float):
    if geom is None or shapely.get_num_coordinates(geom) <= DRAW_VERTICES:
        return geom
    return shapely.simplify(geom, tolerance, preserve_topology=True)


def _window(geom, aspect: float) -> tuple[float, float, float, float]:
    """A box around the parcel with a margin, shaped to the picture (width / height)."""
    x0, y0, x1, y1 = geom.bounds
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    pad = 0.3 * max(w, h) + 25
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = w + 2 * pad, h + 2 * pad
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _nice(length: float) -> float:
    exp = 10 ** math.floor(math.log10(length))
    for m in (5, 2, 1):
        if m * exp <= length:
            return m * exp
    return exp


def _scale_bar(ax, win, print_width_mm: float) -> None:
    x0, y0, x1, y1 = win
    width = x1 - x0
    length = _nice(width / 4)
    bx, by = x0 + width * 0.04, y0 + (y1 - y0) * 0.05
    seg = length / 4
    for k in range(4):
        ax.add_patch(Rectangle((bx + k * seg, by), seg, width * 0.008, facecolor="black" if k % 2 == 0 else "white",
                               edgecolor="black", lw=0.6, zorder=20))
    unit = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(bx, by + width * 0.014, "0", fontsize=6, ha="center", va="bottom", zorder=20)
    ax.text(bx + length, by + width * 0.014, unit, fontsize=6, ha="center", va="bottom", zorder=20)
    scale = width / (print_width_mm / 1000)
    step = 10 ** max(0, math.floor(math.log10(scale)) - 1)
    ax.text(bx, by - width * 0.012, f"比例尺 1:{round(scale / step) * step:,.0f}（按打印尺寸）".replace(",", " "),
            fontsize=6, ha="left", va="top", zorder=20,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=0.5))


def _north_arrow(ax) -> None:
    ax.add_patch(MplPolygon([(0.955, 0.86), (0.94, 0.80), (0.955, 0.815)], closed=True, transform=ax.transAxes,
                            facecolor="black", edgecolor="black", lw=0.6, zorder=20))
    ax.add_patch(MplPolygon([(0.955, 0.86), (0.97, 0.80), (0.955, 0.815)], closed=True, transform=ax.transAxes,
                            facecolor="white", edgecolor="black", lw=0.6, zorder=20))
    ax.text(0.955, 0.865, "北", transform=ax.transAxes, ha="center", va="bottom", fontsize=8, zorder=20)


def _label_lines(ax, zoneset, box, parcel) -> list[str]:
    """Draw and name the reference lines crossing the window; returns the names shown."""
    lines = getattr(zoneset, "reference_lines", None)
    if lines is None or not len(lines):
        return []
    name_col = "feature" if "feature" in lines.columns else ("label" if "label" in lines.columns else None)
    shown = []
    clipped = shapely.clip_by_rect(lines.geometry.values, *box.bounds)
    for k, geom in enumerate(clipped):
        if geom is None or geom.is_empty or geom.length <= 0:
            continue
        for part in shapely.get_parts(geom):
            if part.geom_type == "LineString":
                xy = np.asarray(part.coords)
                ax.plot(xy[:, 0], xy[:, 1], color="#3a5fcd", lw=1.0, ls=(0, (6, 2)), zorder=6)
        name = str(lines[name_col].iat[k]) if name_col else ""
        # label the longest stretch outside the parcel, so the name never sits on the pieces
        free = shapely.difference(geom, parcel.buffer(box.length * 0.01))
        longest = max((p for p in shapely.get_parts(free) if p.geom_type == "LineString"), key=lambda p: p.length, default=None)
        if name and longest is not None and longest.length > 0.15 * box.length / 4:
            mid = longest.interpolate(0.5, normalized=True)
            a = longest.interpolate(0.45, normalized=True)
            b = longest.interpolate(0.55, normalized=True)
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
            angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
            ax.text(mid.x, mid.y, name, fontsize=6.5, color="#1f3a93", rotation=angle, rotation_mode="anchor",
                    ha="center", va="bottom", zorder=15,
                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.7, pad=0.3))
            shown.append(name)
    return shown


def label_areas(result, pieces) -> dict[int, Decimal]:
    """The area (m², 0.01) printed on each grade piece: the taxable area of the grade's row in
    the computation table; a grade without a row (a sliver under the threshold) shows its
    measured area."""
    out = {int(g): area2(a) for g, a in zip(pieces["grade"], pieces["area_m2"]) if g is not None and g == g}
    out.update({row.grade: row.area_m2 for row in result.rows})
    return out


def render_map(assessment, index: int, pieces, *, width_mm: float = 170, height_mm: float = 110,
               dpi: int = 200) -> bytes:
    """PNG of the parcel ``index`` over the grade zones; ``pieces`` = its rows of ``assessment.pieces()``."""
    family = matplotlib_cjk_family()
    if not any(f.name == family for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(cjk_font_path()))   # the font manager was rebuilt since
    # An explicit family list makes matplotlib fall back glyph by glyph: the CJK font has no Latin.
    with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"], "hatch.linewidth": 0.6}):
        return _render(assessment, index, pieces, width_mm, height_mm, dpi)


def _render(assessment, index, pieces, width_mm, height_mm, dpi) -> bytes:
    zs = assessment.zoneset
    exact = assessment.geoms[index]
    fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.095, 0.075, 0.68, 0.9))
    win = _window(exact, (width_mm * 0.68) / (height_mm * 0.9))
    box = shapely.box(*win)
    # what is drawn is simplified to a fraction of a printed pixel: a 2,000,000-vertex outline
    # looks the same and draws in a moment (the boundary points below come from the exact outline)
    tolerance = (win[2] - win[0]) / (width_mm * 0.68 / 25.4 * dpi) / 4
    geom = _drawn(exact, tolerance)

    # the grade zones in view, light, labelled
    grades = zs.grades
    near = grades.sindex.query(box, predicate="intersects")
    in_view = {int(grades["grade"].iat[k]) for k in near}
    for k in near:
        g = int(grades["grade"].iat[k])
        clip = shapely.clip_by_rect(grades.geometry.iat[k], *win)
        path = _path(clip)
        if path is None:
            continue
        ax.add_patch(PathPatch(path, facecolor=GRADE_COLOURS.get(g, "#dddddd"), alpha=0.22, edgecolor="#555555",
                               lw=0.8, zorder=1))
        if clip.area > box.area * 0.04:
            p = shapely.difference(clip, geom.buffer(box.length * 0.01)).representative_point() if not clip.is_empty else None
            if p is not None and not p.is_empty:
                ax.text(p.x, p.y, f"{zs.grade_label(g)}区", fontsize=8, color="#444444", ha="center", va="center",
                        zorder=3, alpha=0.9)

    # the parcel's pieces: colour + hatch per grade, labelled with the row's taxable area (the
    # figure of the computation table; differs from the piece's own area when a declared area
    # is apportioned)
    result = assessment.parcel(index)
    taxable = label_areas(result, pieces)
    present: list[int | None] = []
    for _, row in pieces.iterrows():
        g = row["grade"]
        path = _path(_drawn(row.geometry, tolerance))
        if path is None:
            continue
        if g is None or (isinstance(g, float) and math.isnan(g)):
            ax.add_patch(PathPatch(path, facecolor="white", edgecolor="black", hatch="||", lw=0.3, zorder=4))
            present.append(None)
            continue
        g = int(g)
        ax.add_patch(PathPatch(path, facecolor=GRADE_COLOURS.get(g, "#cccccc"), edgecolor="black",
                               hatch=GRADE_HATCHES.get(g, "--"), lw=0.3, alpha=0.85, zorder=4))
        present.append(g)
        if row.geometry.area > shapely.area(geom) * 0.03:
            p = row.geometry.representative_point()
            area = taxable[g]
            ax.text(p.x, p.y, f"{zs.grade_label(g)}\n{area:,.2f} m²", fontsize=7, ha="center",
                    va="center", zorder=16, bbox=dict(facecolor="white", edgecolor="black", lw=0.4, alpha=0.9, pad=1.2))

    # outline and boundary-point numbers (thinned on long rings; the table lists them all)
    outline = _path(geom)
    if outline is not None:
        ax.add_patch(PathPatch(outline, facecolor="none", edgecolor="black", lw=1.6, zorder=10))
    rings = boundary_rings(exact, point_names.of_row(assessment, None, index))
    total = sum(len(r.points) for r in rings)
    every = max(1, math.ceil(total / MAX_VERTEX_LABELS))
    off = (win[2] - win[0]) * 0.014
    for ring in rings:
        # numbers sit outside the outer ring and inside holes, away from the line
        ring_c = shapely.Polygon([(p.y_east, p.x_north) for p in ring.points]).centroid if len(ring.points) > 2 else geom.centroid
        sign = -1.0 if "内边界" in ring.title else 1.0
        # one artist per ring (a 2,000,000-vertex outline must not make 2,000,000 artists); past
        # MAX_VERTEX_MARKERS points the dots would merge into the line anyway, so they are thinned too
        step = max(1, math.ceil(total / MAX_VERTEX_MARKERS))
        marks = ring.points[::step]
        ax.plot([p.y_east for p in marks], [p.x_north for p in marks], "o", ls="none", ms=2.2, color="black", zorder=11)
        for k, pt in enumerate(ring.points):
            if k % every == 0:
                dx, dy = pt.y_east - ring_c.x, pt.x_north - ring_c.y
                d = math.hypot(dx, dy) or 1
                ax.text(pt.y_east + sign * off * dx / d, pt.x_north + sign * off * dy / d, pt.label, fontsize=6,
                        ha="center", va="center", zorder=12)

    shown = _label_lines(ax, zs, box, geom)

    ax.set_xlim(win[0], win[2])
    ax.set_ylim(win[1], win[3])
    ax.set_aspect("equal")
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    fmt = FuncFormatter(lambda v, _: f"{v:.0f}")
    ax.xaxis.set_major_formatter(fmt)
    ax.yaxis.set_major_formatter(fmt)
    ax.tick_params(labelsize=6, length=2)
    for lab in ax.get_yticklabels():
        lab.set_rotation(90)
        lab.set_verticalalignment("center")
    ax.grid(True, color="#888888", lw=0.3, ls=":")
    ax.set_xlabel("Y（东坐标，m）", fontsize=6.5, labelpad=1)
    ax.set_ylabel("X（北坐标，m）", fontsize=6.5, labelpad=4)
    _scale_bar(ax, win, width_mm * 0.68)
    _north_arrow(ax)

    handles: list = []      # Patch and Line2D
    for g in sorted({g for g in present if g is not None}):
        handles.append(Patch(facecolor=GRADE_COLOURS.get(g, "#cccccc"), edgecolor="black",
                             hatch=GRADE_HATCHES.get(g, "--"), label=f"{zs.grade_label(g)} {zs.rates[g]} 元/m²·年"))
    if None in present:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="||", label="征税范围以外"))
    for g in zs.grade_list:
        if g not in present and g in in_view:
            handles.append(Patch(facecolor=GRADE_COLOURS.get(g, "#dddddd"), alpha=0.3, edgecolor="#555555",
                                 label=f"{zs.grade_label(g)}（周边） {zs.rates[g]} 元/m²·年"))
    handles.append(Line2D([], [], color="black", lw=1.6, marker="o", ms=2.5, label="宗地界线、界址点"))
    if shown:
        handles.append(Line2D([], [], color="#3a5fcd", lw=1.0, ls=(0, (6, 2)), label="参照道路/河道"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.785, 0.975), fontsize=6, frameon=True,
               title="图例", title_fontsize=7, handlelength=2.2, handleheight=1.6, borderaxespad=0.2)
    if map_shows_other_area(result):
        fig.text(0.79, 0.24, "标注面积为计税面积：证载面积\n按图上各等级面积比例分摊，\n图形为图上量算（实测）界线",
                 fontsize=5.5, ha="left", va="bottom", linespacing=1.4, color="#b00000")
    fig.text(0.79, 0.09, f"坐标系：{zs.crs}\n高斯-克吕格平面坐标\nX 为北坐标，Y 为东坐标", fontsize=5.5,
             ha="left", va="bottom", linespacing=1.4)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
