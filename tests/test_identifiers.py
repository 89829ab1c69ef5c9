"""Identifier checks: known valid codes, each kind of mistake staff make, and
property tests (never raises; one changed character is always caught where a
check character exists)."""

import string

from hypothesis import given, strategies as st

from zones.identifiers import (USCC_ALPHABET, check_id_card, check_parcel_code, check_taxpayer_id, check_unit_number,
                               check_uscc, uscc_check_char)

USCC = "91350100M000100Y43"          # the standard's example
ID_CARD = "11010519491231002X"        # the GB 11643 example
UNIT = "330302001001GB00001W00000000"  # 鹿城区, state-owned construction land, no structure


def test_uscc_valid_and_normalised():
    assert check_uscc(USCC).ok
    assert check_uscc(" 91350100m000100y43 ").ok                     # lower case, spaces
    assert check_uscc("９１３５０１００Ｍ０００１００Ｙ４３").value == USCC   # full width
    assert uscc_check_char(USCC[:17]) == "3"


def test_uscc_mistakes_are_named():
    r = check_uscc(USCC[:-1] + "4")
    assert not r.ok and "第 18 位应为“3”" in r.message
    r = check_uscc("91350100M000100I43")
    assert not r.ok and "第 16 位“I”" in r.message
    assert "应为 18 位，实为 17 位" in check_uscc(USCC[:-1]).message
    assert check_uscc(None).message == "统一社会信用代码为空"


def test_id_card():
    assert check_id_card(ID_CARD).ok
    assert check_id_card(ID_CARD.lower()).ok
    r = check_id_card("110105194912310021")
    assert not r.ok and "应为“X”" in r.message
    assert "出生日期" in check_id_card("110105194913310020").message
    assert check_taxpayer_id(ID_CARD).ok and check_taxpayer_id(USCC).ok
    assert not check_taxpayer_id("110105194912310021").ok


def test_unit_number():
    assert check_unit_number(UNIT).ok
    assert check_unit_number("330302001001GB00001F00010002").ok
    cases = {
        "330302001001XB00001W00000000": "第 13 位",
        "330302001001GI00001W00000000": "第 14 位",
        "330302001001GB00001K00000000": "第 20 位",
        "330302001001GB00001W00010001": "00000000",
        "3303020A1001GB00001W00000000": "第 7–9 位地籍区代码",
        "330302001001GB0000AW00000000": "第 15–19 位",
    }
    for code, words in cases.items():
        r = check_unit_number(code)
        assert not r.ok and words in r.message, (code, r.message)
    assert "28 位" in check_unit_number(UNIT[:-1]).message


def test_parcel_code_only_checked_at_19():
    assert check_parcel_code(UNIT[:19]).ok
    assert not check_parcel_code("330302001001QB00001").ok
    legacy = check_parcel_code("鹿城-12-3-45")
    assert legacy.ok and "未校验" in legacy.message
    assert not check_parcel_code("").ok


@given(st.text())
def test_checks_never_raise(text):
    for check in (check_uscc, check_id_card, check_unit_number, check_parcel_code, check_taxpayer_id):
        r = check(text)
        assert isinstance(r.ok, bool) and r.message


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_generated_uscc_validates(body):
    assert check_uscc(body + uscc_check_char(body)).ok


@given(st.integers(0, 17), st.sampled_from(string.digits + string.ascii_uppercase))
def test_uscc_one_changed_character_is_caught(pos, ch):
    if USCC[pos] == ch:
        return
    assert not check_uscc(USCC[:pos] + ch + USCC[pos + 1:]).ok


@given(st.integers(0, 17), st.sampled_from(string.digits + "X"))
def test_id_card_one_changed_character_is_caught(pos, ch):
    if ID_CARD[pos] == ch:
        return
    assert not check_id_card(ID_CARD[:pos] + ch + ID_CARD[pos + 1:]).ok
