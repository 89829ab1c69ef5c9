"""Totals of a reconciliation: counts and money per status and per district. A row
with several status codes counts under each of them (the 全部 row counts it once)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zones.reconcile import STATUS_ZH, STATUSES, Reconciliation
from zones.reconcile_money import fen_to_yuan

MONEY = ("tax_map_year", "tax_registered_year", "difference_year", "back_tax")
SUMMARY_HEADER = ["数量", "图上面积(m²)", "登记面积(m²)", "图上年税额(元)", "登记年税额(元)", "年差额(元)", "补税额(元)"]


def _totals(res: Reconciliation, mask: np.ndarray) -> list:
    t = res.table
    area_map = fen_to_yuan(int(np.round(t["area_map_m2"].to_numpy()[mask] * 100).sum()))
    area_reg = fen_to_yuan(int(np.round(t["area_registered_m2"].to_numpy()[mask] * 100).sum()))
    money = [fen_to_yuan(int(res.fen[c][mask].sum())) for c in MONEY]
    return [int(mask.sum()), area_map, area_reg] + money


def by_status(res: Reconciliation) -> pd.DataFrame:
    """One row per status code (all codes, zero counts included), then 全部."""
    rows = [[code, STATUS_ZH[code]] + _totals(res, res.has(code)) for code in STATUSES]
    rows.append(["all", "全部"] + _totals(res, np.ones(len(res.table), bool)))
    return pd.DataFrame(rows, columns=["status", "状态"] + SUMMARY_HEADER)


def by_district(res: Reconciliation) -> pd.DataFrame:
    """One row per district and status that occurs (keys without a parcel have no district)."""
    district = res.table["district"].replace("", "（未定）").to_numpy()
    rows = []
    for d in pd.unique(district):
        in_d = district == d
        for code in STATUSES:
            mask = in_d & res.has(code)
            if mask.any():
                rows.append([d, code, STATUS_ZH[code]] + _totals(res, mask))
        rows.append([d, "all", "合计"] + _totals(res, in_d))
    return pd.DataFrame(rows, columns=["区", "status", "状态"] + SUMMARY_HEADER)
