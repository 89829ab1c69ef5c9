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
    """A workbook carrying the run id of the command-line run (File ▸ Info), when there is one."""
    from zones.output_safety import current_run_id

    wb = Workbook()
    run = current_run_id()
    if run:
        wb.properties.identifier = run
        wb.properties.keywords = f"run {run}"
    return wb


def _value(v):
    # Decimal → float: Excel stores doubles; values are already rounded to 0.01
    if isinstance(v, Decimal):
        return float(v)
    return v


def write_table(ws, header: list[str], rows: list[list], *, formats: dict[int, str] | None = None,
                totals: list | None = None, widths: dict[int, float] | None = None) -> None:
    """Header in row 1 (bold, shaded, frozen), then ``rows``; ``formats`` by 0-based column."""
    from zones.output_safety import set_text_cell

    formats = formats or {}
    ws.append([None] * len(header))
    for k, name in enumerate(header, start=1):
        set_text_cell(ws.cell(row=1, column=k), str(name), f"sheet {ws.title}, header")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
    body = rows + ([totals] if totals is not None else [])
    for row in body:
        values = [_value(v) for v in row]
        texts = [k for k, v in enumerate(values) if isinstance(v, str)]
        ws.append([None if k in texts else v for k, v in enumerate(values)] if texts else values)
        r = ws.max_row
        for k in texts:     # text as text: never a formula, control characters shown escaped
            set_text_cell(ws.cell(row=r, column=k + 1), values[k],
                          f"sheet {ws.title}, row {r}, column {header[k] if k < len(header) else k + 1}")
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
