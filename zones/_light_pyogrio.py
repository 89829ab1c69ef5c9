"""Keep ``import pyogrio`` from importing pandas, geopandas and pyarrow.

pyogrio's ``_compat`` module imports pandas, geopandas and pyarrow when pyogrio is imported,
only to read their versions into flags (``PANDAS_GE_20`` …); that is about 0.3 s of a
command-line run before its first record, and pyogrio's raw reader needs none of them. While
``pyogrio._compat`` (and only it) is executed, each of those three that is installed but not
yet imported is stood for by a :class:`DeferredModule`: it answers ``__version__`` from the
installed distribution's metadata (so the flags come out as they would) and imports the real
module on any other attribute. Afterwards the stand-ins leave ``sys.modules``, so every later
``import pandas`` anywhere imports the real pandas as usual; ``read_dataframe`` imports it
itself when first called. A module already imported, or not installed, is left alone.

Installed by ``zones/__init__.py``; harmless when pyogrio was imported before ``zones``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

#: Imported by pyogrio._compat only to read their versions.
DEFERRED = ("pyarrow", "geopandas", "pandas")
TARGET = "pyogrio._compat"


class DeferredModule(types.ModuleType):
    """A module not imported yet: ``__version__`` from its distribution, anything else from the real module."""

    def __getattr__(self, attr: str):
        if attr == "__version__":
            from importlib import metadata

            try:
                version = metadata.version(self.__name__)
            except metadata.PackageNotFoundError:   # no metadata (a frozen build may leave it out): ask the module
                version = self._real().__version__
            self.__dict__["__version__"] = version
            return version
        if attr.startswith("__") and attr.endswith("__"):   # copy/pickle/inspect probing: not the module's own
            raise AttributeError(attr)
        return getattr(self._real(), attr)

    def _real(self) -> types.ModuleType:
        # While the stand-in is sys.modules' entry, importing the name would return the stand-in
        # itself (and asking it again would recurse): it steps aside for the real module first.
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)


class _CompatLoader:
    """pyogrio._compat's own loader, run with the stand-ins in place (duck-typed: importlib.abc costs 20 ms)."""

    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module) -> None:
        standins = {name: DeferredModule(name) for name in DEFERRED
                    if name not in sys.modules and importlib.util.find_spec(name) is not None}
        sys.modules.update(standins)
        try:
            self.real.exec_module(module)
        finally:
            for name, standin in standins.items():
                if sys.modules.get(name) is standin:
                    del sys.modules[name]


class _CompatFinder:
    """Finds ``pyogrio._compat`` as usual and wraps its loader; then steps aside."""

    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _CompatLoader(spec.loader)
        return spec


def install() -> None:
    """Defer pyogrio's version-check imports, unless pyogrio is imported already."""
    if TARGET in sys.modules or any(isinstance(f, _CompatFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _CompatFinder())
