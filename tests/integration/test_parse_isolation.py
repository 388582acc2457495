"""Untrusted files parsed in a confined child process: refused by memory or time, the asking process lives on.

The three hostile files of the service issue are refused (by the claims check, now run in the child); with the
claims check lifted they are still refused, by the child's memory or time limit, which is what protects the server
from a file the claims check does not foresee. A normal file reads the same through the child as in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import polars as pl
import pytest
from hostile_files import xfd_corner, z_corner, zip_bomb

from zonehero.config import Settings
from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest import read_sources
from zonehero.core.ingest.guard import ReadLimits
from zonehero.core.ingest.sources import read_one
from zonehero.core.schedule.importer import read_progress
from zonehero.errors import InputError
from zonehero.features.imports.isolation import (
    ParseCrashed,
    ParseLimits,
    isolated_reader,
    parse_limits,
    run_isolated,
)

LIFTED = ReadLimits(max_rows=10**9, max_cells=10**13, max_uncompressed_bytes=10**13, max_compression_ratio=10.0**9)
"""Claims limits no file reaches: only the child's own limits stand between the file and the asker."""


def _tax_csv(path: Path, rows: int, *, bad_row: int | None = None) -> Path:
    lines = ["统一社会信用代码,纳税人名称,实缴税金（万元）"]
    for i in range(1, rows + 1):
        tax = "十二万" if i == bad_row else f"{i * 1.5}"
        lines.append(f"{make_uscc(f'9133{i:012d}')},企业{i}有限公司,{tax}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _refusal(path: Path, limits: ParseLimits) -> str:
    result, problems = isolated_reader(limits)(path)
    assert result is None and len(problems) == 1
    assert problems[0].file == path.name
    return problems[0].message


def _still_serving(tmp_path: Path) -> None:
    """The asking process goes on, and so does its fork server: a clean file reads at once."""
    path = _tax_csv(tmp_path / "税务局_正常.csv", 3)
    result, problems = isolated_reader(ParseLimits())(path)
    assert problems == [] and result is not None and result.frame.height == 3


class TestTheThreeHostileFiles:
    def test_a_sheet_reaching_xfd1048576_is_refused_naming_file_and_limit(self, tmp_path: Path) -> None:
        path = xfd_corner(tmp_path)
        assert path.stat().st_size < 10_000
        message = _refusal(path, ParseLimits())
        assert "XFD1048576" in message and "超过上限 1,000,000 行" in message
        _still_serving(tmp_path)

    def test_the_zip_bomb_is_refused_naming_file_and_limit(self, tmp_path: Path) -> None:
        path = zip_bomb(tmp_path)
        assert path.stat().st_size < 2_000_000
        message = _refusal(path, ParseLimits())
        assert "压缩炸弹" in message and "超过上限 200 倍" in message
        _still_serving(tmp_path)

    def test_a_sheet_reaching_z1048576_is_refused_naming_file_and_limit(self, tmp_path: Path) -> None:
        message = _refusal(z_corner(tmp_path), ParseLimits())
        assert "Z1048576" in message and "超过上限" in message
        _still_serving(tmp_path)


class TestWithTheClaimsCheckLifted:
    """What the claims check would have refused, refused by the child's limits instead (slower, as safe)."""

    def test_the_17_billion_cell_grid_dies_at_the_memory_limit(self, tmp_path: Path) -> None:
        started = time.monotonic()
        message = _refusal(xfd_corner(tmp_path), ParseLimits(memory_mb=512, seconds=60, read=LIFTED))
        assert "解析超过内存上限 512 MB" in message and "已拒绝" in message
        assert time.monotonic() - started < 30
        _still_serving(tmp_path)

    def test_the_zip_bomb_dies_at_the_memory_limit(self, tmp_path: Path) -> None:
        started = time.monotonic()
        message = _refusal(zip_bomb(tmp_path), ParseLimits(memory_mb=128, seconds=90, read=LIFTED))
        assert "解析超过内存上限 128 MB" in message
        assert time.monotonic() - started < 80  # not the time limit: a child stuck at its ceiling is ended early
        _still_serving(tmp_path)

    def test_the_stalling_sheet_is_killed_at_the_time_limit(self, tmp_path: Path) -> None:
        started = time.monotonic()
        message = _refusal(z_corner(tmp_path), ParseLimits(memory_mb=4096, seconds=1.5, read=LIFTED))
        assert "解析超过时间上限 1.5 秒" in message and "已拒绝" in message
        assert time.monotonic() - started < 10  # the reader alone stalls for 16-23 s
        _still_serving(tmp_path)


class TestTheChildLimits:
    def test_a_file_that_passes_the_claims_is_refused_by_a_tiny_memory_limit(self, tmp_path: Path) -> None:
        path = _tax_csv(tmp_path / "税务局_大.csv", 50_000)
        assert isolated_reader(ParseLimits())(path)[0] is not None  # the claims allow it: a real, large file
        message = _refusal(path, ParseLimits(memory_mb=8))
        assert "解析超过内存上限 8 MB" in message and "ZONEHERO_IMPORT_PARSE_MEMORY_MB" in message
        _still_serving(tmp_path)

    def test_a_file_that_takes_longer_than_a_tiny_time_limit_is_refused(self, tmp_path: Path) -> None:
        path = _tax_csv(tmp_path / "税务局_慢.csv", 50_000)
        message = _refusal(path, ParseLimits(seconds=0.05))
        assert "解析超过时间上限 0.05 秒" in message and "ZONEHERO_IMPORT_PARSE_SECONDS" in message
        _still_serving(tmp_path)

    def test_a_refused_file_is_named_among_the_problems_of_all_files(self, tmp_path: Path) -> None:
        good = _tax_csv(tmp_path / "税务局_好.csv", 3)
        bad = _tax_csv(tmp_path / "统计局_坏.csv", 3, bad_row=2)
        bomb = xfd_corner(tmp_path)
        with pytest.raises(InputError) as caught:
            read_sources([good, bad, bomb], read=isolated_reader(ParseLimits()))
        assert {p.file for p in caught.value.problems} == {bad.name, bomb.name}


class TestTheSameResultAsInProcess:
    def test_a_workbook_and_a_csv_read_identically(self, tmp_path: Path) -> None:
        import xlsxwriter

        book_path = tmp_path / "统计局_产值.xlsx"
        book = xlsxwriter.Workbook(str(book_path))
        sheet = book.add_worksheet("产值")
        sheet.write_row(0, 0, ["统一社会信用代码", "企业名称", "工业总产值（万元）", "营业收入（万元）"])
        for i in range(1, 201):
            sheet.write_row(i, 0, [make_uscc(f"9133{i:012d}"), f"企业{i}有限公司", i * 10.0, i * 12.5])
        book.close()
        csv_path = _tax_csv(tmp_path / "税务局_税收.csv", 200)
        for path in (book_path, csv_path):
            child, problems = isolated_reader(ParseLimits())(path)
            here, _ = read_one(path)
            assert problems == [] and child is not None and here is not None
            assert child.frame.equals(here.frame) and child.rows.equals(here.rows)
            assert child.info == here.info and child.warnings == here.warnings
        merged_child = read_sources([book_path, csv_path], read=isolated_reader(ParseLimits()))
        merged_here = read_sources([book_path, csv_path])
        assert merged_child.frame.equals(merged_here.frame)
        assert merged_child.lineage.equals(merged_here.lineage)
        assert merged_child.conflicts.equals(merged_here.conflicts)

    def test_the_problems_of_a_file_come_back_located(self, tmp_path: Path) -> None:
        path = _tax_csv(tmp_path / "税务局_错.csv", 5, bad_row=3)
        assert isolated_reader(ParseLimits())(path)[1] == read_one(path)[1]

    def test_an_input_error_raised_in_the_child_is_raised_here(self, tmp_path: Path) -> None:
        path = tmp_path / "进展.csv"
        path.write_text("项目编号,月份,本月完成投资（万元）\nX-1,2025-01,10\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            run_isolated(read_progress, path, {"P-1"}, limits=ParseLimits())
        assert any("X-1" in p.message for p in caught.value.problems)

    def test_an_unexpected_error_in_the_child_is_an_internal_error(self, tmp_path: Path) -> None:
        with pytest.raises(ParseCrashed, match="TypeError"):
            run_isolated(pl.read_csv, tmp_path / "x.csv", separator=0, limits=ParseLimits())


def _in_daemon(path: str, results: multiprocessing.Queue[object]) -> None:
    try:
        result, problems = isolated_reader(ParseLimits())(path)
        results.put((os.getpid(), result.frame.height if result is not None else problems))
    except BaseException as exc:  # the test shows what went wrong
        results.put(repr(exc))


def test_a_daemonic_process_forked_after_the_fork_server_started_can_parse(tmp_path: Path) -> None:
    """huey runs jobs in daemonic processes, which multiprocessing normally forbids to have children; one forked
    from a process whose fork server runs cannot use that server (it is its parent's) and spawns instead.
    (A real ``zonehero worker`` with its own fork server: tests/integration/test_jobs_worker.py.)"""
    path = _tax_csv(tmp_path / "税务局_任务.csv", 4)
    assert isolated_reader(ParseLimits())(path)[0] is not None  # this process's fork server is running
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[object] = context.Queue()
    worker = context.Process(target=_in_daemon, args=(str(path), results), daemon=True)
    worker.start()
    outcome = results.get(timeout=60)
    worker.join(10)
    assert isinstance(outcome, tuple) and outcome[1] == 4, outcome


def test_the_limits_come_from_the_settings() -> None:
    settings = Settings(
        environment="test",
        import_parse_memory_mb=300,
        import_parse_seconds=7.5,
        import_max_rows=10,
        import_max_cells=20,
        import_max_unpacked_bytes=30,
        import_max_zip_ratio=40.0,
    )  # type: ignore[call-arg]
    assert parse_limits(settings) == ParseLimits(
        memory_mb=300,
        seconds=7.5,
        read=ReadLimits(max_rows=10, max_cells=20, max_uncompressed_bytes=30, max_compression_ratio=40.0),
    )
