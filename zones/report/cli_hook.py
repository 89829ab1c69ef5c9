"""What the command line calls for ``python -m zones assess … --report OUT.pdf`` and
``--report-dir DIR``: the report PDF(s), and beside the PDF the period sheet and the 税源明细
workbook (``OUT.申报明细.xlsx``, ``OUT.税源明细.xlsx``); progress with an estimate on stderr."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from zones.errors import Cancelled
from zones.progress import Progress
from zones.report.pdf import write_parcel_reports, write_report_dir
from zones.report.period_sheet import write_period_sheet
from zones.report.source_workbook import write_source_workbook


class StderrProgress(Progress):
    """Progress printed on one stderr line at most every ``every`` seconds: done/total, the
    percentage and the time left estimated from the rate so far. Ctrl+C cancels."""

    def __init__(self, what: str, stream=None, every: float = 2.0, clock=time.monotonic) -> None:
        super().__init__()
        self.what, self.stream, self.every, self.clock = what, stream or sys.stderr, every, clock
        self.start = clock()
        self._last = -every

    def step(self, done: int, total: int, label: str | None = None) -> None:
        super().step(done, total, label)
        now = self.clock()
        if total and (now - self._last >= self.every or done >= total):
            self._last = now
            self.stream.write(self.line(done, total, now - self.start) + "\n")
            self.stream.flush()

    def line(self, done: int, total: int, elapsed: float) -> str:
        text = f"{self.what}: {done:,}/{total:,} ({done / total:.0%})"
        if 0 < done < total:
            left = elapsed / done * (total - done)
            text += f", about {int(left // 60)}:{int(left % 60):02d} left (Ctrl+C cancels)"
        return text


def _cancellable(fn):
    try:
        return fn()
    except KeyboardInterrupt:
        raise Cancelled("report cancelled (Ctrl+C); no partial file was left") from None


def add_report_outputs(assessment, args_report_path, attributes=None, *, source_name: str | None = None,
                       protect=(), workbooks: bool = True, progress: Progress | None = None) -> list[Path]:
    """Write the PDF at ``args_report_path`` (plus the two workbooks unless ``workbooks`` is
    False); returns the paths written. ``protect``: the input files, never overwritten."""
    pdf = Path(args_report_path)
    out = [_cancellable(lambda: write_parcel_reports(assessment, pdf, attributes=attributes, source_name=source_name,
                                                     protect=protect, progress=progress))]
    if workbooks:
        out.append(write_period_sheet(assessment, pdf.with_name(pdf.stem + ".申报明细.xlsx"), protect=protect))
        out.append(write_source_workbook(assessment, pdf.with_name(pdf.stem + ".税源明细.xlsx"), attributes=attributes,
                                         protect=protect))
    return out


def add_report_dir(assessment, folder, attributes=None, *, source_name: str | None = None, protect=(),
                   progress: Progress | None = None) -> list[Path]:
    """``--report-dir``: one PDF per parcel named by 宗地号 and taxpayer, and 汇总表.pdf."""
    return _cancellable(lambda: write_report_dir(assessment, folder, attributes=attributes, source_name=source_name,
                                                 protect=protect, progress=progress))
