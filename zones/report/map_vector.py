"""The map excerpt of a parcel report as vector drawing on the PDF page (a reportlab
flowable): the grade zones around the parcel, the parcel's grade pieces coloured AND
hatched per grade (readable in black and white), the outline with its boundary-point
numbers, named reference lines, a coordinate frame in the zone set's projected CRS
(X = northing, Y = easting), scale bar, north arrow and a legend strip.

Drawn as paths and text in the page's own content stream, with the report's embedded
fonts: no raster image, nothing encoded per parcel but the few hundred path operators
(a raster excerpt cost ≈ 300 ms and ≈ 90 KB per parcel). Same colours and hatches as the
screen (:mod:`zones.map_style`)."""

from __future__ import annotations

import math

import numpy as np
import shapely
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import FILL_EVEN_ODD
from reportlab.platypus import Flowable

from zones.map_style import GRADE_STYLE, OTHER_GRADE
from zones.report.content import boundary_rings
from zones.report.fonts import draw_text, text_width
from zones.report.map_excerpt import MAX_VERTEX_LABELS, MAX_VERTEX_MARKERS, _nice, _window, label_areas

LEFT, BOTTOM, TOP, RIGHT = 4.2 * mm, 3.6 * mm, 0.4 * mm, 0.4 * mm     # room for the coordinate labels
LEGEND_ROW = 3.2 * mm
HATCH_STEP = 1.6 * mm
REF_LINE = colors.HexColor("#3a5fcd")


def _blend(hex_colour: str, alpha: float) -> colors.Color:
    """``hex_colour`` at ``alpha`` over white, as an opaque colour (no transparency groups)."""
    c = colors.HexColor(hex_colour)
    return colors.Color(1 - alpha * (1 - c.red), 1 - alpha * (1 - c.green), 1 - alpha * (1 - c.blue))


def _style(grade) -> tuple[str, str]:
    fill, hatch, _ = GRADE_STYLE.get(int(grade), OTHER_GRADE) if grade is not None else ("#ffffff", "||", "")
    return fill, hatch


class _Frame:
    """World (easting, northing) → points inside the plot rectangle."""

    def __init__(self, win, x, y, w, h):
        self.win, self.x, self.y, self.w, self.h = win, x, y, w, h
        self.s = w / (win[2] - win[0])

    def pt(self, ex, ny):
        return self.x + (ex - self.win[0]) * self.s, self.y + (ny - self.win[1]) * self.s

    def xy(self, coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords[:, :2], dtype=float)
        out[:, 0] = self.x + (coords[:, 0] - self.win[0]) * self.s
        out[:, 1] = self.y + (coords[:, 1] - self.win[1]) * self.s
        return out


def _add_rings(path, frame: _Frame, geom) -> bool:
    """Append every ring of a (multi)polygon to ``path``; False when there is none."""
    any_ring = False
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = frame.xy(np.asarray(ring.coords))
            if len(xy) < 3:
                continue
            path.moveTo(*xy[0])
            for x, y in xy[1:-1]:
                path.lineTo(x, y)
            path.close()
            any_ring = True
    return any_ring


def _hatch(c, frame: _Frame, geom, pattern: str, colour=colors.black) -> None:
    """Hatch lines (/ \\ x + - | .) clipped to ``geom``."""
    if not pattern:
        return
    clip = c.beginPath()
    if not _add_rings(clip, frame, geom):
        return
    x0, y0 = frame.pt(*geom.bounds[:2])
    x1, y1 = frame.pt(*geom.bounds[2:])
    c.saveState()
    c.clipPath(clip, stroke=0, fill=0, fillMode=FILL_EVEN_ODD)
    c.setStrokeColor(colour)
    c.setLineWidth(0.3)
    p = c.beginPath()
    span = (x1 - x0) + (y1 - y0)
    n = int(span / HATCH_STEP) + 2
    marks = set(pattern)
    for k in range(n):
        d = k * HATCH_STEP
        if "/" in marks or "x" in marks:
            p.moveTo(x0 + d - (y1 - y0), y0)
            p.lineTo(x0 + d, y1)
        if "\\" in marks or "x" in marks:
            p.moveTo(x0 + d - (y1 - y0), y1)
            p.lineTo(x0 + d, y0)
        if ("-" in marks or "+" in marks) and y0 + d <= y1:
            p.moveTo(x0, y0 + d)
            p.lineTo(x1, y0 + d)
        if ("|" in marks or "+" in marks) and x0 + d <= x1:
            p.moveTo(x0 + d, y0)
            p.lineTo(x0 + d, y1)
    c.drawPath(p, stroke=1, fill=0)
    if "." in marks:
        c.setFillColor(colour)
        for i in range(int((x1 - x0) / HATCH_STEP) + 1):
            for j in range(int((y1 - y0) / HATCH_STEP) + 1):
                c.circle(x0 + i * HATCH_STEP, y0 + j * HATCH_STEP, 0.25, stroke=0, fill=1)
    c.restoreState()


