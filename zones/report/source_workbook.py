"""The 城镇土地使用税税源明细表 as a workbook: one row per parcel and grade (the
form holds one grade and one rate per record), in the form's field order, so
staff can key or upload it into the e-tax system. The mapping of every column is
in the README and on the workbook's 字段说明 sheet."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from zones.io.atomic import atomic_output
from zones.money import FEN
from zones.report.content import tax_base_of
from zones.report.fields import Fields, printable
from zones.report.xlsx import MONEY, new_workbook, write_table
from zones.tax import tax_base_text

#: (column, where the value comes from) in the form's order (tax_practice.md §4).
SOURCE_COLUMNS: list[tuple[str, str]] = [
    ("纳税人类型", "属性“纳税人类型”；缺省为“土地使用权人”"),
    ("土地使用权人纳税人识别号（统一社会信用代码）", "属性“统一社会信用代码/纳税人识别号/uscc”"),
    ("土地使用权人名称", "属性“纳税人名称/土地使用权人名称/taxpayer”"),
    ("土地编号", "留空：由税务系统赋号（属性中已有“土地编号”时照录）"),
    ("土地名称", "属性“土地名称”"),
    ("不动产权证号", "属性“不动产权证号/cert_no”"),
    ("不动产单元号", "属性“不动产单元号/unit_no”"),
    ("宗地号", "宗地编号（导入时的宗地号字段）"),
    ("土地性质", "属性“土地性质”；缺省时按不动产单元号第13位推定（G 国有、J 集体）"),
    ("土地取得方式", "属性“土地取得方式”"),
    ("土地用途", "属性“土地用途/land_use”"),
    ("土地坐落地址（详细地址）", "属性“土地坐落/address”"),
    ("土地所属主管税务所（科、分局）", "留空：由税务系统按规则带出（属性中已有时照录）"),
    ("土地取得时间", "属性“土地取得时间”（年月）"),
    ("变更类型", "属性“变更类型”"),
    ("变更时间", "属性“变更时间”（年月）"),
    ("占用土地面积", "本等级计税面积（m²，两位小数）：图上量算面积，或证载面积按图上比例分摊"),
    ("土地等级", "叠加等级图的结果：一级/二级/三级"),
    ("税额标准", "等级图的税额标准（元/m²·年）"),
    ("减免性质代码和项目名称", "本行第一条减免：代码|项目名称（小规模纳税人减半在申报表计算，不列入）"),
    ("减免起始月份", "减免起始年月（与应税月份的交集）"),
    ("减免终止月份", "减免终止年月"),
    ("减免税土地面积", "减免面积（m²）"),
    ("月减免税金额", "减免税额 ÷ 减免月数，四舍五入到分"),
    ("其他减免", "本行有多条减免时的条数，明细见“减免明细”表"),
]
RELIEF_COLUMNS = ["明细行号", "宗地号", "土地等级", "减免性质代码和项目名称", "减免起始月份", "减免终止月份", "减免税土地面积",
                  "月减免税金额", "减免月数", "本期减免税额", "减免文件"]
OWNERSHIP = {"G": "国有", "J": "集体"}


def monthly(amount: Decimal, months: int) -> Decimal:
    """月减免税金额: the relief amount per month, half-up to the fen."""
    return (Decimal(amount) / months).quantize(FEN, rounding=ROUND_HALF_UP) if months else Decimal("0.00")


def source_rows(assessment, attributes=None, indices=None) -> tuple[list[list], list[list]]:
    """(main rows, relief rows) with Python values (areas and money Decimal)."""
    main: list[list] = []
    reliefs: list[list] = []
    for i in (range(len(assessment)) if indices is None else indices):
        r = assessment.parcel(i)
        f = Fields(attributes, i)
        unit = f.get("unit_no")
        nature = f.get("nature") or (OWNERSHIP.get(unit[12].upper(), "") if len(unit) == 28 else "")
        common = [f.get("payer_type") or "土地使用权人", f.get("uscc"), f.get("taxpayer"), f.get("land_no"),
                  f.get("land_name"), f.get("cert_no"), unit, printable(r.parcel_id), nature, f.get("acquisition"),
                  f.get("land_use"), f.get("address"), f.get("tax_office"), f.get("acquired"), f.get("change_type"),
                  f.get("change_time")]
        for row in r.rows:
            lines = [ln for ln in row.reliefs if not ln.small_taxpayer]
            line_no = len(main) + 1
            first = lines[0] if lines else None
            relief_cells = ([f"{first.code}|{first.name}", str(first.first or ""), str(first.last or ""), first.area_m2,
                             monthly(first.amount, first.months)] if first else ["", "", "", None, None])
            main.append(common + [row.area_m2, row.grade_label, row.rate] + relief_cells
                        + [len(lines) - 1 if len(lines) > 1 else None])
            for ln in lines:
                reliefs.append([line_no, printable(r.parcel_id), row.grade_label, f"{ln.code}|{ln.name}", str(ln.first or ""),
                                str(ln.last or ""), ln.area_m2, monthly(ln.amount, ln.months), ln.months, ln.amount,
                                ln.document])
    return main, reliefs


def write_source_workbook(assessment, path, *, attributes=None, indices=None, protect=()) -> Path:
    """XLSX: sheet 税源明细 (one row per parcel × grade), 字段说明 (the mapping), and
    减免明细 (every relief row) when a row has more than one relief."""
    main, reliefs = source_rows(assessment, attributes, indices)
    wb = new_workbook()
    ws = wb.active
    ws.title = "税源明细"
    header = [name for name, _ in SOURCE_COLUMNS]
    money_cols = {header.index(c): MONEY for c in ("占用土地面积", "税额标准", "减免税土地面积", "月减免税金额")}
    write_table(ws, header, main, formats=money_cols)
    doc = wb.create_sheet("字段说明")
    mapping = [[k, n, s] for k, (n, s) in enumerate(SOURCE_COLUMNS, start=1)]
    mapping.append(["", "计税面积取整", tax_base_text(tax_base_of(assessment))])   # the rule in force
    write_table(doc, ["序号", "税源明细表字段", "取值来源"], mapping, widths={1: 6, 2: 36, 3: 80})
    if any(row[-1] for row in main):
        rs = wb.create_sheet("减免明细")
        write_table(rs, RELIEF_COLUMNS, reliefs, formats={6: MONEY, 7: MONEY, 9: MONEY}, widths={4: 50, 11: 30})
    with atomic_output(path, protect=protect) as tmp:
        wb.save(tmp)
    return Path(path)
