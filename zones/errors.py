"""Typed errors of the core. Each carries a stable code the GUI translates and a
plain message that already names the file / record / place concerned."""

from __future__ import annotations

import os


class ZonesError(Exception):
    """Base of every error the core raises on purpose (as opposed to a bug)."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)

    def __reduce__(self):
        # Rebuilt without calling __init__ (the subclasses take other arguments than the
        # message), so an error raised in a worker process reaches the officer unchanged.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls, args, state):
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ZoneSetError(ZonesError):
    """A zone set cannot be loaded or fails validation."""

    code = "zoneset"

    def __init__(self, zoneset: str, problem: str, *, where: str | None = None):
        self.zoneset = zoneset
        self.problem = problem
        self.where = where
        text = f"zone set {zoneset!r}: {problem}"
        if where:
            text += f" (at {where})"
        super().__init__(text)


class InputError(ZonesError):
    """Input the user supplied (a file, an option) cannot be used."""

    code = "input"

    def __init__(self, source: str | os.PathLike[str], problem: str, *, record: int | str | None = None):
        self.source = str(source)
        self.problem = problem
        self.record = record
        where = f"{self.source}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {problem}")


class RuleError(ZonesError):
    """A tax rule cannot be applied (e.g. an unknown relief code)."""

    code = "rule"


class Cancelled(ZonesError):
    """Long work was cancelled by the user. Never shown as an error."""

    code = "cancelled"
