"""Engine benchmark: the Polars engine against the pandas baseline on 500,000 synthetic enterprises.

    .venv/bin/python benchmarks/bench_engine.py [--n 500000] [--seed 1] [--repeats 3]

Each implementation runs in its own child process (this script re-invoked with
``--child``), so its peak resident memory (``ru_maxrss`` from ``os.wait4``) is
its own: Polars allocates natively, which tracemalloc cannot see. A child
builds the same seeded zone, evaluates it once to warm up, then takes the best
of ``--repeats`` timed runs, and leaves its results in a file for the parent
to compare.

Targets: Polars <= 1 s, at least 3× faster than pandas, peak memory < 2 GB.
A missed target prints FAIL but exits 0 (this is a report); the exit code is
non-zero only when the two implementations disagree or a child crashes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

YEAR = 2025
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 3.0
TARGET_PEAK_BYTES = 2 * 1024**3
TOTAL_TOLERANCE = 1e-9
COMPARED = ("status", "group", "class", "rank", "carbon_grade")


def _rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _as_text(values: list[Any]) -> np.ndarray:
    """A column (as a list, None for missing) as a numpy string array with "" for missing."""
    return np.asarray(["" if v is None else str(v) for v in values], dtype="U")


def run_child(impl: str, n: int, seed: int, repeats: int, result_path: Path) -> None:
    """Build the zone, time ``impl`` (warm-up, then best of ``repeats``), save results and figures."""
    from synthetic import make_zone

    t0 = time.perf_counter()
    zone = make_zone(n, seed, YEAR)
    if impl == "polars":
        from zonehero.core.evaluation import evaluate
        from zonehero.core.evaluation.scheme import load_scheme

        frame: Any = zone.to_polars()
        scheme: Any = load_scheme()

        def run() -> Any:
            return evaluate(frame, scheme, year=YEAR).enterprises

    else:
        from baseline_pandas import evaluate_pandas, load_default_scheme

        frame = zone.to_pandas()
        scheme = load_default_scheme()

        def run() -> Any:
            return evaluate_pandas(frame, YEAR, scheme)

    build_seconds = time.perf_counter() - t0
    rss_before = _rss_bytes()
    result = run()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t)

    columns: dict[str, np.ndarray] = {}
    if impl == "polars":
        columns["uscc"] = result["uscc"].to_numpy().astype("U")
        columns["total_score"] = result["total_score"].cast(float).fill_null(np.nan).to_numpy()
        for key in COMPARED:
            if key in result.columns:
                columns[key] = _as_text(result[key].to_list())
    else:
        columns["uscc"] = result["uscc"].to_numpy().astype("U")
        columns["total_score"] = result["total_score"].to_numpy(dtype="float64")
        for key in COMPARED:
            column = result[key].astype(object)
            columns[key] = _as_text(column.where(column.notna(), None).tolist())
    np.savez(result_path.with_suffix(".npz"), **columns)
    result_path.with_suffix(".json").write_text(
        json.dumps({"times": times, "build_seconds": build_seconds, "rss_before": rss_before, "rows": len(result)})
    )


def launch(impl: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Run one child and return its figures plus its own peak RSS (bytes)."""
    result_path = workdir / impl
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", impl]
    argv += ["--n", str(args.n), "--seed", str(args.seed), "--repeats", str(args.repeats), "--result", str(result_path)]
    pid = os.spawnv(os.P_NOWAIT, sys.executable, argv)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{impl} child failed with exit code {code}")
    figures: dict[str, Any] = json.loads(result_path.with_suffix(".json").read_text())
    figures["peak_rss"] = usage.ru_maxrss * 1024  # Linux reports KiB
    figures["columns"] = dict(np.load(result_path.with_suffix(".npz")))
    return figures


