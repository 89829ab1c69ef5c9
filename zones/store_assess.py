"""Assess many parcels of the store in a separate process, so the desktop's GUI thread
never waits for a worker thread holding the interpreter lock (a district's assessment is
seconds of Python work; on a busy machine a thread holding the lock can be descheduled
for a second or more, and the GUI with it).

The parent sends the parcels as columns (uids, outlines as WKB, attributes, sources, the
importer's flags), the zone set, period, catalogue and tax-base rule, and for each parcel
what its stored result is (fingerprint, key, pieces, provenance); then, while the child runs
the assessment engine, it makes the fingerprints it does not know yet and sends them last.
The child runs the one assessment path (:class:`zones.project.ParcelsAssessed`, what
:func:`zones.project.assess_parcels` runs) and sends back only the results that changed, as the project file stores them (result and provenance
JSON, key, amount due, flags, pieces as WKB), each part of :data:`RETURN_CHUNK` parcels sent
as soon as it is made. The parent
makes each part :class:`~zones.project.StoredResult` objects as it arrives (they parse their
JSON when first read, exactly as a project file's results); unchanged parcels keep their
stored object.

The child may be started ahead (:func:`prewarm`, e.g. after a district's project is opened):
it imports what the assessment needs and waits for its job, so an assess-all does not wait
for a process start and imports. Each child does one job.

Progress and cancel go through a pipe; a cancel ends the child. As with any
``multiprocessing`` start by "spawn", the program's main module must be safe to import
(``if __name__ == "__main__":``; the frozen entry also calls ``freeze_support()``).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from decimal import Decimal

from zones.errors import Cancelled, ZonesError
from zones.progress import Progress
from zones.project import assess_context

#: Parcels sent to the child per message.
SEND_CHUNK = 5000
#: Parcels whose changed results are made and sent back per message.
RETURN_CHUNK = 5000
#: How often the child reports progress (seconds): the GUI polls ten times a second.
REPORT_EVERY = 0.1
#: The part of the progress bar the engine's steps fill; making and sending the results fill the rest.
ENGINE_SHARE = 0.6


class _Stored:
    """What :func:`assess_parcels` compares of a stored result, without the result itself."""

    __slots__ = ("fingerprint", "key", "pieces", "_provenance")

    def __init__(self, fingerprint: str, key: str, n_pieces: int, provenance: str) -> None:
        self.fingerprint, self.key, self._provenance = fingerprint, key, provenance
        self.pieces = (None,) * n_pieces

    def provenance_text(self) -> str:
        return self._provenance


class _PipeProgress(Progress):
    """The child's progress: sent to the parent now and then (the parent ends the child to cancel).
    The engine's steps fill the first :data:`ENGINE_SHARE` of the bar, the results' parts the rest."""

    def __init__(self, conn) -> None:
        super().__init__()
        self._conn, self._sent = conn, 0.0

    def step(self, done: int, total: int, label: str | None = None) -> None:
        super().step(done, total, label)
        self.send(ENGINE_SHARE * done / total if total else 0.0)

    def results_made(self, done: int, total: int) -> None:
        self.send(ENGINE_SHARE + (1 - ENGINE_SHARE) * done / total if total else 1.0)

    def send(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self._sent >= REPORT_EVERY:
            self._sent = now
            self._conn.send(("progress", (round(fraction * 1000), 1000, self.label)))


def assess_in_process(parcels, zoneset, period, *, catalogue, tax_base: str, reuse: dict,
                      progress: Progress | None = None, prints: list[str | None] | None = None) -> dict:
    """{uid: StoredResult} for ``parcels``, computed in a child process (see the module
    docstring); a result equal to the one in ``reuse`` is that object. ``prints``: the
    parcels' fingerprints where the caller knows them (else None; this process makes the
    others while the child runs the assessment engine, and sends them after the parcels).
    Raises what the assessment raised, :class:`Cancelled` when ``progress`` was cancelled."""
    stubs = {}
    for p in parcels:
        old = reuse.get(p.uid)
        if old is not None:
            stubs[p.uid] = (old.fingerprint, old.key, len(old.pieces), old.provenance_text())
    parcels = list(parcels)
    chunks = range(0, len(parcels), SEND_CHUNK)
    child, receive, feed_in = _take_child()
    try:
        # in chunks: pickling holds the interpreter lock, a chunk only for milliseconds
        try:
            feed_in.send((len(chunks), zoneset, period, catalogue, tax_base, RETURN_CHUNK))
            sources: dict[int, int] = {}
            wkbs: list = []
            for start in chunks:
                part = parcels[start:start + SEND_CHUNK]
                columns = _columns(part, sources)
                wkbs += columns[1].tolist()
                feed_in.send((columns, {p.uid: stubs[p.uid] for p in part if p.uid in stubs}))
            # the child needs the fingerprints only after the engine ran: made here meanwhile, in parallel
            feed_in.send(_fill_prints(parcels, wkbs, prints, assess_context(zoneset, period, tax_base), progress))
        except BrokenPipeError:    # the child ended: _wait says how
            pass
        feed_in.close()
        changed = _wait(child, receive, progress)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
    return _stored(parcels, changed, reuse)


def _fill_prints(parcels, wkbs: list, known: list[str | None] | None, context: str, progress) -> list[str | None]:
    """``known`` with every missing fingerprint made (from the outlines' WKB already made to send
    them), in slices, so a cancel is noticed; a cancelled run leaves the rest None."""
    from zones.project import _fingerprint

    out: list[str | None] = list(known) if known else [None] * len(parcels)
    ctx = context.encode()
    for start in range(0, len(parcels), SEND_CHUNK):
        if progress is not None and progress.cancelled:
            break
        for i in range(start, min(start + SEND_CHUNK, len(parcels))):
            if out[i] is None:
                out[i] = _fingerprint(ctx, wkbs[i] if wkbs[i] is not None else b"", parcels[i])
    return out


#: A child started ahead (:func:`prewarm`), its imports done, waiting for its job.
_ready: list = []
_ready_lock = threading.Lock()


def prewarm() -> None:
    """Start the next assessment's child process now, while the officer works: its start and
    imports (about a second) are then not part of the next :func:`assess_in_process`. The
    child waits for its job; it ends when this process does (or with its job)."""
    with _ready_lock:
        if _ready and _ready[0][0].is_alive():
            return
        _ready[:] = [_start_child()]


def _take_child():
    """The child started ahead, else a new one: (process, results pipe, feed pipe)."""
    with _ready_lock:
        ready = _ready.pop() if _ready else None
    if ready is not None and ready[0].is_alive():
        return ready
    if ready is not None:
        _close(*ready)
    return _start_child()


def _start_child():
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    feed_out, feed_in = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, feed_out), name="assess", daemon=True)
    child.start()
    send.close()
    feed_out.close()
    return child, receive, feed_in


def _close(child, receive, feed_in) -> None:
    if child.is_alive():
        child.terminate()
    child.join()
    receive.close()
    feed_in.close()


def _columns(part, sources: dict[int, int]) -> tuple:
    """What the assessment reads of ``part``, as columns (pickled many times faster than the
    snapshots): uids, outlines as WKB, attributes, each one's source as a number (an import's
    parcels share one; sources new in this part are sent with it) and the importer's flags."""
    import numpy as np
    import shapely

    geoms = np.empty(len(part), dtype=object)
    geoms[:] = [p.geometry for p in part]
    new, which = [], []
    for p in part:
        k = sources.get(id(p.source))
        if k is None:
            k = sources[id(p.source)] = len(sources)
            new.append(p.source)
        which.append(k)
    flags = {j: p.import_flags for j, p in enumerate(part) if p.import_flags}
    return [p.uid for p in part], shapely.to_wkb(geoms), [p.attrs for p in part], which, new, flags


