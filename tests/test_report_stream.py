"""The batch PDF is written to disk page by page while it is built (never all pages in memory),
and a cancel part-way leaves no file at all."""

import geopandas as gpd
import pytest
import shapely
from pypdf import PdfReader

from test_report import pdf_text, synthetic_zoneset
from zones.assess import assess
from zones.errors import Cancelled
from zones.periods import TaxPeriod
from zones.progress import Progress
from zones.report import write_parcel_reports


@pytest.fixture(scope="module")
def twelve():
    geoms = [shapely.box(500100 + 200 * k, 3100300, 500250 + 200 * k, 3100420) for k in range(12)]
    return assess(gpd.GeoSeries(geoms, crs="EPSG:4549"), synthetic_zoneset(), TaxPeriod(2024),
                  ids=[f"S-{k + 1}" for k in range(12)])


class Watch(Progress):
    """Notes the size of the temporary PDF in ``folder`` at every parcel; cancels at ``stop``."""

    def __init__(self, folder, stop=None):
        super().__init__()
        self.folder, self.stop, self.sizes = folder, stop, []

    def step(self, done, total, label=None):
        self.sizes.append(sum(p.stat().st_size for p in self.folder.iterdir()))
        if done == self.stop:
            self.cancel()
        super().step(done, total, label)


def test_pages_reach_the_disk_while_the_batch_is_built(twelve, tmp_path):
    watch = Watch(tmp_path)
    out = write_parcel_reports(twelve, tmp_path / "b.pdf", progress=watch)
    # the summary page and then each parcel's page are on disk before the next parcel is laid out
    assert watch.sizes[1] > 0 and watch.sizes[11] > watch.sizes[6] > watch.sizes[1]
    pages = pdf_text(out)
    assert len(PdfReader(str(out)).pages) == 13
    assert all("第1页共1页" in p for p in pages[1:]) and "全册第13/13页" in pages[-1]


def test_cancel_part_way_leaves_no_file(twelve, tmp_path):
    watch = Watch(tmp_path, stop=5)
    with pytest.raises(Cancelled):
        write_parcel_reports(twelve, tmp_path / "c.pdf", progress=watch)
    assert watch.sizes[5] > 0                 # pages had been written …
    assert list(tmp_path.iterdir()) == []     # … and the partial file is gone