def compare(polars_cols: dict[str, np.ndarray], pandas_cols: dict[str, np.ndarray]) -> list[str]:
    """Disagreements between the two results, aligned by uscc (empty list: they agree)."""
    problems = []
    p_order = np.argsort(polars_cols["uscc"], kind="stable")
    q_order = np.argsort(pandas_cols["uscc"], kind="stable")
    if not np.array_equal(polars_cols["uscc"][p_order], pandas_cols["uscc"][q_order]):
        return ["the two results do not hold the same enterprises (uscc)"]
    uscc = polars_cols["uscc"][p_order]
    for key in ("total_score", *COMPARED):
        if key not in polars_cols:
            problems.append(f"engine output has no column {key!r}")
            continue
        a, b = polars_cols[key][p_order], pandas_cols[key][q_order]
        if key == "total_score":
            both_missing = np.isnan(a) & np.isnan(b)
            bad = ~both_missing & ~(np.abs(a - b) <= TOTAL_TOLERANCE)
        else:
            bad = a != b
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            problems.append(
                f"{key}: {int(bad.sum())} rows differ, e.g. {uscc[first]}: engine {a[first]!r} vs pandas {b[first]!r}"
            )
    return problems


def report(args: argparse.Namespace, polars_fig: dict[str, Any], pandas_fig: dict[str, Any]) -> int:
    """Print the figures, the targets and the agreement; return the exit code."""
    mib = 1024**2
    p_best, q_best = min(polars_fig["times"]), min(pandas_fig["times"])
    print(f"engine benchmark: {args.n:,} enterprises (seed {args.seed}), year {YEAR}, {os.cpu_count()} CPUs")
    print(f"best of {args.repeats} after a warm-up; peak RSS is the whole child process (data + library + run)")
    print(f"{'':18}{'best s':>8}  {'runs s':<24}{'peak RSS MiB':>13}{'RSS before run':>16}{'build s':>9}")
    for label, fig, best in (("polars engine", polars_fig, p_best), ("pandas baseline", pandas_fig, q_best)):
        runs = " ".join(f"{t:.3f}" for t in fig["times"])
        print(
            f"{label:18}{best:8.3f}  {runs:<24}{fig['peak_rss'] / mib:13.0f}{fig['rss_before'] / mib:16.0f}"
            f"{fig['build_seconds']:9.2f}"
        )
    speedup = q_best / p_best
    print(f"ratio pandas / polars: {speedup:.2f}×")
    targets = (
        (f"polars <= {TARGET_SECONDS:g} s", p_best <= TARGET_SECONDS, f"{p_best:.3f} s"),
        (f"polars >= {TARGET_SPEEDUP:g}× faster than pandas", speedup >= TARGET_SPEEDUP, f"{speedup:.2f}×"),
        (
            "polars peak memory < 2 GiB",
            polars_fig["peak_rss"] < TARGET_PEAK_BYTES,
            f"{polars_fig['peak_rss'] / mib:.0f} MiB",
        ),
    )
    for name, ok, figure in targets:
        print(f"target {name:38} {figure:>12}  {'PASS' if ok else 'FAIL'}")
    problems = compare(polars_fig["columns"], pandas_fig["columns"])
    if problems:
        print("agreement: DISAGREE")
        for p in problems:
            print(f"  {p}")
        return 1
    p_tot, q_tot = polars_fig["columns"]["total_score"], pandas_fig["columns"]["total_score"]
    p_order, q_order = np.argsort(polars_fig["columns"]["uscc"]), np.argsort(pandas_fig["columns"]["uscc"])
    diff = np.nanmax(np.abs(p_tot[p_order] - q_tot[q_order]))
    print(f"agreement: {', '.join(COMPARED)} identical; max |Δ total_score| = {diff:.1e} (tolerance 1e-9): OK")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500_000, help="number of enterprises")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--child", choices=("polars", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child, args.n, args.seed, args.repeats, args.result)
        return 0
    with tempfile.TemporaryDirectory(prefix="zonehero-bench-") as tmp:
        polars_fig = launch("polars", args, Path(tmp))
        pandas_fig = launch("pandas", args, Path(tmp))
        return report(args, polars_fig, pandas_fig)


if __name__ == "__main__":
    sys.exit(main())
