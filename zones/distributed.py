"""The same assessment engine, partitioned on Dask (``--engine dask``).

The parcels are cut into spatially compact partitions (dask-geopandas, Hilbert
curve order); each partition is assessed by :func:`zones.assess.assess` on a
worker, and the partitions are put back together in the input order into one
:class:`~zones.assess.Assessment`. The results are identical to the
single-process run: every step of ``assess`` is per parcel except the overlap
check, so each partition is assessed together with its *halo* — the parcels of
other partitions that reach into its outline — and only its own parcels' results
are kept. Parcel ids, terms and record errors travel with the parcels.

By default a :class:`distributed.LocalCluster` (one single-threaded worker
process per core) is started and closed again; ``scheduler="tcp://host:8786"``
uses a running cluster instead (its workers need this package installed, the
same version). Dask is optional: importing this module never needs it.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

import numpy as np

from zones.errors import Cancelled, InputError

#: Parcels per partition when ``npartitions`` is not given (several per worker keeps them all busy).
PARCELS_PER_PARTITION = 100_000


def _need_dask():
    try:
        import dask  # noqa: F401
        import dask_geopandas
        import distributed
    except ImportError as exc:
        raise InputError("--engine dask", f"needs dask-geopandas and distributed ({exc.name} is missing); "
                                          "install them with: pip install dask-geopandas distributed") from None
    return dask_geopandas, distributed


def assess_dask(parcels, zoneset, period, *, scheduler=None, npartitions=None, **assess_kwargs):
    """Assess ``parcels`` like :func:`zones.assess.assess` (same keywords), partitioned on Dask.

    ``scheduler``: address of a running Dask scheduler; None starts a local cluster.
    ``npartitions``: how many spatial partitions (default: one per 100,000 parcels, at
    least two per worker).
    """
    import geopandas as gpd

    from zones.assess import assess

    dask_geopandas, distributed = _need_dask()
    progress = assess_kwargs.pop("progress", None)
    geo = parcels.geometry if isinstance(parcels, gpd.GeoDataFrame) else parcels
    if geo.crs is None:
        raise InputError("parcels", "the parcels have no coordinate reference system; state it (--crs)")
    n = len(geo)
    ids = assess_kwargs.pop("ids", None)
    ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(n)]
    terms = assess_kwargs.pop("terms", None)
    terms = list(terms) if terms is not None else [None] * n
    record_errors = dict(assess_kwargs.pop("record_errors", None) or {})
    if len(ids) != n or len(terms) != n:
        raise InputError("parcels", "ids/terms do not match the number of parcels")
    if n < 2:  # nothing to partition
        return assess(parcels, zoneset, period, ids=ids, terms=terms, record_errors=record_errors,
                      progress=progress, **assess_kwargs)

    client, cluster = _connect(distributed, scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        nparts = int(npartitions or max(2 * workers, -(-n // PARCELS_PER_PARTITION)))
        nparts = max(1, min(nparts, n))
        frame = gpd.GeoDataFrame({"_pos": np.arange(n)}, geometry=geo.values, crs=geo.crs)
        parts = _spatial_parts(dask_geopandas, frame, nparts)
        halos = _halos(frame, parts)
        zs_future = client.scatter(zoneset, broadcast=True)
        futures = []
        for own, halo in zip(parts, halos):
            rows = np.union1d(own, halo)
            futures.append(client.submit(
                _assess_part, client.scatter(frame.iloc[rows]), own, zs_future, period,
                [ids[i] for i in rows], [terms[i] for i in rows],
                {k: record_errors[g] for k, g in enumerate(rows.tolist()) if g in record_errors},
                assess_kwargs, pure=False))
        results = []
        for done, fut in enumerate(distributed.as_completed(futures), 1):
            results.append(fut.result())
            if progress is not None:
                try:
                    progress.step(done, len(futures), "split")
                except Cancelled:
                    client.cancel(futures)
                    raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return _merge(results, n, ids, terms, zoneset, period, assess_kwargs, progress)


def _connect(distributed, scheduler):
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise InputError("--scheduler", f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    cluster = distributed.LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    return distributed.Client(cluster), cluster


def _spatial_parts(dask_geopandas, frame, nparts: int) -> list[np.ndarray]:
    """Positions of the parcels of each partition, in Hilbert-curve order (dask-geopandas)."""
    ddf = dask_geopandas.from_geopandas(frame, npartitions=max(1, min(nparts, len(frame))))
    # computed here, not on the cluster: shipping every parcel twice would cost more than it saves
    dist = ddf.hilbert_distance().compute(scheduler="synchronous").to_numpy()
    order = np.argsort(dist, kind="stable")
    return [np.sort(p) for p in np.array_split(order, nparts) if len(p)]


def _halos(frame, parts: list[np.ndarray]) -> list[np.ndarray]:
    """For each partition, the parcels of other partitions whose box meets the box of one
    of its own: every possible overlap partner, so the overlap check sees them all."""
    import shapely

    geoms = np.asarray(frame.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    return [np.setdiff1d(tree.query(geoms[own])[1], own) for own in parts]


def _assess_part(frame, own, zoneset, period, ids, terms, record_errors, kwargs) -> dict:
    """Worker: assess one partition with its halo; return its own parcels' results as plain arrays."""
    from zones.assess import assess

    res = assess(frame, zoneset, period, ids=ids, terms=terms, record_errors=record_errors, **kwargs)
    pos = frame["_pos"].to_numpy()
    is_mine = np.isin(pos, own)
    mine = np.flatnonzero(is_mine)
    s = res.split
    out = {
        "pos": pos[mine], "geoms": res.geoms[mine], "area": s.area[mine], "by_grade": s.by_grade[mine],
        "outside": s.outside[mine], "whole": s.whole[mine], "gross": res._fast["gross"][mine],
        "flags": [res.flags[i] for i in mine], "notes": [res.notes[i] for i in mine],
        "errors": [_renumber(res.errors[i], i, pos[i]) for i in mine], "fast_flags": [res._fast["flags"][i] for i in mine],
        "slow": pos[[i for i in res._fast["slow"] if is_mine[i]]],
        "created": res.provenance.created, "grades": s.grades,
    }
    if s.frag_parcel is not None:
        assert s.frag_col is not None and s.frag_geom is not None     # kept together with frag_parcel
        local = np.full(len(pos), -1)
        local[mine] = pos[mine]
        keep = local[s.frag_parcel] >= 0
        out["frags"] = (local[s.frag_parcel[keep]], s.frag_col[keep], s.frag_geom[keep])
    return out


