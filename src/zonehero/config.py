"""The one settings object of the platform (环境变量前缀 ``ZONEHERO_``).

Nothing happens on import: the edges build ``Settings()`` in their startup
(``create_app(settings)``, the CLI callback) and pass it down. The secret key
is resolved on demand by :meth:`Settings.resolved_secret_key`, which may write
a generated key into the data folder; that is the only side effect here and it
happens only when asked.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from zonehero.errors import ZoneheroError

SECRET_KEY_FILE = "secret_key"
"""Name of the generated key file inside the data folder (mode 0600)."""

MIN_SECRET_KEY_LENGTH = 32

INSECURE_SECRET_KEYS = frozenset({"changeme", "change-me", "secret", "dev", "development", "zonehero", "test"})
"""Values that look like a placeholder left in a config file; refused in production."""


class Settings(BaseSettings):
    """Every setting of the platform with its default; each may come from ``ZONEHERO_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ZONEHERO_", extra="ignore", frozen=True)

    environment: Literal["development", "production", "test"] = Field(
        "development", description="运行环境；production 下拒绝不安全的密钥"
    )
    data_dir: Path = Field(Path("./data"), description="数据目录：SQLite 数据库、上传文件、密钥")
    db: str | None = Field(
        None,
        description="数据库地址（ZONEHERO_DB），如 postgresql+psycopg://user:pw@host/zonehero；默认数据目录下的 SQLite",
    )
    secret_key: SecretStr | None = Field(None, description="会话签名密钥；未设置时生成并保存在数据目录")
    session_max_age_seconds: int = Field(8 * 3600, gt=0, description="会话有效期（秒），自登录起算")
    session_idle_minutes: int = Field(30, gt=0, description="会话空闲超时（分钟）：这么久没有请求即结束会话")
    secure_cookies: bool | None = Field(
        None, description="会话 Cookie 仅经 HTTPS 发送（Secure）；未设置时 production 环境开启，其他环境关闭"
    )
    password_max_age_days: int = Field(
        0, ge=0, description="密码有效期（天）：超过后须修改密码才能继续使用；0 表示不过期"
    )
    lockout_failures: int = Field(5, gt=0, description="连续登录失败多少次后锁定账户")
    lockout_minutes: int = Field(15, gt=0, description="账户锁定时长（分钟）")
    login_address_failures: int = Field(10, gt=0, description="同一来源地址在统计窗口内登录失败多少次后暂停该地址登录")
    login_address_window_minutes: int = Field(15, gt=0, description="来源地址登录失败的统计窗口（分钟）")
    login_address_block_minutes: int = Field(
        30, gt=0, description="来源地址暂停登录的时长（分钟），连续再犯每次加倍，最长一天"
    )
    upload_max_bytes: int = Field(50 * 1024 * 1024, gt=0, description="单个导入文件的大小上限（字节）")
    evidence_max_bytes: int = Field(10 * 1024 * 1024, gt=0, description="单个异议证明材料的大小上限（字节）")
    photo_max_bytes: int = Field(8 * 1024 * 1024, gt=0, description="单张项目现场照片的大小上限（字节，JPEG/PNG）")
    import_max_rows: int = Field(1_000_000, gt=0, description="导入表格的行数上限（工作表声明的范围或 CSV 行数）")
    import_max_cells: int = Field(20_000_000, gt=0, description="导入工作表的单元格数上限（行数 × 列数）")
    import_max_unpacked_bytes: int = Field(
        512 * 1024 * 1024, gt=0, description="xlsx/ods 解压后的总大小上限（字节），防止压缩炸弹"
    )
    import_max_zip_ratio: float = Field(200.0, gt=1, description="xlsx/ods 内单个文件的压缩比上限，防止压缩炸弹")
    import_parse_memory_mb: int = Field(
        2048,
        ge=1,
        description="解析一个导入文件时可用的内存上限（MB）；文件在单独的受限进程中解析，超出即拒绝该文件，服务不受影响",
    )
    import_parse_seconds: float = Field(
        120.0, gt=0, description="解析一个导入文件的时间上限（秒）；超时即终止解析进程并拒绝该文件"
    )
    cjk_font: Path | None = Field(
        None, description="PDF 文书嵌入的中文字体文件（TrueType）；默认使用 Debian 的 fonts-wqy-microhei"
    )
    demo_password: SecretStr | None = Field(
        None, description="serve --demo 创建的演示账户的密码；未设置时随机生成并在启动时显示"
    )
    request_max_bytes: int = Field(
        64 * 1024 * 1024,
        gt=0,
        description="单个请求（含其中全部上传文件）的大小上限（字节），超出答复 413；应大于单个导入文件的上限",
    )
    audit_retention_days: int = Field(
        180,
        ge=180,
        description="审计日志保留天数：更早的记录才可用 zonehero audit purge 清理；"
        "不少于 180 天（网络安全法规定至少六个月）",
    )
    trusted_proxies: str = Field(
        "",
        description="可信反向代理的地址或网段（逗号分隔，如 127.0.0.1,10.0.0.0/8）；"
        "只有来自这些地址的请求才采用 X-Forwarded-For 作为客户端地址（审计日志的来源地址）；默认不信任任何代理",
    )

    pg_bin: Path | None = Field(
        None,
        description="PostgreSQL 客户端程序（pg_dump、pg_restore）所在目录，供 zonehero backup/restore 使用；"
        "默认在 PATH 中查找，再找 /usr/lib/postgresql/<最高版本>/bin",
    )

    job_queue: Literal["sqlite", "postgres"] = Field(
        "sqlite",
        description="后台任务队列：sqlite 为数据目录下的文件（无需其他服务，单机）；"
        "postgres 使用业务数据库（ZONEHERO_DB 须为 PostgreSQL，多台机器共用）",
    )
    job_workers: int = Field(1, ge=1, le=64, description="每个 zonehero worker 同时运行的后台任务数（进程数）")
    job_heartbeat_seconds: int = Field(10, ge=1, description="运行中的后台任务多久报告一次心跳（秒）")
    job_stale_seconds: int = Field(
        120, ge=2, description="心跳超过多少秒未更新即认为执行它的 worker 已退出，任务将重试或标记失败"
    )
    job_max_attempts: int = Field(2, ge=1, le=10, description="后台任务最多尝试几次（worker 退出后重试计入次数）")
    sync_decision_max_enterprises: int = Field(
        5_000,
        ge=0,
        description="方案调整试算与类别稳定性检验在请求中直接计算的企业数上限；评价批次的企业数超过它时转为后台任务",
    )
    notice_part_size: int = Field(
        500,
        ge=1,
        le=100_000,
        description="全部告知书任务每个分片（子任务）至少生成的告知书数（一批最多 32 个分片）；"
        "分片可由不同 worker 并行生成",
    )

    @property
    def cookies_secure(self) -> bool:
        """Whether the session cookie carries ``Secure``: as set, else on in production."""
        return self.environment == "production" if self.secure_cookies is None else self.secure_cookies

    @property
    def database_url(self) -> str:
        """The database URL: ``db`` when given, else ``sqlite:///<data_dir>/zonehero.db``."""
        if self.db:
            return self.db
        return f"sqlite:///{(self.data_dir / 'zonehero.db').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded department files and objection evidence are kept."""
        return self.data_dir / "uploads"

    @property
    def jobs_dir(self) -> Path:
        """Where job results (zips, reports, exports) are written, one folder per job."""
        return self.data_dir / "jobs"

    @property
    def job_queue_file(self) -> Path:
        """The SQLite file of the embedded job queue (``job_queue = "sqlite"``)."""
        return self.data_dir / "job-queue.db"

    def resolved_secret_key(self) -> str:
        """The key that signs session cookies.

        An explicitly set key must be long and not a placeholder in production
        (ZoneheroError otherwise). When unset, a random key is generated once
        and kept in ``<data_dir>/secret_key`` so sessions survive a restart.
        """
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
            if self.environment == "production" and (
                len(key) < MIN_SECRET_KEY_LENGTH or key.lower() in INSECURE_SECRET_KEYS
            ):
                raise ZoneheroError(
                    f"生产环境的 ZONEHERO_SECRET_KEY 不安全：至少需要 {MIN_SECRET_KEY_LENGTH} 个字符的随机字符串"
                )
            return key
        path = self.data_dir / SECRET_KEY_FILE
        if path.exists():
            key = path.read_text("utf-8").strip()
            if len(key) >= MIN_SECRET_KEY_LENGTH:
                return key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit values (e.g. from ``--db``) taking precedence."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)  # type: ignore[arg-type]
