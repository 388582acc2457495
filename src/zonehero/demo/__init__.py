"""The demo zone (演示数据), in one place: a synthetic development zone for demos, tutorials and tests.

``generate_zone`` gives canonical frames (one per year); ``write_demo_sources``
and ``write_demo_years`` write them as the messy department files the
importer is built for; ``seed`` fills a fresh store through the services as
a person would, and ``schedule``/``projects``/``goals`` generate the 四个一批
library and the zone's goals. Nothing here is data of a real zone. It may
import features, reports and cores, never an edge.
"""

from __future__ import annotations

from zonehero.demo.writers import (
    RdConflict,
    SourceFile,
    rd_conflict,
    write_demo_sources,
    write_demo_years,
    write_year_files,
)
from zonehero.demo.zone import canonical_schema, generate_zone

__all__ = [
    "RdConflict",
    "SourceFile",
    "canonical_schema",
    "generate_zone",
    "rd_conflict",
    "write_demo_sources",
    "write_demo_years",
    "write_year_files",
]
