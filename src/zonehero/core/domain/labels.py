"""Chinese labels of codes that several pages, exports and documents print (one registry, no copies).

Indicator labels and units live in the scheme; enterprise statuses, groups and classes in
:mod:`zonehero.core.domain.classes`; here the rest: the statuses of a run, an objection and an import batch, and
the 专精特新 levels. Pages, exports and documents print these; a template never prints the key itself.
"""

from __future__ import annotations

RUN_STATUS_LABELS: dict[str, str] = {"draft": "草稿", "notice": "公示中", "final": "已定稿"}
"""评价批次状态."""

OBJECTION_STATUS_LABELS: dict[str, str] = {"open": "待处理", "accepted": "已采纳", "rejected": "未采纳"}
"""异议状态."""

IMPORT_STATUS_LABELS: dict[str, str] = {
    "preview": "待确认",
    "invalid": "有错误",
    "confirmed": "已入库",
    "discarded": "已放弃",
}
"""导入批次状态."""

ZJTX_LEVEL_LABELS: dict[str, str] = {"province": "省级专精特新", "national": "专精特新“小巨人”"}
"""专精特新 levels as stored (``zjtx_level``) → as shown."""


def run_status_label(status: str | None) -> str:
    """A run's status in Chinese (the code itself for an unknown one, never an empty cell)."""
    return RUN_STATUS_LABELS.get(status or "", status or "—")


def objection_status_label(status: str | None) -> str:
    """An objection's status in Chinese."""
    return OBJECTION_STATUS_LABELS.get(status or "", status or "—")


def import_status_label(status: str | None) -> str:
    """An import batch's status in Chinese."""
    return IMPORT_STATUS_LABELS.get(status or "", status or "—")
