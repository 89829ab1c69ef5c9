"""Typed errors of the shared store. A :class:`StoreError` is unusable input (exit 2: a bad
URL, a refused login, a missing project, a database without PostGIS or without the
project schema); a :class:`ConflictError` a refused concurrent change (exit 3); a
:class:`ServerUnavailable` a server that went away mid-work (the desktop keeps the change)."""

from __future__ import annotations

from zones.errors import InputError, ZonesError


class StoreError(InputError):
    """The database or the project cannot be used; the message names the (redacted) URL."""

    code = "store"


class ServerUnavailable(StoreError):
    """The server cannot be reached or went away; nothing of the change was written."""

    code = "store_unavailable"


class ConflictError(ZonesError):
    """A save over a parcel someone else changed meanwhile: refused. Carries both values —
    ``mine`` (what this client tried to save, on ``base_version``) and ``theirs`` (the
    parcel as it is in the database now, or None when it was deleted) — so the user chooses."""

    code = "conflict"

    def __init__(self, uid: str, mine: dict | None, theirs: dict | None, base_version: int | None):
        self.uid, self.mine, self.theirs, self.base_version = uid, mine, theirs, base_version
        if theirs is None:
            text = f"parcel {uid}: deleted by someone else meanwhile; the change was not saved"
        else:
            text = (f"parcel {uid}: changed by {theirs.get('changed_by') or 'someone else'} meanwhile "
                    f"(version {base_version} → {theirs.get('version')}); the change was not saved")
        super().__init__(text)


class RuleRefused(ZonesError):
    """The server refused a change by a rule of the office (four eyes; not a reviewer)."""

    code = "refused"
