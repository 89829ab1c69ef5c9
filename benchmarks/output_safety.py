"""What the formula neutralising of text cells costs when writing the results CSV and
XLSX (issue 11), timed against the same writers without it, in the same run.

    python -m benchmarks.output_safety [ROWS]      # default 200000 rows for the CSV, 20000 for XLSX

The table has the shape of a results table: an id, two text attributes (one in 50 starting
like a formula), and two-decimal amounts."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from zones.io import export


def table(n: int) -> pd.DataFrame:
    owners = np.where(np.arange(n) % 50 == 0, "=HYPERLINK(\"x\")", "张三")
    t = pd.DataFrame({"parcel_id": [f"P-{i}" for i in range(n)], "权利人": owners,
                      "土地坐落": [f"鹿城区某路{i}号" for i in range(n)], "tax_due": np.arange(n) / 100.0})
    t.attrs["two_decimals"] = ["tax_due"]
    return t


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n: int) -> None:
    folder = Path(tempfile.mkdtemp())
    t = table(n)
    raw = best(lambda: export._write_csv_arrow(t, folder / "raw.csv"))
    safe = best(lambda: export.write_csv(t, folder / "safe.csv"))
    print(f"CSV  {n} rows: plain {raw:.3f} s, neutralised {safe:.3f} s, ratio {safe / raw:.2f}")
    m = max(n // 10, 1)
    small = table(m)

    def xlsx_plain():
        with pd.ExcelWriter(folder / "raw.xlsx", engine="openpyxl") as xw:
            small.to_excel(xw, sheet_name="结果", index=False)

    xraw = best(xlsx_plain, 1)
    xsafe = best(lambda: export.write_results(small, folder / "safe.xlsx", provenance={"run": "bench"}), 1)
    print(f"XLSX {m} rows: plain {xraw:.3f} s, neutralised {xsafe:.3f} s, ratio {xsafe / xraw:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
