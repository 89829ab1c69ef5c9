"""The four-eyes rule as the client checks it (the server's check: tests/test_pgstore.py)."""

import pytest

from zones.pgstore.errors import RuleRefused
from zones.pgstore.rules import check_review, last_entry_by

LOG = [
    {"uid": "a", "kind": "entry", "who": "张三"},
    {"uid": "b", "kind": "entry", "who": "李四"},
    {"uid": "a", "kind": "assess", "who": "李四"},      # assessing is not entering
    {"uid": "a", "kind": "edit", "who": "王五"},
    {"uid": "a", "kind": "review", "who": "赵六"},
]


def test_last_entry_is_the_latest_entering_or_changing_event():
    assert last_entry_by(LOG, "a") == "王五"
    assert last_entry_by(LOG, "b") == "李四"
    assert last_entry_by(LOG, "c") == ""
    # a database log names the login, whatever operator name the event carries
    assert last_entry_by([{"uid": "a", "kind": "edit", "who": "x", "login": "lu_a"}], "a") == "lu_a"


def test_four_eyes_refuses_only_the_last_officer_and_only_when_on():
    with pytest.raises(RuleRefused, match="parcel P1 was last entered by 王五"):
        check_review({"four_eyes": True}, LOG, "a", "王五", "P1")
    check_review({"four_eyes": True}, LOG, "a", "张三")     # entered it first, but not last
    check_review({"four_eyes": False}, LOG, "a", "王五")
    check_review({}, LOG, "a", "王五")
