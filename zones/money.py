"""Money: Decimal yuan rounded half-up to the fen, areas to 0.01 m², 亩, and the
amount in Chinese capital numerals (大写) as financial documents write it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
#: 1 亩 = 10000/15 m² (exactly 666.666… m²).
M2_PER_MU = Decimal(10000) / Decimal(15)


def yuan(value) -> Decimal:
    """Round a Decimal (or int/str) amount half-up to 0.01 yuan."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def area2(value) -> Decimal:
    """An area in m² rounded half-up to 0.01 m² (floats are taken at their exact value)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def mu(area_m2) -> Decimal:
    """Area in 亩 to 0.0001 亩 (four decimals, as staff read land ledgers)."""
    return (Decimal(area_m2) / M2_PER_MU).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def fmt_yuan(value: Decimal) -> str:
    """'12,345.67' — thousands separators, always two decimals."""
    return f"{yuan(value):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals with 零 for inner gaps (no leading/trailing 零)."""
    out: list[str] = []
    zero_pending = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer_capitals(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out: list[str] = []
    zero_pending = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            if out:
                zero_pending = True
            continue
        if out and (zero_pending or g < 1000):
            out.append("零")
        zero_pending = False
        out.append(_four_digits(g) + _BIG_UNITS[idx])
    return "".join(out)


def capitals(amount) -> str:
    """人民币 amount in capitals, e.g. 12345.67 → 人民币壹万贰仟叁佰肆拾伍元陆角柒分.

    Follows the usual rules for 大写金额: whole yuan end in 整; a missing 角 before
    a 分 is written 零; a zero yuan part is omitted when there are 角/分; negative
    amounts (refunds) are prefixed with 负.
    """
    value = yuan(amount)
    sign = "负" if value < 0 else ""
    value = abs(value)
    fen_total = int(value * 100)
    whole, jiao, fen = fen_total // 100, (fen_total // 10) % 10, fen_total % 10
    if fen_total == 0:
        return "人民币零元整"
    parts = []
    if whole:
        parts.append(_integer_capitals(whole) + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_DIGITS[jiao] + "角")
        elif whole:
            parts.append("零")
        if fen:
            parts.append(_DIGITS[fen] + "分")
        else:
            parts.append("整")
    return "人民币" + sign + "".join(parts)
