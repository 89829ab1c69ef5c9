"""Crash recovery: the open project is copied to a recovery file in the user's
data folder (every minute and after every completed edit); a clean exit removes
it, so a recovery file found at start-up means a session did not end cleanly.

Several copies of the application may run at once (two officers on one account,
or one officer with two windows): each running copy writes its own files
``recovery-<pid>-<token>.gpkg/.json`` and holds ``recovery-<pid>-<token>.lock``
locked while it runs. The operating system drops that lock when the process
ends — also when it crashes — so a recovery file whose lock can be taken is an
orphan (its copy is gone) and may be offered; one whose lock is held belongs to
a copy still running and is left alone. A lock rather than a pid check: it works
the same on Windows and cannot be fooled by a reused pid. Qt-free: the GUI
passes the folder.

A recovery copy that is not what the application wrote (its note unreadable, its
project file damaged) is moved to ``set-aside/`` in the same folder and listed in
:attr:`Recovery.set_aside` with the reason, so the GUI can say so; it never stops
start-up and is never offered again. Recovery files are project files: they keep
the audit log like a save does.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from datetime import datetime
from pathlib import Path

from zones.errors import InputError
from zones.io.atomic import atomic_output
from zones.project import Project
from zones.project_file import load_project, save_project

LEGACY = "recovery"          # the single shared file of earlier versions


class _Lock:
    """An exclusive, non-blocking lock on a small file, held until :meth:`release`
    (or until the process ends). Two opens in one process conflict too, so tests
    can run two "copies" in one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self, *, delete: bool = False) -> None:
        if self.fd is not None:
            if sys.platform == "win32":
                import msvcrt
                try:
                    os.lseek(self.fd, 0, 0)
                    msvcrt.locking(self.fd, msvcrt.LK_UNLCK, 1)
                except OSError:
                    pass
            os.close(self.fd)
            self.fd = None
        if delete:
            _unlink(self.path)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except (FileNotFoundError, PermissionError):
        pass


def _pid_running(pid) -> bool:
    """For legacy files without a lock: is ``pid`` a running process (POSIX only; False on Windows)."""
    if os.name == "nt" or not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True     # exists, owned by someone else
    return True


class Recovery:
    """This running copy's recovery files in ``folder``, and the orphans of copies that died."""

    def __init__(self, folder, owner: str | None = None) -> None:
        self.folder = Path(folder)
        self.owner = owner or f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.path = self.folder / f"recovery-{self.owner}.gpkg"
        self.info_path = self.folder / f"recovery-{self.owner}.json"
        self._lock = _Lock(self.folder / f"recovery-{self.owner}.lock")
        self._claimed: dict[str, _Lock] = {}    # orphans this copy is offering: locked so no other copy offers them
        self.set_aside: list[tuple[str, str]] = []   # (where the damaged copy went, why)

    def _hold(self) -> None:
        if self._lock.fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()

    def write(self, project: Project, *, original: str | None, zoneset=None) -> None:
        """Save this copy's recovery file (atomic: a crash while writing keeps the previous copy)."""
        self._hold()
        save_project(project, self.path, zoneset=zoneset)
        info = {"original": original, "saved_at": datetime.now().isoformat(timespec="seconds"), "pid": os.getpid(),
                "parcels": len(project)}
        with atomic_output(self.info_path) as tmp:
            tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")

    # ------------------------------------------------------------ orphans
    def _orphan(self, info_path: Path) -> dict | None:
        stem = info_path.stem                      # recovery-<owner> or recovery
        gpkg = info_path.with_suffix(".gpkg")
        if stem == f"recovery-{self.owner}" or not gpkg.exists():
            return None
        if stem != LEGACY and stem not in self._claimed:
            lock = _Lock(info_path.with_suffix(".lock"))
            if not lock.acquire():
                return None                         # its copy is still running
            self._claimed[stem] = lock
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self._set_aside(stem, gpkg, f"its note {info_path.name} is not readable ({type(exc).__name__})")
            return None
        if not isinstance(info, dict) or "saved_at" not in info:
            self._set_aside(stem, gpkg, f"its note {info_path.name} is not one this application wrote")
            return None
        if stem == LEGACY and _pid_running(info.get("pid")):
            return None
        return dict(info, path=str(gpkg), key=stem)

    def _set_aside(self, stem: str, gpkg: Path, reason: str) -> Path:
        """Move a damaged recovery copy (and its note) to ``set-aside/``, out of the way for good."""
        dest = self.folder / "set-aside"
        dest.mkdir(parents=True, exist_ok=True)
        tag = datetime.now().strftime("%Y%m%d-%H%M%S")
        moved = dest / f"{stem}-{tag}{gpkg.suffix}"
        for src in (gpkg, gpkg.with_suffix(".json")):
            if src.exists():
                shutil.move(str(src), str(dest / f"{stem}-{tag}{src.suffix}"))
        lock = self._claimed.pop(stem, None)
        if lock is not None:
            lock.release(delete=True)
        self.set_aside.append((str(moved), reason))
        return moved

    def orphans(self) -> list[dict]:
        """Recovery copies left by copies of the application that are no longer running,
        newest first: their info (original, saved_at, pid, parcels) plus ``path`` and ``key``."""
        if not self.folder.is_dir():
            return []
        found = [o for p in self.folder.glob("recovery*.json") if (o := self._orphan(p)) is not None]
        return sorted(found, key=lambda o: str(o.get("saved_at", "")), reverse=True)

    def pending(self) -> dict | None:
        """The newest orphaned recovery copy (see :meth:`orphans`), or None."""
        found = self.orphans()
        return found[0] if found else None

    def restore(self, orphan: dict | None = None) -> Project:
        """The project of a recovery copy. A damaged copy is set aside and InputError says where."""
        orphan = orphan or self.pending()
        if orphan is None:
            raise InputError(self.folder, "no recovery copy to restore")
        try:
            return load_project(orphan["path"])
        except InputError as exc:
            moved = self._set_aside(orphan["key"], Path(orphan["path"]), exc.problem)
            raise InputError(orphan["path"], f"{exc.problem}; the recovery copy was set aside as {moved}") from None

    def discard(self, orphan: dict) -> None:
        """Delete an orphaned copy (declined, or restored and now saved as this copy's own)."""
        gpkg = Path(orphan["path"])
        for p in (gpkg, gpkg.with_suffix(".json")):
            _unlink(p)
        lock = self._claimed.pop(orphan["key"], None)
        if lock is not None:
            lock.release(delete=True)

    def clear(self) -> None:
        """Remove this copy's recovery files (saved, or a clean exit); other copies' files stay."""
        for p in (self.path, self.info_path):
            _unlink(p)

    def release(self) -> None:
        """At a clean exit: clear, and let go of the lock."""
        self.clear()
        self._lock.release(delete=True)
        for lock in self._claimed.values():
            lock.release()
        self._claimed.clear()
