"""The project file remembers what the officer said about a loaded grade map (official,
legal basis, accuracy statement); project files written before that open unchanged."""

import json
from datetime import date
from decimal import Decimal

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from zones.periods import TaxPeriod
from zones.project import Project, ZoneSetRef
from zones.project_file import embedded_zoneset, load_project, save_project
from zones.zoneset import zoneset_from_layer

STMT = "土地管理部门官方等级图（文件 dj.gpkg，由 张三 于 2024-05-06 载入）"


def grade_file(tmp_path):
    path = tmp_path / "dj.gpkg"
    gpd.GeoDataFrame({"DJ": [1, 2]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                     crs="EPSG:4549").to_file(path, layer="grades", driver="GPKG")
    return path


def official_ref(path):
    return ZoneSetRef(str(path), "DJ", {"1": "15", "2": "10"}, designated=True, official=True,
                      legal_document="温政办〔2024〕10号", legal_title="关于市区城镇土地使用税的通知",
                      applies_from="2024-01-01", accuracy_statement=STMT)


def test_designation_round_trips_and_applies(tmp_path):
    path = grade_file(tmp_path)
    zs = zoneset_from_layer(path, rates={1: Decimal(15), 2: Decimal(10)}, grade_field="DJ")
    ref = official_ref(path)
    project = Project(ref, TaxPeriod(2024))
    out = save_project(project, tmp_path / "p.gpkg", zoneset=ref.apply(zs))
    back = load_project(out).zoneset
    assert back == ref
    again = back.apply(embedded_zoneset(out, "dj.gpkg"))
    assert again.official and again.accuracy_statement == STMT
    basis = again.basis_for(2024)
    assert (basis.document, basis.title, basis.applies_from) == ("温政办〔2024〕10号", "关于市区城镇土地使用税的通知",
                                                                 date(2024, 1, 1))
    assert again.basis_for(2023) is None                        # applies from 2024 only


def test_older_project_file_without_designation_opens(tmp_path):
    project = Project(ZoneSetRef("wenzhou-urban-2024"), TaxPeriod(2024))
    out = save_project(project, tmp_path / "old.gpkg")
    # rewrite the zone-set entry as files before the designation wrote it
    meta = pyogrio.read_dataframe(out, layer="project")
    meta["value"] = [json.dumps({"ref": "x.gpkg", "grade_field": "DJ", "rates": {"1": "15"}}) if k == "zoneset" else v
                     for k, v in zip(meta["key"], meta["value"])]
    pyogrio.write_dataframe(pd.DataFrame(meta.drop(columns="geometry", errors="ignore")), out, layer="project",
                            driver="GPKG", append=False)
    ref = load_project(out).zoneset
    assert (ref.ref, ref.grade_field, ref.rates, ref.designated, ref.official) == ("x.gpkg", "DJ", {"1": "15"}, False, False)
    assert "designation" not in ref.as_dict()
    zs = zoneset_from_layer(grade_file(tmp_path), rates={1: Decimal(15), 2: Decimal(10)}, grade_field="DJ")
    before = (zs.official, zs.legal_basis, zs.accuracy_statement)
    assert (ref.apply(zs).official, zs.legal_basis, zs.accuracy_statement) == before   # untouched
