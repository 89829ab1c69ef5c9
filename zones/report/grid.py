"""The ruled tables of the 计算单, measured and drawn the short way.

A parcel page holds six small tables of fixed column widths (particulars, basis, grade rows,
totals, signatures, the block holding particulars and map side by side). reportlab's ``Table``
lays them out through a general machinery (auto widths, any span, style lookups per cell, a
saved graphics state per cell) that costs most of a page's time. :class:`FastTable` is a
``Table`` — the same cells, styles and split behaviour — whose ``wrap`` and ``draw`` do only what
these tables need:

- the row heights from each cell's wrapped height and padding (as reportlab computes them);
- the static part — cell shading and the rules — drawn ONCE per file and shape as a form XObject,
  each page placing it with one ``Do``;
- the cells' text written on the page (not in the form: some text extractors, pypdf's layout
  mode among them, do not read text inside forms) in row order, so that text extraction reads
  as before; plain one-style paragraphs (:class:`~zones.report.wrap.QuickText`) placed directly,
  other flowables through their own ``drawOn``.

Anything else (a vertical span, a line command not listed, a column of unknown width, a split
across pages) takes reportlab's own path, so the output is never wrong, only slower.
"""

from __future__ import annotations

import hashlib

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table

from zones.report.fonts import draw_text

_LINES = frozenset(("GRID", "BOX", "OUTLINE", "INNERGRID", "LINEABOVE", "LINEBELOW", "LINEBEFORE", "LINEAFTER"))
#: Forms per file at most; a batch whose tables all differ in shape draws the rest inline.
MAX_FORMS = 5000


