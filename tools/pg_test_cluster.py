"""A throwaway PostgreSQL + PostGIS cluster for the shared-store tests and benchmarks.

    python tools/pg_test_cluster.py install            # as root: apt-get the Debian packages
    python tools/pg_test_cluster.py start [--dir D]    # prints shell lines: export ZONES_TEST_PG=…
    python tools/pg_test_cluster.py stop  --dir D
    python tools/pg_test_cluster.py restart --dir D

``start`` creates a cluster in a temporary folder (``initdb``, run as the unprivileged
``postgres`` user when started as root), listening on 127.0.0.1 on a free port, with
password (SCRAM) logins over TCP and a superuser ``zones_admin`` whose random password is
kept in ``D/cluster.json`` (mode 0600) — never printed. The tests read that file through
``ZONES_TEST_PG=D``; nothing else about the cluster is global. ``stop`` shuts it down
and removes the folder. Debian packages: postgresql-15 and postgresql-15-postgis-3
(or the newest postgresql-N-postgis-3 apt-cache offers).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ADMIN = "zones_admin"


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl: Debian's /usr/lib/postgresql/N/bin (newest), else PATH."""
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        for d in sorted(root.iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0, reverse=True):
            if (d / "bin" / "initdb").exists():
                return d / "bin"
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def has_postgis(bindir: Path) -> bool:
    share = subprocess.run([str(bindir / "pg_config"), "--sharedir"], check=False, capture_output=True, text=True)
    sharedir = Path(share.stdout.strip()) if share.returncode == 0 else None
    return bool(sharedir and (sharedir / "extension" / "postgis.control").exists())


def install() -> None:
    """apt-get PostgreSQL and PostGIS from Debian (root only)."""
    if os.geteuid() != 0:
        sys.exit("install: run as root (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    names = subprocess.run(["apt-cache", "pkgnames", "postgresql-"], check=False, capture_output=True,
                           text=True).stdout.split()
    postgis = sorted((n for n in names if n.startswith("postgresql-") and n.endswith("-postgis-3")
                      and n.split("-")[1].isdigit()), key=lambda n: int(n.split("-")[1]))
    if not postgis:
        sys.exit("install: apt-cache offers no postgresql-N-postgis-3 package")
    major = postgis[-1].split("-")[1]
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", f"postgresql-{major}",
                    postgis[-1]], check=True, env=env, stdout=subprocess.DEVNULL)


def _as_owner(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """Run a server program as the unprivileged ``postgres`` user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: str | None = None, *, durable: bool = False) -> Path:
    """A new cluster; ``durable``: the server's default fsync/commit settings (benchmarks),
    else faster throwaway settings (tests)."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server programs (initdb) installed: "
                           "run `python tools/pg_test_cluster.py install` as root")
    if not has_postgis(bindir):
        raise RuntimeError(f"PostGIS is not installed for {bindir.parent.name}: install postgresql-{bindir.parent.name}-postgis-3")
    d = Path(folder or tempfile.mkdtemp(prefix="zones-pg-"))
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    if os.geteuid() == 0:
        shutil.chown(d, "postgres", "postgres")
    password = secrets.token_urlsafe(18)
    pwfile = d / "pw"
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    r = _as_owner([str(bindir / "initdb"), "-D", str(d / "data"), "-U", ADMIN, "--pwfile", str(pwfile),
                   "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C"])
    pwfile.unlink()
    if r.returncode:
        raise RuntimeError(f"initdb failed: {r.stderr.strip()}")
    port = _free_port()
    conf = d / "data" / "postgresql.conf"
    with conf.open("a") as f:
        f.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{d}'\n"
                "max_connections = 100\nshared_buffers = 256MB\n")
        if not durable:
            f.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
    info = {"dir": str(d), "bin": str(bindir), "host": "127.0.0.1", "port": port, "user": ADMIN,
            "password": password}
    (d / "cluster.json").write_text(json.dumps(info))
    os.chmod(d / "cluster.json", 0o600)
    server_start(d)
    return d


def _info(d: Path) -> dict:
    return json.loads((Path(d) / "cluster.json").read_text())


def server_start(d) -> None:
    info = _info(d)
    r = _as_owner([str(Path(info["bin"]) / "pg_ctl"), "-D", str(Path(d) / "data"), "-l", str(Path(d) / "server.log"),
                   "-w", "-t", "60", "start"])
    if r.returncode:
        log = (Path(d) / "server.log").read_text(errors="replace")[-2000:] if (Path(d) / "server.log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {r.stderr.strip()} {log}")


def server_stop(d, mode: str = "fast") -> None:
    info = _info(d)
    _as_owner([str(Path(info["bin"]) / "pg_ctl"), "-D", str(Path(d) / "data"), "-m", mode, "-w", "stop"])


def stop(d) -> None:
    server_stop(d)
    shutil.rmtree(d, ignore_errors=True)


def wait_ready(d, timeout: float = 30) -> None:
    info = _info(d)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = subprocess.run([str(Path(info["bin"]) / "pg_isready"), "-h", info["host"], "-p", str(info["port"])],
                           check=False, capture_output=True)
        if r.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("install", "start", "stop", "restart"))
    ap.add_argument("--dir", help="cluster folder (start: default a new temporary folder)")
    ap.add_argument("--durable", action="store_true", help="keep the server's default fsync and commit settings")
    args = ap.parse_args(argv)
    if args.action == "install":
        install()
        return 0
    if args.action == "start":
        d = start(args.dir, durable=args.durable)
        print(f"export ZONES_TEST_PG={d}")
        return 0
    if not args.dir:
        ap.error("--dir is required")
    if args.action == "stop":
        stop(args.dir)
    else:
        server_stop(args.dir)
        server_start(args.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
