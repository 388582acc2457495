"""Chains, links, the chain view and target firms as the edges see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from zonehero.core.chains.importer import TARGET_KIND_LABELS, target_kind


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


class TargetWrite(BaseModel):
    """A target firm as entered on the form or read from a spreadsheet row (chain and link by name)."""

    name: str = Field(min_length=1, max_length=200, description="企业名称")
    uscc: str | None = Field(default=None, max_length=18, description="统一社会信用代码")
    kind: str = Field(description="类别：head/leader/zjtx/little_giant/chain_leader/other")
    chain: str | None = Field(default=None, max_length=64, description="产业链")
    link: str | None = Field(default=None, max_length=64, description="环节")
    headquarters: str | None = Field(default=None, max_length=100, description="总部所在地")
    revenue: float | None = Field(default=None, ge=0, allow_inf_nan=False, description="营业收入（万元）")
    employees: int | None = Field(default=None, ge=0, le=10_000_000, description="从业人数")
    source: str | None = Field(default=None, max_length=100, description="信息来源")
    tags: str | None = Field(default=None, max_length=300, description="标签（以顿号或逗号分隔）")
    follower: str | None = Field(default=None, max_length=64, description="跟进人（员工账户名）")
    note: str | None = Field(default=None, max_length=500)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("不能为空")
        return value

    @field_validator("uscc", "chain", "link", "headquarters", "source", "tags", "follower", "note")
    @classmethod
    def _optional(cls, value: str | None) -> str | None:
        return _stripped(value)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        kind = target_kind(value)
        if kind is None:
            raise ValueError(f"未知的类别（可用：{'、'.join(TARGET_KIND_LABELS.values())}）")
        return kind


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    uscc: str | None
    kind: str
    chain_id: int | None
    chain: str | None = None
    link_id: int | None
    link: str | None = None
    headquarters: str | None
    revenue: float | None
    employees: int | None
    source: str | None
    tags: str | None
    follower_id: int | None
    follower: str | None = None
    note: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def kind_label(self) -> str:
        return TARGET_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class LinkView:
    """One link of a chain with what the zone has on it."""

    id: int
    name: str
    position: int
    enterprises: int = 0
    enterprise_names: list[str] = field(default_factory=list)
    tax_per_mu: float | None = None
    """Mean 亩均税收 (万元/亩) of the link's enterprises in the newest final run (those that have one)."""
    projects: int = 0
    investment: float = 0.0
    """Total investment of the link's projects, 万元."""
    targets: int = 0

    @property
    def is_gap(self) -> bool:
        """补链: the zone has no enterprise and no project on this link (targets are what would fill it)."""
        return self.enterprises == 0 and self.projects == 0


@dataclass(frozen=True)
class ChainSummary:
    """A chain of the profile with its counts, for the listing (``id`` None: no record yet, no links)."""

    name: str
    id: int | None
    links: int
    gaps: int
    enterprises: int
    projects: int
    targets: int


@dataclass(frozen=True)
class ChainView:
    id: int
    name: str
    note: str | None
    links: list[LinkView]
    leaders: list[tuple[int, str, str | None]]
    """(id, name, uscc) of each 链主."""
    untagged_enterprises: int
    """Enterprises on the chain without a link."""
    run_year: int | None
    """Year of the final run the 亩均税收 come from (None: no final run)."""

    @property
    def gaps(self) -> list[LinkView]:
        return [link for link in self.links if link.is_gap]


@dataclass(frozen=True)
class ImportPreview:
    """A spreadsheet read and checked: the rows it would write (nothing written yet)."""

    file: str
    rows: list[dict[str, object]]