class FastTable(Table):
    """A ``Table`` with the short ``wrap``/``draw`` described in the module doc."""

    def _fast_ok(self) -> bool:
        ok = getattr(self, "_wz_ok", None)
        if ok is None:
            ok = (all(isinstance(w, (int, float)) for w in self._argW)
                  and all(cmd[1][1] % self._nrows == cmd[2][1] % self._nrows for cmd in self._spanCmds)
                  and all(cmd[0] in _LINES and not isinstance(cmd[1][1], str) and cmd[8] == 1 for cmd in self._linecmds)
                  and all(cmd[0] == "BACKGROUND" and not isinstance(cmd[1][1], str) and not callable(cmd[3])
                          for cmd in self._bkgrndcmds)
                  and not getattr(self, "_roundingRectDef", None) and not getattr(self, "_srflcmds", None))
            self._wz_ok = ok
        return ok

    # ------------------------------------------------------------------ layout
    def _spans(self) -> dict[tuple[int, int], int]:
        """(row, first column) → last column of each horizontal span."""
        out = {}
        for _, (sc, sr), (ec, er) in self._spanCmds:
            r = sr % self._nrows
            out[(r, sc % self._ncols)] = ec % self._ncols
        return out

    def wrap(self, aw, ah):
        if not self._fast_ok():
            self._wz_fast = False
            return super().wrap(aw, ah)
        widths = [float(w) for w in self._argW]
        cols = [0.0]
        for w in widths:
            cols.append(cols[-1] + w)
        spans = self._spans()
        hidden = {(r, c) for (r, c0), c1 in spans.items() for c in range(c0 + 1, c1 + 1)}
        heights, sizes = [], {}
        for r, (row, styles) in enumerate(zip(self._cellvalues, self._cellStyles)):
            fixed = self._argH[r] if self._argH else None
            need = 0.0
            for c, (value, st) in enumerate(zip(row, styles)):
                if (r, c) in hidden and isinstance(value, (list, tuple, Flowable)):
                    continue     # reportlab skips a covered flowable but counts a covered string's lines
                inner = cols[spans.get((r, c), c) + 1] - cols[c] - st.leftPadding - st.rightPadding
                h = _cell_height(value, st, inner, sizes, (r, c))
                need = max(need, h + st.topPadding + st.bottomPadding)
            heights.append(fixed if fixed is not None else need)
        self._wz_fast, self._wz_cols, self._wz_spans, self._wz_hidden, self._wz_sizes = True, cols, spans, hidden, sizes
        self._colWidths, self._rowHeights = widths, heights
        self._width, self._height = cols[-1], sum(heights)
        pos = [self._height]
        for h in heights:
            pos.append(pos[-1] - h)
        self._rowpositions, self._colpositions = pos, cols
        return self._width, self._height

    def split(self, aw, ah):
        self._wz_fast = False       # a part is a fresh table; this one reverts to reportlab's layout
        return super().split(aw, ah)

    # -------------------------------------------------------------------- draw
    def draw(self):
        if not getattr(self, "_wz_fast", False):
            return super().draw()
        c = self.canv
        c.saveState()
        name = self._form(c)
        if name:
            c.doForm(name)
        else:
            self._static(c)
        ink = [None]
        for r in range(self._nrows):
            for col in range(self._ncols):
                if (r, col) not in self._wz_hidden:
                    self._cell(c, r, col, ink)
        c.restoreState()

    def _form(self, c) -> str | None:
        """The name of the form holding this shape's static part, defined on first use."""
        made = c._doc.__dict__.setdefault("_wz_forms", set())
        key = repr((self._wz_cols, [round(h, 3) for h in self._rowHeights], self._bkgrndcmds, self._linecmds,
                    sorted(self._wz_spans.items())))
        name = "wzt" + hashlib.blake2b(key.encode(), digest_size=10).hexdigest()
        if name in made:
            return name
        if len(made) >= MAX_FORMS:
            return None
        made.add(name)
        c.beginForm(name, lowerx=-2, lowery=-2, upperx=self._width + 2, uppery=self._height + 2)
        self._static(c)
        c.endForm()
        return name

    def _static(self, c) -> None:
        """Shading and rules."""
        pos, cols, n, m = self._rowpositions, self._wz_cols, self._nrows, self._ncols
        for _, (sc, sr), (ec, er), colour in self._bkgrndcmds:
            sc, sr, ec, er = sc % m, sr % n, ec % m, er % n
            c.setFillColor(colors.toColor(colour))
            c.rect(cols[sc], pos[er + 1], cols[ec + 1] - cols[sc], pos[sr] - pos[er + 1], stroke=0, fill=1)
        for op, (sc, sr), (ec, er), weight, colour, cap, dash, join, _, _ in self._linecmds:
            sc, sr, ec, er = sc % m, sr % n, ec % m, er % n
            c.setStrokeColor(colors.toColor(colour))
            c.setLineWidth(weight)
            c.setLineCap(cap)
            c.setLineJoin(join)
            c.setDash(dash) if dash else c.setDash()
            p = c.beginPath()
            for x0, y0, x1, y1 in self._segments(op, sc, sr, ec, er):
                p.moveTo(x0, y0)
                p.lineTo(x1, y1)
            c.drawPath(p, stroke=1, fill=0)

    def _segments(self, op, sc, sr, ec, er):
        pos, cols = self._rowpositions, self._wz_cols
        rows_h = range(sr, er + 2)       # horizontal rule positions (row tops, then the last bottom)
        cols_v = range(sc, ec + 2)
        if op in ("GRID", "INNERGRID", "BOX", "OUTLINE"):
            outer = op != "INNERGRID"
            inner = op in ("GRID", "INNERGRID")
            for k in rows_h:
                if (k in (sr, er + 1) and outer) or (sr < k <= er and inner):
                    yield cols[sc], pos[k], cols[ec + 1], pos[k]
            for k in cols_v:
                if (k in (sc, ec + 1) and outer) or (sc < k <= ec and inner):
                    yield from self._vertical(k, sr, er, edge=k in (sc, ec + 1))
        elif op in ("LINEABOVE", "LINEBELOW"):
            for r in range(sr, er + 1):
                y = pos[r] if op == "LINEABOVE" else pos[r + 1]
                yield cols[sc], y, cols[ec + 1], y
        else:    # LINEBEFORE, LINEAFTER
            for col in range(sc, ec + 1):
                yield from self._vertical(col if op == "LINEBEFORE" else col + 1, sr, er, edge=False)

    def _vertical(self, k: int, sr: int, er: int, *, edge: bool):
        """The rule left of column ``k`` over rows sr..er, broken where a span covers it."""
        pos, x = self._rowpositions, self._wz_cols[k]
        for r in range(sr, er + 1):
            if edge or (r, k) not in self._wz_hidden:
                yield x, pos[r], x, pos[r + 1]

    def _cell(self, c, r: int, col: int, ink: list) -> None:
        value = self._cellvalues[r][col]
        if value is None or value == "" or value == []:
            return
        st = self._cellStyles[r][col]
        cols, pos = self._wz_cols, self._rowpositions
        last = self._wz_spans.get((r, col), col)
        x0, x1, bottom, top = cols[col], cols[last + 1], pos[r + 1], pos[r]
        w, h = self._wz_sizes[(r, col)]
        if isinstance(value, str):
            lines = value.split("\n")
            block = len(lines) * st.leading
        else:
            block = h
        if st.valign == "TOP":
            y_top = top - st.topPadding
        elif st.valign == "MIDDLE":
            y_top = bottom + (top - bottom + st.bottomPadding - st.topPadding + block) / 2
        else:
            y_top = bottom + st.bottomPadding + block
        if isinstance(value, str):
            colour = colors.toColor(st.color)
            _ink(c, ink, colour)
            align = {"RIGHT": "right", "CENTRE": "center", "CENTER": "center"}.get(st.alignment, "left")
            x = {"right": x1 - st.rightPadding, "center": (x0 + x1 + st.leftPadding - st.rightPadding) / 2}.get(
                align, x0 + st.leftPadding)
            for k, line in enumerate(lines):
                draw_text(c, x, y_top - st.fontsize - k * st.leading, line, st.fontsize, align=align)
            return
        items = value if isinstance(value, (list, tuple)) else [value]
        y = y_top
        for item in items:
            iw, ih = item.width, item.height
            if st.alignment == "RIGHT":
                x = x1 - st.rightPadding - iw
            elif st.alignment in ("CENTRE", "CENTER"):
                x = (x0 + x1 + st.leftPadding - st.rightPadding - iw) / 2
            else:
                x = x0 + st.leftPadding
            y -= ih
            place = getattr(item, "place", None)
            if place is not None and place(c, x, y, ink):
                continue
            ink[0] = None                      # drawOn saves and restores the state: colour unknown after
            item.drawOn(c, x, y)


def _ink(c, ink: list, colour) -> None:
    """Set the fill colour unless it is set already."""
    if ink[0] != colour:
        c.setFillColor(colour)
        ink[0] = colour


def _cell_height(value, st, inner: float, sizes: dict, at) -> float:
    """A cell's content height (padding excluded), wrapping it ``inner`` points wide."""
    if value is None or isinstance(value, str):      # an empty cell still holds one line, as in reportlab
        h = len(str(value or "").split("\n")) * st.leading
        sizes[at] = (inner, h)
        return h
    items = value if isinstance(value, (list, tuple)) else [value]
    total, widest = 0.0, 0.0
    for item in items:
        if not isinstance(item, Flowable):
            raise TypeError(f"table cell holds {type(item).__name__}")
        w, h = item.wrap(inner, 1e6)
        item.width, item.height = w, h
        total += h
        widest = max(widest, w)
    sizes[at] = (widest, total)
    return total
