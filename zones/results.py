"""Plain data types of an assessment: what the table, the map, the reports and
the exports read. All money is Decimal yuan rounded half-up to 0.01; areas are
m² (plane areas in the zone set's CRS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zones.periods import LiableMonths, YearMonth

ZERO = Decimal("0.00")

#: Stable flag codes and what they mean (Chinese first, English second).
FLAGS = {
    "outside": ("地块部分或全部位于征税范围以外，该部分不计税", "part of the parcel lies outside the levy scope and is not taxed"),
    "repaired": ("地块图形无效（自相交或环序错误），已自动修复，请核对", "invalid geometry (self-intersection or ring order) was repaired; check it"),
    "sliver": ("某一等级的碎片面积小于阈值，多为地块界线与等级界线相差数米所致，请人工核对", "a grade piece is smaller than the sliver threshold: the parcel outline and the grade line probably disagree by a few metres; check it"),
    "near_boundary": ("地块位于等级界线的定位误差范围内，分级结果可能因底图误差而不同，请以官方等级图核对", "the parcel lies within the map's positional error of a grade line; check the split against the official grade map"),
    "declared_mismatch": ("证载（申报）面积与图上量算面积之差超过容差", "declared (certificate) area and measured area differ by more than the tolerance"),
    "overlap": ("与本批次其他地块重叠", "overlaps another parcel of this batch"),
    "empty": ("地块图形为空或面积为零，未计税", "empty or zero-area geometry: not assessed"),
    "relief_capped": ("减免面积大于应税面积，已按应税面积计算", "relief area exceeds the taxable area and was capped"),
    "invalid_terms": ("该地块的申报事项（减免代码、月份等）无法适用，未计税，详见错误信息", "the parcel's terms (relief code, months…) cannot be applied: not assessed, see the error"),
    "no_liability": ("本期无应税月份", "no liable month in the period"),
    "glyph_missing": ("纳税人名称等文字中有报告字体无法打印的字符（见提示），请核对打印件", "a character of the taxpayer's name or another text cannot be printed by the report fonts (see the note); check the printout"),
    "duplicate_id": ("宗地号或不动产单元号与其他地块相同，可能重复计税，请核对", "the parcel no. or real-estate unit no. is also another parcel's: it may be taxed twice; check it"),
    "invalid_id": ("纳税人识别号、宗地号或不动产单元号校验未通过，原因见提示", "a taxpayer id, parcel no. or real-estate unit no. fails its check: the reason is in the notes"),
    "relief_expired": ("所列减免的有效期不含本期应税月份，该减免未予适用，详见提示", "a claimed relief is not valid in any liable month: assessed without it, see the note"),
}


def flag_text(code: str, lang: str = "zh") -> str:
    zh, en = FLAGS.get(code, (code, code))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class ReliefLine:
    code: str
    name: str
    document: str
    method: str
    grade: int
    area_m2: Decimal
    first: YearMonth | None
    last: YearMonth | None
    months: int
    amount: Decimal
    small_taxpayer: bool = False
    verified: bool = False


@dataclass(frozen=True)
class GradeRow:
    """One parcel × grade × period row, as the 税源明细 and the return see it."""

    grade: int
    grade_label: str
    map_area_m2: float          # measured on the map, unrounded
    area_m2: Decimal            # taxable area: measured (0.01) or the apportioned declared area
    share: Decimal              # of the parcel's measured area, 0..1 (4 decimals)
    rate: Decimal               # yuan / m² / year
    annual: Decimal             # area × rate, rounded
    months: int
    gross: Decimal              # area × rate × months / 12, rounded
    reliefs: tuple[ReliefLine, ...] = ()
    relief: Decimal = ZERO      # other reliefs' total
    small_taxpayer_relief: Decimal = ZERO
    due: Decimal = ZERO


@dataclass(frozen=True)
class ParcelResult:
    index: int                  # row in the input (0-based)
    parcel_id: str
    map_area_m2: float
    area_by_grade: dict[int, float]
    area_outside_m2: float
    declared_area_m2: Decimal | None
    liable: LiableMonths
    rows: tuple[GradeRow, ...]
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()     # details behind the flags, in words
    error: str | None = None

    @property
    def gross(self) -> Decimal:
        return sum((r.gross for r in self.rows), ZERO)

    @property
    def relief(self) -> Decimal:
        return sum((r.relief for r in self.rows), ZERO)

    @property
    def small_taxpayer_relief(self) -> Decimal:
        return sum((r.small_taxpayer_relief for r in self.rows), ZERO)

    @property
    def due(self) -> Decimal:
        return sum((r.due for r in self.rows), ZERO)

    @property
    def taxable_area_m2(self) -> Decimal:
        return sum((r.area_m2 for r in self.rows), ZERO)


@dataclass(frozen=True)
class Provenance:
    zoneset_id: str
    zoneset_version: str
    rules_version: str
    app_version: str
    input_sha256: str | None
    created: str
    period: str
    options: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "zoneset_id": self.zoneset_id, "zoneset_version": self.zoneset_version,
            "rules_version": self.rules_version, "app_version": self.app_version,
            "input_sha256": self.input_sha256, "created": self.created, "period": self.period,
            "options": self.options,
        }
