"""Evaluation schemes (评价方案): load, validate, vary and save.

The scheme is data: every number the engine uses comes from it (spec
evaluation.md). ``parse_scheme`` validates everything and reports every
problem with its dotted key path; ``load_scheme`` reads a file or the
packaged default; ``scheme_to_toml`` writes a (varied) scheme back.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from zonehero.core.evaluation.scheme_model import (
    CLASS_KEYS,
    GROUPS,
    WEIGHT_TOTAL,
    Bonus,
    CarbonGrade,
    Classes,
    FrozenMap,
    Group,
    Indicator,
    Policy,
    Scheme,
    SchemeInfo,
    Scope,
    Scoring,
)
from zonehero.core.evaluation.scheme_parse import parse_scheme, scheme_from_data
from zonehero.core.evaluation.scheme_toml import scheme_to_toml
from zonehero.errors import InputProblem, SchemeError

__all__ = [
    "CLASS_KEYS",
    "GROUPS",
    "WEIGHT_TOTAL",
    "Bonus",
    "CarbonGrade",
    "Classes",
    "FrozenMap",
    "Group",
    "Indicator",
    "Policy",
    "Scheme",
    "SchemeError",
    "SchemeInfo",
    "Scope",
    "Scoring",
    "default_scheme",
    "default_scheme_text",
    "indicator_label_unit",
    "load_scheme",
    "parse_scheme",
    "scheme_from_data",
    "scheme_to_toml",
]

DEFAULT_SCHEME_RESOURCE = "default_scheme.toml"


def default_scheme_text() -> str:
    """The packaged default scheme file, comments included (a starting point for a zone's own)."""
    return resources.files("zonehero.data").joinpath(DEFAULT_SCHEME_RESOURCE).read_text("utf-8")


@lru_cache(maxsize=1)
def default_scheme() -> Scheme:
    """The packaged default scheme, parsed once (Scheme is immutable, so sharing it is safe)."""
    return parse_scheme(default_scheme_text(), source=f"zonehero/data/{DEFAULT_SCHEME_RESOURCE}")


def load_scheme(path: Path | None = None) -> Scheme:
    """Read and validate a scheme file; the packaged default when ``path`` is None.

    A file that cannot be read or is not UTF-8 is a SchemeError like any other bad input.
    """
    if path is None:
        return default_scheme()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SchemeError(InputProblem("方案文件不存在", file=str(path))) from None
    except UnicodeDecodeError:
        raise SchemeError(InputProblem("方案文件不是 UTF-8 编码的文本", file=str(path))) from None
    except OSError as exc:
        raise SchemeError(InputProblem(f"无法读取方案文件：{exc.strerror}", file=str(path))) from None
    return parse_scheme(text, source=str(path))


def indicator_label_unit(scheme: Scheme, key: str) -> tuple[str, str]:
    """(label, unit) of an indicator: the scheme's own words, else the packaged default's.

    A page or report that prints a zone figure (亩均税收 of the whole zone, a histogram of it) names it as the run's
    scheme does; a zone scheme that dropped the indicator still prints the default's Chinese name
    rather than the key (only a key neither scheme knows comes back as itself).
    """
    for source in (scheme, default_scheme()):
        for group in source.groups.values():
            for ind in group.indicators:
                if ind.key == key:
                    return ind.label, ind.unit
    return key, ""
