"""Reference layers: the office's own maps shown under the grades — streets, imagery, the
land department's 宗地图 — from a vector file (shp, gpkg, geojson, kml, dxf) or a raster
(GeoTIFF, ideally with overviews, or MBTiles).

Qt-free. What the project keeps is a :class:`ReferenceLayerSpec` (file, label field,
opacity, shown); the data are read again when the project opens, never copied into it and
never written to. Everything is returned in the map CRS, EPSG:4549 metres.

A raster is read for the view only: the window the view covers, at the screen's resolution,
so GDAL reads the overview level that matches (a 10 000 × 10 000 GeoTIFF zoomed out reads
its 1/16 overview, not 100 million pixels). A raster in another CRS (MBTiles are Web
Mercator) is warped on the fly through a GDAL warped VRT, which also reads overviews.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from zones.errors import InputError

MAP_CRS = "EPSG:4549"
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".dxf")
RASTER_SUFFIXES = (".tif", ".tiff", ".mbtiles", ".jpg", ".png", ".img", ".vrt")


@dataclass(frozen=True)
class ReferenceLayerSpec:
    """One reference layer as the project keeps it. ``path`` is relative to the project's
    folder when the file lies under it (the project and its maps can move together)."""

    path: str
    kind: str                  # 'vector' or 'raster'
    name: str = ""
    label_field: str = ""      # vector: the field whose values are drawn as labels ('' none)
    opacity: float = 1.0       # 0–1
    visible: bool = True
    layer: str = ""            # vector: the layer in a multi-layer file ('' the first)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ReferenceLayerSpec:
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        spec = cls(**known)
        return replace(spec, opacity=min(1.0, max(0.0, float(spec.opacity))))

    def resolved(self, project_dir: Path | None) -> Path:
        p = Path(self.path)
        return p if p.is_absolute() or project_dir is None else (project_dir / p)

    def relative_to(self, project_dir: Path | None) -> ReferenceLayerSpec:
        """The same spec with its path relative to ``project_dir`` when the file lies under it."""
        if project_dir is None:
            return self
        try:
            rel = os.path.relpath(Path(self.path).resolve(), Path(project_dir).resolve())
        except ValueError:       # another drive
            return self
        return self if rel.startswith("..") else replace(self, path=rel)


def specs_for_file(specs: list[dict], project_path) -> list[dict]:
    """The specs as a project file at ``project_path`` stores them: paths under its folder
    relative to it."""
    folder = Path(project_path).parent
    return [ReferenceLayerSpec.from_dict(d).relative_to(folder).as_dict() for d in specs]


def kind_of(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return "vector"
    if suffix in RASTER_SUFFIXES:
        return "raster"
    raise InputError(Path(path), f"不支持的参考图层格式 {suffix or '（无扩展名）'}；"
                                 f"矢量：{' '.join(VECTOR_SUFFIXES)}；影像：{' '.join(RASTER_SUFFIXES)}")


# ------------------------------------------------------------------ vector

@dataclass
class VectorData:
    geoms: np.ndarray          # shapely geometries in EPSG:4549
    fields: list[str]          # text-like fields that can label
    table: Any                 # the attribute DataFrame (without geometry)
    crs_note: str = ""

    def labels(self, field: str) -> list[str]:
        if not field or field not in self.table.columns:
            return [""] * len(self.geoms)
        return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in self.table[field]]


def read_vector(path, layer: str = "") -> VectorData:
    """The features of a vector file in EPSG:4549. A file without a CRS is placed by the
    form of its coordinates (:func:`zones.crs.infer_crs`); one that fits no known system
    is refused, naming the file."""
    import pyogrio
    import shapely

    from zones.crs import infer_crs

    path = Path(path)
    if not path.exists():
        raise InputError(path, "文件不存在")
    try:
        df = pyogrio.read_dataframe(path, layer=layer or None)
    except Exception as exc:      # GDAL's own errors are many; the message names the file
        raise InputError(path, f"无法读取矢量图层：{exc}") from exc
    df = df[df.geometry.notna() & ~df.geometry.is_empty]
    note = ""
    if df.crs is None:
        coords = shapely.get_coordinates(df.geometry.values[:2000])
        decision = infer_crs(coords)
        if decision.crs is None:
            raise InputError(path, f"文件没有坐标系，且无法从坐标判断：{decision.reason}")
        if decision.swapped:
            df = df.set_geometry(shapely.transform(df.geometry.values, lambda xy: xy[:, ::-1]))
        df = df.set_crs(decision.crs, allow_override=True)
        note = decision.reason
    if str(df.crs) != MAP_CRS:
        df = df.to_crs(MAP_CRS)
    table = df.drop(columns="geometry")
    fields = [c for c in table.columns if table[c].dtype == object or str(table[c].dtype).startswith(("int", "str"))]
    return VectorData(df.geometry.values, fields, table, note)


# ------------------------------------------------------------------ raster

class RasterSource:
    """An open raster that gives the pixels of any view. Close it when done."""

    def __init__(self, path, **open_options) -> None:
        """``open_options``: GDAL open options (e.g. ``OVERVIEW_LEVEL="NONE"`` for a benchmark)."""
        import rasterio
        from rasterio.vrt import WarpedVRT

        self.path = Path(path)
        if not self.path.exists():
            raise InputError(self.path, "文件不存在")
        try:
            self.dataset = rasterio.open(self.path, **open_options)
        except Exception as exc:
            raise InputError(self.path, f"无法读取影像：{exc}") from exc
        ds = self.dataset
        if ds.crs is None:
            ds.close()
            raise InputError(self.path, "影像没有坐标系（缺少 .prj/.tfw 或内嵌地理参考）")
        self.warped = None
        if ds.crs.to_string() != MAP_CRS:
            self.warped = WarpedVRT(ds, crs=MAP_CRS)
        self.src = self.warped or ds
        self.bounds = tuple(self.src.bounds)          # (x0, y0, x1, y1) EPSG:4549
        self.overviews = ds.overviews(1)

    def close(self) -> None:
        if self.warped is not None:
            self.warped.close()
        self.dataset.close()

    def read_view(self, bounds, width_px: int, height_px: int):
        """RGBA pixels (rows top down) of the part of ``bounds`` the raster covers, at about
        the view's resolution (never more pixels than the file has there), and that part's
        extent (x0, x1, y0, y1) on whole raster pixels; None when the view misses the raster."""
        from rasterio.enums import Resampling
        from rasterio.windows import Window, from_bounds

        x0, y0, x1, y1 = bounds
        rx0, ry0, rx1, ry1 = self.bounds
        ix0, iy0, ix1, iy1 = max(x0, rx0), max(y0, ry0), min(x1, rx1), min(y1, ry1)
        if ix0 >= ix1 or iy0 >= iy1:
            return None
        src = self.src
        # whole source pixels, outwards: the extent then matches what is read exactly
        win = from_bounds(ix0, iy0, ix1, iy1, transform=src.transform)
        c0, r0 = max(0, int(np.floor(win.col_off + 1e-9))), max(0, int(np.floor(win.row_off + 1e-9)))
        c1 = min(src.width, int(np.ceil(win.col_off + win.width - 1e-9)))
        r1 = min(src.height, int(np.ceil(win.row_off + win.height - 1e-9)))
        if c1 <= c0 or r1 <= r0:
            return None
        win = Window(c0, r0, c1 - c0, r1 - r0)
        wx0, wy0, wx1, wy1 = src.window_bounds(win)
        scale = (x1 - x0) / max(width_px, 1)                     # metres per screen pixel
        w = max(1, min(win.width, round((wx1 - wx0) / scale)))
        h = max(1, min(win.height, round((wy1 - wy0) / scale)))
        bands = min(src.count, 4)
        data = src.read(list(range(1, bands + 1)), window=win, out_shape=(bands, h, w),
                        resampling=Resampling.nearest)
        return _to_rgba(src, data), (wx0, wx1, wy0, wy1)


def _to_rgba(src, data: np.ndarray) -> np.ndarray:
    """(bands, h, w) → (h, w, 4) uint8: grey, grey+alpha, RGB, RGBA or a palette."""
    bands, h, w = data.shape
    nodata = src.nodata
    empty = np.all(data == nodata, axis=0) if nodata is not None and bands in (1, 3) else None
    if data.dtype != np.uint8:
        lo, hi = np.nanpercentile(data, (2, 98)) if data.size else (0, 1)
        data = np.clip((data - lo) / max(hi - lo, 1e-9) * 255, 0, 255).astype(np.uint8)
    out = np.empty((h, w, 4), dtype=np.uint8)
    if bands == 1:
        try:
            cmap = src.colormap(1)
        except ValueError:
            cmap = None
        if cmap:
            lut = np.zeros((256, 4), dtype=np.uint8)
            for k, v in cmap.items():
                if 0 <= k < 256:
                    lut[k] = v
            out = lut[data[0]]
            if empty is not None:
                out[..., 3] = np.where(empty, 0, out[..., 3])
            return out
        out[..., 0] = out[..., 1] = out[..., 2] = data[0]
        out[..., 3] = 255
    elif bands == 2:
        out[..., 0] = out[..., 1] = out[..., 2] = data[0]
        out[..., 3] = data[1]
    else:
        out[..., :3] = np.moveaxis(data[:3], 0, -1)
        out[..., 3] = data[3] if bands >= 4 else 255
    if empty is not None:
        out[..., 3] = np.where(empty, 0, out[..., 3])
    return out
