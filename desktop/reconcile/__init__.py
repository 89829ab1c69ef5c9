"""税源比对 in the desktop: the menu action and the window of the results."""

from __future__ import annotations


def install(window):
    """Add 税源比对 to the window's assessment menu; returns the actions object."""
    from desktop.reconcile.actions import ReconcileActions

    return ReconcileActions(window)
