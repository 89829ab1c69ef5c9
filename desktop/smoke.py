"""``--smoke-test``: open the bundled sample, assess it, write and render its
report, save the project and open it back, and exit — 0 when everything worked. Used to check a frozen build
(tools/smoke_frozen.py) without a person at the screen."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from desktop import errors

log = logging.getLogger(__name__)


def run(doc, window) -> int:
    errors.SHOW_DIALOGS = False           # any message box is recorded, not shown
    errors.SHOWN.clear()
    try:
        if not window.files.open_sample():
            log.error("smoke test: the sample did not open")
            return 3
        doc.assess_stale(force_all=True)
        parcels = doc.project.parcels
        assessed = [p for p in parcels if doc.project.current_result(p.uid) is not None]
        if not parcels or len(assessed) != len(parcels):
            log.error("smoke test: %d of %d parcels assessed", len(assessed), len(parcels))
            return 4
        from desktop.dialogs.report_dialog import render_pages, write_report

        with tempfile.TemporaryDirectory() as tmp:
            pdf = write_report(doc, [p.uid for p in parcels], Path(tmp) / "smoke.pdf")
            pages = render_pages(pdf, dpi=30)
            saved = Path(tmp) / "smoke-project.gpkg"       # the project file: written and opened back
            doc.save(saved)
            due = sum(doc.project.current_result(p.uid).due for p in parcels)
            if not window.files.open(str(saved)) or len(doc.project) != len(parcels) or doc.project.stale() \
                    or sum(doc.project.current_result(p.uid).due for p in doc.project.parcels) != due:
                log.error("smoke test: the saved project did not open back with its results")
                return 8
        if not pages or pages[0].isNull():
            log.error("smoke test: the report rendered no page")
            return 5
    except Exception:  # noqa: BLE001 — report any failure as a non-zero exit
        log.exception("smoke test failed")
        return 6
    if errors.SHOWN:
        log.error("smoke test: messages shown: %s", errors.SHOWN)
        return 7
    log.info("smoke test passed: %d parcels, %d report pages", len(parcels), len(pages))
    print(f"smoke test passed: {len(parcels)} parcels assessed, {len(pages)} report pages")
    return 0
