"""文件 → 打开数据库项目…: a project of the office's shared PostgreSQL/PostGIS database in
the desktop (the store is :mod:`zones.pgstore`; the document is the same
:class:`~desktop.document.Document` as for a project file).

- The dialog asks for server, port, database, login and project. The password goes to
  the OS keyring when the ``keyring`` package is installed and the officer ticks
  "remember"; otherwise it is asked each time. It is never written to the settings, and
  the location the window keeps (title, recent projects) is the URL without it.
- Each completed edit is committed to the database at once (one transaction, only what
  changed), so other officers see it; their changes come in by LISTEN/NOTIFY — a
  QSocketNotifier on the listening connection's socket, no thread — and are put into the
  open project and shown on the map and in the tables.
- A save over a parcel someone else changed meanwhile is refused by the server: the
  officer sees who changed which parcel and both values, and chooses to keep their own
  (saved over the other change) or take the other; until then the edit stays in the
  window, unsaved, nothing is lost.
- When the server goes away the edits stay in the window and are written to a file in
  the offline folder beside the settings; the status bar says so; every few seconds the
  connection is tried again, and when it is back the edits are sent.
"""

from __future__ import annotations

from typing import Any

import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
)

from zones.pgstore.url import is_database_url

from desktop.errors import show_exception

log = logging.getLogger(__name__)
KEYRING_SERVICE = "wenzhou-land-tax"
FIELDS = ("host", "port", "database", "user", "project")
RETRY_MS = 2000          # while offline: how often the server is tried again
COMMIT_DELAY_MS = 300    # a completed edit is committed this soon after (bursts coalesce)
BACKGROUND_WRITE = 500   # rows: a larger change is written on the worker thread


# ------------------------------------------------------------------ passwords
def _keyring():
    """The keyring module when it is installed and has a usable back end, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
    except Exception:   # a broken keyring set-up: asked each time
        return None
    return keyring


def stored_password(key: str) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(KEYRING_SERVICE, key)
    except Exception:
        return None


def store_password(key: str, password: str) -> bool:
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, key, password)
        return True
    except Exception:
        log.warning("the system keyring refused the password; it will be asked again")
        return False


# ------------------------------------------------------------------- addresses
def location_of(fields: dict) -> str:
    """The project's URL without a password: what the window shows and remembers."""
    user = quote(fields["user"], safe="")
    host = fields["host"] if ":" not in fields["host"] else f"[{fields['host']}]"
    return (f"postgresql://{user}@{host}:{int(fields['port'])}/{quote(fields['database'], safe='')}"
            f"?project={quote(fields['project'], safe='')}")


def fields_of(location: str) -> dict:
    """The dialog's fields of a project URL (as :func:`location_of` makes it; any password dropped)."""
    parts = urlsplit(location)
    project = dict(parse_qsl(parts.query)).get("project", "")
    return {"host": parts.hostname or "localhost", "port": parts.port or 5432,
            "database": unquote(parts.path.lstrip("/")), "user": unquote(parts.username or ""), "project": project}


def without_password(location: str) -> str:
    """The URL as the recent-projects list keeps it: no password, whatever the URL held."""
    return location_of(fields_of(location))


def with_password(location: str, user: str, password: str) -> str:
    """``location`` with the password in it (kept in memory only, by the open connection)."""
    if not password:
        return location
    scheme, rest = location.split("://", 1)
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{rest.split('@', 1)[1]}"


def offline_folder(settings) -> Path:
    """Beside the settings file (the officer's own profile)."""
    return Path(settings.q.fileName()).parent / "offline"


def offline_file(settings, location: str) -> Path:
    return offline_folder(settings) / f"{hashlib.sha256(location.encode()).hexdigest()[:16]}.gpkg"


