"""What every benchmark shares: the 17th edition's figures (2019), the production-like
environment the portal runs in, and building that edition in a database of its own."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SIZE = [
    "--organisations",
    "4000",
    "--countries",
    "52",
    "--experts",
    "8500",
    "--representatives",
    "9300",
    "--visitors",
    "110000",
    "--delegations",
    "29",
    "--booths",
    "2105",
    "--exhibition-area",
    "70000",
    "--events",
    "66",
    "--registrations",
    "20000",
    "--jobs",
    "3000",
    "--applications",
    "12000",
    "--projects",
    "1500",
    "--intentions",
    "3000",
    "--agreements",
    "400",
]


def production_env(database: str, **extra: str) -> dict[str, str]:
    """The portal as in production (debugging off) on ``database``, quiet but for errors."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        **extra,
    }


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def build_edition(env: dict[str, str], number: str) -> None:
    """Edition ``number`` at the 17th edition's size, in ``env``'s database made anew.

    Skipped with ``BENCH_REUSE_DATA=1`` (the database from the last run is used as it is).
    """
    if os.environ.get("BENCH_REUSE_DATA") == "1":
        return
    database = env["DATABASE_URL"]
    admin_url, _, name = database.rpartition("/")
    for statement in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", f"{admin_url}/postgres", "-qc", statement], check=True)
    manage(env, "migrate", "--noinput", quiet=True)
    started = time.monotonic()
    manage(env, "generate_edition", number, *SIZE, quiet=True)
    print(f"generate_edition {number} took {time.monotonic() - started:.0f} s")
    subprocess.run(["psql", database, "-qc", "VACUUM ANALYZE"], check=True)


def django_setup(env: dict[str, str]) -> None:
    """Django in this process, with ``env``, for measuring from inside."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """A process's CPU time (user and system); with ``reaped``, also that of its children that
    have exited (gunicorn's workers restarted after their share of requests)."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def worker_pids(master: int) -> list[int]:
    """The processes whose parent is ``master``: a gunicorn master's workers."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_stat(int(entry.name))[1])
            except (OSError, ValueError):
                continue
            if parent == master:
                pids.append(int(entry.name))
    if not pids:
        raise RuntimeError("no gunicorn worker")
    return pids


def server_cpu_seconds(master: int) -> float:
    """The CPU time of a gunicorn master and all its workers, those that have exited included:
    what the app server spent, whatever else the machine runs."""
    total = cpu_seconds(master, reaped=True)
    for pid in worker_pids(master):
        with contextlib.suppress(OSError):  # exited since it was listed: the master has it
            total += cpu_seconds(pid)
    return total