def _parcels(columns, sources: list) -> list:
    """The child's parcel snapshots from :func:`_columns` (the review and author are not read)."""
    import shapely

    from zones.project import Parcel

    uids, wkbs, attrs, which, new, flags = columns
    sources += new
    geoms = shapely.from_wkb(wkbs).tolist()
    return [Parcel(uid, g, a, None, "", sources[k], flags.get(j, ()))
            for j, (uid, g, a, k) in enumerate(zip(uids, geoms, attrs, which))]


def _wait(child, receive, progress: Progress | None) -> dict:
    """The changed results, made StoredResult objects part by part as they arrive (each part
    holds this process's interpreter lock for milliseconds only)."""
    made: dict = {}
    while True:
        if progress is not None and progress.cancelled:
            raise Cancelled("cancelled by the user")
        if receive.poll(0.05):
            try:
                kind, value = receive.recv()
            except EOFError:
                raise ZonesError(f"the assessment process ended unexpectedly (exit code {child.exitcode})") from None
            if kind == "progress" and progress is not None:
                progress.done, progress.total, progress.label = value
            elif kind == "part":
                made.update(_made(value))
            elif kind == "done":
                return made
            elif kind == "error":
                raise value
        elif not child.is_alive():
            raise ZonesError(f"the assessment process ended unexpectedly (exit code {child.exitcode})")