class ConnectDialog(QDialog):
    """Server, port, database, login, project and password."""

    def __init__(self, settings, parent=None, fields: dict | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Open database project"))
        form = QFormLayout(self)
        self.host, self.database, self.user, self.project = (QLineEdit() for _ in range(4))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"))
        self.remember.setEnabled(_keyring() is not None)
        if _keyring() is None:
            self.remember.setToolTip(self.tr("No system keyring here: the password is asked each time"))
        last = fields or json.loads(settings.q.value("database/last", "{}") or "{}")
        self.host.setText(last.get("host", "localhost"))
        self.port.setValue(int(last.get("port", 5432)))
        for w, k in ((self.database, "database"), (self.user, "user"), (self.project, "project")):
            w.setText(last.get(k, ""))
        for label, w in (  # type: ignore[assignment]  # line edits and a spin box
                (self.tr("Server"), self.host), (self.tr("Port"), self.port),
                         (self.tr("Database"), self.database), (self.tr("Login"), self.user),
                         (self.tr("Project"), self.project), (self.tr("Password"), self.password)):
            form.addRow(label, w)
        form.addRow(self.remember)
        self.error = QLabel()
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.user.editingFinished.connect(self._fill_password)
        self.host.editingFinished.connect(self._fill_password)
        self._fill_password()

    def fields(self) -> dict:
        return {"host": self.host.text().strip(), "port": self.port.value(), "database": self.database.text().strip(),
                "user": self.user.text().strip(), "project": self.project.text().strip()}

    def keyring_key(self) -> str:
        f = self.fields()
        return f"{f['user']}@{f['host']}:{f['port']}"

    def _fill_password(self) -> None:
        if not self.password.text():
            pw = stored_password(self.keyring_key())
            if pw:
                self.password.setText(pw)
                self.remember.setChecked(True)

    def _accept(self) -> None:
        missing = [name for name, v in zip((self.tr("Server"), self.tr("Database"), self.tr("Login"), self.tr("Project")),
                                           (self.host.text(), self.database.text(), self.user.text(), self.project.text()))
                   if not v.strip()]
        if missing:
            self.error.setText(self.tr("Please fill in: %1").replace("%1", "、".join(missing)))
            return
        self.accept()


class DatabaseProjects(QObject):
    """The menu entry, and the live link of an open database project (see the module docstring)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w, self.doc, self.settings = window, window.doc, window.settings
        self.action = QAction(window)
        self.action.triggered.connect(lambda: self.open_dialog())
        window.m_file.insertAction(window.a_sample, self.action)
        self.indicator = QLabel()
        window.statusBar().addPermanentWidget(self.indicator)
        self.indicator.hide()
        self.backend: Any = None
        self.location: Any = None
        self.listener: Any = None
        self.notifier: QSocketNotifier | None = None
        self.offline = False
        self.pending_conflict: str | None = None
        self._writing = False                 # a large write runs on the worker thread
        self._pending_pull: Any = False            # False: nothing; None: compare all; a set: those uids
        #: chooses how a conflict is resolved: "mine", "theirs" or None (decide later); a dialog by default
        self.resolve = self._ask_conflict
        self._commit = QTimer(self)
        self._commit.setSingleShot(True)
        self._commit.setInterval(COMMIT_DELAY_MS)
        self._commit.timeout.connect(self.commit)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._reconnect)
        self.doc.pathChanged.connect(self._on_path)
        window.installEventFilter(self)      # the window closes: stop listening
        self.doc.stack.indexChanged.connect(self._on_command)
        self.doc.changed.connect(self._on_edit)     # results of assess-all, reviews, reconciliations
        self._refused = False                       # the server refused the last write (a rule): wait for the officer
        self._officer: str | None = None            # the officer's name while the login stands in for it
        self.retranslate()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if obj is self.w and event.type() == QEvent.Type.Close and event.isAccepted():
            QTimer.singleShot(0, lambda: None if self.w.isVisible() else self._stop())
        return False

    def retranslate(self) -> None:
        self.action.setText(self.tr("Open &database project…"))
        self._show_state()

    # ----------------------------------------------------------------- open
    def open_dialog(self, fields: dict | None = None) -> bool:
        """The dialog (filled with ``fields``, e.g. a recent project's, when given); then open."""
        dlg = ConnectDialog(self.settings, self.w, fields)
        try:
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            fields, password = dlg.fields(), dlg.password.text()
            if dlg.remember.isChecked() and password:
                store_password(dlg.keyring_key(), password)
        finally:
            dlg.deleteLater()
        return self.open(fields, password)

    def open(self, fields: dict, password: str = "") -> bool:
        """Open the project ``fields`` name (host, port, database, user, project) with ``password``."""
        if not self.w.files.confirm_discard():
            return False
        location = location_of(fields)
        try:
            from zones.pgstore import backend as pg_backend

            old = pg_backend._OPEN.pop(location, None)
            if old is not None:
                old.close()
            # the connection keeps the password in memory; the window knows the location only
            pg_backend._OPEN[location] = pg_backend.PgBackend(with_password(location, fields["user"], password))
            self.doc.open(location)
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot open the database project %1").replace("%1", location))
            return False
        self.settings.q.setValue("database/last", json.dumps(fields, ensure_ascii=False))
        self.settings.q.sync()
        self.w.fit_parcels()
        self._offer_offline_changes()
        return True

    def open_location(self, location: str) -> bool:
        """A database project of 文件 → 最近打开的项目: the password from the system keyring when it
        is kept there, else the dialog asks for it (filled with the project's server, login …)."""
        fields = fields_of(location)
        password = stored_password(f"{fields['user']}@{fields['host']}:{fields['port']}")
        if password:
            from zones.pgstore.errors import StoreError
            from zones.pgstore.store import connect
            from zones.pgstore.url import parse_project_url

            try:    # a password changed since it was kept: asked again rather than refused
                connect(parse_project_url(with_password(location, fields["user"], password))).close()
            except StoreError:
                password = None
        if password:
            return self.open(fields, password)
        return self.open_dialog(fields)

    def login(self) -> str:
        """The database login of the open database project ('' when none is open): the operator
        every change and every 复核 is recorded under."""
        return self.backend.store.login if self.backend is not None else ""

    def handles(self, location) -> bool:
        return location is not None and is_database_url(str(location))

    # ------------------------------------------------------- the live link
    def _on_path(self, path: str) -> None:
        if self.handles(path) and path == self.location:
            return
        self._stop()
        if not self.handles(path):
            self._show_state()
            return
        from zones.pgstore.backend import backend_for

        self.location, self.backend = path, backend_for(path)
        # operator identity is the database login: the history names it for every change made here
        if self._officer is None:
            self._officer = self.doc.operator
        self.doc.operator = self.backend.store.login or self.doc.operator
        self._listen()
        self._show_state()

    def _listen(self) -> bool:
        from zones.pgstore.errors import StoreError

        try:
            self.listener = self.backend.store.listener()
        except StoreError:
            self._go_offline()
            return False
        self.notifier = QSocketNotifier(self.listener.conn.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self.poll)
        return True

    def _stop(self) -> None:
        if self._officer is not None:          # a project file again: the officer's own name
            self.doc.operator, self._officer = self._officer, None
        self._commit.stop()
        self._retry.stop()
        self._drop_listener()
        self.backend, self.location, self.offline = None, None, False

    def _drop_listener(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        if self.listener is not None:
            try:
                self.listener.close()
            except Exception:
                pass
            self.listener = None

    def poll(self, *_args) -> None:
        """Messages from the server: other clients' changes, put into the open project."""
        from zones.pgstore.errors import ServerUnavailable

        if self.listener is None:
            return
        try:
            messages = self.listener.poll(0)
        except ServerUnavailable:
            self._go_offline()
            return
        if messages:
            uids = None if any(m.get("uid") is None for m in messages) else {m["uid"] for m in messages}
            if self._writing:     # the connection is the writer's now: after it
                pending = self._pending_pull
                self._pending_pull = None if uids is None or pending is None else (pending or set()) | uids
                return
            self.pull(uids)

    def pull(self, uids=None) -> None:
        from zones.pgstore.errors import ServerUnavailable

        try:
            changed, added, removed = self.backend.pull(self.doc.project, uids)
        except ServerUnavailable:
            self._go_offline()
            return
        if changed or added or removed:
            self.doc.notify(uids=changed + added + removed, structure=bool(added or removed), results=True, review=True)
            self.doc.assess_stale()

    # ---------------------------------------------------------- committing
    def _on_edit(self, _index) -> None:
        if self.backend is not None and not self._refused:
            self._commit.start()

    def _on_command(self, _index: int) -> None:
        """An edit, undo or redo by the officer: after a refusal, the next try is theirs to make."""
        self._refused = False
        self._on_edit(_index)

    def save(self) -> bool:
        """文件 → 保存 on a database project: commit now (the edits usually are already)."""
        self._refused = False
        return self.commit()

    def commit(self) -> bool:
        """Store what changed in one transaction; conflicts and a missing server are handled here.
        A large change (assess-all's 100,000 results) is written on the task runner's worker
        thread; True then means it was started."""
        from zones.pgstore.errors import ConflictError, ServerUnavailable

        if self.backend is None:
            return True
        if self.offline:                # kept locally; the reconnection timer sends it
            if self._unsaved():
                self._write_offline_file()
            self._show_state()
            return False
        if self._writing:               # the previous write is still on its way: after it
            self._commit.start()
            return False
        for _ in range(20):     # each resolved conflict saves again; a parcel at a time
            changes = self.backend.changes(self.doc.project)
            if not changes.empty(self.backend._settings) and changes.size > BACKGROUND_WRITE \
                    and not self.doc.runner.synchronous:
                return self._write_in_background(changes)
            try:
                self.backend.write(changes)
            except (ServerUnavailable, ConflictError) as exc:
                if self._failed(exc):
                    continue
                return False
            except Exception as exc:   # a rule of the office (four eyes …): the edit stays, unsaved
                self._failed(exc)
                return False
            self._written()
            return True
        return False

    def _write_in_background(self, changes) -> bool:
        self._writing = True

        def success(_none) -> None:
            self._writing = False
            self._written()
            self._commit.start()        # whatever changed meanwhile

        def failure(exc) -> None:
            self._writing = False
            if self._failed(exc):
                self._commit.start()

        started = self.doc.runner.run(self.tr("Saving to the database"), lambda progress: self.backend.write(changes),
                                      success, failure)
        if not started:                  # the runner is busy (assessing): try again soon
            self._writing = False
            self._commit.start()
        return started

    def _written(self) -> None:
        """The database has this client's work: the window is clean unless more changed meanwhile."""
        if self.backend.changes(self.doc.project).empty(self.backend._settings):
            self.doc.stack.setClean()
            self.doc._dirty_without_stack = False
            if self.doc.recovery is not None:
                self.doc.recovery.clear()
            self._clear_offline_file()
        self.pending_conflict = None
        if self._pending_pull is not False:
            uids, self._pending_pull = self._pending_pull, False
            self.pull(uids)
        self._show_state()

    def _failed(self, exc) -> bool:
        """A refused or failed write, presented; True when it should be tried again at once."""
        from zones.pgstore.errors import ConflictError, ServerUnavailable

        if isinstance(exc, ServerUnavailable):
            self._go_offline()
            return False
        if isinstance(exc, ConflictError):
            return self._conflict(exc)
        self._refused = True       # not tried again on every change: undo, or change it, and it is tried again
        show_exception(self.w, exc, self.tr("The change was not saved to the database"))
        return False

    def _conflict(self, exc) -> bool:
        """True when the officer chose a side (save again), False to decide later."""
        uid = exc.uid
        choice = self.resolve(exc)
        if choice == "mine":
            self.backend.keep_mine(uid)
            return True
        if choice == "theirs":
            self.backend.take_theirs(self.doc.project, uid)
            self.doc.notify(uids=[uid], structure=True, review=True)
            self.doc.assess_stale()
            return True
        self.pending_conflict = uid
        self._show_state()
        return False

    def conflict_text(self, exc) -> tuple[str, str]:
        """(message, details): which parcel, who changed it, and both values."""
        mine, theirs = exc.mine or {}, exc.theirs
        label = (mine.get("attrs") or {}).get("parcel_no") or exc.uid
        if theirs is None:
            text = self.tr("Parcel %1 was deleted by someone else while you edited it. Your change was not "
                           "saved; it is still in this window.").replace("%1", label)
            return text, ""
        who = theirs.get("changed_by") or "?"
        text = self.tr("Parcel %1 was changed by %2 while you edited it. Your change was not saved; it is "
                       "still in this window. Keep yours (saved over theirs) or take theirs?") \
            .replace("%1", label).replace("%2", who)
        lines = []
        a, b = mine.get("attrs") or {}, theirs.get("attrs") or {}
        for k in sorted(set(a) | set(b)):
            if a.get(k, "") != b.get(k, ""):
                lines.append(f"{k}: {self.tr('yours')} {a.get(k, '')!r} — {who} {b.get(k, '')!r}")
        if mine.get("geometry") is not None and theirs.get("geometry") is not None \
                and not mine["geometry"].equals(theirs["geometry"]):
            lines.append(f"{self.tr('outline')}: {self.tr('yours')} {mine['geometry'].area:.2f} m² — "
                         f"{who} {theirs['geometry'].area:.2f} m²")
        for k in ("review_by", "entered_by"):
            if (mine.get(k) or "") != (theirs.get(k) or ""):
                lines.append(f"{k}: {self.tr('yours')} {mine.get(k) or ''!r} — {who} {theirs.get(k) or ''!r}")
        return text, "\n".join(lines)

    def _ask_conflict(self, exc) -> str | None:
        text, details = self.conflict_text(exc)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Changed by someone else"), text, parent=self.w)
        box.setDetailedText(details)
        box.setInformativeText(details)
        mine = box.addButton(self.tr("Keep mine"), QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton(self.tr("Take theirs"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Decide later"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        return "mine" if clicked is mine else "theirs" if clicked is theirs else None

    # ------------------------------------------------------------- offline
    def _go_offline(self) -> None:
        self._drop_listener()
        if not self.offline:
            log.warning("the database server went away; edits are kept locally")
        self.offline = True
        if self._unsaved():
            self._write_offline_file()
        self._retry.start()
        self._show_state()

    def _reconnect(self) -> None:
        if self.backend is None:
            self._retry.stop()
            return
        if not self._listen():
            return
        self._retry.stop()
        self.offline = False
        self.pull(None)           # what others did meanwhile (no message reached us)
        self.commit()
        self._show_state()

    def _unsaved(self) -> bool:
        return self.backend is not None and not self.backend.changes(self.doc.project).empty(self.backend._settings)

    def _write_offline_file(self) -> None:
        """The unsaved project, in a project file in the offline folder, with what it was based on."""
        from zones.project_file import save_project

        path = offline_file(self.settings, self.location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            kept = self.doc.project.snapshot()
            save_project(kept, path, zoneset=self.doc.zoneset)
            # how many of the copy's log events the database has (without the server, the copy's
            # log is this window's events only: the database keeps the rest)
            stored = kept.audit.stored_count() if hasattr(kept.audit, "stored_count") else self.backend._events
            path.with_suffix(".json").write_text(json.dumps(
                {"location": self.location, "versions": self.backend._versions, "stored_events": stored},
                ensure_ascii=False))
        except Exception:
            log.exception("cannot write the offline copy")

    def _clear_offline_file(self) -> None:
        if self.location is None:
            return
        path = offline_file(self.settings, self.location)
        for p in (path, path.with_suffix(".json")):
            p.unlink(missing_ok=True)

    def _offer_offline_changes(self) -> None:
        """Edits kept offline in an earlier session of this project: applied when the officer agrees."""
        path = offline_file(self.settings, self.location)
        meta = path.with_suffix(".json")
        if not (path.is_file() and meta.is_file()):
            return
        answer = QMessageBox.question(
            self.w, self.tr("Offline changes"),
            self.tr("Changes to this project were kept on this computer while the server was away. Send them now?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        from zones.project_file import load_project

        try:
            kept = load_project(path)
            kept_meta = json.loads(meta.read_text())
            self.backend._versions = {u: int(v) for u, v in kept_meta["versions"].items()}
            if "stored_events" in kept_meta:    # the copy's events after these are sent
                self.backend._events = int(kept_meta["stored_events"])
            self.backend._parcels = {}
            self.doc.adopt(kept, self.location, clean=False)
            self.commit()
        except Exception as exc:
            show_exception(self.w, exc, self.tr("Cannot apply the offline changes"))

    def _show_state(self) -> None:
        if self.backend is None:
            self.indicator.hide()
            return
        self.indicator.show()
        who = self.backend.store.login or ""
        if self.offline:
            self.indicator.setText(self.tr("Offline: changes kept on this computer, sent when the server is back"))
            self.indicator.setStyleSheet("color: #b00020; font-weight: bold")
        elif self.pending_conflict:
            self.indicator.setText(self.tr("Not saved: parcel %1 was changed by someone else")
                                   .replace("%1", self.pending_conflict))
            self.indicator.setStyleSheet("color: #b06000")
        else:
            self.indicator.setText(self.tr("Database: %1 (connected)").replace("%1", who))
            self.indicator.setStyleSheet("color: #1b5e20")


def install(window) -> DatabaseProjects:
    return DatabaseProjects(window)
