"""write_parcel_reports: the one PDF renderer used by the command line and the GUI
(which previews and prints these same pages with QtPdf)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

from zones import point_names
from zones.io.atomic import atomic_output
from zones.output_safety import run_keywords
from zones.report.content import SUMMARY_TITLE, TITLE, tax_base_of
from zones.progress import Progress, step
from zones.report.fields import Fields
from zones.report.files import safe_name, unique, write_boundary_csv
from zones.report.fonts import LATIN, register_fonts
from zones.report.document import MARGIN_B, MARGIN_L, MARGIN_R, MARGIN_T, PAGE_H, PAGE_W, Styles
from zones.report.stream import streaming_canvas
from zones.report.parcel_pdf import ReportContext, parcel_story
from zones.report.summary import summary_story
from zones.tax import TAX_BASE_ROUNDED


def write_parcel_reports(assessment, path, *, indices=None, attributes: pd.DataFrame | None = None,
                         issued: date | None = None, operator: str = "", reviewer: str = "",
                         review_status: dict[int, str] | None = None, source_name: str | None = None,
                         protect=(), progress: Progress | None = None, pieces=None,
                         summary: bool | None = None, parcels: bool = True) -> Path:
    """Write the A4 report PDF of the parcels ``indices`` (default: all) of ``assessment``.

    One parcel: its 计算单 alone. Several: a summary table first (``summary``), then each
    parcel's 计算单 (``parcels``), each numbered "第 i 页 共 n 页" on its own. ``attributes`` is
    the attribute table in the assessment's row order (column names in Chinese or English, see
    :mod:`zones.report.fields`); ``review_status`` maps a row index to its 复核状态. ``pieces``:
    ``assessment.pieces()`` when the caller has it already. ``progress`` is stepped per parcel
    and honours a cancel. Written atomically; returns ``path``.
    """
    indices = list(range(len(assessment))) if indices is None else [int(i) for i in indices]
    if not indices:
        raise ValueError("no parcel to report")
    for i in indices:
        if not 0 <= i < len(assessment):
            raise IndexError(f"parcel index {i} out of range (0..{len(assessment) - 1})")
    summary = len(indices) > 1 if summary is None else summary
    register_fonts()
    path = Path(path)
    used: set[str] = set()

    def points_csv(i: int, geom) -> str:
        # beside the PDF: "<pdf stem>.界址点.<宗地号>.csv"
        name = unique(f"{path.stem}.界址点.{safe_name(assessment.ids[i])}", used, ".csv")
        write_boundary_csv(geom, path.with_name(name), crs=assessment.zoneset.crs, protect=protect,
                           names=point_names.of_row(assessment, attributes, i))
        return name

    ctx = ReportContext(assessment, attributes, issued or date.today(), operator, reviewer, review_status or {},
                        source_name, Styles(), assessment.pieces() if pieces is None and parcels else pieces, points_csv)
    def parts():
        # one parcel's flowables at a time: a district's story is never built whole
        if summary:
            yield summary_story(ctx, indices)
        for k, i in enumerate(indices if parcels else ()):
            step(progress, k, len(indices), "report")
            yield ([PageBreak()] if summary or k else []) + parcel_story(ctx, i)
        step(progress, len(indices), len(indices), "report")

    zs = assessment.zoneset
    rounded = tax_base_of(assessment) == TAX_BASE_ROUNDED
    footer = (f"{zs.id} {zs.version} · 规则 {assessment.provenance.rules_version} · "
              + ("计税面积取整 0.01 m²" if rounded else "计税面积未取整（旧规则）"))
    with atomic_output(path, protect=protect) as tmp:
        doc = BaseDocTemplate(
            str(tmp), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_L, rightMargin=MARGIN_R, topMargin=MARGIN_T,
            bottomMargin=MARGIN_B, title=SUMMARY_TITLE if summary else TITLE,
            author="wenzhou-land-tax", subject=f"{zs.name} {assessment.period}", creator="wenzhou-land-tax (reportlab)",
            initialFontName=LATIN,  # else the page preamble names Helvetica (a non-embedded font)
            keywords=run_keywords(),  # the run id shared by the outputs of one command-line run
        )
        frame = Frame(MARGIN_L, MARGIN_B, PAGE_W - MARGIN_L - MARGIN_R, PAGE_H - MARGIN_T - MARGIN_B, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])
        try:
            doc.build(_Story(parts()), canvasmaker=streaming_canvas(footer))
        except BaseException:          # a cancel (Ctrl+C, the desktop's button) or an error
            abandon = getattr(getattr(doc, "canv", None), "abandon", None)
            if abandon is not None:
                abandon()
            raise
    return path


class _Story(list):
    """The flowables of a report, filled from ``parts`` (lists of flowables) as platypus consumes
    them from the front: at most about one parcel's flowables are held at a time."""

    def __init__(self, parts):
        super().__init__()
        self._parts = iter(parts)

    def _fill(self) -> None:
        while list.__len__(self) < 2:
            more = next(self._parts, None)
            if more is None:
                return
            self.extend(more)

    def __len__(self) -> int:
        self._fill()
        return list.__len__(self)

    def __getitem__(self, k):
        self._fill()
        return list.__getitem__(self, k)


SUMMARY_FILE = "汇总表.pdf"


def report_file_name(parcel_id: str, taxpayer: str) -> str:
    """'<宗地号>_<纳税人>' made safe for a file name (the taxpayer part cut to 40 characters)."""
    who = safe_name(taxpayer, "")[:40].rstrip(" .") if taxpayer else ""
    return safe_name(parcel_id) + (f"_{who}" if who else "")


def write_report_dir(assessment, folder, *, indices=None, attributes: pd.DataFrame | None = None,
                     protect=(), progress: Progress | None = None, **kwargs) -> list[Path]:
    """One PDF per parcel in ``folder``, named by 宗地号 and taxpayer (safe, unique file names),
    plus the batch summary ``汇总表.pdf``. Returns the paths written, summary first."""
    indices = list(range(len(assessment))) if indices is None else [int(i) for i in indices]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pieces = assessment.pieces()
    used = {SUMMARY_FILE.lower()}
    out = [write_parcel_reports(assessment, folder / SUMMARY_FILE, indices=indices, attributes=attributes,
                                protect=protect, summary=True, parcels=False, **kwargs)]
    for k, i in enumerate(indices):
        step(progress, k, len(indices), "report")
        name = unique(report_file_name(assessment.ids[i], Fields(attributes, i).get("taxpayer")), used, ".pdf")
        out.append(write_parcel_reports(assessment, folder / name, indices=[i], attributes=attributes, protect=protect,
                                        pieces=pieces, summary=False, **kwargs))
    step(progress, len(indices), len(indices), "report")
    return out
