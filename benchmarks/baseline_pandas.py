"""An independent, vectorised pandas implementation of the evaluation spec (evaluation.md §2-7a).

Why it exists: it is the yardstick of the engine benchmark (same work, other
library) and a second opinion in the cross-check test. It was written from the
spec alone, without reading the Polars engine, so when the two disagree one of
them departs from the spec and the disagreement is worth a look.

Every number comes from the parsed scheme TOML (``tomllib``) and the energy
coefficient TOML; nothing is hard-coded. Rows are never looped over in Python:
loops run over groups, indicators and fuels only.

Choices where the spec is silent (the default scheme never reaches them):

- a "lower is better" indicator whose value is <= 0 counts as missing (no ratio B / value);
- a vetoed enterprise capped at C (``vetoed_class = "C"``) in quota mode takes the class its
  total would give among the group's evaluated enterprises: rank = 1 + the number of them
  with a strictly higher total, n = their number;
- the industry division is the two digits after the leading letter of ``industry_code``
  (upper-cased, trimmed); a code without a letter uses its first two digits; no code → no division.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SCORED = ("evaluated", "vetoed")
"""Statuses that get indicator scores (vetoed ones see what they would have had)."""
GROUPS = ("above", "below")


def load_default_scheme() -> dict[str, Any]:
    """The packaged default scheme as a plain dict (parsed TOML)."""
    return tomllib.loads(resources.files("zonehero.data").joinpath("default_scheme.toml").read_text("utf-8"))


def load_default_coefficients() -> dict[str, Any]:
    """The packaged energy / CO2 coefficient table as a plain dict (parsed TOML)."""
    return tomllib.loads(resources.files("zonehero.data").joinpath("energy_coefficients.toml").read_text("utf-8"))


def load_toml(path: Path) -> dict[str, Any]:
    """A scheme or coefficient file given by path."""
    return tomllib.loads(path.read_text("utf-8"))


# --------------------------------------------------------------------------- input access


def _number(df: pd.DataFrame, key: str) -> np.ndarray:
    """A numeric column as float64 with NaN for missing; all NaN when the column is absent."""
    if key not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[key], errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _flag(df: pd.DataFrame, key: str) -> np.ndarray:
    """A boolean column with missing read as False (spec: empty = false)."""
    if key not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[key].fillna(False).astype(bool).to_numpy()


def _text(df: pd.DataFrame, key: str) -> pd.Series:
    """A text column (object/str) with missing as NA; all NA when absent."""
    if key not in df.columns:
        return pd.Series([None] * len(df), index=df.index, dtype="str")
    return df[key].astype("str")


def industry_codes(df: pd.DataFrame) -> pd.Series:
    """``industry_code`` trimmed and upper-cased once (NA where missing)."""
    return _text(df, "industry_code").str.strip().str.upper()


def industry_division(clean: pd.Series) -> pd.Series:
    """GB/T 4754 division of normalised codes: the two digits after the section letter (``C3985`` → ``39``)."""
    starts_with_letter = clean.str[:1].str.isalpha()
    division = clean.str[1:3].where(starts_with_letter, clean.str[:2])
    return division.where(division.str.len() == 2)


# --------------------------------------------------------------------------- §3 energy and carbon


def energy_and_co2(df: pd.DataFrame, coefficients: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(energy_tce, co2_t): the given figure, else Σ quantity × coefficient over the breakdown.

    Absent fuels count 0, but a row with no breakdown figure at all has no
    computed value (no data is not zero energy).
    """
    n = len(df)
    fuels = coefficients["fuels"]
    present = [key for key in fuels if key in df.columns]
    tce = np.zeros(n)
    co2 = np.zeros(n)
    any_fuel = np.zeros(n, dtype=bool)
    for key in present:  # left-to-right sum, fuel by fuel
        quantity = _number(df, key)
        known = ~np.isnan(quantity)
        any_fuel |= known
        q = np.where(known, quantity, 0.0)
        tce = tce + q * float(fuels[key]["tce"])
        co2 = co2 + q * float(fuels[key]["co2_t"])
    tce[~any_fuel] = np.nan
    co2[~any_fuel] = np.nan
    given_tce = _number(df, "energy_tce")
    given_co2 = _number(df, "co2_t")
    return (
        np.where(np.isnan(given_tce), tce, given_tce),
        np.where(np.isnan(given_co2), co2, given_co2),
    )


