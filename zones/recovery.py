"""Crash recovery: the open project is copied to a recovery file in the user's
data folder (every minute and after every completed edit); a clean exit removes
it, so a recovery file found at start-up means the last session did not end
cleanly. Qt-free: the GUI passes the folder."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from zones.io.atomic import atomic_output
from zones.project import Project
from zones.project_file import load_project, save_project


class Recovery:
    def __init__(self, folder) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "recovery.gpkg"
        self.info_path = self.folder / "recovery.json"

    def write(self, project: Project, *, original: str | None, zoneset=None) -> None:
        """Save a recovery copy (atomic: a crash while writing keeps the previous copy)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        save_project(project, self.path, zoneset=zoneset)
        info = {"original": original, "saved_at": datetime.now().isoformat(timespec="seconds"), "pid": os.getpid(),
                "parcels": len(project)}
        with atomic_output(self.info_path) as tmp:
            tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")

    def pending(self) -> dict | None:
        """What a recovery file holds (original path, when, how many parcels), or None."""
        if not (self.path.exists() and self.info_path.exists()):
            return None
        try:
            return json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def restore(self) -> Project:
        return load_project(self.path)

    def clear(self) -> None:
        for p in (self.path, self.info_path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
