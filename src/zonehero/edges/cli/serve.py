"""``zonehero serve``: the web application (网页端), optionally on a freshly seeded demo zone."""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors

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
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies", help="会话 Cookie 仅经 HTTPS 发送（站点使用 HTTPS 时开启）/ HTTPS-only cookie"
    ),
) -> None:
    """启动网页端 / serve the web application.

    A fresh database is migrated first; one at an older revision must be
    upgraded with ``zonehero db upgrade``. ``--demo`` seeds a database that
    has no accounts yet: demo accounts admin, analyst, leader, enterprise, projects and unit
    with the password in ZONEHERO_DEMO_PASSWORD, else a random one printed here.
    """
    import uvicorn

    from zonehero.config import load_settings
    from zonehero.edges.web.app import create_app

    with user_errors():
        settings = load_settings(db=db, data_dir=data_dir)
        prepare_database(settings, demo=demo)
        app = create_app(settings, secure_cookies=secure_cookies)
    console.print(f"zonehero 网页端：http://{host}:{port}/  （Ctrl+C 停止）", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def prepare_database(settings: object, *, demo: bool) -> None:
    """Migrate a fresh database, refuse an outdated one, seed the demo zone when asked and the store is empty."""
    from zonehero.config import Settings
    from zonehero.db import migrate
    from zonehero.db.session import make_engine, session_factory, unit_of_work
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
        "演示账户 / demo accounts: admin（管理员）, analyst（分析员）, leader（领导）, "
        f"enterprise（企业，关联 {seeded.enterprise_uscc} {seeded.enterprise_name or ''}）, "
        f"{OFFICE_ACCOUNT}（项目办）, {UNIT_ACCOUNT}（责任单位）",
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
