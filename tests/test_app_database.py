# ruff: noqa: F811  (the fixtures imported from pg_cluster are parameters of the tests)
"""The desktop on the shared database (文件 → 打开数据库项目…), against a real PostgreSQL:
two windows of two officers, live updates, a conflict, and the connection dropping."""

from __future__ import annotations

import time

import pytest
import shapely
from pg_cluster import pg_db, pg_server  # noqa: F401
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from zones.pgstore.store import PgProject
from zones.pgstore.tables import copy_file_to_database
from zones.periods import TaxPeriod
from zones.project import Project, new_parcel
from zones.project_file import save_project


@pytest.fixture
def shared(pg_server, pg_db, tmp_path):
    """A database project of three parcels in Wenzhou (bundled zone set), entered by lu_a."""
    pr = Project(period=TaxPeriod(2024))
    for k in range(3):
        x, y = 565_900 + k * 40, 3_099_340
        pr.insert(len(pr), new_parcel(shapely.box(x, y, x + 30, y + 20), "lu_a",
                                      {"parcel_no": f"P{k + 1}", "taxpayer_name": f"公司{k + 1}"}))
    copy_file_to_database(save_project(pr, tmp_path / "p.gpkg"), pg_server.url(pg_db, "zadmin")).close()
    return pg_db


def _fields(pg_server, db, user):
    i = pg_server.info
    return {"host": i["host"], "port": int(i["port"]), "database": db, "user": user, "project": "p1"}


def _open(window, pg_server, db, user):
    assert window.database.open(_fields(pg_server, db, user), pg_server.passwords[user])
    return window.database


def _edit_name(window, row: int, text: str) -> None:
    """Type a taxpayer name into the parcel table, as the officer does."""
    model = window.table.model
    assert model.setData(model.index(row, model.column_of("taxpayer_name")), text, Qt.ItemDataRole.EditRole)


def _table_text(window, row: int, key: str) -> str:
    model = window.table.model
    return model.data(model.index(row, model.column_of(key)), Qt.ItemDataRole.DisplayRole)


def _db_name(pg_server, db, row: int = 0) -> str:
    with PgProject(pg_server.url(db, "zadmin")) as s:
        return s.parcels()[row]["attrs"].get("taxpayer_name", "")


def test_the_dialog_opens_and_an_edit_appears_in_the_other_window_within_5_s(
        make_window, qtbot, pg_server, shared, tmp_path):
    _, win_a = make_window()
    _, win_b = make_window()

    def fill():   # the officer types into 打开数据库项目…
        dlg = QApplication.activeModalWidget()
        f = _fields(pg_server, shared, "lu_a")
        dlg.host.setText(f["host"])
        dlg.port.setValue(f["port"])
        dlg.database.setText(shared)
        dlg.user.setText("lu_a")
        dlg.project.setText("p1")
        dlg.password.setText(pg_server.passwords["lu_a"])
        qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    assert win_a.database.open_dialog()
    _open(win_b, pg_server, shared, "lu_b")
    assert len(win_a.doc.project) == 3 and _table_text(win_b, 0, "taxpayer_name") == "公司1"
    assert "lu_a" in win_a.windowTitle() and "p1" in win_a.windowTitle()
    assert "lu_a" in win_a.database.indicator.text()
    # the password is nowhere in the settings (the last connection is remembered without it)
    settings_text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "database" in settings_text and pg_server.passwords["lu_a"] not in settings_text
    # 文件 → 最近打开的项目 lists the project by its URL, without the password
    assert win_a.recent.paths()[:2] == [win_b.database.location, win_a.database.location]   # (one settings file)
    assert pg_server.passwords["lu_a"] not in "".join(win_a.recent.paths())

    _edit_name(win_a, 0, "甲修改")
    start = time.monotonic()
    qtbot.waitUntil(lambda: _table_text(win_b, 0, "taxpayer_name") == "甲修改", timeout=5000)
    assert time.monotonic() - start <= 5.0
    assert not win_a.doc.modified and _db_name(pg_server, shared) == "甲修改"   # committed by the edit itself
    assert not win_b.doc.modified                                                # B has nothing to save:
    assert win_b.database.backend.changes(win_b.doc.project).empty(win_b.database.backend._settings)
    uid = win_b.doc.project.parcels[0].uid        # A's result came with A's change: B did not re-assess it
    assert win_b.doc.project.current_result(uid) is not None
    assert win_b.doc.project.results[uid] is win_b.database.backend._current[uid]
    with PgProject(pg_server.url(shared, "zadmin")) as s:
        row = next(r for r in s.results([uid]) if r["kind"] == "current")
    assert win_b.doc.project.results[uid].texts() == (row["result"], row["provenance"])
    # the other way round, and B's own edit of another parcel goes through without a conflict
    _edit_name(win_b, 1, "乙修改")
    qtbot.waitUntil(lambda: _table_text(win_a, 1, "taxpayer_name") == "乙修改", timeout=5000)
    with PgProject(pg_server.url(shared, "zadmin")) as s:
        logins = [e["login"] for e in s.events() if e["kind"] == "edit"]
    assert logins == ["lu_a", "lu_b"]


