"""Reports from stored results: the reports module reads an assessment run
(``len``, ``parcel(i)``, ``pieces()``, ``geoms``, ``zoneset``, ``period``,
``provenance``); :class:`StoredAssessment` answers the same from the document
store's stored results, so printing a parcel never assesses it again and prints
exactly the figures the officer saw (and reviewed). Qt-free.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import shapely

from zones.project import PROJECT_CRS, Parcel, StoredResult
from zones.results import ParcelResult, Provenance

_PROVENANCE_KEYS = ("zoneset_id", "zoneset_version", "rules_version", "app_version", "input_sha256", "created",
                    "period", "options")


class StoredAssessment:
    """Stored results of ``parcels`` (in that order) as the reports read an assessment."""

    def __init__(self, parcels: list[Parcel], stored: list[StoredResult], zoneset, period) -> None:
        if len(parcels) != len(stored):
            raise ValueError("one stored result per parcel is needed")
        self.zoneset, self.period = zoneset, period
        self.ids = [p.label for p in parcels]
        # 点号 as typed or imported, for the report's point table (zones.point_names)
        self.point_names = {i: p.point_names for i, p in enumerate(parcels) if getattr(p, "point_names", ())}
        self._results = [replace(s.result, index=i) for i, s in enumerate(stored)]
        self._stored = stored
        geo = gpd.GeoSeries([p.geometry for p in parcels], crs=PROJECT_CRS)
        if zoneset is not None and not geo.crs.equals(zoneset.crs):
            geo = geo.to_crs(zoneset.crs)
        self.geoms = np.asarray(geo.values, dtype=object)
        # one provenance for the document: the oldest computation's (the footer names it)
        prov = min((s.provenance for s in stored), key=lambda d: str(d.get("created", "")), default={})
        self.provenance = Provenance(**{k: prov.get(k, {} if k == "options" else "") for k in _PROVENANCE_KEYS})

    def amend(self, fn) -> None:
        """Replace each result ``r`` of row ``i`` by ``fn(i, r)``: what the caller knows beyond the
        store (a 宗地号 another parcel shares, an identifier failing its check) in the flags area."""
        self._results = [replace(fn(i, r), index=i) for i, r in enumerate(self._results)]

    def __len__(self) -> int:
        return len(self._results)

    def parcel(self, i: int) -> ParcelResult:
        return self._results[i]

    def results(self) -> list[ParcelResult]:
        return list(self._results)

    def pieces(self) -> gpd.GeoDataFrame:
        """The stored grade pieces: parcel_index, grade, area_m2, geometry (zone set's CRS)."""
        rows = [(i, g, geom) for i, s in enumerate(self._stored) for g, geom in s.pieces]
        geoms = [r[2] for r in rows]
        crs = self.zoneset.crs if self.zoneset is not None else PROJECT_CRS
        return gpd.GeoDataFrame({"parcel_index": np.array([r[0] for r in rows], dtype=np.int64),
                                 "grade": np.array([r[1] for r in rows], dtype=np.int64),
                                 "area_m2": shapely.area(geoms) if geoms else np.zeros(0)},
                                geometry=geoms, crs=crs)
