"""An amount in English words, the English interface's counterpart of the Chinese capitals
(大写, :func:`zones.money.capitals`): 12,345.60 → 'Twelve thousand three hundred forty-five yuan
and sixty fen'. Only the screen uses it: the reports and workbooks keep 大写, as the tax
documents require. Qt-free (plain text in, plain text out)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


def number_words(n: int) -> str:
    """A whole number ≥ 0 in words, American style (no 'and'): 2024 → 'two thousand twenty-four'."""
    if n < 1000:
        return _below_thousand(n)
    words = []
    for size, name in _SCALES:
        if n >= size:
            words.append(f"{number_words(n // size)} {name}")
            n %= size
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def amount_in_words(amount) -> str:
    """Yuan and fen in words, the amount rounded half-up to 0.01 yuan first (as every amount is):
    '… yuan and sixty fen'; whole yuan say no fen; an amount under one yuan names the fen alone."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "minus " if value < 0 else ""
    cents = int(abs(value) * 100)
    yuan, fen = divmod(cents, 100)
    if yuan and fen:
        text = f"{number_words(yuan)} yuan and {number_words(fen)} fen"
    elif fen:
        text = f"{number_words(fen)} fen"
    else:
        text = f"{number_words(yuan)} yuan"
    text = sign + text
    return text[0].upper() + text[1:]
