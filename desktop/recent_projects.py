"""文件 → 最近打开的项目: the last projects opened or saved, newest first, kept in the
settings; a missing file is shown greyed and can be dropped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from desktop import settings as S

KEEP = 8


class RecentProjects(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.menu = QMenu(window)
        self.menu.setObjectName("recent_projects")
        self.menu.aboutToShow.connect(self.rebuild)
        window.doc.pathChanged.connect(self.remember)
        self.rebuild()

    def paths(self) -> list[str]:
        return [str(p) for p in self.w.settings.get(S.RECENT_PROJECTS) if p]

    def remember(self, path: str) -> None:
        if not path:
            return
        if "://" in path:     # a database project: its URL, never with a password
            from desktop.database_project import without_password

            path = without_password(path)
        else:
            path = str(Path(path).resolve())
        kept = [path] + [p for p in self.paths() if p != path]
        self.w.settings.set(S.RECENT_PROJECTS, kept[:KEEP])
        self.rebuild()

    def rebuild(self) -> None:
        self.menu.clear()
        self.menu.setTitle(self.tr("Recent projects"))
        paths = self.paths()
        for i, p in enumerate(paths, start=1):
            if "://" in p:    # a database project: opened with the keyring's password, or asked for it
                from desktop.database_project import fields_of

                f = fields_of(p)
                a = self.menu.addAction(self.tr("&%1 %2  —  database %3 on %4").replace("%1", str(i))
                                        .replace("%2", f["project"]).replace("%3", f["database"])
                                        .replace("%4", f"{f['user']}@{f['host']}:{f['port']}"))
                a.setToolTip(p)
                a.triggered.connect(lambda _=False, p=p: self.w.database.open_location(p))
                continue
            a = self.menu.addAction(f"&{i} {Path(p).name}  —  {Path(p).parent}")
            a.setToolTip(p)
            a.setEnabled(Path(p).exists())
            a.triggered.connect(lambda _=False, p=p: self.w.files.open(p))
        if not paths:
            self.menu.addAction(self.tr("(none yet)")).setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction(self.tr("Clear the list"), self.clear)

    def clear(self) -> None:
        self.w.settings.set(S.RECENT_PROJECTS, [])
        self.rebuild()
