"""A 纳税人识别号 is recognised by its form before it is checked, and the message names the
kind it was checked as."""

import pytest

from zones.identifiers import check_taxpayer_id, id_card_check_char, taxpayer_id_kind, uscc_check_char

USCC = "91330302MA2AXXXX" + "0"      # placeholder body, completed below
USCC = USCC[:17] + uscc_check_char(USCC[:17])
ID_BODY = "33030219850615123"
ID_CARD = ID_BODY + id_card_check_char(ID_BODY)


def test_the_issues_example_is_a_credit_code_with_a_wrong_check_character():
    code = "913303021234567890"
    assert taxpayer_id_kind(code) == "uscc"
    r = check_taxpayer_id(code)
    expected = uscc_check_char(code[:17])
    assert not r.ok and r.kind == "uscc"
    assert r.message == f"按统一社会信用代码校验：校验码错误：第 18 位应为“{expected}”，实为“0”（多为某一位录入错误）"
    assert "出生日期" not in r.message


def test_valid_codes_of_each_kind():
    assert taxpayer_id_kind(USCC) == "uscc" and check_taxpayer_id(USCC).ok
    assert taxpayer_id_kind(ID_CARD) == "id_card" and check_taxpayer_id(ID_CARD).ok
    assert check_taxpayer_id(ID_CARD).kind == "id_card"
    # an all-digit credit code that happens to be valid stays a credit code
    body = "91330302123456789"
    digits_uscc = body + uscc_check_char(body)
    if digits_uscc[-1].isdigit():
        assert taxpayer_id_kind(digits_uscc) == "uscc" and check_taxpayer_id(digits_uscc).ok


def test_an_id_card_with_a_wrong_check_digit_is_still_an_id_card():
    wrong = ID_BODY + ("0" if ID_CARD[-1] != "0" else "1")
    r = check_taxpayer_id(wrong)
    assert r.kind == "id_card" and r.message.startswith("按身份证号校验：校验码错误")


def test_an_id_card_with_an_impossible_birth_date_but_a_province_is_an_id_card():
    body = "33030219851341123"          # month 13
    r = check_taxpayer_id(body + "0")
    assert r.kind == "id_card" and "出生日期" in r.message


def test_a_credit_code_mistyped_with_a_letter_o():
    code = USCC[:5] + "O" + USCC[6:]
    r = check_taxpayer_id(code)
    assert r.kind == "uscc" and "第 6 位“O”不是代码字符" in r.message


@pytest.mark.parametrize("text, words", [
    ("", "为空"), ("12345", "实为 5 位"), ("91330302MA2A#XXXX0", "既不是统一社会信用代码也不是身份证号"),
])
def test_neither_form(text, words):
    r = check_taxpayer_id(text)
    assert not r.ok and r.kind == "" and words in r.message
