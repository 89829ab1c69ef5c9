"""Where the batch time goes: one ``python -m zones assess`` run under a profiler.

    python -m benchmarks.profile CITY.gpkg [--out /tmp/profile_out.csv] [--cprofile]

Uses pyinstrument (``pip install pyinstrument``) for a call tree of wall time, or
cProfile (``--cprofile``, always available) sorted by cumulative time. Imports are
included, as in the real command.
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="profile one batch assessment")
    ap.add_argument("input")
    ap.add_argument("--out", default="/tmp/profile_out.csv")
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--interval", type=float, default=0.001, help="pyinstrument sampling interval, s")
    args = ap.parse_args(argv)
    cli_args = ["assess", args.input, "--out", args.out, "--year", "2024", "--quiet"]
    if args.cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        _run(cli_args)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        return 0
    from pyinstrument import Profiler

    profiler = Profiler(interval=args.interval)
    t = time.perf_counter()
    profiler.start()
    _run(cli_args)
    profiler.stop()
    print(f"wall {time.perf_counter() - t:.2f} s")
    print(profiler.output_text(unicode=True, show_all=False))
    return 0


def _run(cli_args):
    from zones.cli import main as zones_main  # imported inside the profile, like the real command

    code = zones_main(cli_args)
    if code:
        raise SystemExit(code)


if __name__ == "__main__":
    sys.exit(main())
