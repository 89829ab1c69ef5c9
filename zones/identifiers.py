"""Checks of the identifiers tax staff type: 统一社会信用代码 (GB 32100-2015),
身份证号 (GB 11643, ISO 7064 MOD 11-2), 不动产单元号 (GB/T 37346-2019, 28 characters)
and 宗地代码 (its first 19 characters).

Every check takes any string (or None) and returns an :class:`IdCheck`; none raises.
Input is normalised first (NFKC, so full-width ＡＢ１ become AB1; spaces removed;
letters upper-cased) because staff copy codes from scanned forms and web pages.
The message says in Chinese what is wrong and where (1-based positions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))      # 1, 3, 9, 27, 19, 26, …, 28
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
OWNERSHIP = {"G": "国家土地所有权", "J": "集体土地所有权", "Z": "土地所有权未确定或有争议"}
PARCEL_TYPES = {"A": "集体土地所有权宗地", "B": "建设用地使用权宗地（地表）", "S": "建设用地使用权宗地（地上）",
                "X": "建设用地使用权宗地（地下）", "C": "宅基地使用权宗地", "D": "土地承包经营权宗地（耕地）",
                "E": "林地使用权宗地", "F": "草原使用权宗地", "H": "海域使用权宗海", "G": "无居民海岛",
                "W": "使用权未确定或有争议", "Y": "其他"}
STRUCTURES = {"F": "房屋", "L": "林木", "Q": "其他定着物", "W": "无定着物"}


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    message: str          # Chinese: "有效" or what is wrong
    value: str = ""       # the normalised code
    kind: str = ""        # for a 纳税人识别号: 'uscc' or 'id_card', as recognised by its form

    def __bool__(self) -> bool:
        return self.ok


def normalise(text) -> str:
    """NFKC, no whitespace, upper case; '' for None or non-strings that fail to convert."""
    if text is None:
        return ""
    try:
        s = unicodedata.normalize("NFKC", str(text))
    except Exception:   # a str subclass with a broken __str__: treat as empty, never raise
        return ""
    return re.sub(r"\s+", "", s).upper()


def _length(code: str, n: int, what: str) -> IdCheck | None:
    """The failed check when ``code`` is empty or not ``n`` long, else None (test with ``is not None``:
    a failed IdCheck is falsy)."""
    if not code:
        return IdCheck(False, f"{what}为空", code)
    if len(code) != n:
        return IdCheck(False, f"{what}应为 {n} 位，实为 {len(code)} 位", code)
    return None


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 from its first 17 (all in the alphabet)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(text) -> IdCheck:
    """统一社会信用代码: 18 characters of 0-9 and A-Z without I O S V Z; the last is a mod-31 check."""
    code = normalise(text)
    bad = _length(code, 18, "统一社会信用代码")
    if bad is not None:
        return bad
    for pos, c in enumerate(code, start=1):
        if c not in USCC_ALPHABET:
            return IdCheck(False, f"第 {pos} 位“{c}”不是代码字符（只用数字和除 I、O、S、V、Z 外的大写字母）", code)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return IdCheck(False, f"校验码错误：第 18 位应为“{expected}”，实为“{code[17]}”（多为某一位录入错误）", code)
    return IdCheck(True, "有效", code)


def id_card_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def check_id_card(text) -> IdCheck:
    """居民身份证号码: 17 digits (6 area, 8 birth date, 3 sequence) and a MOD 11-2 check (0-9 or X)."""
    code = normalise(text)
    bad = _length(code, 18, "身份证号")
    if bad is not None:
        return bad
    for pos, c in enumerate(code[:17], start=1):
        if not ("0" <= c <= "9"):
            return IdCheck(False, f"第 {pos} 位“{c}”应为数字", code)
    if not ("0" <= code[17] <= "9" or code[17] == "X"):
        return IdCheck(False, f"第 18 位“{code[17]}”应为数字或 X", code)
    y, m, d = int(code[6:10]), int(code[10:12]), int(code[12:14])
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1850 <= y <= 2100):
        return IdCheck(False, f"第 7–14 位出生日期 {code[6:14]} 不是有效日期", code)
    expected = id_card_check_char(code[:17])
    if code[17] != expected:
        return IdCheck(False, f"校验码错误：第 18 位应为“{expected}”，实为“{code[17]}”", code)
    return IdCheck(True, "有效", code)


#: 身份证号 area codes start with a province (GB/T 2260): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82
PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                       "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
                       "65", "71", "81", "82"})
#: 统一社会信用代码 position 1, 登记管理部门码 (GB 32100-2015 and its amendments)
USCC_AUTHORITIES = frozenset("123456789ANY")
KIND_NAMES = {"uscc": "统一社会信用代码", "id_card": "身份证号"}


def _birth_date_ok(code: str) -> bool:
    from datetime import date

    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year and born <= date.today()


def taxpayer_id_kind(text) -> str:
    """Which identifier ``text`` is, by its form, before any check: 'uscc' (统一社会信用代码),
    'id_card' (身份证号) or '' (neither form: too short, wrong characters).

    An 18-character code with a letter among its first 17 is a 统一社会信用代码. With 17
    digits first it is taken as a 身份证号 when it starts with a province code and
    positions 7–14 are a real birth date, else as a 统一社会信用代码 when it starts with a
    registration authority's code (9 工商, 5 民政, 1 机构编制 …) followed by a province:
    ``913303021234567890`` is a company's code from 鹿城区 (330302) with a wrong check
    character, not an ID card with a bad birth date."""
    code = normalise(text)
    if len(code) != 18:
        return ""
    if not code[:17].isascii() or not code[:17].isalnum():
        return ""
    if not code[:17].isdigit():
        return "uscc"
    if check_id_card(code).ok:
        return "id_card"
    if check_uscc(code).ok:
        return "uscc"
    looks_like_id = code[:2] in PROVINCES and _birth_date_ok(code) and (code[17].isdigit() or code[17] == "X")
    looks_like_uscc = code[0] in USCC_AUTHORITIES and code[2:4] in PROVINCES
    if looks_like_id and not looks_like_uscc:
        return "id_card"
    if looks_like_uscc and not looks_like_id:
        return "uscc"
    if looks_like_id:                  # both forms fit: the birth date is the stronger sign
        return "id_card"
    return "id_card" if code[:2] in PROVINCES else "uscc"


def check_taxpayer_id(text) -> IdCheck:
    """A 纳税人识别号: a 统一社会信用代码 or an individual's 身份证号, recognised by its form
    (:func:`taxpayer_id_kind`) and then checked as that kind. The message names the kind."""
    code = normalise(text)
    kind = taxpayer_id_kind(code)
    if not kind:
        if not code:
            return IdCheck(False, "统一社会信用代码/身份证号为空", code)
        if len(code) != 18:
            return IdCheck(False, f"应为 18 位统一社会信用代码或身份证号，实为 {len(code)} 位", code)
        return IdCheck(False, "既不是统一社会信用代码也不是身份证号：" + check_uscc(code).message, code)
    result = check_uscc(code) if kind == "uscc" else check_id_card(code)
    message = result.message if result.ok else f"按{KIND_NAMES[kind]}校验：{result.message}"
    return IdCheck(result.ok, message, code, kind)


_ZD_PARTS = (  # (start, end, what, test, requirement) with 0-based slices of the 宗地代码
    (0, 6, "县级行政区划代码", str.isdigit, "6 位数字"),
    (6, 9, "地籍区代码", str.isdigit, "3 位数字"),
    (9, 12, "地籍子区代码", str.isdigit, "3 位数字"),
)


def _check_parcel_part(code: str) -> str | None:
    """What is wrong in the first 19 characters (the 宗地代码), or None."""
    for start, end, what, test, need in _ZD_PARTS:
        part = code[start:end]
        if not (part.isascii() and test(part)):
            return f"第 {start + 1}–{end} 位{what}“{part}”应为 {need}"
    if code[12] not in OWNERSHIP:
        return f"第 13 位宗地特征码（所有权类型）“{code[12]}”应为 G（国有）、J（集体）或 Z（未确定/争议）"
    if code[13] not in PARCEL_TYPES:
        return f"第 14 位宗地特征码（宗地类型）“{code[13]}”应为 {'/'.join(PARCEL_TYPES)} 之一"
    seq = code[14:19]
    if not (seq.isascii() and seq.isdigit()):
        return f"第 15–19 位宗地顺序号“{seq}”应为 5 位数字"
    return None


def check_parcel_code(text) -> IdCheck:
    """宗地代码 (19 characters). Older local 地号 are free text: only a 19-character value is checked."""
    code = normalise(text)
    if not code:
        return IdCheck(False, "宗地号为空", code)
    if len(code) != 19:
        return IdCheck(True, f"非 19 位宗地代码（{len(code)} 位），按地方地号处理，未校验", code)
    problem = _check_parcel_part(code)
    return IdCheck(problem is None, problem or "有效", code)


def check_unit_number(text) -> IdCheck:
    """不动产单元号: 宗地代码 (19) + 定着物特征码 F/L/Q/W + 8-digit 定着物单元编号 (W00000000 for bare land)."""
    code = normalise(text)
    bad = _length(code, 28, "不动产单元号")
    if bad is not None:
        return bad
    problem = _check_parcel_part(code)
    if problem:
        return IdCheck(False, problem, code)
    if code[19] not in STRUCTURES:
        return IdCheck(False, f"第 20 位定着物特征码“{code[19]}”应为 F（房屋）、L（林木）、Q（其他）或 W（无定着物）", code)
    unit = code[20:]
    if not (unit.isascii() and unit.isdigit()):
        return IdCheck(False, f"第 21–28 位定着物单元编号“{unit}”应为 8 位数字", code)
    if code[19] == "W" and unit != "00000000":
        return IdCheck(False, f"定着物特征码为 W（无定着物）时，第 21–28 位应为 00000000，实为“{unit}”", code)
    return IdCheck(True, "有效", code)
