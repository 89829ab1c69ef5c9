from zones.cli import main

if __name__ == "__main__":  # spawned worker processes (--engine dask) import this module again
    raise SystemExit(main())
