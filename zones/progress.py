"""A tiny Qt-free progress/cancel object for long work.

Core functions that take a while accept ``progress: Progress | None``. They call
``progress.step(done, total)`` now and then and stop with :class:`Cancelled`
when ``progress.cancelled`` is set. The GUI polls ``fraction`` from a timer
(updates are cheap and never touch widgets from the worker thread).
"""

from __future__ import annotations

import threading

from zones.errors import Cancelled


class Progress:
    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0
        self.label = ""

    def step(self, done: int, total: int, label: str | None = None) -> None:
        self.done, self.total = done, total
        if label is not None:
            self.label = label
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user")

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


def step(progress: Progress | None, done: int, total: int, label: str | None = None) -> None:
    """Report progress if someone listens (and honour a cancel)."""
    if progress is not None:
        progress.step(done, total, label)
