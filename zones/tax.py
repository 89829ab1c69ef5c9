"""The tax rules: rows per parcel × grade × period, reliefs in order, the
small-taxpayer halving last, and the money rounding.

Rounding (``TaxOptions.tax_base``): by default (``"rounded"``) each grade row's
tax base is its taxable area rounded half-up to 0.01 m² — with a declared area,
the apportioned areas, which already add up — the way the 税源明细 registers it,
so every printed row multiplies out exactly. ``"unrounded"`` keeps the earlier
rule: the gross amount from the unrounded map area. Either way each row's gross
amount is area × rate × months / 12 rounded half-up to the fen; each relief amount
is rounded the same way; the row's amount due is gross minus reliefs; a parcel's
totals are sums of its rows, so every printed column adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from zones.errors import RuleError
from zones.money import FEN, area2, yuan
from zones.periods import LiableMonths, YearMonth, overlap_months
from zones.reliefs import ReliefCatalogue, ReliefClaim, ReliefMethod
from zones.results import ZERO, GradeRow, ParcelResult, ReliefLine

if TYPE_CHECKING:
    import numpy as np

#: Areas and shares below these are treated as zero (floating noise of the overlay).
AREA_EPS_M2 = 0.005


@dataclass(frozen=True)
class ParcelTerms:
    """What the tax officer knows about a parcel beyond its outline."""

    declared_area_m2: Decimal | None = None   # 证载/申报面积
    liable_from: YearMonth | None = None       # first liable month
    liable_to: YearMonth | None = None         # last liable month (inclusive)
    start_rule: str | None = None              # the rule that set liable_from, in words
    small_taxpayer: bool = False               # 六税两费 halving applies
    reliefs: tuple[ReliefClaim, ...] = ()

    @property
    def is_plain(self) -> bool:
        return self == PLAIN_TERMS


PLAIN_TERMS = ParcelTerms()


#: ``TaxOptions.tax_base``: the area each grade row's amount is computed from.
TAX_BASE_ROUNDED = "rounded"      # the taxable area rounded half-up to 0.01 m² (default)
TAX_BASE_UNROUNDED = "unrounded"  # the unrounded map area (the rule before rules 2024.2)
TAX_BASES = (TAX_BASE_ROUNDED, TAX_BASE_UNROUNDED)

#: The rule in force, in words, as every report states it.
TAX_BASE_TEXT = {
    TAX_BASE_ROUNDED: "计税面积按等级四舍五入到 0.01 m² 后计税（表列面积 × 税额标准 × 月数 ÷ 12 = 表列税额）",
    TAX_BASE_UNROUNDED: "按未经舍入的图上面积计税（表列两位小数面积相乘可能相差 1 分）",
}


def tax_base_text(tax_base: str) -> str:
    return TAX_BASE_TEXT.get(tax_base, tax_base)


@dataclass(frozen=True)
class TaxOptions:
    sliver_m2: float = 1.0              # a grade piece smaller than this is flagged `sliver`
    declared_tolerance: float = 0.01    # |declared − measured| / measured above this → `declared_mismatch`
    months: int | None = None           # months liable when a parcel states no bounds (default: the whole period)
    overlap_tolerance_m2: float = 0.01  # parcels overlapping by more than this → `overlap`
    tax_base: str = TAX_BASE_ROUNDED    # see TAX_BASES
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.tax_base not in TAX_BASES:
            raise RuleError(f"unknown tax base rule {self.tax_base!r} (expected one of {', '.join(TAX_BASES)})")

    @property
    def rounded_base(self) -> bool:
        return self.tax_base == TAX_BASE_ROUNDED

    def as_dict(self) -> dict:
        return {"sliver_m2": self.sliver_m2, "declared_tolerance": self.declared_tolerance,
                "months": self.months, "overlap_tolerance_m2": self.overlap_tolerance_m2, "tax_base": self.tax_base}


def apportion(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` (m², 0.01) in proportion to ``weights`` so the parts, each rounded
    to 0.01, add up exactly to ``total`` (largest remainder; ties go to the larger weight)."""
    cents = int((Decimal(total) * 100).to_integral_value(rounding=ROUND_HALF_UP))
    wsum = sum(Decimal(w) for w in weights)
    if wsum <= 0:
        return [ZERO for _ in weights]
    exact = [Decimal(cents) * Decimal(w) / wsum for w in weights]
    floors = [int(e) for e in exact]
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), -weights[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(c) / 100 for c in floors]


def gross_amount(area_m2, rate: Decimal, months: int) -> Decimal:
    """area × rate × months / 12, from the unrounded area (floats at their exact value)."""
    return yuan(Decimal(area_m2) * rate * months / 12)


def relief_amount(method: ReliefMethod, value: Decimal, area: Decimal, rate: Decimal, months: int) -> Decimal:
    """One relief for one row: the four methods of the tax system (jsYjmsje1)."""
    full = Decimal(area) * rate * months / 12
    if method is ReliefMethod.EXEMPT:
        return yuan(full)
    if method is ReliefMethod.REDUCED_RATE:           # pays value × rate: relieved (1 − value)
        return yuan(full * (1 - value))
    if method is ReliefMethod.PERCENTAGE:
        return yuan(full * value)
    if method is ReliefMethod.FIXED_MONTHLY:          # capped at the tax on that area
        return min(yuan(value * months), yuan(full))
    raise RuleError(f"unknown relief method {method}")


