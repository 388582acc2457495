"""Import every mapped class so ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

from zonehero.audit.models import AuditEntry
from zonehero.db.base import Base
from zonehero.enterprises.models import Enterprise, EnterpriseName, Figure
from zonehero.imports.models import ImportBatch
from zonehero.objections.models import Objection, ObjectionFile
from zonehero.runs.models import EvaluationRun, RunResult
from zonehero.schemes.models import Scheme, SchemeVersion
from zonehero.users.models import User

__all__ = [
    "AuditEntry",
    "Base",
    "Enterprise",
    "EnterpriseName",
    "EvaluationRun",
    "Figure",
    "ImportBatch",
    "Objection",
    "ObjectionFile",
    "RunResult",
    "Scheme",
    "SchemeVersion",
    "User",
]
