"""The relief (减免) catalogue — data, not code — and relief claims on a parcel.

A catalogue entry (:class:`ReliefPolicy`) is a policy: its 10-character
减免性质代码, name, granting document, validity window and method. A claim
(:class:`ReliefClaim`) applies a policy to (part of) a parcel for some months.
The bundled catalogue is ``resources/reliefs/catalogue.json``; users extend it
with their own JSON file of the same form (``load_catalogue(extra=...)``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path

from zones.errors import InputError, RuleError
from zones.periods import YearMonth
from zones.resources import resource


class ReliefMethod(Enum):
    EXEMPT = "exempt"                # 全额免征
    REDUCED_RATE = "reduced_rate"    # 减按税额标准的 value 倍征收 (value 0.5 → 按所属等级税额的 50%)
    PERCENTAGE = "percentage"        # 减征 value 比例 (value 0.3 → 减征 30%)
    FIXED_MONTHLY = "fixed_monthly"  # 每月减免 value 元，以应纳税额为限


METHOD_NAMES = {
    ReliefMethod.EXEMPT: "免征",
    ReliefMethod.REDUCED_RATE: "减按税额标准比例征收",
    ReliefMethod.PERCENTAGE: "按比例减征",
    ReliefMethod.FIXED_MONTHLY: "定额减免（以应纳税额为限）",
}


@dataclass(frozen=True)
class ReliefPolicy:
    code: str                      # 减免性质代码, 10 characters
    name: str
    document: str
    method: ReliefMethod
    value: Decimal = Decimal(0)    # factor, fraction or monthly yuan, per method
    valid_from: YearMonth | None = None
    valid_to: YearMonth | None = None
    verified: bool = False         # is the code confirmed from an official list?
    note: str = ""
    small_taxpayer: bool = False   # the 六税两费 halving: applied last, reported apart
    name_en: str = ""              # the name in English, for an English interface ('' → the name)

    def describe(self) -> str:
        return f"{self.code} {self.name}（{self.document}）"


@dataclass(frozen=True)
class ReliefClaim:
    """A relief applied to a parcel: ``area_m2`` None means the whole taxable area;
    ``first``/``last`` None mean the months liable; ``grade`` None means every grade
    (an explicit area is then shared across the grades in proportion to the split)."""

    code: str
    area_m2: Decimal | None = None
    first: YearMonth | None = None
    last: YearMonth | None = None
    grade: int | None = None
    value: Decimal | None = None   # overrides the policy's value (e.g. a granted monthly amount)


@dataclass
class ReliefCatalogue:
    policies: dict[str, ReliefPolicy] = field(default_factory=dict)
    small_taxpayer_code: str | None = None

    def get(self, code: str) -> ReliefPolicy:
        try:
            return self.policies[str(code).strip()]
        except KeyError:
            raise RuleError(f"unknown relief code {code!r}: not in the relief catalogue") from None

    def __contains__(self, code) -> bool:
        return str(code).strip() in self.policies

    @property
    def small_taxpayer(self) -> ReliefPolicy | None:
        return self.policies.get(self.small_taxpayer_code) if self.small_taxpayer_code else None


def _ym(value) -> YearMonth | None:
    return None if value in (None, "") else YearMonth.parse(value)


def _policy(entry: dict, source: str) -> ReliefPolicy:
    try:
        return ReliefPolicy(
            code=str(entry["code"]).strip(),
            name=entry["name"],
            document=entry.get("document", ""),
            method=ReliefMethod(entry["method"]),
            value=Decimal(str(entry.get("value", 0))),
            valid_from=_ym(entry.get("valid_from")),
            valid_to=_ym(entry.get("valid_to")),
            verified=bool(entry.get("verified", False)),
            note=entry.get("note", ""),
            small_taxpayer=bool(entry.get("small_taxpayer", False)),
            name_en=str(entry.get("name_en") or ""),
        )
    except (KeyError, ValueError, RuleError) as exc:
        raise InputError(source, f"bad relief entry {entry.get('code', '?')}: {exc}") from None


def load_catalogue(*extra: Path | str, bundled: bool = True) -> ReliefCatalogue:
    """The bundled catalogue, extended (or overridden by code) by user files."""
    files = ([resource("reliefs", "catalogue.json")] if bundled else []) + [Path(p) for p in extra]
    cat = ReliefCatalogue()
    for path in files:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(path, f"cannot read relief catalogue: {exc}") from None
        for entry in data.get("reliefs", []):
            pol = _policy(entry, str(path))
            cat.policies[pol.code] = pol
            if pol.small_taxpayer:
                cat.small_taxpayer_code = pol.code
    return cat
