"""The identifier checks' messages (zones.identifiers writes them in Chinese, as the report
and the workbooks print them) in English for the English interface (issue 12, item 12). A
message no pattern knows is shown as written. Qt-free."""

from __future__ import annotations

import re

_WHAT = {"统一社会信用代码": "credit code", "身份证号": "ID card number", "统一社会信用代码/身份证号": "credit code / ID no.",
         "宗地号": "parcel no.", "不动产单元号": "real-estate unit no.", "县级行政区划代码": "county code",
         "地籍区代码": "cadastral district code", "地籍子区代码": "cadastral sub-district code",
         "定着物单元编号": "fixture unit number", "纳税人识别号": "taxpayer ID",
         "6 位数字": "6 digits", "3 位数字": "3 digits", "8 位数字": "8 digits", "5 位数字": "5 digits"}


def _w(text: str) -> str:
    return _WHAT.get(text, text)


_PATTERNS: list[tuple[str, object]] = [
    (r"有效", "valid"),
    (r"(.+)为空", lambda m: f"{_w(m[1])} is empty"),
    (r"(.+)应为 (\d+) 位，实为 (\d+) 位", lambda m: f"{_w(m[1])} should have {m[2]} characters, has {m[3]}"),
    (r"第 (\d+) 位“(.)”不是代码字符（只用数字和除 I、O、S、V、Z 外的大写字母）",
     r"character \1 “\2” is not a code character (digits and capital letters other than I, O, S, V, Z only)"),
    (r"校验码错误：第 18 位应为“(.)”，实为“(.)”（多为某一位录入错误）",
     r"wrong check character: character 18 should be “\1”, is “\2” (usually one character mistyped)"),
    (r"校验码错误：第 18 位应为“(.)”，实为“(.)”", r"wrong check character: character 18 should be “\1”, is “\2”"),
    (r"第 (\d+) 位“(.)”应为数字", r"character \1 “\2” should be a digit"),
    (r"第 18 位“(.)”应为数字或 X", r"character 18 “\1” should be a digit or X"),
    (r"第 7–14 位出生日期 (\S+) 不是有效日期", r"characters 7–14, the birth date \1, are not a valid date"),
    (r"应为 18 位统一社会信用代码或身份证号，实为 (\d+) 位",
     r"should be an 18-character credit code or ID card number, has \1 characters"),
    (r"第 (\d+)–(\d+) 位(.+?)“(.*)”应为 (.+)", lambda m: f"characters {m[1]}–{m[2]}, the {_w(m[3])} “{m[4]}”, should be {_w(m[5])}"),
    (r"第 13 位宗地特征码（所有权类型）“(.)”应为 G（国有）、J（集体）或 Z（未确定/争议）",
     r"character 13, the ownership code “\1”, should be G (state), J (collective) or Z (undetermined/disputed)"),
    (r"第 14 位宗地特征码（宗地类型）“(.)”应为 (\S+) 之一", r"character 14, the parcel type code “\1”, should be one of \2"),
    (r"非 19 位宗地代码（(\d+) 位），按地方地号处理，未校验",
     r"not a 19-character parcel code (\1 characters): taken as a local parcel number, not checked"),
    (r"第 20 位定着物特征码“(.)”应为 F（房屋）、L（林木）、Q（其他）或 W（无定着物）",
     r"character 20, the fixture code “\1”, should be F (building), L (trees), Q (other) or W (none)"),
    (r"定着物特征码为 W（无定着物）时，第 21–28 位应为 00000000，实为“(.*)”",
     r"with fixture code W (none), characters 21–28 should be 00000000, are “\1”"),
]
_COMPILED = [(re.compile("^" + p + "$"), e) for p, e in _PATTERNS]


def _one(message: str) -> str:
    for pattern, en in _COMPILED:
        m = pattern.match(message)
        if m:
            return pattern.sub(en, message) if isinstance(en, str) else en(m)  # type: ignore[operator]
    return message


def identifier_message(message: str, language: str) -> str:
    if str(language).startswith("zh") or not message:
        return message
    m = re.match(r"^按(统一社会信用代码|身份证号)校验：(.*)$", message)
    if m:
        return f"checked as {'a credit code' if m[1] == '统一社会信用代码' else 'an ID card number'}: {_one(m[2])}"
    m = re.match(r"^既不是统一社会信用代码也不是身份证号：(.*)$", message)
    if m:
        return f"neither a credit code nor an ID card number: {_one(m[1])}"
    if "；" in message:            # several notes in one
        return "; ".join(identifier_message(part, language) for part in message.split("；"))
    m = re.match(r"^(宗地号|不动产单元号) (.*) 共 (\d+) 宗地块使用$", message)   # zones.duplicates' note
    if m:
        return f"{_w(m[1])[0].upper() + _w(m[1])[1:]} {m[2]} is used by {m[3]} parcels"
    m = re.match(r"^(纳税人识别号|宗地号|不动产单元号) ([^\s：]*)：(.*)$", message)   # desktop.parcel_checks' notes
    if m:
        return f"{_w(m[1])[0].upper() + _w(m[1])[1:]} {m[2]}: {identifier_message(m[3], language)}"
    return _one(message)
