"""The money of the reconciliation, in integer fen for many rows at once, equal to the
Decimal rule (tested): each grade row's tax base is its area rounded half-up to
0.01 m²; its yearly tax is base × 税额标准 rounded half-up to the fen; a parcel's
yearly tax is the sum of its rows. The registry's own rows are taxed the same way.

How far back a tax office may claim (追征期, 税收征管法 art. 52: three years, five in
special cases, no limit for evasion) and the late fee (滞纳金, art. 32: 0.05 % a day)
are options, off by default; :func:`rule_text` says in words which rule was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

from zones.money import area2, yuan
from zones.tax import fast_area_hundredths

RATE_SCALE = 10_000          # rates are kept in 0.0001 yuan/m²·year
#: area (0.01 m²) × rate (0.0001 yuan) is in 0.000001 yuan; a fen is 10,000 of those.
_TO_FEN = 10_000


def tax_base_hundredths(areas_m2: np.ndarray) -> np.ndarray:
    """The tax base of grade rows: each row's area rounded half-up to 0.01 m², as integer
    hundredths. The one place this rule lives (it follows zones.tax)."""
    return fast_area_hundredths(np.asarray(areas_m2, dtype=float))


def rate_e4(rate: Decimal) -> int:
    """A rate (yuan/m²·year) in 0.0001 yuan."""
    return int((Decimal(rate) * RATE_SCALE).to_integral_value(rounding=ROUND_HALF_UP))


def row_tax_fen(area_h: np.ndarray, rate_e4_: np.ndarray) -> np.ndarray:
    """Yearly tax in fen of rows of (area in 0.01 m², rate in 0.0001 yuan), half-up
    (symmetric for negative values, as Decimal's ROUND_HALF_UP)."""
    x = np.asarray(area_h, np.int64) * np.asarray(rate_e4_, np.int64)
    return np.sign(x) * ((np.abs(x) + _TO_FEN // 2) // _TO_FEN)


def row_tax_decimal(area_m2, rate: Decimal) -> Decimal:
    """The Decimal reference of one row: area2(area) × rate, half-up to the fen."""
    return yuan(area2(area_m2) * Decimal(rate))


def fen_to_yuan(fen) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ClaimRule:
    """追征期 and 滞纳金. ``claim_years`` None: every year asked for is claimed.
    ``late_fee_per_day`` None: no late fee. ``as_of``: the day of the reconciliation
    (the claim limit and the late fee are counted back from it)."""

    claim_years: int | None = None
    late_fee_per_day: Decimal | None = None
    as_of: date | None = None

    def claimable(self, years: list[int]) -> list[int]:
        """Years whose tax fell due (31 December) within ``claim_years`` before ``as_of``."""
        if self.claim_years is None:
            return list(years)
        today = self.as_of or date.today()
        return [y for y in years if y >= today.year - self.claim_years]

    def late_days(self, year: int) -> int:
        """Days of late fee for year's tax: from 1 January of the next year to ``as_of``, inclusive."""
        today = self.as_of or date.today()
        return max(0, (today - date(year + 1, 1, 1)).days + 1)

    def late_fee_fen(self, difference_fen: np.ndarray, year: int) -> np.ndarray:
        """Late fee in fen on a year's positive differences (under-registered tax only)."""
        if self.late_fee_per_day is None:
            return np.zeros(len(difference_fen), np.int64)
        frac = Fraction(self.late_fee_per_day) * self.late_days(year)
        owed = np.maximum(np.asarray(difference_fen, np.int64), 0)
        num, den = frac.numerator, frac.denominator
        return (owed * num * 2 + den) // (2 * den)         # half-up for non-negative values


def rule_text(rule: ClaimRule, years: list[int], claimed: list[int]) -> str:
    """The rule used, in words, for the report and the workbook."""
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"
    parts = [(f"补税额为 {span} 年各年（按当年适用的等级图和税额标准）图上应纳税额与登记税额之差的合计"
              "（正数为少登记、应补；负数为多登记、需核实）")]
    if rule.claim_years is None:
        parts.append("未设追征期限制（各年均计入）")
    else:
        left = [y for y in years if y not in claimed]
        parts.append(f"追征期 {rule.claim_years} 年（《税收征收管理法》第五十二条），自 {rule.as_of or date.today()} 起算"
                     + (f"，{'、'.join(map(str, left))} 年已超过追征期，不计入" if left else ""))
    if rule.late_fee_per_day is None:
        parts.append("未计滞纳金")
    else:
        parts.append(f"滞纳金按各年少登记税额自次年 1 月 1 日起至 {rule.as_of or date.today()} 止、"
                     f"按日 {rule.late_fee_per_day * 100}% 计算（《税收征收管理法》第三十二条），四舍五入到分")
    return "；".join(parts) + "。"