def _made(rows: dict) -> dict:
    """StoredResult objects (their JSON parsed when first read) from one part the child sent."""
    import shapely

    from zones.project import StoredResult

    # every piece's outline made in one vectorised call (not one call per parcel)
    outlines = iter(shapely.from_wkb([w for row in rows.values() for w in row[7]]).tolist())
    made = {}
    for uid, (fp, result, provenance, key, due, flags, grades, _) in rows.items():
        pieces = tuple((g, next(outlines)) for g in grades)
        made[uid] = StoredResult(None, fp, None, pieces, result_text=result, provenance_text=provenance,
                                 due=Decimal(due), flags=tuple(flags), key=key)
    return made


def _stored(parcels, made: dict, reuse: dict) -> dict:
    return {p.uid: made[p.uid] if p.uid in made else reuse[p.uid] for p in parcels}


def _send_changed(conn, stored: dict, reuse: dict) -> None:  # pragma: no cover - child
    """Send the results of ``stored`` that changed, as the project file stores them, as one
    part (the parent takes each in as it arrives)."""
    import shapely

    part = [uid for uid, s in stored.items() if s is not reuse.get(uid)]
    if not part:
        return
    geoms = [g for uid in part for _, g in stored[uid].pieces]
    wkbs = shapely.to_wkb(geoms).tolist() if geoms else []     # one vectorised call per part
    rows, k = {}, 0
    for uid in part:
        s = stored[uid]
        result, provenance = s.texts()
        n = len(s.pieces)
        rows[uid] = (s.fingerprint, result, provenance, s.key, str(s.due), list(s.flags),
                     [g for g, _ in s.pieces], wkbs[k:k + n])
        k += n
    conn.send(("part", rows))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives the pipe (pickling), else a ZonesError with its message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return ZonesError(f"{exc}" if isinstance(exc, ZonesError) else f"{type(exc).__name__}: {exc}")


def _child(conn, feed) -> None:  # pragma: no cover - child
    try:
        # everything the job needs is imported before waiting for it (the point of starting ahead)
        import geopandas  # noqa: F401
        import shapely  # noqa: F401

        import zones.assess  # noqa: F401
        from zones.project import ParcelsAssessed

        try:
            n_chunks, zoneset, period, catalogue, tax_base, part = feed.recv()   # waits here when started ahead
        except EOFError:        # the parent ended (or closed a child it no longer needs)
            return
        parcels: list = []
        sources: list = []
        reuse: dict = {}
        for _ in range(n_chunks):
            columns, stubs = feed.recv()
            parcels += _parcels(columns, sources)
            reuse.update((uid, _Stored(*s)) for uid, s in stubs.items())
        # the fingerprints come last: the parent makes them while the engine runs here
        progress = _PipeProgress(conn)
        job = ParcelsAssessed(parcels, zoneset, period, catalogue=catalogue, tax_base=tax_base,
                              progress=progress, reuse=reuse, prints=feed.recv)
        feed.close()
        # made and sent a part at a time: the parent takes in one part while the next is made
        for start in range(0, len(parcels), part):
            progress.results_made(start, len(parcels))
            _send_changed(conn, job.results(start, min(start + part, len(parcels))), reuse)
        conn.send(("progress", (1000, 1000, "done")))    # the last step, never throttled
        conn.send(("done", None))
    except BaseException as exc:   # delivered to the parent, which presents it
        conn.send(("error", _portable(exc)))
    finally:
        conn.close()
