"""Months liable, acquisition cases, money rounding and Chinese capitals."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zones.errors import RuleError
from zones.money import area2, capitals, mu, yuan
from zones.periods import AcquisitionCase, TaxPeriod, YearMonth, first_liable_month, months_liable
from zones.tax import apportion, fast_gross_fen, fast_gross_fen_rounded, gross_amount


@pytest.mark.parametrize("text", ["2024-03", "2024/3", "202403", "2024年3月", "2024-03-15", "2024.03"])
def test_year_month_parsing(text):
    assert YearMonth.parse(text) == YearMonth(2024, 3)


def test_bad_year_month():
    with pytest.raises(RuleError):
        YearMonth.parse("March")
    with pytest.raises(RuleError):
        YearMonth.parse("2024-13")


def test_months_liable():
    p = TaxPeriod(2024)
    assert months_liable(p).count == 12
    assert months_liable(p, months=5).first == YearMonth(2024, 8)
    assert months_liable(p, liable_from=YearMonth(2023, 5)).count == 12
    assert months_liable(p, liable_from=YearMonth(2024, 8)).count == 5
    assert months_liable(p, liable_to=YearMonth(2024, 2)).count == 2          # ends at the end of the change month
    assert months_liable(p, liable_from=YearMonth(2025, 1)).count == 0
    half = TaxPeriod.half(2024, 2)
    assert months_liable(half, liable_from=YearMonth(2024, 5), liable_to=YearMonth(2024, 8)).count == 2


def test_first_liable_month_per_case():
    assert first_liable_month(YearMonth(2024, 6), AcquisitionCase.NEW_HOUSING_HANDOVER) == YearMonth(2024, 7)
    assert first_liable_month(YearMonth(2024, 12), AcquisitionCase.GRANT_WITH_DELIVERY_DATE) == YearMonth(2025, 1)
    assert first_liable_month(YearMonth(2024, 3), AcquisitionCase.REQUISITION_CULTIVATED) == YearMonth(2025, 4)
    assert first_liable_month(YearMonth(2024, 3), AcquisitionCase.REQUISITION_CULTIVATED,
                              offsets={AcquisitionCase.REQUISITION_CULTIVATED: 12}) == YearMonth(2025, 3)


@pytest.mark.parametrize("amount, words", [
    ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("10000", "人民币壹万元整"),
    ("1001.01", "人民币壹仟零壹元零壹分"),
    ("100100", "人民币壹拾万零壹佰元整"),
    ("10001", "人民币壹万零壹元整"),
    ("0.05", "人民币伍分"),
    ("20.30", "人民币贰拾元叁角整"),
    ("1000000001", "人民币壹拾亿零壹元整"),
    ("76666.67", "人民币柒万陆仟陆佰陆拾陆元陆角柒分"),
    ("0", "人民币零元整"),
])
def test_capitals(amount, words):
    assert capitals(Decimal(amount)) == words


def test_half_up_rounding_and_mu():
    assert yuan(Decimal("23333.335")) == Decimal("23333.34")
    assert yuan(Decimal("0.005")) == Decimal("0.01")
    assert mu(Decimal("666.67")) == Decimal("1.0000")


@given(st.decimals(min_value=0, max_value=10**7, places=2), st.lists(st.floats(0, 1e6), min_size=1, max_size=6))
def test_apportion_adds_up_exactly(total, weights):
    parts = apportion(total, weights)
    if sum(weights) > 0:
        assert sum(parts) == total
        assert all(p >= 0 for p in parts)


@given(st.floats(0, 2e6, allow_nan=False), st.sampled_from([Decimal(15), Decimal(10), Decimal(5), Decimal("7.5"), Decimal("0.6")]),
       st.integers(1, 12))
def test_fast_path_equals_decimal(area, rate, months):
    import numpy as np

    assert fast_gross_fen(np.array([area]), rate, months)[0] == int(gross_amount(area, rate, months) * 100)


@given(st.floats(0, 2e6, allow_nan=False) | st.decimals(0, 10**6, places=3).map(float),
       st.sampled_from([Decimal(15), Decimal(10), Decimal(5), Decimal("7.5"), Decimal("0.6"), Decimal("1.35")]),
       st.integers(1, 12))
def test_fast_rounded_base_equals_decimal(area, rate, months):
    import numpy as np

    expected = gross_amount(area2(area), rate, months)
    assert fast_gross_fen_rounded(np.array([area]), rate, months)[0] == int(expected * 100)


def test_rounded_base_by_hand():
    import numpy as np

    # 7,220.98 m² × 10 = 72,209.80 (the 二级 row); 2,300.3655 → 2,300.37 × 15 = 34,505.55;
    # 100.0051 → 100.01 × 5 × 7 / 12 = 291.695833… → 291.70
    areas = np.array([7220.9782, 2300.3655, 100.0051])
    assert fast_gross_fen_rounded(areas[:1], Decimal(10), 12).tolist() == [7220980]
    assert fast_gross_fen_rounded(areas[1:2], Decimal(15), 12).tolist() == [3450555]
    assert fast_gross_fen_rounded(areas[2:], Decimal(5), 7).tolist() == [29170]


def test_months_sets_the_first_month_when_only_the_end_is_known():
    p = TaxPeriod(2024)
    assert months_liable(p, liable_to=YearMonth(2024, 9), months=6).count == 3       # July–September
    assert months_liable(p, liable_to=YearMonth(2024, 9)).count == 9


def test_first_liable_month_from_acquisition_kind():
    from zones.periods import DEFAULT_START_RULES, first_month_after_acquisition, start_rule_for

    for kind in ("出让", "转让", "划拨", "租赁", "征用非耕地", "其他", None, ""):
        assert first_month_after_acquisition("2024-07-15", kind)[0] == YearMonth(2024, 8), kind
    assert first_month_after_acquisition("2024-12", "出让")[0] == YearMonth(2025, 1)
    first, rule = first_month_after_acquisition("2024-03-10", "征用耕地")   # full year after approval
    assert first == YearMonth(2025, 4) and "待核实" in rule
    assert "待核实" not in first_month_after_acquisition("2024-03", "征用非耕地")[1]
    assert start_rule_for("新征用耕地").kind == "征用耕地"
    assert {k for k, r in DEFAULT_START_RULES.items() if r.verified} == {"征用非耕地"}
    with pytest.raises(RuleError, match="出让/转让/划拨"):
        start_rule_for("拍卖")


def test_start_rules_configurable_from_json(tmp_path):
    from zones.errors import InputError
    from zones.periods import first_month_after_acquisition, load_start_rules

    f = tmp_path / "rules.json"
    f.write_text('{"start_rules": [{"kind": "划拨", "offset": 0, "text": "划拨当月起", "verified": true},'
                 ' {"kind": "作价出资", "offset": 1}]}', encoding="utf-8")
    rules = load_start_rules(f)
    assert first_month_after_acquisition("2024-07", "划拨", rules) == (YearMonth(2024, 7), "2024-07 划拨取得；划拨当月起")
    assert first_month_after_acquisition("2024-07", "作价出资", rules)[0] == YearMonth(2024, 8)
    assert rules["出让"].offset == 1
    f.write_text('{"start_rules": [{"kind": "划拨", "offset": -3}]}', encoding="utf-8")
    with pytest.raises(InputError, match="offset"):
        load_start_rules(f)
