"""Reports and exports of an assessment: the A4 PDF report (one renderer for the
command line and the GUI), the period sheet in the return's columns, and the
税源明细 workbook. Qt-free: reportlab for the PDF, matplotlib Agg for the map,
openpyxl for the workbooks. Column mappings: the README, "Reports and the workbooks"."""

from zones.report.pdf import write_parcel_reports
from zones.report.period_sheet import PERIOD_COLUMNS, write_period_sheet
from zones.report.source_workbook import SOURCE_COLUMNS, write_source_workbook

__all__ = ["write_parcel_reports", "write_period_sheet", "write_source_workbook", "PERIOD_COLUMNS", "SOURCE_COLUMNS"]
