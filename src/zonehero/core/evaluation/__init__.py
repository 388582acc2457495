"""The 四个论英雄 evaluation core: a canonical enterprise frame and a scheme in, a result out.

Pure: no database, web or CLI imports. See spec evaluation.md.
"""

from __future__ import annotations

from zonehero.core.evaluation.engine import evaluate
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme import Scheme, default_scheme, load_scheme, parse_scheme, scheme_to_toml

__all__ = [
    "EvaluationResult",
    "Scheme",
    "default_scheme",
    "evaluate",
    "load_scheme",
    "parse_scheme",
    "scheme_to_toml",
]
