"""Reports and exports of an assessment: the A4 PDF report (one renderer for the
command line and the GUI), the period sheet in the return's columns, and the
税源明细 workbook. Qt-free: reportlab for the PDF, matplotlib Agg for the map,
openpyxl for the workbooks."""

from zones.report.pdf import write_parcel_reports

__all__ = ["write_parcel_reports"]
