"""Class (A/B/C/D) and status vocabulary shared by pages, charts and exports.

One place for the colours so a class looks the same on the dashboard, in the
xlsx and in a PDF.
"""

from __future__ import annotations

from collections.abc import Mapping

CLASSES: tuple[str, ...] = ("A", "B", "C", "D")

CLASS_COLOURS: dict[str, str] = {
    "A": "#1a9850",
    "B": "#66bd63",
    "C": "#fdae61",
    "D": "#d73027",
}
"""Background colour per class (green → red)."""

CLASS_TEXT_COLOURS: dict[str, str] = {"A": "#000000", "B": "#000000", "C": "#000000", "D": "#ffffff"}
"""Text on the class colour, chosen for a contrast of at least 4.5:1 (WCAG AA for small text): black on the greens
(5.6 and 9.0; white gave 3.7 and 2.3) and on orange (11.4), white on red (4.8)."""

STATUS_LABELS: dict[str, str] = {
    "evaluated": "参评",
    "vetoed": "一票否决",
    "exempt": "不参评",
    "out_of_scope": "不纳入评价",
}

GROUP_LABELS: dict[str, str] = {"above": "规上", "below": "规下"}

FLAG_LABELS: dict[str, str] = {
    "energy_computed": "综合能耗由分品种能源消费量折算",
    "co2_computed": "二氧化碳排放量由分品种能源消费量折算",
    "missing": "数据缺失，该指标得分按方案规则处理",
    "degenerate_benchmark": "基准值缺失或不大于0，该指标全组得0分",
}


def flag_label(flag: str, labels: Mapping[str, str] | None = None) -> str:
    """Chinese explanation of an engine flag such as ``missing:rd_intensity``.

    ``labels`` maps indicator keys to their Chinese names (from the run's
    scheme) so the enterprise reads 研发经费投入强度, not rd_intensity.
    """
    kind, _, detail = flag.partition(":")
    label = FLAG_LABELS.get(kind, kind)
    if detail and labels:
        detail = labels.get(detail, detail)
    return f"{label}（{detail}）" if detail else label
