"""The 税源明细表's option values (zones.schema: 纳税人类型, 土地性质, 取得方式, 土地用途, 变更类型)
in English for the English interface (issue 12, item 12). Only the table shows them so: the
project, the exports and the reports keep the form's Chinese values, and an edit stores those.
A value the form does not list (typed by hand) is shown as typed. Qt-free."""

from __future__ import annotations

OPTIONS_EN = {
    "土地使用权人": "land-use right holder", "集体土地使用人": "user of collective land", "无偿使用人": "user free of charge",
    "代管人": "custodian", "实际使用人": "actual user",
    "国有": "state-owned", "集体": "collective",
    "划拨": "allocation", "出让": "grant", "转让": "transfer", "租赁": "lease", "征用耕地": "requisition (farmland)",
    "征用非耕地": "requisition (non-farmland)", "其他": "other",
    "工业": "industrial", "商业": "commercial", "居住": "residential", "综合": "mixed use",
    "房地产开发企业的开发用地": "real-estate developer's development land",
    "纳税义务终止（权属转移）": "liability ends (ownership transferred)", "纳税义务终止（其他）": "liability ends (other)",
    "信息项变更（土地面积变更）": "details changed (land area)", "信息项变更（土地等级变更）": "details changed (land grade)",
    "信息项变更（减免税变更）": "details changed (relief)", "信息项变更（其他）": "details changed (other)",
}


def option_label(value: str, language: str) -> str:
    if str(language).startswith("zh") or not value:
        return value
    return OPTIONS_EN.get(value, value)
