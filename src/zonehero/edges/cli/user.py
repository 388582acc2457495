"""``zonehero user add|passwd|list|disable|enable``: accounts from the server's command line.

Run by the operator of the server (服务器操作员), who may do what the three administrators do between them:
create any account, the three administrators' included (``--role system_admin|security_admin|audit_admin``),
reset, disable and enable every account.
Passwords are read from a prompt (hidden) or, with ``--password-stdin``,
from the first line of standard input (for scripts). A password set here is
temporary (临时密码): the account must change it at its first log-in. Each
must pass the password policy; a refusal names everything missing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer

from zonehero.edges.cli.output import console, user_errors

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")

user_app = typer.Typer(help="账户 / accounts", no_args_is_help=True)

DB_OPTION = typer.Option(
    None, "--db", help="数据库地址 / database URL (ZONEHERO_DB)", envvar="ZONEHERO_DB", show_default=False
)
STDIN_OPTION = typer.Option(False, "--password-stdin", help="从标准输入读取密码 / read the password from stdin")


@contextmanager
def _session(db: str | None) -> Iterator[Session]:
    from zonehero.config import load_settings
    from zonehero.db.migrate import require_current
    from zonehero.db.session import make_engine, session_factory, unit_of_work

    engine = make_engine(load_settings(db=db).database_url)
    try:
        with engine.connect() as conn:
            require_current(conn)
        with unit_of_work(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _run(db: str | None, fn: Callable[[Session], T]) -> T:
    with user_errors(), _session(db) as session:
        return fn(session)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def add_command(
    username: str = typer.Argument(..., help="用户名 / user name"),
    role: str = typer.Option(
        ...,
        "--role",
        help="角色 / role: system_admin 系统管理员 | security_admin 安全管理员 | audit_admin 审计管理员 | "
        "analyst 分析员 | leader 领导 | enterprise 企业 | project_office 项目办 | unit 责任单位 | "
        "department 部门填报员",
    ),
    enterprise: str | None = typer.Option(None, "--enterprise", help="企业账户的统一社会信用代码 / USCC"),
    unit: str | None = typer.Option(None, "--unit", help="责任单位账户的单位名称 / unit name (role unit)"),
    department: str | None = typer.Option(
        None, "--department", help="部门填报员账户的所属部门，如 税务局 / department (role department)"
    ),
    password_stdin: bool = STDIN_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """添加账户 / add an account."""
    from zonehero.features.roles import SYSTEM
    from zonehero.features.users import service

    password = _read_password(password_stdin)
    user = _run(
        db,
        lambda s: service.create_user(
            s,
            SYSTEM,
            username,
            password,
            role,
            enterprise_uscc=enterprise,
            unit_name=unit,
            department=department,
            temporary=True,
        ),
    )
    console.print(
        f"已添加账户 {user.username}（{user.role}），首次登录须修改密码"
        " / account added, password to change at first log-in",
        highlight=False,
    )


@user_app.command("passwd")
def passwd_command(
    username: str = typer.Argument(..., help="用户名 / user name"),
    password_stdin: bool = STDIN_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """设置临时密码（并解除锁定、结束其会话）/ set a temporary password (unlocks, ends the account's sessions)."""
    from zonehero.features.roles import SYSTEM
    from zonehero.features.users import service

    password = _read_password(password_stdin)
    _run(db, lambda s: service.set_password(s, SYSTEM, username, password))
    console.print(
        f"已为 {username} 设置临时密码，下次登录须修改 / temporary password set, to change at next log-in",
        highlight=False,
    )


def _set_active(username: str, active: bool, db: str | None) -> None:
    from zonehero.features.roles import SYSTEM
    from zonehero.features.users import service

    _run(db, lambda s: service.set_active(s, SYSTEM, username, active))
    console.print(f"账户 {username} 已{'启用' if active else '停用'}", highlight=False)


@user_app.command("disable")
def disable_command(username: str = typer.Argument(...), db: str | None = DB_OPTION) -> None:
    """停用账户（并结束其会话）/ disable an account (ends its sessions)."""
    _set_active(username, False, db)


@user_app.command("enable")
def enable_command(username: str = typer.Argument(...), db: str | None = DB_OPTION) -> None:
    """启用账户（并解除锁定）/ enable an account."""
    _set_active(username, True, db)


@user_app.command("list")
def list_command(db: str | None = DB_OPTION) -> None:
    """列出账户 / list accounts."""
    from zonehero.clock import utcnow
    from zonehero.features.roles import ROLE_LABELS, SYSTEM, Role
    from zonehero.features.users import service

    users = _run(db, lambda s: service.list_users(s, SYSTEM))
    from rich.table import Table

    table = Table(title="账户 / accounts")
    for col in ("用户名", "角色", "企业", "状态", "最近登录"):
        table.add_column(col)
    for u in users:
        state = "启用" if u.active else "停用"
        if u.locked_until is not None and u.locked_until > utcnow():
            state += f"（锁定至 {u.locked_until:%Y-%m-%d %H:%M} UTC）"
        table.add_row(
            u.username,
            ROLE_LABELS[Role(u.role)],
            u.enterprise_uscc or "",
            state,
            f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``user`` to the main command."""
    app.add_typer(user_app, name="user")
