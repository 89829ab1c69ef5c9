"""A synthetic city whose answers are known by hand.

Coordinates are EPSG:4549 metres near Lucheng (x ≈ 560 000, y ≈ 3 100 000), so
the same parcels can be reprojected to real CRSs. Grade 1 is the square
[0, 1000]², grade 2 the square east of it [1000, 2000] × [0, 1000], grade 3 the
strip north of both [0, 2000] × [1000, 2000]; east of x = 2000 and south of
y = 0 is outside the levy scope. Every grade polygon is densified (a vertex
every 5 m), so the overlay's subdivision into small pieces is exercised.
"""

from decimal import Decimal

import geopandas as gpd
import shapely

from zones.zoneset import ZoneSet

X0, Y0 = 560_000.0, 3_100_000.0
CRS = "EPSG:4549"
RATES = {1: Decimal(15), 2: Decimal(10), 3: Decimal(5)}


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def city(accuracy_m=None) -> ZoneSet:
    grades = gpd.GeoDataFrame(
        {"grade": [1, 2, 3]},
        geometry=[shapely.segmentize(box(0, 0, 1000, 1000), 5), shapely.segmentize(box(1000, 0, 2000, 1000), 5),
                  shapely.segmentize(box(0, 1000, 2000, 2000), 5)],
        crs=CRS,
    )
    return ZoneSet("synthetic-city", "合成城市 Synthetic city", "1", CRS, dict(RATES), grades, accuracy_m=accuracy_m,
                   accuracy_statement="synthetic" if accuracy_m else "")
