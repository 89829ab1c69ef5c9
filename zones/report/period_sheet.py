"""The period sheet: the 城镇土地使用税 lines of the 财产和行为税 return, one row per
parcel × grade, so staff can check or key the return. See the README (Reports and the workbooks)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from zones.io.atomic import atomic_output
from zones.money import FEN
from zones.report.content import liable_dates, tax_base_of
from zones.report.fields import printable
from zones.report.xlsx import MONEY, new_workbook, write_table
from zones.tax import tax_base_text

PERIOD_COLUMNS = ["土地编号", "宗地号", "土地等级", "税额标准", "土地总面积", "所属期起", "所属期止", "本期应纳税额",
                  "本期减免税额", "本期增值税小规模纳税人减征额", "本期已缴税额", "本期应补（退）税额"]
ZERO = Decimal("0.00")


def share_paid(paid: Decimal, dues: list[Decimal]) -> list[Decimal]:
    """Spread a parcel's 已缴 amount over its grade rows in proportion to what each row owes,
    to the fen, the parts adding up exactly (largest remainder)."""
    if not dues:
        return []
    total = sum(dues, ZERO)
    weights = dues if total > 0 else [Decimal(1)] * len(dues)
    wsum = sum(weights, ZERO)
    fen = int((Decimal(paid) / FEN).to_integral_value())
    exact = [Decimal(fen) * w / wsum for w in weights]
    parts = [int(e) for e in exact]
    for k in sorted(range(len(dues)), key=lambda k: -(exact[k] - parts[k]))[: fen - sum(parts)]:
        parts[k] += 1
    return [Decimal(p) * FEN for p in parts]


def period_rows(assessment, *, paid: dict[int, Decimal] | None = None, land_numbers=None, indices=None) -> list[list]:
    """The sheet's rows (without header and totals): values as Python objects, money Decimal."""
    paid = paid or {}
    indices = range(len(assessment)) if indices is None else indices
    rows = []
    for i in indices:
        r = assessment.parcel(i)
        if not r.rows:
            continue
        land_no = _land_no(land_numbers, i)
        shares = share_paid(Decimal(paid.get(i, 0)), [row.due for row in r.rows])
        start, end = liable_dates(r, assessment.period)
        for row, p in zip(r.rows, shares):
            rows.append([land_no, printable(r.parcel_id), row.grade_label, row.rate, row.area_m2, start.isoformat(), end.isoformat(),
                         row.gross, row.relief, row.small_taxpayer_relief, p, row.due - p])
    return rows


def _land_no(land_numbers, i: int) -> str:
    if land_numbers is None:
        return ""
    try:
        v = land_numbers.get(i, "") if hasattr(land_numbers, "get") else land_numbers[i]
    except (IndexError, KeyError):
        return ""
    return "" if v is None else str(v)


def write_period_sheet(assessment, path, *, paid: dict[int, Decimal] | None = None, land_numbers=None,
                       indices=None, protect=()) -> Path:
    """XLSX of the return's columns for the assessment's period. ``paid``: 已缴 per parcel index
    (yuan); ``land_numbers``: the tax system's 土地编号 per parcel index (dict or list)."""
    rows = period_rows(assessment, paid=paid, land_numbers=land_numbers, indices=indices)
    totals = ["合计", "", "", None] + [sum((row[4] for row in rows), ZERO), "", ""] + \
        [sum((row[k] for row in rows), ZERO) for k in range(7, 12)]
    wb = new_workbook()
    ws = wb.active
    ws.title = "申报明细"
    formats = {3: MONEY, 4: MONEY} | {k: MONEY for k in range(7, 12)}
    write_table(ws, PERIOD_COLUMNS, rows, formats=formats, totals=totals, widths={1: 22, 9: 18, 11: 14})
    notes = wb.create_sheet("说明")
    skipped = [assessment.parcel(i) for i in (range(len(assessment)) if indices is None else indices)
               if not assessment.parcel(i).rows]
    lines = [
        ["税款所属期", str(assessment.period)],
        ["等级图", f"{assessment.zoneset.name}（{assessment.zoneset.id} {assessment.zoneset.version}）"],
        ["行", "每宗地每个土地等级一行；土地总面积为该等级的计税面积（m²）"],
        ["计税面积取整", tax_base_text(tax_base_of(assessment))],
        ["本期已缴税额", "按宗地录入，按各等级应缴税额的比例分摊到分，合计等于录入值"],
        ["计算时间", assessment.provenance.created],
    ] + [["未列入", printable(f"{r.parcel_id}：{r.error or '无应税面积'}")] for r in skipped]
    write_table(notes, ["项目", "说明"], lines, widths={1: 16, 2: 90})
    with atomic_output(path, protect=protect) as tmp:
        wb.save(tmp)
    return Path(path)
