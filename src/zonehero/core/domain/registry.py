"""A column of an import registry: the one shape every importer's columns take.

The enterprise field registry (:mod:`zonehero.core.domain.fields`) and the project and progress columns
(:mod:`zonehero.core.schedule.importer`) are registries of this kind; a later importer (parcels, leads) declares
its columns the same way and gets header matching, units and the template's headers from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.core.domain.units import CANONICAL_UNIT

UNITLESS_HEADER_DIMENSIONS = frozenset({"persons", "year"})
"""Dimensions whose canonical unit is not written into the header (人数, 年份)."""


@dataclass(frozen=True)
class Column:
    """One accepted column: key, the Chinese label our templates write, its value type, unit dimension, aliases."""

    key: str
    label: str
    """Chinese label as shown to users (without unit)."""
    type: str
    """How a cell is read (number, text, date, bool, uscc …; each registry names its own types)."""
    dimension: str | None = None
    """Unit dimension (see ``zonehero.core.domain.units``); None for unitless columns."""
    aliases: tuple[str, ...] = ()
    """Other header labels (without unit) that mean this column."""
    required: bool = False
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
