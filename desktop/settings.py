"""Every setting the application keeps, declared once (key, default, type), on QSettings.

Preferences (language, operator, autosave interval) are kept apart from window
state (geometry, dock layout) and remembered folders. ``SETTINGS_VERSION`` is
stored so a later release can migrate or drop stale values. The core never
reads settings: values are passed to it as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "wenzhou-land-tax"
APPLICATION = "wenzhou-land-tax"
SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    type: type


LANGUAGE = Setting("preferences/language", "zh_CN", str)          # zh_CN | en
OPERATOR = Setting("preferences/operator", "", str)               # who enters (录入人)
TAX_OFFICE = Setting("preferences/tax_office", "", str)           # the officer's 税务所
OFFICER_ASKED = Setting("preferences/officer_asked", False, bool)  # the first-start question was put
REVIEWER = Setting("preferences/reviewer", "", str)               # last reviewer name (复核人)
AUTOSAVE_SECONDS = Setting("preferences/autosave_seconds", 60, int)
SNAPPING = Setting("preferences/snapping", False, bool)
PERIOD_YEAR = Setting("preferences/period_year", 2024, int)
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Setting("window/state", QByteArray(), QByteArray)
LAST_PROJECT_DIR = Setting("folders/project", "", str)
LAST_IMPORT_DIR = Setting("folders/import", "", str)
LAST_EXPORT_DIR = Setting("folders/export", "", str)
LAST_ZONESET_DIR = Setting("folders/zoneset", "", str)
RECENT_PROJECTS = Setting("folders/recent_projects", [], list)
VERSION = Setting("meta/version", SETTINGS_VERSION, int)

ALL = (LANGUAGE, OPERATOR, TAX_OFFICE, OFFICER_ASKED, REVIEWER, AUTOSAVE_SECONDS, SNAPPING, PERIOD_YEAR, WINDOW_GEOMETRY, WINDOW_STATE,
       LAST_PROJECT_DIR, LAST_IMPORT_DIR, LAST_EXPORT_DIR, LAST_ZONESET_DIR, RECENT_PROJECTS, VERSION)


class Settings:
    """Typed access to the declared settings. Tests pass a QSettings on a temporary file."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
        if int(self.q.value(VERSION.key, 0) or 0) != SETTINGS_VERSION:  # type: ignore[call-overload]  # value() is typed object
            self.q.setValue(VERSION.key, SETTINGS_VERSION)

    def get(self, s: Setting):
        value = self.q.value(s.key, s.default)
        if value is None:
            return s.default
        if s.type is bool:
            return value in (True, "true", "1", 1)
        if s.type is list:
            return list(value) if isinstance(value, (list, tuple)) else ([value] if value else [])
        if s.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray()
        try:
            return s.type(value)
        except (TypeError, ValueError):
            return s.default

    def set(self, s: Setting, value) -> None:
        self.q.setValue(s.key, value)

    def sync(self) -> None:
        self.q.sync()
