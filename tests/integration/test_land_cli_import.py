"""``zonehero land import``: the registers into a migrated store; a preview writes nothing, ``--confirm`` writes
all or nothing, problems located by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_land_store import LEASES, PARCELS, SQUARE, _geojson
from typer.testing import CliRunner

from zonehero.db import migrate
from zonehero.db.session import make_engine
from zonehero.edges.cli.main import app
from zonehero.features.land.models import LeaseRow, ParcelRow


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    migrate.upgrade(url)
    return url


def _count(url: str, table: type) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        engine.dispose()


def _files(tmp_path: Path, leases: str = LEASES) -> list[str]:
    (tmp_path / "宗地表.csv").write_text(PARCELS, encoding="utf-8")
    (tmp_path / "租赁表.csv").write_text(leases, encoding="utf-8")
    (tmp_path / "宗地.geojson").write_text(_geojson({"ZD-001": SQUARE}), encoding="utf-8")
    return [str(tmp_path / "宗地表.csv"), str(tmp_path / "租赁表.csv"), "--geojson", str(tmp_path / "宗地.geojson")]


def test_a_preview_writes_nothing_and_confirm_writes_everything(url: str, tmp_path: Path) -> None:
    files = _files(tmp_path)
    preview = CliRunner().invoke(app, ["land", "import", *files, "--db", url])
    assert preview.exit_code == 0, preview.output
    assert "新增宗地 ZD-001" in preview.output and "未写入" in preview.output
    assert _count(url, ParcelRow) == 0
    done = CliRunner().invoke(app, ["land", "import", *files, "--confirm", "--db", url])
    assert done.exit_code == 0, done.output
    assert "宗地新增 2 宗" in done.output and "宗地图形 1 个" in done.output
    assert (_count(url, ParcelRow), _count(url, LeaseRow)) == (2, 1)


def test_a_bad_lease_is_refused_with_its_row_and_nothing_is_written(url: str, tmp_path: Path) -> None:
    files = _files(tmp_path, LEASES + "ZD-404,91350100M000100Y43,91310110666007217T,10,2024-01-01,,X\n")
    result = CliRunner().invoke(app, ["land", "import", *files, "--confirm", "--db", url])
    assert result.exit_code != 0
    assert "租赁表.csv" in result.output and "3" in result.output and "宗地编号" in result.output
    assert _count(url, ParcelRow) == 0