def _answer_conflict(qtbot, button_text: str, seen: list):
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == button_text), Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, click)


def test_a_conflict_names_the_parcel_and_who_changed_it_and_loses_nothing(make_window, qtbot, pg_server, shared):
    _, win = make_window(language="en")
    db = _open(win, pg_server, shared, "lu_a")
    other = PgProject(pg_server.url(shared, "lu_b"))
    row = other.parcel(win.doc.project.parcels[0].uid)
    row["attrs"]["taxpayer_name"] = "乙公司"
    other.save_parcel(row, [{"when": "t", "uid": row["uid"], "kind": "edit", "what": "乙改名"}])
    # the officer's edit, made before the other change reached this window
    db.notifier.setEnabled(False)
    seen: list[str] = []
    _answer_conflict(qtbot, "Decide later", seen)
    _edit_name(win, 0, "甲公司")
    db._commit.stop()
    assert not db.commit()
    assert "P1" in seen[0] and "lu_b" in seen[0] and "'甲公司' — lu_b '乙公司'" in seen[0]
    # nothing lost: the edit is in the window, unsaved, and the status bar says why
    assert win.doc.project.parcels[0].attrs["taxpayer_name"] == "甲公司" and win.doc.modified
    assert "P1" in db.indicator.text() or win.doc.project.parcels[0].uid in db.indicator.text()
    assert _db_name(pg_server, shared) == "乙公司"
    # re-applied: 保存 again, keep mine — saved over the other change, which stays in the log
    _answer_conflict(qtbot, "Keep mine", seen)
    assert win.files.save()
    assert _db_name(pg_server, shared) == "甲公司" and not win.doc.modified
    whats = [e["what"] for e in other.events(row["uid"])]
    assert "乙改名" in whats and any("甲公司" in w for w in whats)
    # and the other choice: take theirs
    row = other.parcel(row["uid"])
    row["attrs"]["taxpayer_name"] = "丙公司"
    other.save_parcel(row)
    _answer_conflict(qtbot, "Take theirs", seen)
    _edit_name(win, 0, "丁公司")
    db._commit.stop()
    assert db.commit()
    assert win.doc.project.parcels[0].attrs["taxpayer_name"] == "丙公司" and _db_name(pg_server, shared) == "丙公司"
    assert _table_text(win, 0, "taxpayer_name") == "丙公司"
    other.close()


def test_a_dropped_connection_queues_the_edit_offline_and_sends_it_when_back(
        make_window, qtbot, pg_server, shared, tmp_path):
    from desktop.database_project import offline_file

    _, win = make_window()
    db = _open(win, pg_server, shared, "lu_a")
    admin = pg_server.admin()
    with admin.cursor() as cur:      # the network drops: the server ends this officer's sessions
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lu_a' "
                    "AND datname = %s", (shared,))
    admin.close()
    _edit_name(win, 2, "断线修改")
    db._commit.stop()
    assert not db.commit()
    assert db.offline and "Offline" not in db.indicator.text() and "离线" in db.indicator.text()
    queued = offline_file(win.settings, db.location)
    assert queued.is_file() and queued.parent.parent == tmp_path          # beside the settings
    from zones.project_file import load_project

    assert load_project(queued).parcels[2].attrs["taxpayer_name"] == "断线修改"
    # the connection comes back by itself: the edit is sent, the indicator and the file go
    qtbot.waitUntil(lambda: not db.offline and not win.doc.modified, timeout=10_000)
    assert _db_name(pg_server, shared, 2) == "断线修改" and not queued.exists()
    assert "离线" not in db.indicator.text()


