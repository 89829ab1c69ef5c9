"""Small openpyxl helpers shared by the workbooks: a header row, typed values
(Decimal money and areas as numbers formatted '0.00'), a totals row, widths."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

MONEY = "0.00"
_THIN = Side(style="thin", color="999999")
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")


def new_workbook() -> Workbook:
    return Workbook()


def _value(v):
    # Decimal → float: Excel stores doubles; values are already rounded to 0.01
    if isinstance(v, Decimal):
        return float(v)
    return v


def write_table(ws, header: list[str], rows: list[list], *, formats: dict[int, str] | None = None,
                totals: list | None = None, widths: dict[int, float] | None = None) -> None:
    """Header in row 1 (bold, shaded, frozen), then ``rows``; ``formats`` by 0-based column."""
    formats = formats or {}
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    body = rows + ([totals] if totals is not None else [])
    for row in body:
        ws.append([_value(v) for v in row])
        for k, fmt in formats.items():
            cell = ws.cell(row=ws.max_row, column=k + 1)
            if isinstance(cell.value, (int, float)):
                cell.number_format = fmt
    if totals is not None:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for k, name in enumerate(header, start=1):
        width = (widths or {}).get(k) or max(10, min(40, len(name) * 2 + 2))
        ws.column_dimensions[get_column_letter(k)].width = width
