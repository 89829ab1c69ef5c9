"""Before and after a report: ask when a parcel to print has no 宗地号 or no taxpayer;
propose a PDF name beside the project (from the 宗地号, or the project's name); after
saving, say where, with 打开文件 and 打开所在文件夹 in the status bar."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop import settings as S

NOTICE_MS = 20000
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "报表"


def default_pdf_path(doc, uids: list[str], settings) -> Path:
    """Beside the project file (else the last export folder, else home); named after the one
    parcel's 宗地号, else the project's name (with 全部 for all parcels)."""
    if doc.path:
        folder = Path(doc.path).parent
    else:
        folder = Path(settings.get(S.LAST_EXPORT_DIR) or Path.home())
    project = Path(doc.path).name.removesuffix(".gpkg") if doc.path else "城镇土地使用税"
    if len(uids) == 1:
        number = doc.project.by_uid(uids[0]).get("parcel_no")
        name = number if number and number != "未编号" else f"{project}-宗地"
    else:
        name = f"{project}-{len(uids)}宗"
    return folder / f"{_safe(name)}.pdf"


class ReportChecks(QObject):
    """Texts through ``tr``; the window's status bar and message boxes."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.notice: QWidget | None = None

    def confirm_missing(self, uids: list[str]) -> bool:
        """True to go on: every parcel has a 宗地号 and a taxpayer, or the officer says print anyway."""
        missing = []
        for uid in uids:
            p = self.w.doc.project.by_uid(uid)
            lacks = [what for key, what in (("parcel_no", self.tr("parcel no.")), ("taxpayer_name", self.tr("taxpayer")))
                     if not p.get(key) or p.get(key) == "未编号"]
            if lacks:
                missing.append(f"{p.label}: " + self.tr("no %1").replace(
                    "%1", self.tr(" and ").join(lacks)))
        if not missing:
            return True
        shown = "\n".join(missing[:10]) + ("\n…" if len(missing) > 10 else "")
        answer = QMessageBox.question(
            self.w, self.tr("Print without parcel number or taxpayer?"),
            self.tr("%1 of the parcels to print lack a parcel number or a taxpayer:").replace("%1", str(len(missing)))
            + "\n" + shown + "\n\n" + self.tr("Print anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_saved(self, path) -> None:
        """'Saved …' with 打开文件 / 打开所在文件夹 buttons, in the status bar for a while."""
        path = Path(path)
        self.clear_notice()
        box = QWidget()
        box.setObjectName("saved_notice")
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Report saved: %1").replace("%1", str(path)))
        open_file, open_folder = QPushButton(self.tr("Open file")), QPushButton(self.tr("Open folder"))
        open_file.setObjectName("open_file")
        open_folder.setObjectName("open_folder")
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        for w in (label, open_file, open_folder):
            lay.addWidget(w)
        self.w.statusBar().clearMessage()
        self.w.statusBar().addWidget(box, 1)
        self.notice = box
        QTimer.singleShot(NOTICE_MS, self.clear_notice)

    def clear_notice(self) -> None:
        if self.notice is not None:
            self.w.statusBar().removeWidget(self.notice)
            self.notice.deleteLater()
            self.notice = None
