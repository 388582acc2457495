"""四个一批 rolling project scheduling: the pure core (no database, no web).

Records (``model``), milestone order and stage changes (``stages``), the four
lists of a year (``lists``), red/yellow/green lights (``warnings``),
difficulty escalation and closure rates (``difficulties``), the monthly
report (``report``), spreadsheet import (``importer``) and export
(``writer``), and seeded demo data (``demo``).
"""

from zonehero.core.schedule.difficulties import (
    EscalationLevel,
    closure_by_unit,
    closure_stats,
    escalate,
    escalation_level,
)
from zonehero.core.schedule.lists import MilestoneList, PlanningList, YearLists, year_lists
from zonehero.core.schedule.model import (
    DEFAULT_INDUSTRY_CHAINS,
    Difficulty,
    DifficultyCategory,
    DifficultyStatus,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
    Stage,
)
from zonehero.core.schedule.report import MonthlyReport, build_monthly_report
from zonehero.core.schedule.stages import StageChange, change_milestone, order_problems
from zonehero.core.schedule.warnings import Light, ProjectLight, ProjectWarning, WarningConfig, assess_projects

__all__ = [
    "DEFAULT_INDUSTRY_CHAINS",
    "Difficulty",
    "DifficultyCategory",
    "DifficultyStatus",
    "EscalationLevel",
    "Light",
    "Milestone",
    "MilestoneKind",
    "MilestoneList",
    "MonthlyReport",
    "PlanningList",
    "ProgressReport",
    "Project",
    "ProjectLight",
    "ProjectWarning",
    "Stage",
    "StageChange",
    "WarningConfig",
    "YearLists",
    "assess_projects",
    "build_monthly_report",
    "change_milestone",
    "closure_by_unit",
    "closure_stats",
    "escalate",
    "escalation_level",
    "order_problems",
    "year_lists",
]
