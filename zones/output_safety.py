"""Safety of what a run writes: which files belong to the input (never written), which
files the run will write (never the same file twice), one run id on every output, and
the output set switched in one commit that a kill cannot tear.

How the commit works: while an :class:`OutputSet` is active, every atomic writer
(:func:`zones.io.atomic.atomic_output`, the shapefile writer) leaves its finished
temporary beside the target instead of renaming it. :meth:`OutputSet.commit` then
writes a journal (the list of renames) and performs the renames. A run killed
before the journal leaves every output old; killed after it, the next run (or
:func:`recover`) finishes the renames from the journal, so every output becomes new.
Temporaries carry the writer's process id (``.<name>.~zr<pid>.<random><ext>``):
the next run removes those of processes no longer alive.

Also here: the cell rules for spreadsheets (formula neutralising, control
characters shown escaped) and the message rules (one line, ≤ 300 characters).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from zones.errors import InputError

# ---------------------------------------------------------------- messages
MESSAGE_LIMIT = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """Control characters (and terminal escapes, which start with one) as visible ``\\x1b`` text."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        str(text))


_TEMP_IN_TEXT = re.compile(r"\.([^\s/\\]+?)\.~zr\d+\.[0-9a-f]{8}(\.[A-Za-z0-9]+)?")


def user_names(text: str) -> str:
    """Hidden temporaries named in a message replaced by the user's file they become."""
    return _TEMP_IN_TEXT.sub(lambda m: m.group(1) + (m.group(2) or ""), text)


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one line of at most ``limit`` characters, control characters escaped,
    the program's temporaries named as the user's files."""
    text = escape_controls(user_names(" ".join(str(text).split("\n")).replace("\r", " ")))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- cells
#: A spreadsheet takes a cell starting with one of these as a formula (full-width forms too:
#: Excel's input method converts ＝ to = on entry).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: What openpyxl refuses in a cell (XML 1.0 cannot hold them).
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(text) -> bool:
    """True for text a spreadsheet would run as a formula (a plain signed number is only a number)."""
    return isinstance(text, str) and text[:1] in FORMULA_START and not _PLAIN_NUMBER.match(text)


def csv_text(text: str) -> str:
    """A CSV cell that cannot run as a formula: the usual apostrophe in front (OWASP)."""
    return "'" + text if formula_like(text) else text


def xlsx_text(text: str, where: str = "") -> str:
    """Text openpyxl can store: the characters XML cannot hold shown as ``\\x0b`` (a finding says so)."""
    if not XLSX_ILLEGAL.search(text):
        return text
    note("control_character", where, "a control character in the text is written as "
         + ", ".join(sorted({f"\\x{ord(c):02x}" for c in XLSX_ILLEGAL.findall(text)})))
    return XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def set_text_cell(cell, text: str, where: str = "") -> None:
    """Write ``text`` into an openpyxl cell as text, never as a formula (quotePrefix: Excel keeps
    it text when the cell is edited too)."""
    cell.value = xlsx_text(text, where)
    if cell.data_type == "f" or formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


# ---------------------------------------------------------------- findings of the writers
@dataclass
class OutputFinding:
    kind: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def note(kind: str, where: str, message: str) -> None:
    """A finding of a writer (a changed cell, a cut text); kept by the active output set."""
    current = _ACTIVE.get()
    if current is not None:
        current.findings.append(OutputFinding(kind, where, message))


# ---------------------------------------------------------------- input and output paths
#: Files GDAL and QGIS keep beside a shapefile; all are part of the input.
def input_files(path) -> set[Path]:
    """Every file that belongs to the input ``path``, resolved: all files of a folder (any depth);
    every sibling sharing a shapefile's name (.shp .shx .dbf .prj .cpg .qix .shp.xml …);
    a GeoPackage's -wal/-shm; else the file itself."""
    p = Path(path)
    try:
        r = p.resolve()
    except OSError:
        return set()
    if r.is_dir():
        return {f.resolve() for f in r.rglob("*")} | {r}
    out = {r}
    if r.suffix.lower() in (".shp", ".shx", ".dbf") and r.parent.is_dir():
        stem = r.stem.lower()
        out |= {f.resolve() for f in r.parent.iterdir() if f.name.lower().startswith(stem + ".")}
    if r.suffix.lower() == ".gpkg":
        out |= {r.with_name(r.name + s) for s in ("-wal", "-shm", "-journal")}
    return out


def _under(p: Path, folder: Path) -> bool:
    return p == folder or folder in p.parents


SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd")