# --------------------------------------------------------------------------- §2 status and group


def status_and_group(
    df: pd.DataFrame, year: int, scheme: dict[str, Any], codes: pd.Series | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(status, group) per row as object arrays; group is None for out-of-scope rows.

    ``codes`` are the normalised industry codes (computed here when not given).
    """
    scope = scheme["scope"]
    revenue = _number(df, "revenue")
    by_revenue = revenue >= float(scope["above_scale_revenue"])  # NaN → False
    if "above_scale" in df.columns:
        flag = df["above_scale"]
        above = np.where(flag.isna().to_numpy(), by_revenue, flag.fillna(False).astype(bool).to_numpy())
    else:
        above = by_revenue
    land = _number(df, "land_area_mu")
    out_of_scope = ~above & ~(land >= float(scope["min_land_mu_below_scale"]))

    vetoed = np.zeros(len(df), dtype=bool)
    for key in scope["veto_flags"]:
        vetoed |= _flag(df, key)

    start = _number(df, "production_start_year")
    young = start >= year - (int(scope["exempt_years"]) - 1)
    codes = industry_codes(df) if codes is None else codes
    prefixes = tuple(str(p).upper() for p in scope["exempt_industry_prefixes"])
    ungraded = codes.str.startswith(prefixes).fillna(False).astype(bool).to_numpy() if prefixes else False
    exempt = young | ungraded

    status = np.select(
        [out_of_scope, vetoed, exempt], ["out_of_scope", "vetoed", "exempt"], default="evaluated"
    ).astype(object)
    group = np.where(out_of_scope, None, np.where(above, "above", "below")).astype(object)
    return status, group


# --------------------------------------------------------------------------- §5 benchmarks


def _benchmark(
    num: np.ndarray,
    den: np.ndarray,
    contributes: np.ndarray,
    in_group: np.ndarray,
    division: pd.Series,
    indicator: dict[str, Any],
    group: str,
    scheme: dict[str, Any],
) -> np.ndarray:
    """The benchmark B of one indicator for every row of ``group`` (NaN elsewhere or when undefined)."""
    scoring = scheme["scoring"]
    mode = scoring.get("benchmark_mode", "zone")
    multiplier = float(indicator.get("multiplier", 1.0))
    factor = float(scoring.get("benchmark_factor", 1.0))
    out = np.full(len(num), np.nan)
    if mode == "fixed":
        fixed = scheme.get("benchmarks", {}).get("fixed", {}).get(group, {})
        if indicator["key"] in fixed:
            out[in_group] = float(fixed[indicator["key"]])
        return out
    sum_den = den[contributes].sum()
    zone = num[contributes].sum() / sum_den * multiplier * factor if sum_den > 0 else np.nan
    out[in_group] = zone
    if mode == "industry":
        frame = pd.DataFrame(
            {"division": division[contributes].to_numpy(), "num": num[contributes], "den": den[contributes]}
        )
        per_division = frame.groupby("division", dropna=True).agg(
            count=("num", "size"), num=("num", "sum"), den=("den", "sum")
        )
        per_division = per_division[per_division["count"] >= int(scoring.get("industry_min_count", 5))]
        own = (per_division["num"] / per_division["den"] * multiplier * factor).where(per_division["den"] > 0)
        mapped = division.map(own).to_numpy(dtype="float64", na_value=np.nan)
        use_own = in_group & division.isin(own.index).to_numpy()
        out[use_own] = mapped[use_own]
    elif mode != "zone":
        raise ValueError(f"unknown benchmark_mode {mode!r}")
    return out


# --------------------------------------------------------------------------- the whole evaluation


def evaluate_pandas(
    df: pd.DataFrame, year: int, scheme_dict: dict[str, Any], coefficients: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Evaluate one zone-year: one output row per input row, in input order.

    Columns: uscc, group, status, energy_tce, co2_t, ``<key>__value/__benchmark/__ratio/__score``
    for every indicator key of the scheme, bonus, total_score, rank, class, carbon_grade.
    Scores exist for evaluated and vetoed rows only; rank for evaluated rows only.
    """
    scheme = scheme_dict
    coefficients = coefficients if coefficients is not None else load_default_coefficients()
    df = df.reset_index(drop=True)
    n = len(df)
    codes = industry_codes(df)
    status, group = status_and_group(df, year, scheme, codes)
    energy, co2 = energy_and_co2(df, coefficients)
    division = industry_division(codes)
    inputs = {"energy_tce": energy, "co2_t": co2}

    def source(key: str) -> np.ndarray:
        return inputs[key] if key in inputs else _number(df, key)

    scored = np.isin(status, SCORED)
    evaluated = status == "evaluated"
    scoring = scheme["scoring"]
    cap = float(scoring["cap"])
    out: dict[str, Any] = {
        "uscc": df["uscc"].to_numpy() if "uscc" in df.columns else np.full(n, None),
        "group": group,
        "status": status,
        "energy_tce": energy,
        "co2_t": co2,
    }
    total = np.full(n, np.nan)
    total[scored] = 0.0
    for g in GROUPS:
        in_group = group == g
        for indicator in scheme["groups"][g]["indicators"]:
            key = indicator["key"]
            for part in ("value", "benchmark", "ratio", "score"):
                out.setdefault(f"{key}__{part}", np.full(n, np.nan))
            num, den = source(indicator["numerator"]), source(indicator["denominator"])
            valid = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
            value = np.where(valid, num / np.where(valid, den, 1.0) * float(indicator.get("multiplier", 1.0)), np.nan)
            bench = _benchmark(num, den, valid & scored & in_group, in_group, division, indicator, g, scheme)
            lower = indicator.get("direction", "higher") == "lower"
            has_value = valid & (value > 0) if lower else valid
            good_bench = bench > 0  # NaN → False
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(lower, bench / value, value / bench)
            ratio = np.where(has_value & good_bench, ratio, np.nan)
            score = float(indicator["weight"]) * np.clip(ratio, 0.0, cap)
            rows = in_group & scored
            missing = rows & good_bench & ~has_value
            if scoring.get("missing_policy", "zero") == "group_mean":
                donors = in_group & evaluated & has_value & good_bench
                fill = score[donors].mean() if donors.any() else 0.0
            else:
                fill = 0.0
            score = np.where(missing, fill, score)
            score = np.where(rows & np.isnan(score), 0.0, score)  # degenerate benchmark → 0
            out[f"{key}__value"][in_group] = value[in_group]
            out[f"{key}__benchmark"][in_group] = bench[in_group]
            out[f"{key}__ratio"][rows] = ratio[rows]
            out[f"{key}__score"][rows] = score[rows]
            total[rows] = total[rows] + score[rows]

    bonus = _bonus(df, scheme, evaluated, scored)
    total = total + np.where(scored, bonus, 0.0)
    out["bonus"] = bonus
    out["total_score"] = total
    rank, size = _rank(total, group, evaluated)
    out["rank"] = rank
    out["class"] = _classes(total, group, status, rank, size, scheme)
    out["carbon_grade"] = _carbon_grade(co2, _number(df, "value_added"), division, group, scored, scheme)
    return pd.DataFrame(out)


def _bonus(df: pd.DataFrame, scheme: dict[str, Any], evaluated: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """Bonus points: flags plus the highest zjtx level, capped; evaluated only (vetoed 0, others NaN)."""
    cfg = scheme["bonus"]
    points = np.zeros(len(df))
    for key, value in cfg.get("flags", {}).items():
        points = points + np.where(_flag(df, key), float(value), 0.0)
    levels = cfg.get("zjtx_level", {})
    if levels:
        level = _text(df, "zjtx_level").str.strip()
        zjtx = level.map({k: float(v) for k, v in levels.items()}).to_numpy(dtype="float64", na_value=np.nan)
        points = points + np.where(np.isnan(zjtx), 0.0, zjtx)
    points = np.minimum(points, float(cfg["max_total"]))
    return np.where(evaluated, points, np.where(scored, 0.0, np.nan))


def _rank(total: np.ndarray, group: np.ndarray, evaluated: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Rank within group over evaluated rows (1 + count strictly higher) and the group's evaluated count."""
    frame = pd.DataFrame({"group": np.where(evaluated, group, None), "total": np.where(evaluated, total, np.nan)})
    by_group = frame.groupby("group", dropna=True)["total"]
    rank = by_group.rank(method="min", ascending=False).reindex(frame.index).astype("Int64")
    size = by_group.transform("count").reindex(frame.index).fillna(0).to_numpy(dtype="int64")
    return rank, size


def _quota_class(rank: np.ndarray, size: np.ndarray, classes: dict[str, Any]) -> np.ndarray:
    """Quota classes by integer arithmetic: A if rank × 100 <= quota_a × n, and so on."""
    r100 = rank.astype("int64") * 100
    return np.select(
        [
            r100 <= int(classes["quota_a"]) * size,
            r100 <= int(classes["quota_b"]) * size,
            r100 <= int(classes["quota_c"]) * size,
        ],
        ["A", "B", "C"],
        default="D",
    ).astype(object)


def _threshold_class(total: np.ndarray, classes: dict[str, Any]) -> np.ndarray:
    return np.select(
        [
            total >= float(classes["threshold_a"]),
            total >= float(classes["threshold_b"]),
            total >= float(classes["threshold_c"]),
        ],
        ["A", "B", "C"],
        default="D",
    ).astype(object)


def _classes(
    total: np.ndarray,
    group: np.ndarray,
    status: np.ndarray,
    rank: pd.Series,
    size: np.ndarray,
    scheme: dict[str, Any],
) -> np.ndarray:
    """Class per row: by quota or threshold for evaluated rows, D (or capped at C) for vetoed, None otherwise."""
    classes = scheme["classes"]
    mode = classes.get("mode", "quota")
    evaluated = status == "evaluated"
    vetoed = status == "vetoed"
    if mode == "quota":
        score_class = _quota_class(rank.fillna(0).to_numpy(dtype="int64"), size, classes)
        if classes.get("vetoed_class", "D") == "C" and vetoed.any():
            # A vetoed row's would-be rank among the group's evaluated totals.
            would_rank = np.zeros(len(total), dtype="int64")
            would_size = np.zeros(len(total), dtype="int64")
            for g in GROUPS:
                ev = np.sort(total[evaluated & (group == g)])
                rows = vetoed & (group == g)
                would_rank[rows] = 1 + len(ev) - np.searchsorted(ev, total[rows], side="right")
                would_size[rows] = len(ev)
            score_class = np.where(vetoed, _quota_class(would_rank, would_size, classes), score_class)
    elif mode == "threshold":
        score_class = _threshold_class(total, classes)
    else:
        raise ValueError(f"unknown classes.mode {mode!r}")
    if classes.get("vetoed_class", "D") == "C":
        vetoed_class = np.where(np.isin(score_class, ["A", "B"]), "C", score_class)
    else:
        vetoed_class = np.full(len(total), "D", dtype=object)
    return np.where(evaluated, score_class, np.where(vetoed, vetoed_class, None)).astype(object)


def _carbon_grade(
    co2: np.ndarray,
    value_added: np.ndarray,
    division: pd.Series,
    group: np.ndarray,
    scored: np.ndarray,
    scheme: dict[str, Any],
) -> pd.Series:
    """§7a grade 1-5 from K = L / L_ind, L = co2 / value added; evaluated and vetoed rows only."""
    cfg = scheme["carbon_grade"]
    has = ~np.isnan(co2) & ~np.isnan(value_added) & (value_added > 0)
    level = np.where(has, co2 / np.where(has, value_added, 1.0), np.nan)
    contributes = has & scored
    frame = pd.DataFrame(
        {
            "group": np.where(contributes, group, None),
            "division": division.to_numpy(),
            "co2": np.where(contributes, co2, 0.0),
            "va": np.where(contributes, value_added, 0.0),
            "n": contributes.astype("int64"),
        }
    )
    by_group = frame.groupby("group", dropna=True)[["co2", "va"]].sum()
    group_level = (by_group["co2"] / by_group["va"]).where(by_group["va"] > 0)
    group_wide = pd.Series(group).map(group_level).to_numpy(dtype="float64", na_value=np.nan)
    keyed = frame.assign(group=group)
    per_division = keyed.groupby(["group", "division"], dropna=False)[["co2", "va", "n"]].transform("sum")
    division_ok = (per_division["n"].to_numpy() >= int(cfg["industry_min_count"])) & division.notna().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        division_level = per_division["co2"].to_numpy() / per_division["va"].to_numpy()
    reference = np.where(division_ok, division_level, group_wide)
    gradeable = scored & has & (reference > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = level / reference
    grade = np.searchsorted(np.asarray(cfg["bounds"], dtype="float64"), np.where(gradeable, k, 0.0), side="left") + 1
    return pd.Series(np.where(gradeable, grade, 0)).astype("Int64").where(gradeable)
