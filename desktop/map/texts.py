"""The words the map draws itself — legend, caption under the map, north arrow — in
the application's language. Qt-free: the host picks a set (:func:`for_language`) and
hands it to :meth:`desktop.map.map_view.MapView.set_texts`; reports keep the Chinese
default. Zone-set names, grade labels and legal documents are data and stay as the
zone set states them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MapTexts:
    language: str
    north: str
    legend_title: str
    parcel: str
    parcel_near_line: str
    district_boundary: str
    boundary_road: str
    boundary_river: str
    accuracy_band: str          # {m}: the zone set's accuracy in metres
    uncertain_area: str
    grade: str                  # {label}: the zone set's grade label (一级…), {grade}: its number
    rate_unit: str              # after the rate in the grade legend
    version: str                # {name}, {version}
    basis: str                  # {basis}
    accuracy: str               # {text}
    official: str
    unofficial: str
    accuracy_m: str             # {m}: appended to (un)official


CHINESE = MapTexts(
    language="zh_CN", north="北", legend_title="图例", parcel="宗地", parcel_near_line="宗地（靠近等级线，需复核）",
    district_boundary="行政区界", boundary_road="分界道路", boundary_river="分界河道",
    accuracy_band="等级线定位误差带（±{m:g} m 起）", uncertain_area="等级不确定区域", grade="{label}", rate_unit="元/m²·年",
    version="{name}（版本 {version}）", basis=" · 依据：{basis}", accuracy="精度：{text}",
    official="官方等级图", unofficial="示意等级图，非土地管理部门官方等级图",
    accuracy_m="；等级线典型误差约 ±{m:g} m，靠近等级线的宗地须人工复核",
)

ENGLISH = MapTexts(
    language="en", north="N", legend_title="Legend", parcel="Parcel", parcel_near_line="Parcel near a grade line (review)",
    district_boundary="District boundary", boundary_road="Boundary road", boundary_river="Boundary river",
    accuracy_band="Grade-line uncertainty band (from ±{m:g} m)", uncertain_area="Grade uncertain",
    grade="Grade {grade}", rate_unit="yuan/m²·year", version="{name} (version {version})", basis=" · basis: {basis}",
    accuracy="Accuracy: {text}", official="official grade map",
    unofficial="illustrative, not the official grade map",
    accuracy_m="; grade lines ±{m:g} m typical, review parcels near them",
)

LANGUAGES = {"zh_CN": CHINESE, "en": ENGLISH}


def for_language(lang: str) -> MapTexts:
    """The texts for an application language code ('zh_CN', 'en'); Chinese for any other."""
    return LANGUAGES.get(lang, ENGLISH if str(lang).startswith("en") else CHINESE)
