"""CLI benchmark: ``zonehero evaluate`` end to end on a 100,000-row xlsx.

    .venv/bin/python benchmarks/bench_cli.py [--n 100000] [--repeats 2] [--keep DIR]

Writes one department-style xlsx (XlsxWriter, constant_memory) with the
canonical Chinese headers of the field registry (``Field.header``), then times
``zonehero evaluate FILE --year 2025 --out out.json`` as a subprocess (the
console script next to this interpreter: start-up, reading, checking,
evaluating and writing the JSON), and, as the baseline in the same run, reading
the same file alone with python-calamine in this process.

Target: the command takes at most 5 s. A missed target prints FAIL and exits 0
(it is a report); a failing command or a JSON without one record per row exits 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synthetic import Zone, make_zone  # noqa: E402
from zonehero.core.domain.fields import FIELDS_BY_KEY  # noqa: E402

YEAR = 2025
TARGET_SECONDS = 5.0
BOOL_TEXT = {True: "是", False: "否"}
ZJTX_TEXT = {"province": "省级", "national": "国家级"}


def _cells(zone: Zone, key: str) -> list[object]:
    """One column as spreadsheet cell values (None = blank), the way a department would type them."""
    values = zone.columns[key]
    mask = zone.nulls.get(key)
    if values.dtype.kind == "f":
        out: list[object] = [None if math.isnan(v) else v for v in values.tolist()]
    elif values.dtype.kind == "b":
        out = [BOOL_TEXT[v] for v in values.tolist()]
    elif key == "zjtx_level":
        out = [ZJTX_TEXT.get(v) for v in values.tolist()]
    else:
        out = values.tolist()
    if mask is not None:
        out = [None if m else v for v, m in zip(out, mask.tolist(), strict=True)]
    return out


def write_xlsx(zone: Zone, path: Path) -> None:
    """The zone as one sheet: header row of registry headers, one row per enterprise, blanks for missing."""
    keys = list(zone.columns)
    columns = [_cells(zone, key) for key in keys]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("企业数据")
    sheet.write_row(0, 0, [FIELDS_BY_KEY[key].header for key in keys])
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    workbook.close()


def zonehero_command() -> list[str]:
    """The ``zonehero`` console script installed next to this interpreter."""
    script = Path(sys.executable).parent / "zonehero"
    if not script.exists():
        raise SystemExit(f"zonehero console script not found next to {sys.executable}; run `make install`")
    return [str(script)]


def read_with_calamine(path: Path) -> int:
    """Read every cell of the first sheet with python-calamine; return the number of data rows."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return len(rows) - 1


def time_stages(source: Path, out: Path) -> dict[str, float]:
    """Where the command's time goes: the same steps in this process (read, evaluate, write), seconds each.

    Uses the public functions the command calls, so a slow step can be named.
    """
    from zonehero.core.evaluation import evaluate
    from zonehero.core.evaluation.scheme import load_scheme
    from zonehero.core.ingest import read_sources
    from zonehero.reports.results import ImportNotes, write_result

    stages: dict[str, float] = {}
    t = time.perf_counter()
    imported = read_sources([source])
    stages["read and check (zonehero.core.ingest)"] = time.perf_counter() - t
    t = time.perf_counter()
    result = evaluate(imported.frame, load_scheme(), year=YEAR)
    stages["evaluate (engine)"] = time.perf_counter() - t
    t = time.perf_counter()
    write_result(result, out, notes=ImportNotes(imported.warnings, imported.conflicts))
    stages[f"write {out.suffix} (zonehero.reports)"] = time.perf_counter() - t
    return stages


def main(argv: list[str] | None = None) -> int:
    """Entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of enterprises (rows)")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of the command")
    parser.add_argument("--keep", type=Path, help="write the xlsx and JSON here and keep them")
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process per-step breakdown")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="zonehero-bench-cli-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source, out = folder / "zone.xlsx", folder / "out.json"

        t = time.perf_counter()
        zone = make_zone(args.n, args.seed, YEAR, names=True)
        write_xlsx(zone, source)
        write_seconds = time.perf_counter() - t
        size_mib = source.stat().st_size / 1024**2

        t = time.perf_counter()
        rows_read = read_with_calamine(source)
        calamine_seconds = time.perf_counter() - t

        command = [*zonehero_command(), "evaluate", str(source), "--year", str(YEAR), "--out", str(out)]
        t = time.perf_counter()
        subprocess.run([*zonehero_command(), "--version"], check=True, capture_output=True)
        startup_seconds = time.perf_counter() - t
        times = []
        for _ in range(args.repeats):
            if out.exists():
                out.unlink()
            t = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
            times.append(time.perf_counter() - t)
            if done.returncode != 0:
                print(f"FAILED: {' '.join(command)} exited {done.returncode}\n{done.stderr[-3000:]}")
                return 1
        records = json.loads(out.read_text("utf-8"))
        stages = {} if args.no_stages else time_stages(source, folder / "stages.json")
        classes = {c: sum(1 for r in records if r.get("class") == c) for c in ("A", "B", "C", "D")}

    best = min(times)
    print(f"CLI benchmark: {args.n:,} enterprises in one xlsx ({size_mib:.1f} MiB), {os.cpu_count()} CPUs")
    print(f"  writing the xlsx (XlsxWriter constant_memory, not timed as part of the target): {write_seconds:.2f} s")
    print(f"  baseline, python-calamine reading alone (in process): {calamine_seconds:.2f} s ({rows_read:,} rows)")
    print(f"  zonehero --version (interpreter and CLI start-up): {startup_seconds:.2f} s")
    print(f"  zonehero evaluate … --out out.json: {' '.join(f'{s:.2f}' for s in times)} s, best {best:.2f} s")
    print(f"  ratio evaluate / calamine read: {best / calamine_seconds:.2f}×")
    print(f"  output: {len(records):,} records, classes {classes}")
    for name, seconds in stages.items():
        print(f"  step in process: {name:40} {seconds:6.2f} s")
    verdict = "PASS" if best <= TARGET_SECONDS else "FAIL"
    print(f"target zonehero evaluate <= {TARGET_SECONDS:g} s: {best:.2f} s  {verdict}")
    if len(records) != args.n:
        print(f"FAILED: the JSON holds {len(records)} records for {args.n} rows")
        return 1
    if len({r["uscc"] for r in records}) != args.n:
        print("FAILED: the JSON repeats or loses enterprises (uscc)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
