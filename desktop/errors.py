"""One presenter for errors, the crash net and the log file.

- Known errors of the core (:class:`zones.errors.ZonesError`) show their plain message;
  a cancel shows nothing; anything else shows a short message with the traceback
  under "Details" and is written to the log.
- :func:`install_crash_net` sets ``sys.excepthook`` so an unexpected exception in a
  slot is logged and shown instead of killing the application.
- The log is a rotating file in the user's application-data folder.
- ``SHOW_DIALOGS = False`` (tests) records what would have been shown in ``SHOWN`` instead.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from zones.errors import Cancelled, ZonesError

log = logging.getLogger("desktop")
SHOW_DIALOGS = True
SHOWN: list[tuple[str, str, str]] = []     # (title, text, details) when SHOW_DIALOGS is False
_log_path: Path | None = None


def data_dir() -> Path:
    """The user's application-data folder (created)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or Path.home() / ".wenzhou-land-tax")
    path.mkdir(parents=True, exist_ok=True)
    return path


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``<app data>/logs/desktop.log`` (1 MB × 5). Returns the file's path."""
    global _log_path
    folder = folder or data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    _log_path = folder / "desktop.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_wztax", False):
            root.removeHandler(h)
    handler = logging.handlers.RotatingFileHandler(_log_path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler._wztax = True  # type: ignore[attr-defined]  # marks our handler for the next call
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return _log_path


def log_path() -> Path | None:
    return _log_path


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def show_message(parent: QWidget | None, title: str, text: str, details: str = "",
                 icon=QMessageBox.Icon.Warning) -> None:
    if not SHOW_DIALOGS:
        SHOWN.append((title, text, details))
        return
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def show_exception(parent: QWidget | None, exc: BaseException, what: str = "") -> None:
    """Present an exception: plain message for known errors, nothing for a cancel,
    message + traceback (and a log entry) for the unexpected."""
    if isinstance(exc, Cancelled):
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    head = f"{what}\n\n" if what else ""
    if isinstance(exc, ZonesError):
        log.warning("%s%s", head, exc)
        show_message(parent, _tr("Cannot do that"), head + str(exc), details)
    elif isinstance(exc, (OSError, ValueError)):
        log.warning("%s%s", head, details)
        show_message(parent, _tr("Cannot do that"), head + f"{type(exc).__name__}: {exc}", details)
    else:
        log.error("unexpected error: %s%s", head, details)
        where = f"\n\n{_tr('The details were written to the log:')} {_log_path}" if _log_path else ""
        show_message(parent, _tr("Unexpected error"),
                     head + _tr("Something went wrong. Your work is kept; save it and report the problem.") + where,
                     details, QMessageBox.Icon.Critical)


def install_crash_net(parent_getter=lambda: None) -> None:
    """sys.excepthook: log the traceback, show it, keep running."""
    def hook(etype, value, tb):
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        log.critical("uncaught exception", exc_info=(etype, value, tb))
        try:
            show_exception(parent_getter(), value)
        except Exception:  # the net must never throw
            sys.__excepthook__(etype, value, tb)
    sys.excepthook = hook
