"""Import every mapped class so ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

from zonehero.audit.models import AuditEntry
from zonehero.db.base import Base
from zonehero.enterprises.models import Enterprise, EnterpriseName, Figure
from zonehero.goals.models import GoalActual, ZoneGoal
from zonehero.imports.models import ImportBatch
from zonehero.objections.models import Objection, ObjectionFile
from zonehero.projects.models import (
    DifficultyRow,
    MonthlySnapshotRow,
    PhotoRow,
    ProgressRow,
    ProjectRow,
    YearPlanRow,
)
from zonehero.runs.models import EvaluationRun, RunResult
from zonehero.schemes.models import Scheme, SchemeVersion
from zonehero.users.models import User

__all__ = [
    "AuditEntry",
    "Base",
    "DifficultyRow",
    "Enterprise",
    "EnterpriseName",
    "EvaluationRun",
    "Figure",
    "GoalActual",
    "ImportBatch",
    "MonthlySnapshotRow",
    "Objection",
    "ObjectionFile",
    "PhotoRow",
    "ProgressRow",
    "ProjectRow",
    "RunResult",
    "Scheme",
    "SchemeVersion",
    "User",
    "YearPlanRow",
    "ZoneGoal",
]
