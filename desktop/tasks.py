"""The one way to run long work: a plain core function ``fn(progress)`` on a worker
thread, with success or failure delivered on the GUI thread.

The worker never touches widgets: it only calls ``fn``. The GUI polls the
:class:`zones.progress.Progress` from a timer (throttled updates). Project-changing
work is serialised: while one task runs, ``busy`` is True and another is refused.
``synchronous = True`` (tests) runs ``fn`` inline and delivers at once.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from zones.progress import Progress

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object, object)   # result, exception (one is None)


class _Job(QRunnable):
    def __init__(self, fn, progress, relay) -> None:
        super().__init__()
        self.fn, self.progress, self.relay = fn, progress, relay

    def run(self) -> None:  # worker thread: no widgets here
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # delivered to the GUI thread, presented there
            self.relay.finished.emit(None, exc)
        else:
            self.relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Runs one task at a time. Signals: ``started(label)``, ``progressed(fraction, label)``, ``done()``."""

    started = Signal(str)
    progressed = Signal(float, str)
    done = Signal()

    def __init__(self, parent=None, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress: Progress | None = None
        self._relay: _Relay | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)   # poll, never flood the GUI with signals from the worker
        self._timer.timeout.connect(self._poll)
        self._steps: Iterator[tuple[int, int]] | None = None

    @property
    def busy(self) -> bool:
        return self.progress is not None

    def run(self, label: str, fn: Callable[[Progress], object], on_success: Callable[[object], None],
            on_failure: Callable[[BaseException], None]) -> bool:
        """Start ``fn(progress)``; False (and nothing started) when a task is already running."""
        if self.busy:
            return False
        self.progress = Progress()
        self.progress.label = label
        self.started.emit(label)

        self._callbacks = (on_success, on_failure)
        if self.synchronous:
            try:
                result = fn(self.progress)
            except BaseException as exc:
                self._deliver(None, exc)
            else:
                self._deliver(result, None)
            return True
        self._relay = _Relay()
        # A slot of this GUI-thread object: Qt queues the call onto the GUI thread.
        self._relay.finished.connect(self._deliver)
        self.pool.start(_Job(fn, self.progress, self._relay))
        self._timer.start()
        return True

    @Slot(object, object)
    def _deliver(self, result, exc) -> None:
        self._timer.stop()
        self.progress = None
        self._relay = None
        on_success, on_failure = self._callbacks
        self.done.emit()
        if exc is not None:
            on_failure(exc)
        else:
            steps = on_success(result)
            if steps is not None:
                self._run_steps(steps)

    def _run_steps(self, steps) -> None:
        """A success callback that returned an iterator of (done, total): its GUI-thread part
        (storing a district's results) runs one step per turn of the event loop, so the window
        stays responsive; the runner stays busy meanwhile and shows the progress."""
        if self.synchronous or self.busy:      # tests; or the callback started another task: no steps
            for _ in steps:
                pass
            return
        self.progress = Progress()
        self.progress.label = self.tr("Storing the results")
        self.started.emit(self.progress.label)
        self._steps = steps
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        if self._steps is None:
            return
        try:
            done, total = next(self._steps)
        except StopIteration:
            self._steps = None
            self.progress = None
            self.done.emit()
            return
        except BaseException:
            self._steps = None
            self.progress = None
            self.done.emit()
            raise
        if self.progress is not None:      # storing is not cancelled halfway: each step is short
            self.progress.done, self.progress.total = done, total
            self.progressed.emit(self.progress.fraction, self.progress.label)
        QTimer.singleShot(0, self._step)

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()

    def _poll(self) -> None:
        if self.progress is not None:
            self.progressed.emit(self.progress.fraction, self.progress.label)

    def wait(self) -> None:
        self.pool.waitForDone()
