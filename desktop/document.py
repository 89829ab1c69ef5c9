"""The open document: the project, its zone set, the undo stack, the selection,
and the operations on them (assess, open, save, autosave).

Views subscribe to ``changed(Changes)`` and refresh only what a change touched.
Assessing a few changed parcels happens at once on the GUI thread (milliseconds);
"assess all" goes through the :class:`~desktop.tasks.TaskRunner`.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from zones.collector import collector_paused
from zones.periods import TaxPeriod
from zones.pgstore.url import is_database_url
from zones.project import Project, Selection, ZoneSetRef, assess_context, assess_parcels
from zones.project_file import embedded_zoneset
from zones.reliefs import load_catalogue
from zones.store import backend_for
from zones.store_assess import assess_in_process, prewarm
from zones.zoneset import bundled_ids, load_zoneset, parse_rates

if TYPE_CHECKING:
    from zones.recovery import Recovery

log = logging.getLogger(__name__)
#: Up to this many changed parcels are re-assessed at once after an edit; more wait for "assess all".
INLINE_ASSESS_MAX = 200
#: More parcels than this are assessed in a child process (zones.store_assess): seconds of Python
#: work there never hold this process's interpreter lock, so the GUI stays responsive; fewer are
#: not worth the child's start (about a second).
IN_PROCESS_OVER = 5000
#: Views rebuild at once when an assessment changed more results than this, else update row by row.
REFRESH_ALL_OVER = 2000
#: An assessment's results are stored this many at a time, the GUI's events running in between.
STORE_SLICE = 5000
#: Projects of more parcels than this have their long-lived objects kept out of the collector's sight.
SETTLE_HEAP_OVER = 20_000


@dataclass
class Changes:
    """What an operation changed (the core's :class:`~zones.project.Op`, plus the zone set):
    views skip what is not theirs. ``uids`` empty with ``results``: every parcel's result."""

    uids: list[str] = field(default_factory=list)
    structure: bool = False       # parcels added/removed/reordered
    results: bool = False
    zoneset: bool = False
    review: bool = False


class Document(QObject):
    changed = Signal(object)          # Changes
    selectionChanged = Signal(list)   # uids
    pathChanged = Signal(str)
    assessFinished = Signal(int)      # parcels assessed

    def __init__(self, runner, operator: str = "", parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.operator = operator or "录入员"
        self.project = Project(period=TaxPeriod(2024))
        self.zoneset = None
        self.catalogue = load_catalogue()
        self.stack = QUndoStack(self)
        self.selection = Selection()
        from zones.duplicates import DuplicateIndex
        self.duplicates = DuplicateIndex(self.project)     # shared 宗地号 / 不动产单元号
        self.selection.connect(lambda uids: self.selectionChanged.emit(list(uids)))
        self.path: Path | None = None
        self.recovery: Recovery | None = None  # set by the app
        self.tax_office = ""                  # the officer's 税务所 (preferences), set by the app
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(300)       # right after a completed command, coalescing bursts
        self._autosave.timeout.connect(self.autosave_now)
        self.stack.indexChanged.connect(self._after_command)

    # ------------------------------------------------------------ notify
    def notify(self, *, uids=(), structure=False, results=False, zoneset=False, review=False) -> None:
        self._generation += 1        # autosave writes only after a change
        if structure:
            keep = [u for u in self.selection.uids if self._exists(u)]
            if keep != self.selection.uids:
                self.selection.set(keep)
        uids = list(uids)
        if structure and len(uids) > REFRESH_ALL_OVER:
            # a district's import (or its undo): the views rebuild, and the index of shared ids is
            # built again in one pass when next asked, not updated parcel by parcel (0.6 s at 100,000)
            self.duplicates.reset(self.project)
        elif uids and (structure or not results):   # new results never change an id: assess-all costs nothing here
            # a parcel whose 宗地号 another one now shares (or no longer does) is shown again
            uids += sorted(self.duplicates.update(uids))
        elif structure or self.duplicates.project is not self.project:    # ids do not depend on the zone set
            self.duplicates.reset(self.project)
        self.changed.emit(Changes(uids, structure, results, zoneset, review))

    def apply(self, op) -> None:
        """Tell the views what a core operation (:class:`~zones.project.Op`) changed."""
        self.notify(uids=list(op.changed), structure=op.structure, results=op.results, review=op.review)

    def _exists(self, uid: str) -> bool:
        return uid in self.project

    def _after_command(self, _index: int) -> None:
        self.assess_stale()
        self._autosave.start()

    # -------------------------------------------------------- zone sets
    def set_zoneset(self, zoneset, ref: ZoneSetRef | None = None, *, compare: bool = True) -> None:
        """Make ``zoneset`` active and re-assess everything; with ``compare`` the previous
        results are kept for the per-parcel difference."""
        had = bool(self.project.results)
        self.zoneset = zoneset
        self.project.zoneset = ref or ZoneSetRef(zoneset.id)
        self.project.context = assess_context(zoneset, self.project.period, self.project.tax_base)
        self.reassessing_all = bool(len(self.project)) and not self.runner.busy
        self.notify(zoneset=True, results=True)
        if len(self.project):
            self.assess_all(compare=compare and had, reason="等级图/税率变化")

    def load_zoneset_ref(self, ref: ZoneSetRef, project_path: Path | None = None):
        """The zone set ``ref`` names, with the officer's designation (official, legal basis) applied."""
        if ref.ref in bundled_ids():
            shown = self.zoneset
            if shown is not None and _BUNDLED.get(ref.ref) is shown:
                return shown     # the bundled zone set already shown, as its files have it: not read again
            return bundled_zoneset(ref.ref)
        if Path(ref.ref).exists():
            rates = parse_rates(",".join(f"{g}={r}" for g, r in ref.rates.items())) if ref.rates else None
            return ref.apply(load_zoneset(ref.ref, rates=rates, grade_field=ref.grade_field))
        if project_path is not None:
            embedded = embedded_zoneset(project_path, Path(ref.ref).name)
            if embedded is not None:
                return ref.apply(embedded)
        return ref.apply(load_zoneset(ref.ref))   # raises a ZoneSetError naming it

    def set_period(self, period: TaxPeriod) -> None:
        self.project.period = period
        if self.zoneset is not None:
            self.project.context = assess_context(self.zoneset, period, self.project.tax_base)
        self._context_changed("所属期变化")

    def _context_changed(self, reason: str) -> None:
        """The period or the rounding rule changed: every result is of another context. A district's
        project is assessed again whole, off the GUI thread, without first finding out on the GUI
        thread which results are stale (every fingerprint made again: a second or more); a small
        one at once."""
        if self.zoneset is not None and len(self.project) > INLINE_ASSESS_MAX and not self.runner.busy:
            self.reassessing_all = True
            self.notify(results=True)
            self.assess_all(reason=reason)
            return
        self.notify(results=True)
        self.assess_stale(force_all=True, reason=reason)

    def mark_modified(self) -> None:
        """Unsaved work that is not on the undo stack (an audit event such as a reconciliation)."""
        self._dirty_without_stack = True

    def set_tax_base(self, tax_base: str) -> None:
        """The rounding rule of the tax base (zones.tax.TAX_BASES), kept in the project;
        every result is recomputed under it."""
        if tax_base == self.project.tax_base:
            return
        self.project.tax_base = tax_base
        if self.zoneset is not None:
            self.project.context = assess_context(self.zoneset, self.project.period, tax_base)
        self._dirty_without_stack = True
        self._context_changed("计税面积取整规则变化")

    # --------------------------------------------------------- assessing
    def assess_stale(self, force_all: bool = False, reason: str = "") -> None:
        """Assess, on the GUI thread, the parcels whose result is missing or stale (few after an edit).
        ``reason``: why results may change without an edit (see Project.set_results)."""
        if self.zoneset is None or self.runner.busy:
            return
        stale = self.project.stale_uids()     # kept up to date by the store: no O(n) work per edit
        if not stale or (len(stale) > INLINE_ASSESS_MAX and not force_all):
            return
        if len(stale) > INLINE_ASSESS_MAX:
            self.assess_all(reason=reason, only_stale=True)
            return
        parcels = [self.project.parcels[i] for i in self.project.stale()]
        stored, _ = assess_parcels(parcels, self.zoneset, self.project.period, catalogue=self.catalogue,
                                   tax_base=self.project.tax_base)
        self.apply(self.project.set_results(stored, compare=False, reason=reason, who=self.operator))

    def assess_all(self, *, compare: bool = False, on_error=None, reason: str = "", only_stale: bool = False) -> bool:
        """Assess every parcel (or, ``only_stale``, those without a current result) off the GUI
        thread, keeping their grade pieces. Returns False when another task runs."""
        if self.zoneset is None:
            return False
        parcels = ([self.project.parcels[i] for i in self.project.stale()] if only_stale
                   else list(self.project.parcels))          # immutable snapshots: safe on the worker
        zs, period, cat = self.zoneset, self.project.period, self.catalogue
        base = self.project.tax_base
        stored_now = dict(self.project.results)   # results found unchanged are kept: no work on the GUI thread
        project, context = self.project, assess_context(zs, period, base)

        def work(progress):
            if len(parcels) > IN_PROCESS_OVER and not self.runner.synchronous:
                return assess_in_process(parcels, zs, period, catalogue=cat, tax_base=base, reuse=stored_now,
                                         progress=progress, prints=project.known_fingerprints(parcels, context))
            return assess_parcels(parcels, zs, period, catalogue=cat, progress=progress,
                                  tax_base=base, reuse=stored_now)[0]

        def success(stored):
            # a parcel edited while the worker ran keeps its newer state: its result is stale again
            project.learn_fingerprints(parcels, stored, context)     # made by the assessment: not made again
            # stored in slices, the event loop running between them (the runner steps them)
            return self._store(project, stored, compare=compare, reason=reason)

        def failure(exc):
            resume_collector()
            if self.reassessing_all:      # the views waited for this assessment: show the store as it is
                self.reassessing_all = False
                self.notify(results=True)
            if on_error:
                on_error(exc)
            else:
                from desktop.errors import show_exception
                show_exception(None, exc)

        pause_collector(len(parcels))     # until the results are stored
        started = self.runner.run(self.tr("Assessing parcels"), work, success, failure)
        if not started:
            resume_collector()
        return started

    def _store(self, project: Project, stored: dict, *, compare: bool, reason: str):
        """Store an assessment's results (:meth:`Project.store_results`), one slice per step,
        then tell the views once. A generator: the task runner runs one step per turn of the
        event loop (a synchronous runner, all at once)."""
        try:
            if project is not self.project:      # another project was opened meanwhile: not its results
                self.reassessing_all = False
                return
            op = yield from project.store_results(stored, compare=compare, reason=reason, who=self.operator,
                                                  size=STORE_SLICE)
            yield len(stored), len(stored)
            project.stale_uids()     # a turn of its own (the fingerprints are the assessment's): then the views
            yield len(stored), len(stored)
            waited, self.reassessing_all = self.reassessing_all, False
            # many changes: one rebuild beats row-by-row updates; kept results (op.changed omits them) need none
            if compare or waited or len(op.changed) > REFRESH_ALL_OVER:
                self.notify(results=True, review=bool(reason))
            elif op.changed:
                self.notify(uids=list(op.changed), results=True, review=bool(reason))
            yield len(stored), len(stored)   # the collector's first pass over the new objects: a turn of its own
        finally:
            resume_collector()
        self.assessFinished.emit(len(stored))
        self._autosave.start()
        self._prewarm_assessment()
        QTimer.singleShot(0, self.assess_stale)     # parcels edited while it ran (a few: at once, once it is done)

    def _prewarm_assessment(self) -> None:
        """A district's project: start the next assess-all's child process in idle time (its
        start and imports are then not part of the officer's wait)."""
        if len(self.project) > IN_PROCESS_OVER and not self.runner.synchronous:
            QTimer.singleShot(0, prewarm)

    def pieces_of(self, uid: str) -> tuple | None:
        """Grade pieces of one parcel ((grade, outline in the zone CRS), …) for the map, from its
        stored result (never re-assessed here); None without a current result."""
        stored = self.project.current_result(uid)
        if stored is None or self.zoneset is None:
            return None
        return stored.pieces

    # ----------------------------------------------------------- files
    def new(self, zoneset=None) -> None:
        self.project = Project(period=self.project.period)
        self.path = None
        self.stack.clear()
        self.selection.set([])
        if zoneset is not None:
            self.zoneset = zoneset
            self.project.zoneset = ZoneSetRef(zoneset.id)
        if self.zoneset is not None:
            self.project.context = assess_context(self.zoneset, self.project.period, self.project.tax_base)
        self.notify(structure=True, results=True, zoneset=True)
        self.pathChanged.emit("")

    def adopt(self, project: Project, path: Path | None, *, clean: bool = True, project_file: Path | None = None) -> None:
        """Replace the open project by ``project`` (opened or recovered); loads its zone set."""
        path = location(path) if path else None
        zs = self.load_zoneset_ref(project.zoneset, project_file or (path if isinstance(path, Path) else None))
        self.project = project
        self.zoneset = zs
        project.context = assess_context(zs, project.period, project.tax_base)
        project.stale_uids()     # every fingerprint in one vectorised pass, before the views ask one by one
        self.path = path
        self.stack.clear()
        # a recovered project is unsaved work, though its fresh undo stack reports "clean"
        self._dirty_without_stack = not clean
        self.selection.set([])
        self.notify(structure=True, results=True, zoneset=True)
        self.pathChanged.emit(str(self.path or ""))
        self.assess_stale(force_all=True)
        self._prewarm_assessment()
        settle_heap(len(project))

    _dirty_without_stack = False
    #: A whole-project assessment after a change of zone set, rates, period or rounding rule is
    #: running: no result is current until it ends, and the views wait for it rather than find
    #: out, fingerprint by fingerprint on the GUI thread, which results are stale.
    reassessing_all = False
    _generation = 0               # changes so far (notify); autosave skips an unchanged project
    _autosaved = None             # the (generation, stack index, dirty) of the last recovery copy

    @property
    def modified(self) -> bool:
        return self._dirty_without_stack or not self.stack.isClean()

    def open(self, path) -> None:
        # no cyclic collection while a district's project is read and shown: each full one walks
        # every object made so far (0.85 s of a 100,000-parcel open); adopt then freezes them
        with collector_paused():
            project = backend_for(path).load()
            self._dirty_without_stack = False
            self.adopt(project, location(path))

    def save(self, path=None) -> Path:
        target = location(path or self.path)
        backend_for(target).save(self.project, zoneset=self.zoneset)
        self.path = target
        self._dirty_without_stack = False
        self.stack.setClean()
        self.pathChanged.emit(str(target))
        return target

    _autosaving: threading.Thread | None = None

    def autosave_now(self) -> None:
        """Write the recovery copy (only when there is unsaved work), with its audit log. A
        snapshot of the store is written on a background thread — a district's project takes
        seconds to write, and the officer goes on working — except with a synchronous
        runner (tests, the smoke test), where it is written at once."""
        if self.recovery is None:
            return
        if self._autosaving is not None and self._autosaving.is_alive():
            self._autosave.start()          # the previous copy is still being written: try again soon
            return
        if not self.modified:
            self.recovery.clear()
            self._autosaved = None
            return
        state = (self._generation, self.stack.index(), self._dirty_without_stack, id(self.project))
        if state == self._autosaved:     # nothing changed since the last copy: no write, no log
            return
        self._autosaved = state
        args = (self.recovery, self.project.snapshot(), str(self.path) if self.path else None, self.zoneset)
        if self.runner.synchronous:
            _write_recovery(*args)
        else:
            self._autosaving = threading.Thread(target=_write_recovery, args=args, name="autosave", daemon=True)
            self._autosaving.start()

    def wait_autosave(self) -> None:
        """Let a recovery copy being written finish (before exit, or before reading it)."""
        if self._autosaving is not None:
            self._autosaving.join()


class _Collector:
    paused = False


#: Bundled zone sets as read from their files (never changed since: new rates make another
#: object), by id: opening a project on the zone set already shown neither reads it again nor
#: makes the map redraw its zones (0.15 s of a district's open).
_BUNDLED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def bundled_zoneset(zs_id: str):
    """:func:`load_zoneset` of a bundled id, remembered for :meth:`Document.load_zoneset_ref`."""
    zs = load_zoneset(zs_id)
    _BUNDLED[zs_id] = zs
    return zs


def pause_collector(n_parcels: int) -> None:
    """A district's assess-all makes hundreds of thousands of objects (the results, their log
    events): no cyclic collection while they arrive and are stored — each full collection
    walks every object of the process, a quarter of a second at 100,000 parcels holding the
    interpreter lock, so the GUI stalls. :func:`resume_collector` turns it on again."""
    import gc

    if n_parcels > SETTLE_HEAP_OVER and gc.isenabled():
        gc.disable()
        _Collector.paused = True


def resume_collector() -> None:
    import gc

    if _Collector.paused:
        _Collector.paused = False
        gc.enable()


def settle_heap(n_parcels: int) -> None:
    """A district's project just opened is millions of long-lived objects (parcels, outlines,
    results, log events) that Python's cyclic collector would walk in each full collection
    (a third of a second each at 100,000 parcels, holding the interpreter lock: a GUI stall
    at any moment of the officer's work). They are moved out of its sight (``gc.freeze``) and
    are still freed by reference counting when no longer used (the store's objects hold no
    reference cycles); only cyclic garbage not yet collected at that moment stays (a full
    collection first would add that third of a second to opening). Smaller projects are left
    to the collector as they are."""
    import gc

    if n_parcels > SETTLE_HEAP_OVER:
        gc.freeze()


def location(path):
    """A project file's Path, or a database project's ``postgresql://`` URL as it is (no file path)."""
    return str(path) if is_database_url(str(path)) else Path(path)


def _write_recovery(recovery, project, original, zoneset) -> None:
    try:
        recovery.write(project, original=original, zoneset=zoneset)
    except Exception:  # autosave must never interrupt work; the log says why
        log.exception("autosave failed")

