"""What parsing an import file in a confined child costs, against reading it in this process (issue 11 part 1).

Prints, with the machine's load: the fork server's start (once per process), the per-file overhead of a child
(fork, limits, pickled result back) on a tiny and a 10-row file, and a 100,000-row xlsx read in-process and through
the child (the result crosses the pipe pickled). Run: ``.venv/bin/python benchmarks/bench_parse.py [--rows 100000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest.sources import read_one
from zonehero.features.imports.isolation import ParseLimits, run_isolated

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "实缴税金（万元）",
    "用电量（万千瓦时）",
    "用地面积（亩）",
    "营业收入（万元）",
]


def _workbook(path: Path, rows: int) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("税务")
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [make_uscc(f"9133{i:012d}"), f"企业{i}有限公司", i * 1.5, i * 0.3, 10 + i % 50, i * 5.0])
    book.close()
    return path


def _nothing(path: Path) -> int:
    return 0


def _times(call: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    limits = ParseLimits()
    with tempfile.TemporaryDirectory() as folder:
        small = _workbook(Path(folder) / "税务局_小.xlsx", 10)
        large = _workbook(Path(folder) / "税务局_大.xlsx", args.rows)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        started = time.perf_counter()
        run_isolated(_nothing, small, limits=limits)
        print(f"fork server start (once per process):       {_ms(time.perf_counter() - started)}")
        empty = _times(lambda: run_isolated(_nothing, small, limits=limits), args.repeats)
        print(f"child round trip, no work (median of {args.repeats}):  {_ms(statistics.median(empty))}")
        here = _times(lambda: read_one(small), args.repeats)
        child = _times(lambda: run_isolated(read_one, small, limits=limits), args.repeats)
        print(
            f"10-row xlsx: in-process {_ms(statistics.median(here))}, in a child {_ms(statistics.median(child))} "
            f"(overhead {_ms(statistics.median(child) - statistics.median(here))}, medians)"
        )
        here = _times(lambda: read_one(large), 3)
        child = _times(lambda: run_isolated(read_one, large, limits=limits), 3)
        print(
            f"{args.rows:,}-row xlsx: in-process {_ms(min(here))}, in a child {_ms(min(child))} "
            f"(overhead {_ms(min(child) - min(here))}, best of 3)"
        )


if __name__ == "__main__":
    main()
