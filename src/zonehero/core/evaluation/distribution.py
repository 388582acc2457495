"""Distributions of a run's figures (分布): one binning for the dashboard's histogram and the annual report's.

A page and a document that show "how many enterprises pay how much tax per 亩" must draw the same bars, so the
bins are computed here once; the web chart and the PDF chart only draw them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

TAX_PER_MU_BINS = 8
TAX_PER_MU_UPPER_QUANTILE = 0.95
"""亩均税收 is very skewed: 8 bins up to the 95th percentile, the rest in one open-ended bin (12 left most bars
nearly empty for a zone of a few hundred enterprises)."""


@dataclass(frozen=True)
class Bin:
    """One bar of a histogram: [low, high) with its count; the last bin includes its upper edge."""

    low: float
    high: float
    count: int
    open_ended: bool = False
    """The overflow bin: every value from ``low`` up."""

    @property
    def label(self) -> str:
        """ "40~50" style label (integers when the edges are whole); "≥200" for the overflow bin."""
        if self.open_ended:
            return f"≥{_edge(self.low)}"
        return f"{_edge(self.low)}~{_edge(self.high)}"


def _edge(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2g}"


def histogram_bins(
    values: Sequence[float], *, width: float | None = None, bins: int = 10, upper_quantile: float | None = None
) -> list[Bin]:
    """Count ``values`` into equal bins starting at a multiple of ``width`` (a "nice" width when None).

    With ``upper_quantile`` (0.95, say) the bins span up to that quantile and
    every larger value goes into one open-ended last bin, so a long right tail
    (亩均税收 is very skewed) does not squeeze all the bars into one.
    """
    finite = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not finite:
        return []
    low, high = finite[0], finite[-1]
    cut: float | None = None
    if upper_quantile is not None and len(finite) > 1:
        q = finite[min(len(finite) - 1, int(upper_quantile * (len(finite) - 1)))]
        if low < q < high:
            cut, high = q, q
    if width is None:
        raw = (high - low) / bins if high > low else 1.0
        magnitude = 10 ** math.floor(math.log10(raw))
        width = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / width) * width
    n = max(1, math.ceil((high - start) / width + 1e-9))
    if start + n * width <= high:
        n += 1
    counts = [0] * n
    over = 0
    for v in finite:
        if cut is not None and v >= start + n * width:
            over += 1
        else:
            counts[min(int((v - start) // width), n - 1)] += 1
    found = [Bin(start + i * width, start + (i + 1) * width, c) for i, c in enumerate(counts)]
    if over:
        found.append(Bin(start + n * width, math.inf, over, open_ended=True))
    return found


def tax_per_mu_bins(values: Sequence[float]) -> list[Bin]:
    """The bins of 亩均税收 every page and report uses."""
    return histogram_bins(values, bins=TAX_PER_MU_BINS, upper_quantile=TAX_PER_MU_UPPER_QUANTILE)