def result_outputs(out) -> list[Path]:
    """Every file ``write_results`` may write or replace for ``--out out``."""
    out = Path(out)
    ext = out.suffix.lower()
    files = [out]
    if ext == ".shp":
        pieces = out.with_name(f"{out.stem}_pieces.shp")
        files = [out.with_name(out.stem + s) for s in SHP_PARTS] + [pieces.with_name(pieces.stem + s) for s in SHP_PARTS]
        files.append(out.with_name(f"{out.stem}_fields.csv"))
        files.append(out.with_name(f"{out.stem}_long_text.csv"))
    elif ext == ".geojson":
        files.append(out.with_name(f"{out.stem}_pieces.geojson"))
    if ext in (".csv", ".shp", ".geojson"):
        files.append(out.with_name(out.name + ".provenance.json"))
    files.append(findings_path(out))
    return files


def report_outputs(pdf) -> list[Path]:
    """Every file ``--report OUT.pdf`` writes (the PDF and its two workbooks)."""
    pdf = Path(pdf)
    return [pdf, pdf.with_name(pdf.stem + ".申报明细.xlsx"), pdf.with_name(pdf.stem + ".税源明细.xlsx")]


def findings_path(out) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".findings.csv")


def check_output_paths(inputs: list, outputs: list) -> None:
    """Refuse (before any work) an output that is a file of the input or lies inside an input
    folder, and two outputs of this run on the same file. One line naming the paths."""
    ins = [Path(i) for i in inputs if i]
    files: set[Path] = set()
    folders = []
    for i in ins:
        files |= input_files(i)
        with contextlib.suppress(OSError):
            if i.resolve().is_dir():
                folders.append(i.resolve())
    seen: dict[Path, Path] = {}
    for o in outputs:
        o = Path(o)
        r = Path(os.path.abspath(o.parent)).resolve() / o.name
        with contextlib.suppress(OSError):
            r = r.resolve()
        if r in files or any(_under(r, f) for f in folders):
            src = next((i for i in ins if r in input_files(i) or any(_under(r, f) for f in folders)), ins[0] if ins else "")
            raise InputError(o, f"would replace or add to the input {src}; the input is never written: "
                                "choose an output outside it")
        if r in seen:
            raise InputError(o, f"is written twice by this run (also as {seen[r]}); give the outputs different names")
        seen[r] = o


def check_output_folders(outputs: list) -> None:
    """Output folders must exist: a mistyped folder is not created silently."""
    for o in outputs:
        parent = Path(o).parent
        if not parent.is_dir():
            raise InputError(o, f"the folder {parent} does not exist; create it first or choose another")


# ---------------------------------------------------------------- the output set
_ACTIVE: contextvars.ContextVar[OutputSet | None] = contextvars.ContextVar("zones_output_set", default=None)
TEMP_TAG = "~zr"
_TEMP_NAME = re.compile(r"^\..*\.~zr(\d+)\.[A-Za-z0-9_]+")
JOURNAL_PREFIX = ".zones-commit."
_OLD_TEMP = re.compile(r"^\.(.+)\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?$")   # mkstemp names of earlier versions
STALE_AGE_S = 24 * 3600


def new_run_id() -> str:
    return f"{datetime.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def current_run_id() -> str | None:
    s = _ACTIVE.get()
    return s.run_id if s else None


def run_keywords() -> str:
    """Document keywords naming the run (PDF): ``run <id>``, or empty outside a command-line run."""
    run = current_run_id()
    return f"run {run}" if run else ""


def active_set() -> OutputSet | None:
    return _ACTIVE.get()


def temp_name(target: Path, suffix: str | None = None) -> Path:
    """A private temporary beside ``target``, named with this process id (cleanup of dead runs)."""
    suffix = target.suffix if suffix is None else suffix
    return target.with_name(f".{target.stem}.{TEMP_TAG}{os.getpid()}.{uuid.uuid4().hex[:8]}{suffix}")


def pause_for_test(stage: str) -> None:
    """Test hook: with ZONES_TEST_PAUSE_AT=<stage> the run says so on stderr and waits (to be killed)."""
    if os.environ.get("ZONES_TEST_PAUSE_AT") == stage:
        sys.stderr.write(f"zones-paused:{stage}\n")
        sys.stderr.flush()
        time.sleep(float(os.environ.get("ZONES_TEST_PAUSE_S", "60")))


