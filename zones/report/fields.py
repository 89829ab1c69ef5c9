"""Reading a parcel's descriptive attributes (taxpayer, codes, address…) from the
attribute table, whatever the column is called: the 税源明细表 wording, common
short Chinese names, or English names."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import pandas as pd

#: canonical key → accepted column names, most specific first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "payer_type": ("纳税人类型", "payer_type"),
    "taxpayer": ("纳税人名称", "土地使用权人名称", "纳税人", "权利人", "taxpayer", "taxpayer_name", "owner"),
    "uscc": ("统一社会信用代码", "土地使用权人纳税人识别号（统一社会信用代码）", "纳税人识别号", "社会信用代码",
             "uscc", "tax_id", "taxpayer_id"),
    "land_no": ("土地编号", "land_no"),
    "land_name": ("土地名称", "land_name"),
    "cert_no": ("不动产权证号", "权证号", "土地证号", "cert_no", "certificate"),
    "unit_no": ("不动产单元号", "单元号", "unit_no", "unit_number"),
    "parcel_no": ("宗地号", "宗地代码", "地号", "parcel_no"),
    "nature": ("土地性质", "land_nature", "nature"),
    "acquisition": ("土地取得方式", "取得方式", "acquisition"),
    "land_use": ("土地用途", "用途", "land_use", "use"),
    "address": ("土地坐落地址（详细地址）", "土地坐落", "坐落", "地址", "address", "location"),
    "tax_office": ("土地所属主管税务所（科、分局）", "主管税务所", "tax_office"),
    "acquired": ("土地取得时间", "取得时间", "acquired", "acquired_on"),
    "change_type": ("变更类型", "change_type"),
    "change_time": ("变更时间", "change_time"),
    "declared_area": ("证载面积", "申报面积", "占用土地面积", "declared_area", "declared_area_m2", "cert_area"),
}


def printable(text) -> str:
    """``text`` as a document may show it: tabs and line breaks (a co-owner on a second line in
    Excel) become spaces; any other control character (a vertical tab pasted from Word, ESC …)
    is shown escaped as ``\\x0b``, never passed on to a PDF or a worksheet, which refuse them."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _key(name) -> str:
    s = unicodedata.normalize("NFKC", str(name)).lower()
    return re.sub(r"[\s_\-（）()]", "", s)


class Fields:
    """The attributes of one parcel: ``Fields(attributes, i).get("taxpayer")`` → text or ''."""

    def __init__(self, attributes: pd.DataFrame | None, index: int):
        self.values: dict[str, object] = {}
        if attributes is None or index >= len(attributes):
            return
        row = attributes.iloc[index]
        by_key = {_key(c): c for c in attributes.columns}
        for field, names in FIELD_NAMES.items():
            for name in names:
                col = by_key.get(_key(name))
                if col is not None and not _blank(row[col]):
                    self.values[field] = row[col]
                    break

    def get(self, field: str) -> str:
        v = self.values.get(field)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m")
        return printable(str(v).strip()).strip()

    def area(self, field: str = "declared_area") -> Decimal | None:
        """A number of m² (accepts '1,234.5', '1234.5㎡'); None when absent or unreadable."""
        v = self.values.get(field)
        if v is None:
            return None
        text = re.sub(r"[,，\s]|m2|m²|㎡|平方米", "", str(v))
        try:
            d = Decimal(text)
        except InvalidOperation:
            return None
        return d if d.is_finite() and d > 0 else None


def _blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        if pd.isna(v):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(v, str) and not v.strip()
