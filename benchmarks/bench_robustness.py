"""Robustness benchmark: 1,000 weight draws on 10,000 enterprises against the 10 s target.

    .venv/bin/python benchmarks/bench_robustness.py [--n 10000] [--draws 1000] [--naive-draws 20] [--seed 1]

Times :func:`class_stability` (one engine run, then the vectorised draws) and,
in the same process, a naive baseline that writes each draw's weights into a
scheme and calls ``evaluate`` (``--naive-draws`` of them, extrapolated to
``--draws``). Also checks that the two agree on the class of every enterprise
in those draws. Prints FAIL when the target is missed (exit 0, it is a
report) and exits 1 only when the two disagree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synthetic import make_zone  # noqa: E402
from zonehero.core.evaluation import default_scheme, evaluate  # noqa: E402
from zonehero.core.evaluation.robustness import class_stability, stability_of_result, weight_factors  # noqa: E402
from zonehero.core.evaluation.whatif import vary_scheme  # noqa: E402

YEAR = 2025
TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--naive-draws", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    frame = make_zone(args.n, seed=args.seed).to_polars()
    scheme = default_scheme()
    evaluate(frame, scheme, year=YEAR)  # warm-up (Polars thread pool, caches)

    start = time.perf_counter()
    stability = class_stability(frame, scheme, year=YEAR, draws=args.draws, seed=args.seed)
    fast = time.perf_counter() - start
    fragile = int(stability["fragile"].sum())

    base = evaluate(frame, scheme, year=YEAR)
    classes = base.enterprises.filter(pl.col("class").is_not_null()).select("uscc", "class")
    factors = weight_factors(scheme, draws=args.naive_draws, spread=0.2, seed=args.seed)
    kept_naive = np.zeros(classes.height, dtype=np.int64)
    start = time.perf_counter()
    for d in range(args.naive_draws):
        weights = {
            (g, ind.key): ind.weight * factors[g][d, j]
            for g, group in scheme.groups.items()
            for j, ind in enumerate(group.indicators)
        }
        drawn = evaluate(frame, vary_scheme(scheme, weights=weights), year=YEAR).enterprises
        joined = classes.join(drawn.select("uscc", pl.col("class").alias("drawn")), on="uscc", maintain_order="left")
        kept_naive += (joined["class"] == joined["drawn"]).to_numpy()
    naive = time.perf_counter() - start
    naive_full = naive / args.naive_draws * args.draws

    check = stability_of_result(base, draws=args.naive_draws, spread=0.2, seed=args.seed)
    kept_fast = np.rint(check["share_same_class"].to_numpy() * args.naive_draws).astype(np.int64)
    order = dict(zip(check["uscc"].to_list(), kept_fast, strict=True))
    disagree = sum(order[u] != k for u, k in zip(classes["uscc"].to_list(), kept_naive, strict=True))

    verdict = "PASS" if fast < TARGET_SECONDS else "FAIL"
    print(f"enterprises: {args.n:,}  classed: {stability.height:,}  draws: {args.draws:,}")
    print(f"class_stability: {fast:.2f} s (target < {TARGET_SECONDS:.0f} s) {verdict}; fragile: {fragile:,}")
    print(
        f"naive evaluate() per draw: {naive / args.naive_draws * 1000:.0f} ms × {args.draws:,} ≈ {naive_full:.0f} s "
        f"(measured {args.naive_draws} draws); speed-up ≈ {naive_full / fast:.0f}×"
    )
    print(f"agreement with evaluate() on {args.naive_draws} draws: {'OK' if disagree == 0 else f'{disagree} differ'}")
    return 0 if disagree == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
