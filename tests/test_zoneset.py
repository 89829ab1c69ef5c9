"""Zone sets: loading, validation errors that name the place, the bundled Wenzhou set."""

from decimal import Decimal

import geopandas as gpd
import pytest
import shapely

from synthetic import CRS, box, city
from zones.errors import ZoneSetError
from zones.zoneset import ZoneSet, bundled_ids, export_zoneset, load_zoneset, parse_rates, validate


def test_parse_rates():
    assert parse_rates("1=15,2=10,3=5") == {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}
    with pytest.raises(ZoneSetError, match="GRADE=YUAN"):
        parse_rates("1:15")


def test_overlapping_grades_are_rejected_with_the_place():
    g = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[box(0, 0, 100, 100), box(90, 0, 200, 100)], crs=CRS)
    with pytest.raises(ZoneSetError, match=r"overlap by 1000\.00 m².*x=") as err:
        validate(ZoneSet("bad", "bad", "1", CRS, {1: Decimal(15), 2: Decimal(10)}, g))
    assert "bad" in str(err.value)


def test_missing_rate_and_invalid_geometry():
    g = gpd.GeoDataFrame({"grade": [1, 2]}, geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)], crs=CRS)
    with pytest.raises(ZoneSetError, match=r"grade\(s\) \[2\] have no rate"):
        validate(ZoneSet("x", "x", "1", CRS, {1: Decimal(15)}, g))
    bow = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    g = gpd.GeoDataFrame({"grade": [1]}, geometry=[bow], crs=CRS)
    with pytest.raises(ZoneSetError, match="feature 1, grade 1.*|invalid geometry"):
        validate(ZoneSet("x", "x", "1", CRS, {1: Decimal(15)}, g))


def test_any_polygon_layer_with_grades_and_rates(tmp_path):
    path = tmp_path / "official.gpkg"
    city().grades.to_file(path, layer="grades")
    zs = load_zoneset(path, rates=parse_rates("1=15,2=10,3=5"))
    assert zs.grade_list == [1, 2, 3] and zs.crs.endswith("4549")
    with pytest.raises(ZoneSetError, match="--rates"):
        load_zoneset(path)
    g = city().grades.copy()
    g["grade"] = ["一", "2", "3"]
    bad = tmp_path / "text_grades.gpkg"
    g.to_file(bad)
    with pytest.raises(ZoneSetError, match="feature 1"):
        load_zoneset(bad, rates=parse_rates("1=15,2=10,3=5"))


def test_bundled_wenzhou_zoneset_is_valid_and_honest():
    assert "wenzhou-urban-2024" in bundled_ids()
    zs = load_zoneset("wenzhou-urban-2024")
    assert zs.crs == "EPSG:4549"
    assert zs.rates == {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}
    assert zs.basis_for(2024).document == "温政办〔2024〕10号"
    assert zs.basis_for(2016).document == "温政办〔2016〕43号"
    assert zs.accuracy_m and "50" in zs.accuracy_statement and not zs.official
    assert zs.boundary_runs is not None and "温州大道" in " ".join(zs.boundary_runs["feature"])


def test_export_opens_as_a_polygon_layer(tmp_path):
    zs = load_zoneset("wenzhou-urban-2024")
    out = export_zoneset(zs, tmp_path / "wz.gpkg")
    back = gpd.read_file(out, layer="grades")
    assert set(back["grade"]) == {1, 2, 3} and {"rate", "part", "edges"} <= set(back.columns)
    assert back.crs.to_epsg() == 4549


def test_grade_layer_of_a_multi_layer_file(tmp_path):
    path = tmp_path / "land_dept.gpkg"
    city().grades.to_file(path, layer="等级图")
    city().grades.to_file(path, layer="道路")
    with pytest.raises(ZoneSetError, match="several layers.*等级图.*--zones-layer"):
        load_zoneset(path, rates=parse_rates("1=15,2=10,3=5"))
    assert load_zoneset(path, rates=parse_rates("1=15,2=10,3=5"), layer="等级图").grade_list == [1, 2, 3]
