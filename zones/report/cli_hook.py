"""What the command line calls for ``python -m zones assess … --report OUT.pdf``: the
report PDF, and beside it the period sheet and the 税源明细 workbook
(``OUT.申报明细.xlsx``, ``OUT.税源明细.xlsx``)."""

from __future__ import annotations

from pathlib import Path

from zones.report.pdf import write_parcel_reports
from zones.report.period_sheet import write_period_sheet
from zones.report.source_workbook import write_source_workbook


def add_report_outputs(assessment, args_report_path, attributes=None, *, source_name: str | None = None,
                       protect=(), workbooks: bool = True) -> list[Path]:
    """Write the PDF at ``args_report_path`` (plus the two workbooks unless ``workbooks`` is
    False); returns the paths written. ``protect``: the input files, never overwritten."""
    pdf = Path(args_report_path)
    out = [write_parcel_reports(assessment, pdf, attributes=attributes, source_name=source_name, protect=protect)]
    if workbooks:
        out.append(write_period_sheet(assessment, pdf.with_name(pdf.stem + ".申报明细.xlsx"), protect=protect))
        out.append(write_source_workbook(assessment, pdf.with_name(pdf.stem + ".税源明细.xlsx"), attributes=attributes,
                                         protect=protect))
    return out
