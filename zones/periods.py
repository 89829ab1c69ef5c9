"""Months liable: whole months, from the first liable month to the month
liability ends (inclusive), counted inside the tax period.

Liability always starts on the first day of a month (the month *after* handover,
certificate, contract …) and ends at the end of the month of the terminating
change (财税〔2008〕152号 art. 3), so a period is a whole number of months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from zones.errors import RuleError


class YearMonth(NamedTuple):
    year: int
    month: int

    @classmethod
    def parse(cls, text) -> "YearMonth":
        """Accept 2024-03, 2024/3, 202403, 2024年3月, or a date 2024-03-15 (its month)."""
        if isinstance(text, YearMonth):
            return text
        if hasattr(text, "year") and hasattr(text, "month"):
            return cls(int(text.year), int(text.month))
        s = str(text).strip()
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?", s)
        if not m:
            m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", s)
        if not m:
            raise RuleError(f"not a year and month: {text!r} (expected YYYY-MM)")
        ym = cls(int(m.group(1)), int(m.group(2)))
        if not 1 <= ym.month <= 12:
            raise RuleError(f"month out of range in {text!r}")
        return ym

    @property
    def index(self) -> int:  # type: ignore[override]  # the NamedTuple's month number, not tuple.index
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> "YearMonth":
        return cls(index // 12, index % 12 + 1)

    def plus(self, months: int) -> "YearMonth":
        return YearMonth.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class AcquisitionCase(Enum):
    """How the land (or property) was obtained: decides the first liable month.

    Sources: 国税发〔2003〕89号, 财税〔2006〕186号 art. 2, 条例 art. 9 (see
    ../shared/domain/tax_practice.md §1). Values are stable codes.
    """

    NEW_HOUSING_HANDOVER = "new_housing_handover"      # 购置新建商品房：交付使用之次月
    EXISTING_HOUSING_CERTIFICATE = "existing_housing"  # 购置存量房：签发权属证书之次月
    LEASE_HANDOVER = "lease_handover"                  # 出租、出借房产：交付之次月
    DEVELOPER_OWN_USE = "developer_own_use"            # 房企自用、出租、出借本企业商品房：使用或交付之次月
    GRANT_WITH_DELIVERY_DATE = "grant_delivery"        # 出让/转让，合同约定交付时间：约定交付之次月
    GRANT_WITHOUT_DELIVERY_DATE = "grant_contract"     # 出让/转让，合同未约定交付时间：合同签订之次月
    REQUISITION_CULTIVATED = "requisition_cultivated"  # 新征用耕地：批准征用之日起满1年时
    REQUISITION_OTHER = "requisition_other"            # 新征用非耕地：批准征用之次月
    OTHER_NEXT_MONTH = "other_next_month"              # 其他：取得之次月（默认）


#: Chinese wording of each rule, as printed on reports.
ACQUISITION_RULES = {
    AcquisitionCase.NEW_HOUSING_HANDOVER: "购置新建商品房，自房屋交付使用之次月起（国税发〔2003〕89号）",
    AcquisitionCase.EXISTING_HOUSING_CERTIFICATE: "购置存量房，自签发权属证书之次月起（国税发〔2003〕89号）",
    AcquisitionCase.LEASE_HANDOVER: "出租、出借房产，自交付之次月起（国税发〔2003〕89号）",
    AcquisitionCase.DEVELOPER_OWN_USE: "房地产开发企业自用、出租、出借本企业商品房，自使用或交付之次月起（国税发〔2003〕89号）",
    AcquisitionCase.GRANT_WITH_DELIVERY_DATE: "以出让或转让方式取得土地使用权，自合同约定交付土地时间之次月起（财税〔2006〕186号）",
    AcquisitionCase.GRANT_WITHOUT_DELIVERY_DATE: "以出让或转让方式取得土地使用权，合同未约定交付时间的，自合同签订之次月起（财税〔2006〕186号）",
    AcquisitionCase.REQUISITION_CULTIVATED: "新征用的耕地，自批准征用之日起满1年时（条例第九条；本程序取满1年之次月，待核实）",
    AcquisitionCase.REQUISITION_OTHER: "新征用的非耕地，自批准征用之次月起（条例第九条）",
    AcquisitionCase.OTHER_NEXT_MONTH: "自取得之次月起",
}

#: How many months after the event month liability starts, per case.
#: REQUISITION_CULTIVATED: "满1年时" is read as the month after the anniversary
#: month (13) — unverified, configurable through ``first_liable_month(offsets=…)``.
DEFAULT_START_OFFSETS = {case: 1 for case in AcquisitionCase} | {AcquisitionCase.REQUISITION_CULTIVATED: 13}


def first_liable_month(event: YearMonth, case: AcquisitionCase, offsets: dict | None = None) -> YearMonth:
    """The first month of liability after the event (handover, certificate, contract, approval)."""
    offsets = DEFAULT_START_OFFSETS if offsets is None else {**DEFAULT_START_OFFSETS, **offsets}
    return YearMonth.parse(event).plus(offsets[case])


@dataclass(frozen=True)
class StartRule:
    """When liability starts for one way of obtaining the land (土地取得方式): ``offset`` months
    after the month of the acquisition date (1 = the 次月). ``verified``: the rule was read in the
    primary text (tax_practice.md [V]); otherwise it is a secondary source or an inference and the
    report says 待核实."""

    kind: str
    offset: int
    text: str
    verified: bool = False

    def wording(self) -> str:
        return self.text + ("" if self.verified else "（待核实）")


#: The acquisition kinds of the 税源明细 (出让/划拨/转让/租赁) plus requisitioned land, with their
#: start rule (tax_practice.md §1 "When liability starts and ends"). Overridden per office with
#: ``load_start_rules(FILE.json)`` / ``--start-rules``.
DEFAULT_START_RULES: dict[str, StartRule] = {r.kind: r for r in (
    StartRule("出让", 1, "以出让方式取得土地使用权，自合同约定交付土地时间之次月起；合同未约定交付时间的，"
                       "自合同签订之次月起（财税〔2006〕186号）"),
    StartRule("转让", 1, "以转让方式取得土地使用权，自合同约定交付土地时间之次月起；合同未约定交付时间的，"
                       "自合同签订之次月起（财税〔2006〕186号）"),
    StartRule("划拨", 1, "以划拨方式取得土地使用权，自取得之次月起（未找到专门规定，按次月原则）"),
    StartRule("租赁", 1, "承租土地，自交付之次月起（未找到专门规定，按次月原则）"),
    StartRule("征用耕地", 13, "新征用的耕地，自批准征用之日起满1年时（条例第九条；取满1年之次月）"),
    StartRule("征用非耕地", 1, "新征用的非耕地，自批准征用之次月起（条例第九条）", verified=True),
    StartRule("其他", 1, "自取得之次月起"),
)}
_KIND_WORDS = {"新征用耕地": "征用耕地", "征收耕地": "征用耕地", "新征用非耕地": "征用非耕地", "征收非耕地": "征用非耕地"}


def start_rule_for(kind, rules: dict[str, StartRule] | None = None) -> StartRule:
    """The start rule of an acquisition kind as written in a record (blank → 其他).
    Raises RuleError naming the known kinds for an unknown one."""
    rules = DEFAULT_START_RULES if rules is None else rules
    word = "" if kind is None else str(kind).strip()
    word = _KIND_WORDS.get(word, word) or "其他"
    if word not in rules:
        raise RuleError(f"unknown acquisition kind {word!r} (取得方式: {'/'.join(rules)})")
    return rules[word]


def first_month_after_acquisition(acquired, kind, rules: dict[str, StartRule] | None = None) -> tuple[YearMonth, str]:
    """First liable month and its rule in words, from an acquisition date (or month) and kind."""
    rule = start_rule_for(kind, rules)
    return YearMonth.parse(acquired).plus(rule.offset), f"{YearMonth.parse(acquired)} {rule.kind}取得；" + rule.wording()


def load_start_rules(*files) -> dict[str, StartRule]:
    """The default start rules, overridden or extended by JSON files of the form
    ``{"start_rules": [{"kind": "划拨", "offset": 1, "text": "…", "verified": true}, …]}``."""
    import json
    from pathlib import Path

    from zones.errors import InputError

    rules = dict(DEFAULT_START_RULES)
    for path in files:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            for e in data["start_rules"]:
                offset = int(e["offset"])
                if not 0 <= offset <= 36:
                    raise ValueError(f"offset {offset} for {e['kind']} is not 0–36 months")
                rules[str(e["kind"]).strip()] = StartRule(str(e["kind"]).strip(), offset, str(e.get("text") or e["kind"]),
                                                          bool(e.get("verified", False)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"cannot read start rules: {exc}") from None
    return rules


@dataclass(frozen=True)
class TaxPeriod:
    """The period assessed: months ``first``..``last`` (inclusive) of one year."""

    year: int
    first_month: int = 1
    last_month: int = 12

    def __post_init__(self):
        if not (1 <= self.first_month <= self.last_month <= 12):
            raise RuleError(f"invalid tax period months {self.first_month}..{self.last_month}")

    @property
    def start(self) -> YearMonth:
        return YearMonth(self.year, self.first_month)

    @property
    def end(self) -> YearMonth:
        return YearMonth(self.year, self.last_month)

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @classmethod
    def half(cls, year: int, half: int) -> "TaxPeriod":
        return cls(year, 1, 6) if half == 1 else cls(year, 7, 12)

    def __str__(self) -> str:
        return f"{self.start}—{self.end}"


@dataclass(frozen=True)
class LiableMonths:
    """Months liable inside a period, and the rule that set them (printed on reports)."""

    first: YearMonth | None
    last: YearMonth | None
    count: int
    rule: str

    def contains(self, ym: YearMonth) -> bool:
        return self.count > 0 and self.first is not None and self.last is not None \
            and self.first.index <= ym.index <= self.last.index


def months_liable(
    period: TaxPeriod,
    *,
    liable_from: YearMonth | None = None,
    liable_to: YearMonth | None = None,
    months: int | None = None,
    start_rule: str | None = None,
) -> LiableMonths:
    """Count the months liable in ``period``.

    - ``liable_from`` / ``liable_to`` (inclusive) bound liability; either may be None.
    - ``months`` (1–12) means the last ``months`` months of the period are liable — the
      command line's ``--months N`` (e.g. land acquired during the year, liable for N
      months); with only ``liable_to`` it still sets the first month.
    """
    if liable_from is None and liable_to is None:
        if months is None or months >= period.months:
            return LiableMonths(period.start, period.end, period.months, f"全期 {period.months} 个月")
        if months <= 0:
            return LiableMonths(None, None, 0, "本期无纳税义务（0 个月）")
        first = period.end.plus(-(months - 1))
        return LiableMonths(first, period.end, months, f"指定应税月数 {months} 个月")
    # Without a first month, --months N still says liability began N months before the period's end.
    default_first = period.end.index - months + 1 if months is not None and 0 < months < period.months else period.start.index
    lo = max(period.start.index, liable_from.index if liable_from else default_first)
    hi = min(period.end.index, liable_to.index if liable_to else period.end.index)
    parts = []
    if liable_from:
        parts.append(f"自 {liable_from} 起" + (f"（{start_rule}）" if start_rule else ""))
    if liable_to:
        parts.append(f"至 {liable_to} 止（纳税义务终止当月末）")
    if hi < lo:
        return LiableMonths(None, None, 0, "；".join(parts) + "：本期无纳税义务")
    count = hi - lo + 1
    return LiableMonths(YearMonth.from_index(lo), YearMonth.from_index(hi), count, "；".join(parts) + f"：{count} 个月")


def overlap_months(a_first: YearMonth, a_last: YearMonth, b_first: YearMonth | None, b_last: YearMonth | None) -> tuple[YearMonth | None, YearMonth | None, int]:
    """Intersection of two inclusive month ranges (b bounds may be open)."""
    lo = max(a_first.index, b_first.index if b_first else a_first.index)
    hi = min(a_last.index, b_last.index if b_last else a_last.index)
    if hi < lo:
        return None, None, 0
    return YearMonth.from_index(lo), YearMonth.from_index(hi), hi - lo + 1
