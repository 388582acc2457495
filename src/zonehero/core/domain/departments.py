"""The departments that send the zone's figures (报送部门) and the fields each one owns.

数据归集 (department submissions) needs to know, for every department, which columns of the enterprise field
registry it is the source of: a department's file may carry those and the identity columns (USCC, name), and a
column owned by another department is refused, so a figure always arrives from the office that answers for it.
The defaults follow the registry's groups (``Field.group``) and the files the demo zone writes; the analyst may
edit the list (it is stored), these only seed it. Pure: data in, data out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zonehero.core.domain.fields import FIELDS, FIELDS_BY_KEY

IDENTITY_KEYS: frozenset[str] = frozenset({"uscc", "name"})
"""Columns every department's file may carry: they say which enterprise a row is, not a figure."""

_GROUP_OWNER: dict[str, str] = {
    "tax": "税务局",
    "statistics": "统计局",
    "land": "自然资源局",
    "science": "科技局",
    "power": "统计局",  # the energy balance (能源消费) and the CO2 reckoned from it are the statistics bureau's,
    # electricity aside
}
_FIELD_OWNER: dict[str, tuple[str, ...]] = {
    "electricity_10k_kwh": ("供电公司",),
    "rd_expense": ("科技局", "统计局"),  # both report it; the importer's priority settles a disagreement
    "industry_code": ("统计局",),
    "above_scale": ("统计局",),
    "production_start_year": ("统计局",),
    "high_tech": ("科技局",),
    "zjtx_level": ("科技局",),
    "listed": ("科技局",),
    "major_env_violation": ("生态环境局",),
    "major_safety_accident": ("应急管理局",),
}

DEFAULT_DEPARTMENT_NAMES: tuple[str, ...] = (
    "税务局",
    "供电公司",
    "统计局",
    "自然资源局",
    "科技局",
    "生态环境局",
    "应急管理局",
)


@dataclass(frozen=True)
class DepartmentFields:
    """A department and the field keys it sends (identity columns not listed)."""

    name: str
    fields: tuple[str, ...]


def _owners(key: str) -> tuple[str, ...]:
    if key in _FIELD_OWNER:
        return _FIELD_OWNER[key]
    group = FIELDS_BY_KEY[key].group
    return (_GROUP_OWNER[group],) if group in _GROUP_OWNER else ()


def default_departments() -> tuple[DepartmentFields, ...]:
    """The seven departments of a typical zone with their fields, in the registry's order."""
    return tuple(
        DepartmentFields(name, tuple(f.key for f in FIELDS if f.key not in IDENTITY_KEYS and name in _owners(f.key)))
        for name in DEFAULT_DEPARTMENT_NAMES
    )


def field_problems(fields: Iterable[str]) -> list[str]:
    """What is wrong with a department's list of fields: unknown keys, identity keys, none at all."""
    keys = list(fields)
    problems = [f"未知的数据项「{k}」" for k in keys if k not in FIELDS_BY_KEY]
    problems += [
        f"「{FIELDS_BY_KEY[k].label}」是企业标识列，每个部门都可报送，无需列出" for k in keys if k in IDENTITY_KEYS
    ]
    if not keys:
        problems.append("至少选择一个数据项")
    return problems


@dataclass(frozen=True)
class ForeignColumn:
    """A column of a submitted file that the submitting department does not own."""

    header: str
    key: str
    label: str
    owners: tuple[str, ...]
    """The departments that do own it (empty: nobody is listed for it)."""

    def message(self, department: str) -> str:
        whose = f"属于{'、'.join(self.owners)}的报送范围" if self.owners else "不在任何部门的报送范围内"
        return f"列「{self.header}」（{self.label}）{whose}，{department}不能报送"


def foreign_columns(
    department: str, columns: Mapping[str, str], owned: Mapping[str, Iterable[str]]
) -> list[ForeignColumn]:
    """The columns (header → field key, as the reader matched them) of a file ``department`` may not send.

    ``owned`` is every department's list of fields (the stored configuration); identity columns always pass.
    """
    mine = set(owned.get(department, ()))
    found = []
    for header, key in columns.items():
        if key in IDENTITY_KEYS or key in mine:
            continue
        owners = tuple(name for name, keys in owned.items() if key in set(keys))
        label = FIELDS_BY_KEY[key].label if key in FIELDS_BY_KEY else key
        found.append(ForeignColumn(header, key, label, owners))
    return found
