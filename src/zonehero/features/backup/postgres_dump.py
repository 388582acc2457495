"""PostgreSQL snapshots with ``pg_dump`` and loads with ``pg_restore``.

The dump reads the snapshot that the backup's own transaction exported (``pg_export_snapshot``), so the row
counts written into the manifest, counted in that transaction, are exactly the dump's, while the server keeps
writing. Connection details travel in libpq's environment variables, the password in ``PGPASSWORD``: never on a
command line, where any user of the machine could read it. The job queue's tables are left out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from zonehero.errors import ZoneheroError
from zonehero.features.backup.repository import QUEUE_TABLE_PREFIX

DEBIAN_CLIENTS = Path("/usr/lib/postgresql")
_QUERY_TO_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "application_name": "PGAPPNAME",
}


def program(name: str, folder: Path | None) -> Path:
    """``pg_dump`` or ``pg_restore``: from ``folder`` (ZONEHERO_PG_BIN) when set, else the PATH, else the newest
    Debian client under /usr/lib/postgresql/<version>/bin."""
    if folder is not None:
        candidate = folder / name
        if candidate.is_file():
            return candidate
        raise ZoneheroError(f"在 ZONEHERO_PG_BIN（{folder}）中找不到 {name}")
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        (p for p in DEBIAN_CLIENTS.glob(f"*/bin/{name}") if p.parent.parent.name.isdigit()),
        key=lambda p: int(p.parent.parent.name),
    )
    if versions:
        return versions[-1]
    raise ZoneheroError(
        f"找不到 PostgreSQL 客户端程序 {name}：请安装 postgresql-client，或用 ZONEHERO_PG_BIN 指定其目录"
    )


def environment(url: str) -> tuple[dict[str, str], str]:
    """libpq's environment for ``url`` (host, port, user, password …) and the database name.

    Only these variables reach the child (and HOME, for ``~/.pgpass`` and client certificates).
    """
    parsed = make_url(url)
    if not parsed.database:
        raise ZoneheroError("PostgreSQL 数据库地址中缺少数据库名")
    env: dict[str, str] = {"HOME": str(Path.home()), "PGCONNECT_TIMEOUT": "30"}
    if parsed.host:
        env["PGHOST"] = parsed.host
    if parsed.port:
        env["PGPORT"] = str(parsed.port)
    if parsed.username:
        env["PGUSER"] = parsed.username
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    for key, variable in _QUERY_TO_ENV.items():
        value = parsed.query.get(key)
        if isinstance(value, str):
            env[variable] = value
    return env, parsed.database


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise ZoneheroError(f"{what}失败：{' / '.join(detail[-3:]) or f'退出码 {done.returncode}'}")


def dump(url: str, snapshot_id: str, out: Path, *, folder: Path | None) -> None:
    """Write the database as of ``snapshot_id`` to ``out`` (custom format, compressed)."""
    env, database = environment(url)
    command = [
        str(program("pg_dump", folder)),
        "--format=custom",
        "--no-password",
        f"--snapshot={snapshot_id}",
        f"--exclude-table={QUEUE_TABLE_PREFIX}*",
        f"--file={out}",
        f"--dbname={database}",
    ]
    _run(command, env, "pg_dump 导出数据库")


def listed_tables(dump_file: Path, *, folder: Path | None) -> set[str]:
    """The tables whose rows the dump holds (``pg_restore --list``: a dump that cannot be read fails here)."""
    done = subprocess.run(
        [str(program("pg_restore", folder)), "--list", str(dump_file)],
        env={"HOME": str(Path.home())},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ZoneheroError(f"pg_restore 无法读取数据库快照：{done.stderr.strip()}")
    tables: set[str] = set()
    for line in done.stdout.splitlines():
        # e.g. "3456; 0 16390 TABLE DATA public audit_log app"
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        parts = line.split(" TABLE DATA ", 1)[1].split()
        if len(parts) >= 2:
            tables.add(parts[1])
    return tables


def load(url: str, dump_file: Path, *, clean: bool, folder: Path | None) -> None:
    """Load the dump into the database of ``url`` in one transaction (all or nothing).

    ``clean`` first drops the objects the dump makes (the target was migrated but holds no data). Ownership and
    grants are not restored: the tables belong to whoever restores, as if they had run the migrations.
    """
    env, database = environment(url)
    command = [
        str(program("pg_restore", folder)),
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-acl",
        "--no-password",
        f"--dbname={database}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump_file)], env, "pg_restore 恢复数据库")
