"""Entry of the frozen command line (console): exactly ``python -m zones``."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # Parcel ids and messages are Chinese; a console or a redirected file in a
    # non-Chinese code page must not turn a finished assessment into a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    from zones.cli import main

    sys.exit(main())
