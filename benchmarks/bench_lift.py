"""升类路径 at scale (issue 11 part 6): the whole run's answers at once against the per-enterprise search, and notices.

For each size: the synthetic zone is evaluated once; then

* ``lift_all`` computes every enterprise's 升类路径 in one pass (the way a run keeps them), timed whole;
* the baseline, ``explain_lift`` (one enterprise, the engine re-run to check each answer), is timed on a sample of
  enterprises below A and projected to all of them;
* the notice rate of one process: ``--notices`` notices rendered as PDF with the run's answers in hand, and
  without the 升类路径 section.

The machine's load average is printed beside every figure. A missed target is reported, not an error.

    .venv/bin/python benchmarks/bench_lift.py [--sizes 1000,10000,100000] [--sample 5] [--notices 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_zone
from zonehero.core.evaluation import default_scheme, evaluate
from zonehero.core.evaluation.lift import explain_lift
from zonehero.core.evaluation.lift_batch import lift_all
from zonehero.reports.notice_data import NoticeContext
from zonehero.reports.pdf.notice import notice_pdf

YEAR = 2025
NOTICE_RATE_TARGET = 30.0
"""Notices per second with the 升类路径 across two job workers (issue 11): 15 per second per worker."""


def _load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--sample", type=int, default=5, help="enterprises timed with the per-enterprise search")
    parser.add_argument("--notices", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    scheme = default_scheme()
    for n in (int(x) for x in args.sizes.split(",")):
        zone = make_zone(n, seed=args.seed).to_polars()
        result = evaluate(zone, scheme, year=YEAR)
        below = result.enterprises.filter((pl.col("status") == "evaluated") & (pl.col("class") != "A"))
        start = time.perf_counter()
        answers = lift_all(result)
        whole = time.perf_counter() - start
        print(f"{n:>7} enterprises, {below.height} below A: lift_all {whole:8.1f} s  ({_load()})", flush=True)

        sample = below["uscc"].to_list()[:: max(1, below.height // args.sample)][: args.sample]
        start = time.perf_counter()
        for uscc in sample:
            explain_lift(zone, scheme, year=YEAR, uscc=uscc, result=result)
        each = (time.perf_counter() - start) / max(1, len(sample))
        projected = each * below.height
        print(
            f"{'':>7} baseline explain_lift {each:6.2f} s per enterprise, all projected {projected:9.0f} s"
            f"  -> {projected / max(whole, 1e-9):,.0f}x  ({_load()})",
            flush=True,
        )

        rows = below["uscc"].to_list()[: args.notices]
        for label, lifts in (("with 升类路径", answers), ("without", None)):
            context = NoticeContext(result, lift=lifts is not None, lifts=lifts)
            start = time.perf_counter()
            for uscc in rows:
                notice_pdf(result, uscc, context=context)
            rate = len(rows) / (time.perf_counter() - start)
            verdict = ""
            if lifts is not None:
                verdict = "PASS" if 2 * rate >= NOTICE_RATE_TARGET else "FAIL"
                verdict = f"  two workers ~{2 * rate:.0f}/s vs target {NOTICE_RATE_TARGET:.0f}/s: {verdict}"
            print(f"{'':>7} notices {label}: {rate:6.1f} per second in one process{verdict}  ({_load()})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