def test_the_server_stopped_and_restarted_while_the_window_is_open(make_window, qtbot, pg_server, shared):
    _, win = make_window()
    db = _open(win, pg_server, shared, "lu_a")
    pg_server.stop()
    try:
        qtbot.waitUntil(lambda: db.offline, timeout=5000)   # the listening socket closes: noticed at once
        _edit_name(win, 1, "停机修改")
        qtbot.wait(COMMIT_WAIT)
        assert win.doc.modified and win.doc.project.parcels[1].attrs["taxpayer_name"] == "停机修改"
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not db.offline and not win.doc.modified, timeout=15_000)
    assert _db_name(pg_server, shared, 1) == "停机修改"


COMMIT_WAIT = 600


def test_assess_all_results_are_written_on_the_worker_thread(make_window, qtbot, pg_server, pg_db, tmp_path):
    """600 parcels: assess-all's results are more than a GUI-thread write; they go through the
    task runner (progress bar) and every one reaches the database."""
    pr = Project(period=TaxPeriod(2024))
    for k in range(600):
        x, y = 565_700 + (k % 25) * 14, 3_099_200 + (k // 25) * 14
        pr.insert(len(pr), new_parcel(shapely.box(x, y, x + 10, y + 10), "lu_a", {"parcel_no": f"Q{k:04d}"}))
    copy_file_to_database(save_project(pr, tmp_path / "big.gpkg"), pg_server.url(pg_db, "zadmin")).close()
    doc, win = make_window()
    db = _open(win, pg_server, pg_db, "lu_a")
    qtbot.waitUntil(lambda: not db._writing and not win.doc.modified, timeout=30_000)
    doc.runner.synchronous = False
    try:
        started = []
        doc.runner.started.connect(started.append)
        assert doc.assess_all()
        qtbot.waitUntil(lambda: len(doc.project.results) == 600 and not doc.runner.busy and not db._writing
                        and db.backend.changes(doc.project).empty(db.backend._settings), timeout=60_000)
    finally:
        doc.runner.synchronous = True
    assert len(started) >= 2 and started[-1] in ("Saving to the database", "正在保存到数据库")
    with PgProject(pg_server.url(pg_db, "zadmin")) as s:
        stored = {r["uid"]: r for r in s.results() if r["kind"] == "current"}
    assert len(stored) == 600
    assert all(stored[u]["fingerprint"] == r.fingerprint and stored[u]["due"] == r.due
               for u, r in doc.project.results.items())


def test_edits_kept_offline_are_offered_when_the_project_is_opened_again(
        make_window, qtbot, dialogs, pg_server, shared):
    from desktop.database_project import offline_file

    _, win = make_window()
    db = _open(win, pg_server, shared, "lu_a")
    location = db.location
    pg_server.stop()
    try:
        qtbot.waitUntil(lambda: db.offline, timeout=5000)
        _edit_name(win, 0, "关机前的修改")
        qtbot.wait(COMMIT_WAIT)
        assert offline_file(win.settings, location).is_file()
        win.close()                       # the program ends before the server is back
    finally:
        pg_server.start()
    assert _db_name(pg_server, shared) == "公司1"
    dialogs.question = QMessageBox.StandardButton.Yes
    _, again = make_window()
    _open(again, pg_server, shared, "lu_a")
    assert any("服务器" in text or "server" in text for _, text in dialogs.asked)
    assert _db_name(pg_server, shared) == "关机前的修改" and not again.doc.modified
    assert not offline_file(again.settings, location).exists()


def test_a_review_refused_by_the_four_eyes_rule_is_said_once_and_kept_until_undone(
        make_window, qtbot, pg_server, shared):
    from desktop import errors
    from desktop.commands import MarkReviewed

    with PgProject(pg_server.url(shared, "zadmin")) as admin:
        admin.set_setting("four_eyes", True)
    _, win = make_window()
    db = _open(win, pg_server, shared, "fu_a")
    _edit_name(win, 0, "复核人自己录入")          # fu_a is now the last 录入 of P1
    db._commit.stop()
    assert db.commit() and not win.doc.modified
    uid = win.doc.project.parcels[0].uid
    win.doc.stack.push(MarkReviewed(win.doc, uid, "fu_a"))
    db._commit.stop()
    assert not db.commit()
    refusals = [t for _, t, _ in errors.SHOWN if "four-eyes" in t]
    assert len(refusals) == 1 and uid in refusals[0]
    assert win.doc.project.parcels[0].review is not None and win.doc.modified     # kept, unsaved
    win.doc.notify(uids=[uid])                     # any other change does not try it again …
    qtbot.wait(COMMIT_WAIT)
    assert len([t for _, t, _ in errors.SHOWN if "four-eyes" in t]) == 1
    win.doc.stack.undo()                           # … the officer's undo does, and goes through
    qtbot.waitUntil(lambda: not win.doc.modified, timeout=5000)
    with PgProject(pg_server.url(shared, "zadmin")) as s:
        assert s.parcel(uid)["review_by"] == "" and s.parcel(uid)["attrs"]["taxpayer_name"] == "复核人自己录入"


def test_operator_and_reviewer_are_the_database_logins_and_the_history_is_live(
        make_window, qtbot, pg_server, shared):
    """Operator identity is the database login: lu_a's edit is logged as lu_a (not the officer
    name of the settings), fu_a's 复核 is recorded as fu_a without asking a name, and the four-eyes
    rule compares the logins; lu_a's history panel shows fu_a's events as they come in."""
    with PgProject(pg_server.url(shared, "zadmin")) as admin:
        admin.set_setting("four_eyes", True)
    doc_a, win_a = make_window()
    doc_b, win_b = make_window()
    a, b = _open(win_a, pg_server, shared, "lu_a"), _open(win_b, pg_server, shared, "fu_a")
    assert doc_a.operator == "lu_a" and doc_b.operator == "fu_a"
    _edit_name(win_a, 0, "甲录入")
    qtbot.waitUntil(lambda: not doc_a.modified and _table_text(win_b, 0, "taxpayer_name") == "甲录入", timeout=5000)
    win_a.editing.select_indices([0])
    uid = doc_a.project.parcels[0].uid
    assert any(who == "lu_a" and "甲录入" in what for _, who, what in win_a.history.entries())
    doc_b.assess_all()
    qtbot.waitUntil(lambda: not doc_b.modified and not b._writing, timeout=10_000)
    win_b.editing.select_indices([0])
    assert win_b.assessing.mark_reviewed()            # no name asked: the login reviews
    qtbot.waitUntil(lambda: not doc_b.modified, timeout=5000)
    assert doc_b.project.parcels[0].review.reviewer == "fu_a"
    with PgProject(pg_server.url(shared, "zadmin")) as s:
        assert s.parcel(uid)["review_by"] == "fu_a"
        assert [(e["who"], e["login"]) for e in s.events(uid) if e["kind"] == "review"] == [("fu_a", "fu_a")]
    # A's history panel, open on the parcel, shows B's review without reloading: the tree the
    # officer reads (refreshed when B's change reaches A), not only the log it is drawn from
    def newest_line():
        top = win_a.history.tree.topLevelItem(0)
        return (top.text(1), top.text(2)) if top is not None else None

    qtbot.waitUntil(lambda: newest_line() == ("fu_a", "复核通过"), timeout=5000)   # newest first
    # four eyes by logins: fu_a changes P2 and so may not review it
    _edit_name(win_b, 1, "复核人录入")
    qtbot.waitUntil(lambda: not doc_b.modified, timeout=5000)
    doc_b.assess_all()
    qtbot.waitUntil(lambda: not doc_b.modified, timeout=10_000)
    win_b.editing.select_indices([1])
    assert win_b.assessing.mark_reviewed()
    b._commit.stop()
    assert not b.commit()
    from desktop import errors
    assert any("four-eyes" in t for _, t, _ in errors.SHOWN)
    assert a.login() == "lu_a"


def test_a_database_project_reopens_from_the_recent_projects_asking_the_password(
        make_window, qtbot, pg_server, shared):
    _, win = make_window()
    db = _open(win, pg_server, shared, "lu_a")
    location = db.location
    win.close()
    _, again = make_window()
    assert again.recent.paths()[0] == location
    again.recent.rebuild()
    entry = again.recent.menu.actions()[0]
    assert "p1" in entry.text() and shared in entry.text() and entry.isEnabled()
    asked = []

    def fill():   # no keyring here: the dialog comes filled with the project, the officer types the password
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, fill)
            return
        asked.append((dlg.database.text(), dlg.user.text(), dlg.project.text(), dlg.password.text()))
        dlg.password.setText(pg_server.passwords["lu_a"])
        qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    entry.trigger()
    assert asked == [(shared, "lu_a", "p1", "")]
    assert again.database.location == location and len(again.doc.project) == 3
