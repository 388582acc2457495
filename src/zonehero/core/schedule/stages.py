"""Milestones are reached in order; a move backwards needs a reason and leaves an audit record.

The core only decides and describes the change; the database layer persists
the new project and the :class:`StageChange` it is handed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from zonehero.core.schedule.model import MILESTONE_ORDER, MilestoneKind, Project, Stage
from zonehero.errors import InputError, InputProblem


@dataclass(frozen=True)
class OrderProblem:
    """One way a project's actual dates break the milestone order; ``milestone`` is the offending one."""

    milestone: MilestoneKind
    message: str


def order_problems(project: Project) -> list[OrderProblem]:
    """Every breach of the milestone order in ``project``'s actual dates.

    A milestone's actual date may not be earlier than the previous milestone's
    actual date, and a later milestone may not have an actual date while an
    earlier one has none (投产 without 开工, 开工 without 签约).
    """
    problems: list[OrderProblem] = []
    previous = None
    for kind in MILESTONE_ORDER:
        current = project.milestone(kind)
        if previous is not None and current.actual is not None:
            if previous.actual is None:
                problems.append(
                    OrderProblem(
                        kind, f"已填实际{kind.label}日期，但没有实际{previous.kind.label}日期（节点须依次达成）"
                    )
                )
            elif current.actual < previous.actual:
                problems.append(
                    OrderProblem(
                        kind,
                        f"实际{kind.label}日期 {current.actual.isoformat()} 早于"
                        f"实际{previous.kind.label}日期 {previous.actual.isoformat()}",
                    )
                )
        previous = current
    return problems


@dataclass(frozen=True)
class StageChange:
    """The audit record of one change to a milestone's actual date (before and after)."""

    project_code: str
    milestone: MilestoneKind
    actual_before: date | None
    actual_after: date | None
    stage_before: Stage
    stage_after: Stage
    reason: str | None
    actor: str | None
    at: datetime | None

    @property
    def backwards(self) -> bool:
        """Whether the project moved to an earlier stage."""
        return self.stage_after.rank < self.stage_before.rank


def change_milestone(
    project: Project,
    milestone: MilestoneKind,
    actual: date | None,
    *,
    reason: str | None = None,
    actor: str | None = None,
    at: datetime | None = None,
) -> tuple[Project, StageChange]:
    """Set (or clear, with ``None``) the actual date of ``milestone`` and describe the change.

    Refuses with :class:`InputError` when the result breaks the milestone
    order, or when the project would move to an earlier stage without a
    non-blank ``reason``. Returns the changed project and the audit record;
    nothing is stored here.
    """
    old = project.milestone(milestone)
    changed = project.with_milestone(replace(old, actual=actual))
    problems = [InputProblem(p.message, column=f"实际{p.milestone.label}日期") for p in order_problems(changed)]
    stage_before, stage_after = project.stage, changed.stage
    if stage_after.rank < stage_before.rank and not (reason and reason.strip()):
        problems.append(
            InputProblem(
                f"项目 {project.code} 将从「{stage_before.label}」退回「{stage_after.label}」，须填写退回原因",
                column=f"实际{milestone.label}日期",
            )
        )
    if problems:
        raise InputError(problems)
    record = StageChange(
        project_code=project.code,
        milestone=milestone,
        actual_before=old.actual,
        actual_after=actual,
        stage_before=stage_before,
        stage_after=stage_after,
        reason=reason.strip() if reason and reason.strip() else None,
        actor=actor,
        at=at,
    )
    return changed, record
