"""The registries importers read by: a :class:`Column` is one accepted column, a :class:`Registry` a table of them.

The enterprise field registry (:mod:`zonehero.core.domain.fields`), the project and progress columns
(:mod:`zonehero.core.schedule.importer`) and the cultivation supplement are registries of this one kind. The one
spreadsheet reader (:mod:`zonehero.core.ingest.table`) takes a registry and does the rest (header row, aliases,
units, title/units/total rows, value parsing by type, located problems), so a later importer (parcels, leads)
declares its columns and its anchor and writes only the checks that are its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from zonehero.core.domain.names import header_key
from zonehero.core.domain.units import CANONICAL_UNIT

UNITLESS_HEADER_DIMENSIONS = frozenset({"persons", "year"})
"""Dimensions whose canonical unit is not written into the header (人数, 年份)."""

ValueType = Literal[
    "text", "uscc", "number", "integer", "percent", "bool", "date", "month", "year", "industry_code", "zjtx"
]
"""How a cell is read; every type has its parser in :func:`zonehero.core.ingest.values.parse_column`."""


@dataclass(frozen=True)
class Column:
    """One accepted column: key, the Chinese label our templates write, its value type, unit dimension, aliases."""

    key: str
    label: str
    """Chinese label as shown to users (without unit)."""
    type: ValueType
    dimension: str | None = None
    """Unit dimension (see ``zonehero.core.domain.units``); None for unitless columns."""
    aliases: tuple[str, ...] = ()
    """Other header labels (without unit) that mean this column."""
    required: bool = False
    """A file whose header lacks this column is refused."""
    nonnegative: bool = False

    @property
    def unit(self) -> str | None:
        """The canonical unit, e.g. 万元."""
        return CANONICAL_UNIT.get(self.dimension) if self.dimension else None

    @property
    def header(self) -> str:
        """The header as our templates write it: the label with its canonical unit."""
        if self.unit and self.dimension not in UNITLESS_HEADER_DIMENSIONS:
            return f"{self.label}({self.unit})"
        return self.label


@dataclass(frozen=True, eq=False)
class Registry:
    """The columns of one kind of spreadsheet, and what makes a row of it a record.

    Compared and hashed by identity: registries are module constants, and the reader caches its alias index
    per registry.
    """

    name: str
    """What the file is, in Chinese (企业数据表, 项目库 …), for messages."""
    columns: tuple[Column, ...]
    anchor: str
    """Key of the column that identifies a record: the header row is the one that has it, and a data row
    without it is either skipped (blank, 合计, a note) or refused as lacking it."""
    identity: tuple[str, ...] = ()
    """Keys that name a record rather than give a figure; a 合计 label is looked for in these columns too."""
    needs_figures: bool = False
    """When set, a header with nothing but the identity columns is refused (it is most likely mistyped)."""
    refuse_duplicate_headers: bool = False
    """When set, two headers meaning one column are refused; else the first is read and the other ignored with
    a warning."""
    by_key: Mapping[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Refuse a registry the reader could not read unambiguously (a programming error, raised at import)."""
        by_key = {c.key: c for c in self.columns}
        if len(by_key) != len(self.columns):
            raise ValueError(f"{self.name}: two columns share a key")
        if self.anchor not in by_key or any(k not in by_key for k in self.identity):
            raise ValueError(f"{self.name}: the anchor and the identity columns must be columns of the registry")
        owner: dict[str, str] = {}
        for c in self.columns:
            for spelling in {header_key(text) for text in (c.key, c.label, *c.aliases)}:
                if owner.setdefault(spelling, c.key) != c.key:
                    raise ValueError(f"{self.name}: 「{spelling}」 names both {owner[spelling]} and {c.key}")
        object.__setattr__(self, "by_key", by_key)

    @property
    def anchor_column(self) -> Column:
        """The column that identifies a record."""
        return self.by_key[self.anchor]

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a file must have (the anchor always)."""
        return tuple(c for c in self.columns if c.required or c.key == self.anchor)
