"""``zonehero serve``: the web application (网页端), optionally on a freshly seeded demo zone."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors
from zonehero.features.jobs.lifetime import die_with_parent

DEMO_PASSWORD_ENV = "ZONEHERO_DEMO_PASSWORD"
"""The variable behind ``Settings.demo_password``, named in what ``serve --demo`` prints."""


def serve(
    db: str | None = typer.Option(
        None, "--db", help="数据库地址，默认 ZONEHERO_DB 或数据目录下的 SQLite / database URL", show_default=False
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / bind address"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口 / port"),
    demo: bool = typer.Option(False, "--demo", help="在新数据库中写入演示开发区和演示账户 / seed the demo zone"),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="数据目录（默认 ZONEHERO_DATA_DIR 或 ./data）/ data folder", show_default=False
    ),
    secure_cookies: bool | None = typer.Option(
        None,
        "--secure-cookies/--no-secure-cookies",
        help="会话 Cookie 仅经 HTTPS 发送；默认取 ZONEHERO_SECURE_COOKIES，未设置时 production 开启"
        " / HTTPS-only cookie",
        show_default=False,
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="网页进程数 / web processes"),
    no_worker: bool = typer.Option(
        False, "--no-worker", help="不在旁边启动后台任务进程（另行运行 zonehero worker）/ start no job worker"
    ),
) -> None:
    """启动网页端 / serve the web application.

    A fresh database is migrated first; one at an older revision must be
    upgraded with ``zonehero db upgrade``. ``--demo`` seeds a database that
    has no accounts yet: demo accounts sysadmin, secadmin, auditor (三员), analyst, leader,
    enterprise, projects, unit and one department account per department (tax-bureau …)
    with the password in ZONEHERO_DEMO_PASSWORD, else a random one printed here.
    ``--workers N`` serves from N processes sharing one socket (they share only the database, the job
    queue and the data folder); unless ``--no-worker``, one ``zonehero worker`` runs beside them and
    stops with them, so one command serves everything.
    """
    import uvicorn

    from zonehero.config import load_settings
    from zonehero.edges.web.app import create_app

    with user_errors():
        settings = load_settings(db=db, data_dir=data_dir)
        prepare_database(settings, demo=demo)
        app = create_app(settings, secure_cookies=secure_cookies)
    console.print(f"zonehero 网页端：http://{host}:{port}/  （Ctrl+C 停止）", highlight=False)
    job_worker = None if no_worker else start_job_worker(db, data_dir)
    try:
        if workers == 1:
            uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
        else:
            serve_processes(settings, host=host, port=port, workers=workers, secure_cookies=secure_cookies)
    finally:
        if job_worker is not None:
            stop_process(job_worker)


def start_job_worker(db: str | None, data_dir: Path | None) -> subprocess.Popen[bytes]:
    """``zonehero worker`` for the same database and data folder, as a child process.

    It inherits the environment (ZONEHERO_*); only what ``serve`` was given on its own command line is
    passed on, so a database password from the environment does not appear in the process list.
    """
    command = [sys.executable, "-c", "from zonehero.edges.cli.main import app; app()", "worker"]
    if db is not None:
        command += ["--db", db]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    console.print("后台任务进程已启动 / job worker started", highlight=False)
    return subprocess.Popen(command, preexec_fn=die_with_parent)  # before any thread of serve starts


def stop_process(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM (huey lets the running jobs finish their step), then SIGKILL after ``timeout``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve_processes(settings: object, *, host: str, port: int, workers: int, secure_cookies: bool | None) -> None:
    """Serve from ``workers`` forked processes accepting on one listening socket; SIGINT/SIGTERM stop them all.

    Each process builds its own app (engine, session factory) after the fork: nothing but the socket is
    shared, as between processes on different machines.
    """
    import uvicorn

    from zonehero.config import Settings
    from zonehero.edges.web.app import create_app

    assert isinstance(settings, Settings)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # the child serves until told to stop, then leaves without running the parent's cleanup
            code = 0
            try:
                config = uvicorn.Config(
                    create_app(settings, secure_cookies=secure_cookies), log_level="info", proxy_headers=False
                )
                uvicorn.Server(config).run(sockets=[sock])
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    sock.close()

    def forward(signum: int, _frame: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for pid in children:
            while True:
                try:
                    os.waitpid(pid, 0)
                    break
                except ChildProcessError:
                    break
                except InterruptedError:
                    continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def prepare_database(settings: object, *, demo: bool) -> None:
    """Migrate a fresh database, refuse an outdated one, seed the demo zone when asked and the store is empty."""
    from zonehero.config import Settings
    from zonehero.db import migrate
    from zonehero.db.session import make_engine, session_factory, unit_of_work
    from zonehero.demo.collection import DEPARTMENT_ACCOUNTS
    from zonehero.demo.investment import INVESTMENT_ACCOUNT
    from zonehero.demo.projects import OFFICE_ACCOUNT, UNIT_ACCOUNT
    from zonehero.demo.seed import seed_demo, store_is_empty
    from zonehero.errors import ZoneheroError
    from zonehero.features.schemes.service import ensure_default_scheme

    assert isinstance(settings, Settings)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            current = migrate.current_revision(connection)
        if current is None:
            migrate.upgrade(settings.database_url)
        elif current not in migrate.heads():
            raise ZoneheroError(f"数据库版本 {current} 不是最新，请先运行 zonehero db upgrade")
        sessions = session_factory(engine)
        with unit_of_work(sessions) as session:
            ensure_default_scheme(session)
        if not demo:
            return
        with unit_of_work(sessions) as session:
            if not store_is_empty(session):
                console.print("数据库中已有账户，跳过演示数据 / store not empty, demo not seeded", highlight=False)
                return
            console.print("正在写入演示开发区（300 家企业，三个年度）…", highlight=False)
            password = settings.demo_password.get_secret_value() if settings.demo_password else None
            seeded = seed_demo(session, settings, password=password)
    finally:
        engine.dispose()
    console.print(
        "演示账户 / demo accounts: sysadmin（系统管理员）, secadmin（安全管理员）, auditor（审计管理员）, "
        "analyst（分析员）, leader（领导）, "
        f"enterprise（企业，关联 {seeded.enterprise_uscc} {seeded.enterprise_name or ''}）, "
        f"{OFFICE_ACCOUNT}（项目办）, {UNIT_ACCOUNT}（责任单位）, {INVESTMENT_ACCOUNT}（招商局）, "
        f"{'、'.join(name for name, _ in DEPARTMENT_ACCOUNTS)}（部门填报员）",
        highlight=False,
    )
    if seeded.password_generated:
        console.print(f"演示账户密码 / demo password: {seeded.password}", highlight=False)
    else:
        console.print(f"演示账户密码取自 {DEMO_PASSWORD_ENV} / password from {DEMO_PASSWORD_ENV}", highlight=False)
    runs = ", ".join(f"{year}: #{run_id} {status}" for year, (run_id, status) in seeded.runs.items())
    console.print(f"评价批次 / runs: {runs}", highlight=False)
    console.print(f"各部门演示文件 / department files for upload: {seeded.files_dir}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
