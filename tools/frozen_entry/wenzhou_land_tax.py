"""Entry of the frozen desktop application (windowed): ``desktop.app:main``."""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # A windowed Windows executable has no console: sys.stdout/stderr are None and
    # the first print or logging.StreamHandler write would raise. Send them nowhere;
    # the application's own log file keeps what matters.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    from desktop.app import main

    sys.exit(main())
