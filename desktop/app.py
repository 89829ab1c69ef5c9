"""Start-up: the Qt application, the bundled CJK font, the language, the crash net
and log, the settings, the document on the bundled zone set, the main window,
and the offer to restore unsaved work after a crash."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from zones.fonts import cjk_font_path, matplotlib_cjk_family
from zones.recovery import Recovery

from desktop import errors, i18n
from desktop import settings as S

log = logging.getLogger(__name__)
DEFAULT_ZONESET = "wenzhou-urban-2024"


def register_fonts(app: QApplication) -> str:
    """Register the bundled CJK font with Qt (and matplotlib) and make it the fallback
    of the application font, so Chinese renders on machines without Chinese fonts."""
    family = ""
    fid = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    if fid >= 0:
        families = QFontDatabase.applicationFontFamilies(fid)
        family = families[0] if families else ""
    if family:
        font = QFont(app.font())
        font.setFamilies([app.font().family(), family] if app.font().family() != family else [family])
        app.setFont(font)
    try:
        matplotlib_cjk_family()
    except Exception:  # the map falls back to its own font handling
        log.exception("matplotlib font registration failed")
    return family


def build_window(settings: S.Settings, *, synchronous: bool = False, data_folder: Path | None = None,
                 zoneset=None, offer_recovery: bool = True):
    """The document and main window, ready to show. Used by :func:`main` and the tests."""
    from desktop.document import Document, bundled_zoneset
    from desktop.main_window import MainWindow
    from desktop.tasks import TaskRunner
    from zones.periods import TaxPeriod

    i18n.set_language(settings.get(S.LANGUAGE))
    runner = TaskRunner(synchronous=synchronous)
    doc = Document(runner, settings.get(S.OPERATOR))
    doc.tax_office = settings.get(S.TAX_OFFICE)
    runner.setParent(doc)
    doc.project.period = TaxPeriod(settings.get(S.PERIOD_YEAR))
    doc.recovery = Recovery((data_folder or errors.data_dir()) / "recovery")
    window = MainWindow(doc, settings)
    try:
        zs = zoneset if zoneset is not None else bundled_zoneset(DEFAULT_ZONESET)
        doc.set_zoneset(zs, compare=False)
    except Exception as exc:
        errors.show_exception(window, exc, window.tr("Cannot load the bundled zone set"))
    window.canvas.zoom_to_core()      # the urban core, not all four districts; "zoom to zones" shows them
    if offer_recovery:
        window.files.offer_recovery()
    return doc, window


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(S.ORGANIZATION)
    app.setApplicationName(S.APPLICATION)
    # no application display name: Qt would append it to the window title, which already names the application
    path = errors.setup_logging()
    errors.install_crash_net(lambda: QApplication.activeWindow())
    log.info("starting; log at %s", path)
    register_fonts(app)  # type: ignore[arg-type]  # QApplication.instance() is typed as the core class
    settings = S.Settings()
    smoke = "--smoke-test" in argv[1:]
    doc, window = build_window(settings, offer_recovery=not smoke)
    window.show()
    if not smoke:
        from desktop.officer import ask_on_first_start
        ask_on_first_start(window)
    if smoke:
        from PySide6.QtCore import QTimer

        from desktop import smoke as smoke_test

        QTimer.singleShot(0, lambda: app.exit(smoke_test.run(doc, window)))
        return app.exec()
    for arg in argv[1:]:
        if arg.lower().endswith(".gpkg") and Path(arg).exists():
            window.files.open(arg)
            break
    code = app.exec()
    log.info("exit %s", code)
    return code
