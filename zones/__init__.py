"""Qt-free core of the Wenzhou urban land-use tax (城镇土地使用税) assessor.

Zone sets (land-grade maps), the grade split of parcels, the tax rules, file
input/output and the command line live here. Nothing in this package imports Qt.
"""

APP_NAME = "wenzhou-land-tax"
#: Version of the tax rules implemented in zones.tax / zones.periods / zones.reliefs.
#: Bump whenever a rule changes the figures it produces.
RULES_VERSION = "2024.2"  # 2024.2: tax base rounded to 0.01 m² per grade row

from zones import _light_pyogrio  # noqa: E402  (pyogrio imported without pandas/geopandas/pyarrow)

_light_pyogrio.install()


def __getattr__(name: str):
    # The version is looked up only when asked for: importlib.metadata scans every installed
    # distribution, a cost every `python -m zones` run would pay before its first record.
    if name == "__version__":
        from importlib import metadata

        try:
            version = metadata.version(APP_NAME)
        except metadata.PackageNotFoundError:  # running from a source tree or a frozen build
            version = "0.1.0"
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module 'zones' has no attribute {name!r}")