def _claim_areas(claim: ReliefClaim, rows: list[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Area of a claim on each row: the whole row, the given grade, or an explicit
    area shared across the rows in proportion to their areas."""
    if claim.grade is not None:
        return {g: (claim.area_m2 if claim.area_m2 is not None else a) for g, a in rows if g == claim.grade}
    if claim.area_m2 is None:
        return {g: a for g, a in rows}
    parts = apportion(claim.area_m2, [float(a) for _, a in rows])
    return {g: p for (g, _), p in zip(rows, parts)}


def compute_rows(
    by_grade: dict[int, float],
    outside: float,
    rates: dict[int, Decimal],
    labels: dict[int, str],
    liable: LiableMonths,
    terms: ParcelTerms,
    catalogue: ReliefCatalogue | None,
    tax_base: str = TAX_BASE_ROUNDED,
) -> tuple[list[GradeRow], list[str], list[str]]:
    """Rows of one parcel (reference implementation, all Decimal). Returns rows, flags, notes.
    ``tax_base``: see :data:`TAX_BASES`."""
    flags, notes = [], []
    measured = sum(by_grade.values()) + outside
    grades = [g for g in sorted(by_grade) if by_grade[g] > AREA_EPS_M2]
    if terms.declared_area_m2 is not None:
        parts = apportion(terms.declared_area_m2, [by_grade[g] for g in grades] + [outside])
        taxable = dict(zip(grades, parts[:-1]))
    elif tax_base == TAX_BASE_ROUNDED:
        taxable = {g: area2(by_grade[g]) for g in grades}
    else:
        taxable = {g: Decimal(by_grade[g]) for g in grades}
    months = liable.count
    rows_in = [(g, taxable[g]) for g in grades]
    relief_lines: dict[int, list[ReliefLine]] = {g: [] for g in grades}
    gross = {g: gross_amount(taxable[g], rates[g], months) for g in grades}
    relieved = {g: ZERO for g in grades}
    for claim in terms.reliefs:
        policy = catalogue.get(claim.code) if catalogue else None
        if policy is None:
            raise RuleError(f"relief {claim.code}: no relief catalogue loaded")
        value = policy.value if claim.value is None else Decimal(claim.value)
        for g, area in _claim_areas(claim, rows_in).items():
            if area > taxable[g]:
                flags.append("relief_capped")
                notes.append(f"减免 {claim.code} 面积 {area} m² 大于{labels[g]}应税面积 {area2(taxable[g])} m²，已按应税面积计算")
                area = taxable[g]
            if months == 0:
                continue
            assert liable.first is not None and liable.last is not None     # months > 0
            lo = claim.first or liable.first
            hi = claim.last or liable.last
            f1, l1, _ = overlap_months(liable.first, liable.last, lo, hi)
            if f1 is None or l1 is None:
                continue
            first, last, n = overlap_months(f1, l1, policy.valid_from, policy.valid_to)
            if n == 0:
                _lapsed(policy, flags, notes)
                continue
            amount = relief_amount(policy.method, value, Decimal(area), rates[g], n)
            amount = min(amount, gross[g] - relieved[g])      # reliefs never exceed the tax
            relieved[g] += amount
            relief_lines[g].append(ReliefLine(policy.code, policy.name, policy.document, policy.method.value, g,
                                              area2(area), first, last, n, amount, False, policy.verified))
    small = {g: ZERO for g in grades}
    if terms.small_taxpayer and months:
        policy = catalogue.small_taxpayer if catalogue else None
        if policy is None:
            raise RuleError("small-taxpayer halving requested but the relief catalogue has no 六税两费 entry")
        assert liable.first is not None and liable.last is not None     # months > 0
        first, last, n = overlap_months(liable.first, liable.last, policy.valid_from, policy.valid_to)
        if n == 0:
            _lapsed(policy, flags, notes)
        for g in grades:
            if n == 0:
                continue
            base = (gross[g] - relieved[g]) * n / months
            small[g] = yuan(base * policy.value)
            relief_lines[g].append(ReliefLine(policy.code, policy.name, policy.document, policy.method.value, g,
                                              area2(taxable[g]), first, last, n, small[g], True, policy.verified))
    rows = []
    for g in grades:
        rows.append(GradeRow(
            grade=g, grade_label=labels[g], map_area_m2=by_grade[g], area_m2=area2(taxable[g]),
            share=(Decimal(by_grade[g]) / Decimal(measured)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if measured else ZERO,
            rate=rates[g], annual=yuan(taxable[g] * rates[g]), months=months, gross=gross[g],
            reliefs=tuple(relief_lines[g]), relief=relieved[g], small_taxpayer_relief=small[g],
            due=gross[g] - relieved[g] - small[g],
        ))
    return rows, flags, notes


def validity_window(policy) -> str:
    """'2023-01 至 2027-12' (open ends in words)."""
    return f"{policy.valid_from or '不限'} 至 {policy.valid_to or '不限'}"


def _lapsed(policy, flags: list, notes: list) -> None:
    """A claimed relief whose validity window has no month in common with the liable months:
    the parcel is assessed without it, and says so."""
    flags.append("relief_expired")
    note = f"减免 {policy.code} {policy.name} 的有效期为 {validity_window(policy)}，不含本期应税月份，未予减免"
    if note not in notes:
        notes.append(note)


def terms_problem(terms: ParcelTerms) -> str | None:
    """Why a parcel's terms cannot be used at all, or None: a first liable month after the last."""
    if terms.liable_from is not None and terms.liable_to is not None and terms.liable_from.index > terms.liable_to.index:
        return (f"first liable month {terms.liable_from} is after the last liable month {terms.liable_to} "
                f"（起始月份 {terms.liable_from} 晚于终止月份 {terms.liable_to}）")
    return None


def assess_parcel(index: int, parcel_id: str, by_grade: dict[int, float], outside: float, *, rates, labels,
                  liable: LiableMonths, terms: ParcelTerms, catalogue, options: TaxOptions,
                  flags=(), notes=(), error: str | None = None) -> ParcelResult:
    """The full result of one parcel (Decimal reference path)."""
    measured = sum(by_grade.values()) + outside
    if error:
        return ParcelResult(index, parcel_id, measured, dict(by_grade), outside, terms.declared_area_m2, liable, (),
                            tuple(flags), tuple(notes), error)
    flags, notes = list(flags), list(notes)
    rows, f2, n2 = compute_rows(by_grade, outside, rates, labels, liable, terms, catalogue, options.tax_base)
    flags += f2
    notes += n2
    if outside > AREA_EPS_M2:
        flags.append("outside")
        notes.append(f"征税范围以外面积 {area2(outside)} m²")
    for g, a in by_grade.items():
        if AREA_EPS_M2 < a < options.sliver_m2:
            flags.append("sliver")
            notes.append(f"{labels[g]}碎片面积仅 {area2(a)} m²")
    if AREA_EPS_M2 < outside < options.sliver_m2 and "sliver" not in flags:
        flags.append("sliver")
        notes.append(f"征税范围以外碎片面积仅 {area2(outside)} m²")
    if terms.declared_area_m2 is not None and measured > 0:
        diff = (Decimal(measured) - terms.declared_area_m2)
        if abs(diff) / Decimal(measured) > Decimal(str(options.declared_tolerance)):
            flags.append("declared_mismatch")
            notes.append(f"证载面积 {terms.declared_area_m2} m²，图上量算 {area2(measured)} m²，相差 {area2(diff)} m²"
                         f"（{(abs(diff) / Decimal(measured) * 100).quantize(Decimal('0.01'))}%）")
    if liable.count == 0:
        flags.append("no_liability")
    return ParcelResult(index, parcel_id, measured, dict(by_grade), outside, terms.declared_area_m2, liable,
                        tuple(rows), tuple(dict.fromkeys(flags)), tuple(notes))


# ------------------------------------------------------------ vectorised path

def round_half_up_hundredths(values: np.ndarray, scale: float, exact) -> np.ndarray:
    """``values × scale`` as an integer number of hundredths, rounded half-up exactly as the
    Decimal path ``exact(value)`` does: float arithmetic everywhere except within 1e-4 of a
    rounding tie, where ``exact`` decides (float error there is < 1e-6 for any real area)."""
    import numpy as np   # here, not at the top: `python -m zones --version` / `--help` need no numpy

    x = np.asarray(values, dtype=float) * (scale * 100.0)
    out = np.floor(x + 0.5).astype(np.int64)
    frac = x - np.floor(x)
    for i in np.flatnonzero(np.abs(frac - 0.5) < 1e-4):
        out[i] = int(exact(float(values[i])) * 100)
    return out


def fast_gross_fen(areas: np.ndarray, rate: Decimal, months: int) -> np.ndarray:
    """Gross amounts in fen for many rows with the same rate and months: identical to
    :func:`gross_amount` row by row."""
    return round_half_up_hundredths(areas, float(rate) * months / 12, lambda a: gross_amount(a, rate, months))


def fast_gross_fen_rounded(areas: np.ndarray, rate: Decimal, months: int) -> np.ndarray:
    """Gross amounts in fen when the tax base is the area rounded to 0.01 m² (the default
    rule): exact integer arithmetic on the hundredths, identical to
    ``gross_amount(area2(a), rate, months)`` row by row."""
    hundredths = fast_area_hundredths(areas)
    num, den = Decimal(rate).as_integer_ratio()
    # fen = hundredths × rate × months / 12 (0.01 m² × yuan/m² = 1 fen), rounded half-up
    numer = hundredths * (num * months)
    denom = den * 12
    return (2 * numer + denom) // (2 * denom)


def fast_area_hundredths(areas: np.ndarray) -> np.ndarray:
    """Areas in 0.01 m², half-up, identical to :func:`zones.money.area2`."""
    return round_half_up_hundredths(areas, 1.0, area2)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(FEN)