def _label_box(x, y, lines: list[str], size: float) -> tuple[float, float, float, float]:
    w = max(text_width(t, size) for t in lines) + 2.4
    h = size * 1.2 * len(lines) + 1.6
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _place(box, taken: list) -> tuple | None:
    """``box`` or the nearest shift of it (down, up, sideways) clear of the boxes ``taken``."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    for dx, dy in ((0, 0), (0, -h - 1), (0, h + 1), (w * 0.6, 0), (-w * 0.6, 0), (0, -2 * h - 2), (0, 2 * h + 2)):
        b = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
        if all(b[2] <= t[0] or b[0] >= t[2] or b[3] <= t[1] or b[1] >= t[3] for t in taken):
            return b
    return None


def _boxed_text(c, x, y, lines: list[str], size: float, *, border: bool = True, colour=colors.black) -> None:
    """Lines of text centred on (x, y) over a white box."""
    lead = size * 1.2
    w = max(text_width(t, size) for t in lines) + 2.4
    h = lead * len(lines) + 1.6
    c.saveState()
    c.setFillColor(colors.white)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.4)
    c.rect(x - w / 2, y - h / 2, w, h, stroke=1 if border else 0, fill=1)
    c.setFillColor(colour)
    top = y + h / 2 - 0.8 - size * 0.95
    for k, t in enumerate(lines):
        draw_text(c, x, top - k * lead, t, size, align="center")
    c.restoreState()


class MapExcerpt(Flowable):
    """The parcel ``index`` of ``assessment`` over the grade zones, ``width`` × ``height`` points
    (legend strip included); ``pieces``: its rows of ``assessment.pieces()``."""

    def __init__(self, assessment, index: int, pieces, width: float, height: float):
        super().__init__()
        self.a, self.i, self.pieces = assessment, index, pieces
        self.width, self.height = width, height

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        try:
            self._draw(c)
        finally:
            c.restoreState()

    def _legend_entries(self, present, in_view, shown_lines) -> list[tuple]:
        zs = self.a.zoneset
        out = []
        for g in sorted({g for g in present if g is not None}):
            fill, hatch = _style(g)
            out.append(("patch", _blend(fill, 0.85), hatch, f"{zs.grade_label(g)} {zs.rates[g]} 元/m²·年"))
        if None in present:
            out.append(("patch", colors.white, "||", "征税范围以外"))
        for g in zs.grade_list:
            if g not in present and g in in_view:
                out.append(("patch", _blend(_style(g)[0], 0.3), "", f"{zs.grade_label(g)}（周边）"))
        out.append(("outline", None, "", "宗地界线、界址点"))
        if shown_lines:
            out.append(("line", None, "", "参照道路/河道"))
        return out

    def _draw(self, c):
        a, zs = self.a, self.a.zoneset
        exact = a.geoms[self.i]
        legend_h = 2 * LEGEND_ROW
        px, py = LEFT, BOTTOM + legend_h
        pw, ph = self.width - LEFT - RIGHT, self.height - BOTTOM - TOP - legend_h
        win = _window(exact, pw / ph)
        frame = _Frame(win, px, py, pw, ph)
        box = shapely.box(*win)
        tolerance = 0.25 / frame.s           # a quarter of a point on paper
        geom = exact if shapely.get_num_coordinates(exact) <= 2000 else shapely.simplify(exact, tolerance, preserve_topology=True)

        c.saveState()
        clip = c.beginPath()
        clip.rect(px, py, pw, ph)
        c.clipPath(clip, stroke=0, fill=0)
        c.setFillColor(colors.white)
        c.rect(px, py, pw, ph, stroke=0, fill=1)

        # the grade zones in view, light, labelled
        grades = zs.grades
        near = grades.sindex.query(box, predicate="intersects")
        in_view = {int(grades["grade"].iat[k]) for k in near}
        guard = geom.buffer(box.length * 0.01)
        labels = []
        for k in near:
            g = int(grades["grade"].iat[k])
            part = shapely.clip_by_rect(grades.geometry.iat[k], *win)
            p = c.beginPath()
            if not _add_rings(p, frame, part):
                continue
            c.setFillColor(_blend(_style(g)[0], 0.22))
            c.setStrokeColor(colors.HexColor("#555555"))
            c.setLineWidth(0.6)
            c.drawPath(p, stroke=1, fill=1, fillMode=FILL_EVEN_ODD)
            if part.area > box.area * 0.04:
                free = shapely.difference(part, guard)
                if not free.is_empty:
                    labels.append((free.representative_point(), f"{zs.grade_label(g)}区"))
        c.setFillColor(colors.HexColor("#444444"))
        for pt, text in labels:
            draw_text(c, *frame.pt(pt.x, pt.y - 0), text, 7, align="center")

        # the parcel's pieces: colour + hatch per grade, labelled with the row's taxable area
        result = a.parcel(self.i)
        taxable = label_areas(result, self.pieces)
        present, piece_labels = [], []
        total_area = shapely.area(geom)
        for g, piece in zip(self.pieces["grade"], self.pieces.geometry):
            g = None if g is None or (isinstance(g, float) and math.isnan(g)) else int(g)
            p = c.beginPath()
            if piece is None or not _add_rings(p, frame, piece):
                continue
            fill, hatch = _style(g)
            c.setFillColor(_blend(fill, 0.85) if g is not None else colors.white)
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.3)
            c.drawPath(p, stroke=1, fill=1, fillMode=FILL_EVEN_ODD)
            _hatch(c, frame, piece, hatch)
            present.append(g)
            if g is not None and piece.area > total_area * 0.03:
                piece_labels.append((piece.representative_point(), [zs.grade_label(g), f"{taxable[g]:,.2f} m²"]))

        # outline, boundary points (thinned on long rings; the table lists them all)
        p = c.beginPath()
        if _add_rings(p, frame, geom):
            c.setStrokeColor(colors.black)
            c.setLineWidth(1.3)
            c.drawPath(p, stroke=1, fill=0, fillMode=FILL_EVEN_ODD)
        shown = self._reference_lines(c, frame, box, geom)
        rings = boundary_rings(exact)
        count = sum(len(r.points) for r in rings)
        every = max(1, math.ceil(count / MAX_VERTEX_LABELS))
        step = max(1, math.ceil(count / MAX_VERTEX_MARKERS))
        off = 4.6
        c.setFillColor(colors.black)
        for ring in rings:
            pts = ring.points
            inner = "内边界" in ring.title
            centre = shapely.Polygon([(q.y_east, q.x_north) for q in pts]).centroid if len(pts) > 2 else geom.centroid
            cx, cy = frame.pt(centre.x, centre.y)
            for k in range(0, len(pts), step):
                c.circle(*frame.pt(pts[k].y_east, pts[k].x_north), 0.8, stroke=0, fill=1)
            for k in range(0, len(pts), every):
                x, y = frame.pt(pts[k].y_east, pts[k].x_north)
                d = math.hypot(x - cx, y - cy) or 1
                sign = -1.0 if inner else 1.0
                draw_text(c, x + sign * off * (x - cx) / d, y + sign * off * (y - cy) / d - 1.8, pts[k].label, 5.5,
                          align="center")
        taken: list = []
        for pt, lines in piece_labels:     # never one label over another (the table has every figure)
            b = _place(_label_box(*frame.pt(pt.x, pt.y), lines, 6), taken)
            if b is not None:
                taken.append(b)
                _boxed_text(c, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2, lines, 6)
        self._scale_bar(c, frame)
        self._north_arrow(c, px + pw - 5 * mm, py + ph - 8 * mm)
        c.restoreState()

        c.setStrokeColor(colors.black)
        c.setLineWidth(0.6)
        c.rect(px, py, pw, ph, stroke=1, fill=0)
        self._ticks(c, frame)
        self._legend(c, self._legend_entries(present, in_view, shown), legend_h)

    def _reference_lines(self, c, frame, box, parcel) -> list[str]:
        """Dashed named roads/rivers crossing the window, each labelled once outside the parcel."""
        lines = getattr(self.a.zoneset, "reference_lines", None)
        if lines is None or not len(lines):
            return []
        name_col = "feature" if "feature" in lines.columns else ("label" if "label" in lines.columns else None)
        near = lines.sindex.query(box, predicate="intersects") if hasattr(lines, "sindex") else range(len(lines))
        shown = []
        c.saveState()
        c.setStrokeColor(REF_LINE)
        c.setLineWidth(0.8)
        c.setDash(4, 1.5)
        guard = parcel.buffer(box.length * 0.01)
        for k in near:
            geom = shapely.clip_by_rect(lines.geometry.iat[k], *box.bounds)
            if geom is None or geom.is_empty or geom.length <= 0:
                continue
            p = c.beginPath()
            for part in shapely.get_parts(geom):
                if part.geom_type == "LineString":
                    xy = frame.xy(np.asarray(part.coords))
                    p.moveTo(*xy[0])
                    for x, y in xy[1:]:
                        p.lineTo(x, y)
            c.drawPath(p, stroke=1, fill=0)
            name = str(lines[name_col].iat[k]) if name_col else ""
            free = shapely.difference(geom, guard)
            longest = max((q for q in shapely.get_parts(free) if q.geom_type == "LineString"), key=lambda q: q.length,
                          default=None)
            if name and longest is not None and longest.length > 0.15 * box.length / 4:
                m = longest.interpolate(0.5, normalized=True)
                s, e = longest.interpolate(0.45, normalized=True), longest.interpolate(0.55, normalized=True)
                angle = math.degrees(math.atan2(e.y - s.y, e.x - s.x))
                angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
                c.saveState()
                c.translate(*frame.pt(m.x, m.y))
                c.rotate(angle)
                c.setFillColor(colors.white)
                w = text_width(name, 6)
                c.rect(-w / 2 - 0.6, 0.3, w + 1.2, 7, stroke=0, fill=1)
                c.setFillColor(colors.HexColor("#1f3a93"))
                draw_text(c, 0, 1.5, name, 6, align="center")
                c.restoreState()
                shown.append(name)
        c.restoreState()
        return shown

    def _scale_bar(self, c, frame) -> None:
        width = frame.win[2] - frame.win[0]
        length = _nice(width / 4)
        x, y = frame.x + 2.2 * mm, frame.y + 3.8 * mm
        seg = length / 4 * frame.s
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.black)
        for k in range(4):
            c.setFillColor(colors.black if k % 2 == 0 else colors.white)
            c.rect(x + k * seg, y, seg, 1.4, stroke=1, fill=1)
        unit = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
        c.setFillColor(colors.black)
        draw_text(c, x, y + 2.4, "0", 5, align="center")
        draw_text(c, x + 4 * seg, y + 2.4, unit, 5, align="center")
        scale = width / (frame.w / 72 * 0.0254)
        rounded = 10 ** max(0, math.floor(math.log10(scale)) - 1)
        text = f"比例尺 1:{round(scale / rounded) * rounded:,.0f}（按打印尺寸）".replace(",", " ")
        c.setFillColor(colors.white)
        c.rect(x - 0.5, y - 7.4, text_width(text, 5) + 1, 6.4, stroke=0, fill=1)
        c.setFillColor(colors.black)
        draw_text(c, x, y - 5.8, text, 5)

    @staticmethod
    def _north_arrow(c, x, y) -> None:
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.black)
        for fill, side in ((colors.black, -1), (colors.white, 1)):
            p = c.beginPath()
            p.moveTo(x, y + 9)
            p.lineTo(x + side * 2.6, y)
            p.lineTo(x, y + 2.6)
            p.close()
            c.setFillColor(fill)
            c.drawPath(p, stroke=1, fill=1)
        c.setFillColor(colors.black)
        draw_text(c, x, y + 10.5, "北", 6.5, align="center")

    def _ticks(self, c, frame) -> None:
        """Coordinate labels on the frame: Y (easting) below, X (northing) left, dotted grid."""
        win = frame.win
        c.setFont("WZ-Latin", 5)
        for axis in (0, 1):
            lo, hi = (win[0], win[2]) if axis == 0 else (win[1], win[3])
            step = _nice((hi - lo) / 3)
            v = math.ceil(lo / step) * step
            while v <= hi:
                x, y = frame.pt(v, win[1]) if axis == 0 else frame.pt(win[0], v)
                c.setStrokeColor(colors.HexColor("#888888"))
                c.setLineWidth(0.25)
                c.setDash(0.6, 1.2)
                if axis == 0:
                    c.line(x, frame.y, x, frame.y + frame.h)
                else:
                    c.line(frame.x, y, frame.x + frame.w, y)
                c.setDash()
                c.setStrokeColor(colors.black)
                label = f"{v:.0f}"
                if axis == 0:
                    c.line(x, frame.y, x, frame.y - 1.2)
                    if frame.x + 6 < x < frame.x + frame.w - 18:
                        draw_text(c, x, frame.y - 6.6, label, 5, align="center")
                else:
                    c.line(frame.x, y, frame.x - 1.2, y)
                    if frame.y + 6 < y < frame.y + frame.h - 18:
                        c.saveState()
                        c.translate(frame.x - 2.2, y)
                        c.rotate(90)
                        draw_text(c, 0, 0, label, 5, align="center")
                        c.restoreState()
                v += step
        c.setFillColor(colors.black)
        draw_text(c, frame.x + frame.w, frame.y - 6.6, "Y 东", 5, align="right")
        c.saveState()
        c.translate(frame.x - 2.2, frame.y + frame.h)
        c.rotate(90)
        draw_text(c, 0, 0, "X 北", 5, align="right")
        c.restoreState()

    def _legend(self, c, entries, height) -> None:
        """Swatches and labels in rows under the map."""
        x, y = LEFT, height - LEGEND_ROW + 0.9 - 0.4
        for kind, fill, hatch, label in entries:
            need = 6 * mm + 1.5 + text_width(label, 5.5) + 3
            if x + need > self.width and x > LEFT:
                x, y = LEFT, y - LEGEND_ROW
            c.setStrokeColor(colors.black)
            if kind == "patch":
                c.setFillColor(fill)
                c.setLineWidth(0.4)
                c.rect(x, y, 6 * mm, 2.2 * mm, stroke=1, fill=1)
                if hatch:
                    _hatch(c, _Frame((0, 0, 1, 1), x, y, 1, 1), shapely.box(0, 0, 6 * mm, 2.2 * mm), hatch)
            elif kind == "outline":
                c.setLineWidth(1.3)
                c.line(x, y + 1.1 * mm, x + 6 * mm, y + 1.1 * mm)
                c.setFillColor(colors.black)
                c.circle(x + 3 * mm, y + 1.1 * mm, 0.9, stroke=0, fill=1)
            else:
                c.saveState()
                c.setStrokeColor(REF_LINE)
                c.setLineWidth(0.8)
                c.setDash(4, 1.5)
                c.line(x, y + 1.1 * mm, x + 6 * mm, y + 1.1 * mm)
                c.restoreState()
            c.setFillColor(colors.black)
            draw_text(c, x + 6 * mm + 1.5, y + 1, label, 5.5)
            x += need
