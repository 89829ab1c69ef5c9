"""Qt-free core of the Wenzhou urban land-use tax (城镇土地使用税) assessor.

Zone sets (land-grade maps), the grade split of parcels, the tax rules, file
input/output and the command line live here. Nothing in this package imports Qt.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("wenzhou-land-tax")
except _metadata.PackageNotFoundError:  # running from a source tree or a frozen build
    __version__ = "0.1.0"

APP_NAME = "wenzhou-land-tax"
#: Version of the tax rules implemented in zones.tax / zones.periods / zones.reliefs.
#: Bump whenever a rule changes the figures it produces.
RULES_VERSION = "2024.2"  # 2024.2: tax base rounded to 0.01 m² per grade row
