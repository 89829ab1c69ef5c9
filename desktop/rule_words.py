"""The liable-months rule (zones.periods writes it in Chinese, as the report prints it) in
English for the English interface (issue 12, item 12). The rule is built from a few frames
('全期 12 个月', '自 2024-03 起（…）', '至 … 止', '：N 个月') around the start rules' legal
wording; both are known to the core, so they are translated here phrase by phrase. A piece no
table knows is left as written. Qt-free."""

from __future__ import annotations

import re
from typing import Any

from zones.periods import ACQUISITION_RULES, DEFAULT_START_RULES, AcquisitionCase

#: the start rules' and acquisition cases' legal wording (zones.periods), in English
_LEGAL: dict[str, str] = {
    DEFAULT_START_RULES["出让"].text: "land-use right obtained by grant: from the month after the land's handover date "
                                     "in the contract; without one, from the month after signing (Caishui [2006] No. 186)",
    DEFAULT_START_RULES["转让"].text: "land-use right obtained by transfer: from the month after the land's handover date "
                                     "in the contract; without one, from the month after signing (Caishui [2006] No. 186)",
    DEFAULT_START_RULES["划拨"].text: "land-use right obtained by allocation: from the month after obtaining it "
                                     "(no specific rule found; the next-month principle)",
    DEFAULT_START_RULES["租赁"].text: "leased land: from the month after handover (no specific rule found; the next-month "
                                     "principle)",
    DEFAULT_START_RULES["征用耕地"].text: "newly requisitioned farmland: one full year after the approval (Regulations "
                                        "art. 9; the month after the anniversary)",
    DEFAULT_START_RULES["征用非耕地"].text: "newly requisitioned non-farmland: from the month after the approval "
                                         "(Regulations art. 9)",
    DEFAULT_START_RULES["其他"].text: "from the month after obtaining the land",
    ACQUISITION_RULES[AcquisitionCase.NEW_HOUSING_HANDOVER]: "new commercial housing bought: from the month after "
                                                             "handover (Guoshuifa [2003] No. 89)",
    ACQUISITION_RULES[AcquisitionCase.EXISTING_HOUSING_CERTIFICATE]: "existing housing bought: from the month after the "
                                                                     "title certificate is issued (Guoshuifa [2003] No. 89)",
    ACQUISITION_RULES[AcquisitionCase.LEASE_HANDOVER]: "property let or lent: from the month after handover "
                                                       "(Guoshuifa [2003] No. 89)",
    ACQUISITION_RULES[AcquisitionCase.DEVELOPER_OWN_USE]: "a developer's own housing used, let or lent: from the month "
                                                          "after use or handover (Guoshuifa [2003] No. 89)",
    ACQUISITION_RULES[AcquisitionCase.GRANT_WITH_DELIVERY_DATE]: "land-use right obtained by grant or transfer: from the "
                                                                 "month after the contract's handover date "
                                                                 "(Caishui [2006] No. 186)",
    ACQUISITION_RULES[AcquisitionCase.GRANT_WITHOUT_DELIVERY_DATE]: "land-use right obtained by grant or transfer, no "
                                                                    "handover date in the contract: from the month after "
                                                                    "signing (Caishui [2006] No. 186)",
    ACQUISITION_RULES[AcquisitionCase.REQUISITION_CULTIVATED]: "newly requisitioned farmland: one full year after the "
                                                               "approval (Regulations art. 9; read here as the month "
                                                               "after the anniversary, to be verified)",
    ACQUISITION_RULES[AcquisitionCase.REQUISITION_OTHER]: "newly requisitioned non-farmland: from the month after the "
                                                          "approval (Regulations art. 9)",
    "按录入的应税起始月份": "the first liable month as entered",
    "（待核实）": " (to be verified)",
    "纳税义务终止当月末": "liability ends at the end of that month",
}
_KINDS = {"出让": "grant", "转让": "transfer", "划拨": "allocation", "租赁": "lease", "征用耕地": "requisition (farmland)",
          "征用非耕地": "requisition (non-farmland)", "其他": "other means"}
#: (pattern, English) for the frames, tried in order on the text after the legal phrases went
_FRAMES: list[tuple[re.Pattern, Any]] = [(re.compile(p), e) for p, e in (
    (r"^全期 (\d+) 个月$", r"the whole period, \1 months"),
    (r"^本期无纳税义务（0 个月）$", "not liable in this period (0 months)"),
    (r"^指定应税月数 (\d+) 个月$", r"\1 months, as entered"),
    (r"(\d{4}-\d{2}) (\S+?)取得；", lambda m: f"{m.group(1)} obtained by {_KINDS.get(m.group(2), m.group(2))}; "),
    (r"自 (\d{4}-\d{2}) 起（", r"from \1 ("),
    (r"自 (\d{4}-\d{2}) 起", r"from \1"),
    (r"至 (\d{4}-\d{2}) 止（", r"to \1 ("),
    (r"至 (\d{4}-\d{2}) 止", r"to \1"),
    (r"：本期无纳税义务$", ": not liable in this period"),
    (r"：(\d+) 个月$", r": \1 months"),
    (r"）", ")"),
    (r"；", "; "),
)]


def rule_in_language(rule: str, language: str) -> str:
    if str(language).startswith("zh") or not rule:
        return rule
    text = rule
    for zh in sorted(_LEGAL, key=len, reverse=True):     # the longest first: one wording holds another's words
        text = text.replace(zh, _LEGAL[zh])
    for pattern, en in _FRAMES:
        text = pattern.sub(en, text)
    return text
