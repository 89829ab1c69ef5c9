"""Map redraw time with a 10 000 × 10 000 GeoTIFF reference layer under the grades.

    python -m benchmarks.reference_raster [--dir /tmp/wztax-bench] [--repeats 15]

Makes (once) ``raster10k_v2.tif`` in ``--dir``: 10 000 × 10 000 pixels, 3 bands, 0.5 m per
pixel (5 km across, on central Wenzhou, EPSG:4549), tiled 512, DEFLATE, internal overviews
×2 … ×64. A 1100 × 700 :class:`desktop.map.map_view.MapView` with the bundled zone set and
the raster as a reference layer (:class:`desktop.map.layers.background.RasterBackgroundLayer`)
is drawn with Agg at five views: the whole raster (5 km across) and 2 km, 500 m, 100 m
and 30 m across centred on it. For each, in ms, median of ``--repeats`` after a warm-up,
a **zoom step** in CPU time (the view alternates with one 1.25 × larger; every layer rebuilds what is
in view, the raster is read again for the new view, and the figure is drawn in full):

- without the raster (the map as it was);
- with the raster, read through its overviews (GDAL picks the level matching the view);
GDAL's block cache is set to 64 MB (``GDAL_CACHEMAX``), as on an office PC.

- with the raster, overviews ignored (``OVERVIEW_LEVEL=NONE``): the competing approach,
  reading the full-resolution pixels and decimating them.

Prints a markdown table; ``--json PATH`` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

SIZE_PX = (1100, 700)
N = 10_000
PIXEL_M = 0.5
X0, Y0 = 564_000.0, 3_096_500.0
VIEWS_M = {"whole (5 km)": N * PIXEL_M, "2 km": 2000.0, "500 m": 500.0, "100 m": 100.0, "30 m": 30.0}
ZOOM = 1.25


def make_raster(path: Path) -> Path:
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {"driver": "GTiff", "width": N, "height": N, "count": 3, "dtype": "uint8", "crs": "EPSG:4549",
               "transform": from_origin(X0, Y0 + N * PIXEL_M, PIXEL_M, PIXEL_M), "tiled": True, "blockxsize": 512,
               "blockysize": 512, "compress": "DEFLATE"}
    block = 1000
    rng = np.random.default_rng(0)
    with rasterio.open(path, "w", **profile) as ds:
        cols = np.arange(N)
        for r0 in range(0, N, block):
            rows = np.arange(r0, r0 + block)[:, None]
            # streets every 200 m, blocks shaded by position: something that looks like a map
            # plus noise, as in imagery: it compresses about as badly as an aerial photo
            street = ((rows % 400) < 12) | ((cols[None, :] % 400) < 12)
            noise = rng.integers(0, 40, size=(3, block, N), dtype=np.uint8)
            red = np.where(street, 210, 100 + (cols[None, :] // 80) % 60).astype(np.uint8)
            green = np.where(street, 210, 120 + (rows // 80) % 50).astype(np.uint8)
            blue = np.where(street, 200, 90).astype(np.uint8) * np.ones_like(red)
            ds.write(np.stack([red, green, blue]) + noise, window=Window(0, r0, N, block))
        ds.build_overviews([2, 4, 8, 16, 32, 64])
    return path


def timed_views(view, repeats: int) -> dict[str, float]:
    """Median CPU ms (``time.process_time``: this process's time on every core, so other
    work on the machine does not count) of a zoom step at each view."""
    canvas = view.figure.canvas
    cx, cy = X0 + N * PIXEL_M / 2, Y0 + N * PIXEL_M / 2
    out = {}
    for name, across in VIEWS_M.items():
        a = (cx - across / 2, cy - across / 2 * 0.64, cx + across / 2, cy + across / 2 * 0.64)
        b = tuple(c + (c - m) * (ZOOM - 1) for c, m in zip(a, (cx, cy, cx, cy)))
        times = []
        for i in range(repeats + 1):
            t = time.process_time()
            view.zoom_to(a if i % 2 else b)
            canvas.draw()
            if i:
                times.append((time.process_time() - t) * 1000)
        out[name] = statistics.median(times)
    return out


def main(argv=None) -> int:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from desktop.map.layers.background import RasterBackgroundLayer
    from desktop.map.map_view import MapView
    from zones.reference_layers import RasterSource
    from zones.zoneset import load_zoneset

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/wztax-bench"))
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    path = make_raster(args.dir / "raster10k_v2.tif")
    print(f"raster ready ({time.perf_counter() - t:.1f} s): {path} ({path.stat().st_size / 1e6:.0f} MB)")

    import rasterio
    # a modest GDAL block cache, as on an office PC: otherwise the whole file's decoded
    # blocks stay cached between repeats and reading without overviews looks free
    env = rasterio.Env(GDAL_CACHEMAX=64)
    env.__enter__()
    zs = load_zoneset("wenzhou-urban-2024")
    results = {}
    for label, options in (("no raster", None), ("raster, overviews", {}),
                           ("raster, overviews ignored", {"OVERVIEW_LEVEL": "NONE"})):
        view = MapView(width_px=SIZE_PX[0], height_px=SIZE_PX[1])
        FigureCanvasAgg(view.figure)
        view.set_zoneset(zs)
        layer = None
        if options is not None:
            layer = RasterBackgroundLayer(view.ax, RasterSource(path, **options), "raster", 0.8)
            view.layers["reference:bench"] = layer
            view.zones.raster.set_alpha(0.55)
        results[label] = timed_views(view, args.repeats)
        if layer is not None:
            layer.close()
    print("\n| view | no raster | raster (overviews) | raster (overviews ignored) | ignored ÷ overviews |")
    print("|---|---:|---:|---:|---:|")
    for name in VIEWS_M:
        a, b, c = (results[k][name] for k in ("no raster", "raster, overviews", "raster, overviews ignored"))
        print(f"| {name} | {a:.1f} | **{b:.1f}** | {c:.1f} | {c / b:.1f} × |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