def _renumber(error: str | None, local: int | np.integer, position: int) -> str | None:
    """An error names its record as counted in the input, not in the partition."""
    return error.replace(f"(record {local + 1})", f"(record {position + 1})", 1) if error else error


def _merge(results: list[dict], n, ids, terms, zoneset, period, kwargs, progress):
    """One Assessment in the input order from the partitions' results."""
    from zones import RULES_VERSION, __version__
    from zones.assess import Assessment
    from zones.overlay import GradeSplit
    from zones.periods import months_liable
    from zones.progress import step
    from zones.results import Provenance
    from zones.tax import PLAIN_TERMS, TaxOptions

    options = kwargs.get("options") or TaxOptions()
    grades = results[0]["grades"]
    area, outside = np.zeros(n), np.zeros(n)
    by_grade = np.zeros((n, len(grades)))
    gross = np.zeros((n, len(grades)), np.int64)
    whole = np.zeros(n, dtype=bool)
    geoms = np.empty(n, dtype=object)
    from zones.assess import PerRecord

    flags, notes, fast_flags = PerRecord(), PerRecord(), PerRecord()
    errors: list[str | None] = [None] * n
    slow = []
    for r in results:
        p = r["pos"]
        area[p], outside[p], by_grade[p], gross[p], whole[p], geoms[p] = (
            r["area"], r["outside"], r["by_grade"], r["gross"], r["whole"], r["geoms"])
        for k, i in enumerate(p.tolist()):
            errors[i] = r["errors"][k]
            for store, key in ((flags, "flags"), (notes, "notes"), (fast_flags, "fast_flags")):
                if r[key][k]:
                    store[i] = r[key][k]
        slow.extend(r["slow"].tolist())
    frag: tuple = (None, None, None)
    if "frags" in results[0]:
        fp = np.concatenate([r["frags"][0] for r in results])
        fc = np.concatenate([r["frags"][1] for r in results])
        fg = np.concatenate([r["frags"][2] for r in results])
        order = np.argsort(fp, kind="stable")  # a parcel's fragments keep the order one process gives them
        frag = (fp[order], fc[order], fg[order])
    split = GradeSplit(grades, area, by_grade, outside, whole, *frag)
    slow.sort()
    prov = Provenance(
        zoneset_id=zoneset.id, zoneset_version=zoneset.version, rules_version=RULES_VERSION, app_version=__version__,
        input_sha256=kwargs.get("input_sha256"), created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        period=str(period), options=options.as_dict(),
    )
    result = Assessment(zoneset, period, options, ids, geoms, split, [t or PLAIN_TERMS for t in terms],
                        kwargs.get("catalogue"), flags, notes, errors, prov,
                        months_liable(period, months=options.months))
    result._fast = {"gross": gross, "slow": slow, "slow_set": set(slow), "flags": fast_flags}
    step(progress, n, n, "done")
    return result
