"""税源比对 on a project's parcels: the inputs the reconciliation takes, and the
line each parcel's history (its audit trail) gets. Qt-free."""

from __future__ import annotations


import geopandas as gpd
import pandas as pd

from zones.money import fmt_yuan
from zones.project import FIELD_KEYS, PROJECT_CRS, Project, now_text
from zones.reconcile import STATUS_ZH, Reconciliation
from zones.reconcile_money import fen_to_yuan


def project_inputs(project: Project) -> tuple[gpd.GeoDataFrame, list[str], pd.DataFrame]:
    """(parcels in EPSG:4549, ids = 宗地号 or the parcel's uid, attributes by field key)."""
    parcels = project.parcels
    attrs = pd.DataFrame([{k: p.attrs.get(k, "") for k in FIELD_KEYS} for p in parcels], columns=list(FIELD_KEYS))
    ids = [p.attrs.get("parcel_no") or p.uid for p in parcels]
    gdf = gpd.GeoDataFrame(attrs.copy(), geometry=[p.geometry for p in parcels], crs=PROJECT_CRS)
    return gdf, ids, attrs


def history_line(res: Reconciliation, k: int, registry_name: str) -> str:
    """What the parcel's history records: the registry, the status and the money."""
    t = res.table.iloc[k]
    status = "、".join(STATUS_ZH[c] for c in t["status"].split(";") if c)
    years = f"{res.years[0]}—{res.years[-1]}" if len(res.years) > 1 else str(res.years[-1])
    return (f"税源比对（{registry_name}，{years} 年）：{status}；图上年税额 {fmt_yuan(fen_to_yuan(res.fen['tax_map_year'][k]))} 元，"
            f"登记年税额 {fmt_yuan(fen_to_yuan(res.fen['tax_registered_year'][k]))} 元，"
            f"补税额 {fmt_yuan(fen_to_yuan(res.fen['back_tax'][k]))} 元")


def record(project: Project, res: Reconciliation, registry_name: str, who: str) -> list[str]:
    """Append the reconciliation of each parcel to the project's audit log (a ``reconcile``
    event: a fact that happened, never undone — the log only grows). Returns the uids."""
    when = now_text()
    uids = []
    for k in range(min(res.parcel_count, len(project.parcels))):
        p = project.parcels[k]
        project.audit.append(p.uid, "reconcile", history_line(res, k, registry_name), who=who, when=when)
        uids.append(p.uid)
    return uids
