"""Duplicate 宗地号 / 不动产单元号: compared as the reconciliation compares them, flagged
``duplicate_id`` on every record that shares one, in the command line's results."""

import geopandas as gpd
import numpy as np

from synthetic import CRS, box
from test_cli import cli, read_csv

from zones.duplicates import clashes, duplicate_flags, id_key
from zones.project import new_parcel
from zones.reconcile_registry import normalise_keys


def test_ids_are_normalised_as_the_reconciliation_does():
    raw = ["330302 001001gb00001", "３３０３０２００１００１ＧＢ００００１", " 330302001001GB00001\t", "", None]
    assert [id_key(v) for v in raw] == ["330302001001GB00001"] * 3 + ["", ""]
    assert [id_key(v) for v in raw[:3]] == list(normalise_keys(np.array(raw[:3], dtype=object)))


def test_many_ids_at_once_are_normalised_as_one_by_one():
    from zones.duplicates import id_keys

    raw = ["330302 001001gb00001", "３３０３０２００１００１ＧＢ００００１", "a\u3000b", "", "ﬁ\tx", "Ⅻ-1"]
    assert id_keys(raw) == [id_key(v) for v in raw]
    assert id_keys([v for v in raw if v.isascii()]) == [id_key(v) for v in raw if v.isascii()]


def test_every_record_sharing_an_id_is_flagged_with_the_others_named():
    flags = duplicate_flags({"parcel_no": ["A-1", "a-1", "B", "A－1", ""],
                             "unit_no": ["U1", "U2", "U3", "", "U3"]})
    assert sorted(flags) == [0, 1, 2, 3, 4]
    assert flags[0] == [("duplicate_id", "宗地号 A-1 与第 2、4 条记录重复")]
    assert flags[2] == [("duplicate_id", "不动产单元号 U3 与第 5 条记录重复")]
    assert duplicate_flags({"parcel_no": ["A", "B"], "unit_no": None}) == {}


def test_clashes_of_an_import_with_the_project():
    a = new_parcel(box(0, 0, 10, 10), "t", {"parcel_no": "P1", "unit_no": "U9"})
    b = new_parcel(box(0, 0, 10, 10), "t", {"parcel_no": "p 1"})
    c = new_parcel(box(0, 0, 10, 10), "t", {"parcel_no": "P2"})
    assert b.get("parcel_no") == "p 1"
    hits = clashes([a, c], [{"parcel_no": "P3"}, {"parcel_no": "Ｐ２"}, {"parcel_no": "P4", "unit_no": "u9"}])
    assert [(k, [p.uid for p in ps], words) for k, ps, words in hits] == [(1, [c.uid], "宗地号 Ｐ２"),
                                                                         (2, [a.uid], "不动产单元号 u9")]


def test_the_index_follows_edits_parcel_by_parcel():
    from zones.duplicates import DuplicateIndex
    from zones.project import Project

    pr = Project()
    a = new_parcel(box(0, 0, 10, 10), "t", {"parcel_no": "P1"})
    b = new_parcel(box(0, 0, 10, 10), "t", {"parcel_no": "P2"})
    pr.insert(0, a)
    pr.insert(1, b)
    index = DuplicateIndex(pr)
    assert index.note(a.uid) == "" and index.uids() == set()
    pr.edit(1, who="t", attrs={"parcel_no": "ｐ1"})
    assert index.update([b.uid]) == {a.uid}
    assert index.note(a.uid) == "宗地号 P1 共 2 宗地块使用" and index.note(b.uid) == "宗地号 ｐ1 共 2 宗地块使用"
    pr.remove(0)
    assert index.update([a.uid]) == {b.uid} and index.uids() == set()


def test_cli_flags_duplicate_ids_in_the_results(tmp_path):
    src = tmp_path / "dup.gpkg"
    gpd.GeoDataFrame({"宗地号": ["D-1", "D-2", "d-1 ", "D-3"], "不动产单元号": ["U1", "U2", "U3", "U2"]},
                     geometry=[box(100, 100, 200, 200), box(300, 100, 400, 200), box(500, 100, 600, 200),
                               box(700, 100, 800, 200)], crs=CRS).to_file(src)
    r = cli("assess", src, "--out", tmp_path / "o.csv", "--year", "2024")
    assert r.returncode == 0, r.stderr
    rows = read_csv(tmp_path / "o.csv")
    assert [("duplicate_id" in row["flags"].split(";")) for row in rows] == [True, True, True, True]
    r = cli("assess", src, "--out", tmp_path / "o.xlsx", "--year", "2024")
    assert r.returncode == 0, r.stderr
    src2 = tmp_path / "ok.gpkg"
    gpd.GeoDataFrame({"宗地号": ["D-1", "D-2"]}, geometry=[box(100, 100, 200, 200), box(300, 100, 400, 200)],
                     crs=CRS).to_file(src2)
    r = cli("assess", src2, "--out", tmp_path / "ok.csv", "--year", "2024")
    assert not any("duplicate_id" in row["flags"] for row in read_csv(tmp_path / "ok.csv"))


def test_duplicate_groups_of_a_text_column_equal_the_groups_id_by_id():
    """The text-column fast path (all keys at once) finds the same groups as id_key one by one,
    with white space, full-width, lower-case and NUL-holding ids, and none when all differ."""
    from zones.duplicates import duplicate_groups, id_key

    def slow(values):
        seen: dict = {}
        for k, v in enumerate(values):
            if key := id_key(v):
                seen.setdefault(key, []).append(k)
        return {key: rows for key, rows in seen.items() if len(rows) > 1}

    cases = [["A1", " a1", "Ａ１", "B", "", " ", "b\t", "C"], ["x\0y", "X\0Y", "x y"], ["P1", "P2", "P3"],
             ["330302 001001gb00001", "330302001001GB00001", "地块\u3000一", "地块一"], ["", "", "Z"]]
    for values in cases:
        assert duplicate_groups(values) == slow(values)
    assert duplicate_groups(["P1", "P2", "P3"]) == {}