@dataclass
class OutputSet:
    """The outputs of one run, committed together; see the module docstring."""
    run_id: str = field(default_factory=new_run_id)
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    deletes: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)   # private temporary folders to remove after
    findings: list[OutputFinding] = field(default_factory=list)

    def stage(self, tmp: Path, target: Path) -> None:
        self.moves.append((Path(tmp), Path(target)))
        pause_for_test(f"staged:{len(self.moves)}")

    def discard(self) -> None:
        for tmp, _ in self.moves:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for d in self.folders:
            shutil.rmtree(d, ignore_errors=True)
        self.moves.clear()

    def commit(self) -> None:
        if not self.moves:
            return
        self._add_manifest()
        pause_for_test("before-journal")
        folder = self.moves[0][1].parent
        journal = folder / f"{JOURNAL_PREFIX}{TEMP_TAG}{os.getpid()}.{self.run_id}.json"
        body = {"run_id": self.run_id, "pid": os.getpid(), "moves": [[str(a), str(b)] for a, b in self.moves],
                "deletes": [str(p) for p in self.deletes], "folders": [str(p) for p in self.folders]}
        tmp = temp_name(journal, ".json")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(body, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, journal)
        pause_for_test("journal")
        _apply(body, pause=True)
        journal.unlink(missing_ok=True)

    def _add_manifest(self) -> None:
        """The provenance sidecar lists every file of the set with its SHA-256: a reader can
        check which outputs belong together (:func:`outputs_belong_together`)."""
        for tmp, target in self.moves:
            if target.name.endswith(".provenance.json"):
                data = json.loads(Path(tmp).read_text(encoding="utf-8"))
                data["run_id"] = self.run_id
                data["outputs"] = {_rel(t, target.parent): _sha256(p) for p, t in self.moves if t != target}
                Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def _rel(p: Path, base: Path) -> str:
    try:
        return str(p.relative_to(base))
    except ValueError:
        return str(p)


def _sha256(p) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _apply(body: dict, pause: bool = False) -> None:
    """Perform a journal's renames (those not yet done), deletions and folder removals."""
    for k, (tmp, target) in enumerate(body["moves"]):
        if os.path.exists(tmp):
            os.replace(tmp, target)
        if pause:
            pause_for_test(f"moved:{k + 1}")
    for p in body.get("deletes", []):
        with contextlib.suppress(OSError):
            os.unlink(p)
    for d in body.get("folders", []):
        shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def output_set(run_id: str | None = None):
    """Make the atomic writers stage their outputs in one set; commit on success, discard on error."""
    s = OutputSet(run_id or new_run_id())
    token = _ACTIVE.set(s)
    try:
        yield s
    except BaseException:
        s.discard()
        raise
    finally:
        _ACTIVE.reset(token)
    s.commit()


def outputs_belong_together(provenance_path) -> bool:
    """True when every file the provenance sidecar lists is there with the content of that run."""
    p = Path(provenance_path)
    data = json.loads(p.read_text(encoding="utf-8"))
    outs = data.get("outputs") or {}
    return bool(outs) and all((p.parent / name).is_file() and _sha256(p.parent / name) == sha
                              for name, sha in outs.items())


# ---------------------------------------------------------------- leftovers of dead runs
def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead(name: str, path: Path) -> bool:
    m = re.search(r"~zr(\d+)\.", name) or re.match(r"^zones-zip-(\d+)-", name)
    try:
        old = time.time() - path.lstat().st_mtime > STALE_AGE_S
    except OSError:
        return False
    if m:
        return old or not pid_alive(int(m.group(1)))
    return old


def recover(folder, outputs=()) -> list[Path]:
    """Finish the commits of killed runs in ``folder`` and remove their temporaries; returns
    what was removed. Run at the start of every run for the folders it writes to.
    ``outputs``: the run's output names; an earlier version's temporaries (``.<stem>.<8 random>
    <ext>``, no process id) are removed only for those names, and only when a day old."""
    folder = Path(folder)
    names = {Path(o).name for o in outputs}
    if not folder.is_dir():
        return []
    removed = []
    for j in sorted(folder.glob(f"{JOURNAL_PREFIX}{TEMP_TAG}*.json")):
        if not _dead(j.name, j):
            continue
        try:
            _apply(json.loads(j.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass   # an unreadable journal: its temporaries go below, the outputs stay as they are
        j.unlink(missing_ok=True)
        removed.append(j)
    for p in folder.iterdir():
        name = p.name
        if not name.startswith("."):
            continue
        ours = _TEMP_NAME.match(name)
        m = _OLD_TEMP.match(name)
        legacy = m is not None and (m.group(1) + (m.group(2) or "")) in names
        if (ours and _dead(name, p)) or (legacy and _dead(name, p)):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def clean_unpacked_archives() -> list[Path]:
    """Remove the unpacked-archive folders (``zones-zip-<pid>-…``) of runs no longer alive."""
    removed = []
    tmp = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for p in tmp.glob("zones-zip-*"):
            if p.is_dir() and _dead(p.name, p):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed
