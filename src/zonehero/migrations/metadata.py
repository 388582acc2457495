"""Import every mapped class so ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

from zonehero.db.base import Base
from zonehero.features.audit.models import AuditChainHead, AuditEntry
from zonehero.features.chains.models import ChainLeader, ChainLink, EnterpriseChainTag, IndustryChain, TargetFirm
from zonehero.features.collection.models import (
    CollectionDepartment,
    CollectionExpectation,
    CollectionRound,
    CollectionSubmission,
    CollectionToken,
)
from zonehero.features.confirmation.models import (
    ConfirmationAnswer,
    ConfirmationDispute,
    ConfirmationFile,
    ConfirmationRound,
    RunConfirmation,
)
from zonehero.features.decision.models import CultivationView
from zonehero.features.enterprises.models import Enterprise, EnterpriseName, Figure, FigureVersion, YearFrame
from zonehero.features.goals.models import GoalActual, ZoneGoal
from zonehero.features.imports.models import ImportBatch
from zonehero.features.investment.models import LeadActivityRow, LeadMoveRow, LeadRow
from zonehero.features.jobs.models import Job
from zonehero.features.land.models import LandCorrectionRow, LandNoticeRow, LeaseRow, ParcelRow
from zonehero.features.lowland.models import LowlandCase, LowlandMeasure, LowlandPlan
from zonehero.features.objections.models import Objection, ObjectionFile
from zonehero.features.projects.models import (
    DifficultyRow,
    MonthlySnapshotRow,
    PhotoRow,
    ProgressRow,
    ProjectRow,
    YearPlanRow,
)
from zonehero.features.runs.models import EvaluationRun, RunAggregate, RunLifts, RunResult
from zonehero.features.schemes.models import Scheme, SchemeVersion
from zonehero.features.users.models import LoginThrottle, PasswordHistory, User, UserSession
from zonehero.features.zone.models import ZoneProfileRow

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "Base",
    "ChainLeader",
    "ChainLink",
    "CollectionDepartment",
    "CollectionExpectation",
    "CollectionRound",
    "CollectionSubmission",
    "CollectionToken",
    "ConfirmationAnswer",
    "ConfirmationDispute",
    "ConfirmationFile",
    "ConfirmationRound",
    "CultivationView",
    "DifficultyRow",
    "Enterprise",
    "EnterpriseChainTag",
    "EnterpriseName",
    "EvaluationRun",
    "Figure",
    "FigureVersion",
    "GoalActual",
    "ImportBatch",
    "IndustryChain",
    "Job",
    "LandCorrectionRow",
    "LandNoticeRow",
    "LeadActivityRow",
    "LeadMoveRow",
    "LeadRow",
    "LeaseRow",
    "LoginThrottle",
    "LowlandCase",
    "LowlandMeasure",
    "LowlandPlan",
    "MonthlySnapshotRow",
    "Objection",
    "ObjectionFile",
    "ParcelRow",
    "PasswordHistory",
    "PhotoRow",
    "ProgressRow",
    "ProjectRow",
    "RunAggregate",
    "RunConfirmation",
    "RunLifts",
    "RunResult",
    "Scheme",
    "SchemeVersion",
    "TargetFirm",
    "User",
    "UserSession",
    "YearFrame",
    "YearPlanRow",
    "ZoneGoal",
    "ZoneProfileRow",
]
