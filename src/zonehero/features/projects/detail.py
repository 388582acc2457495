"""One project's page as data: fields, milestones, light with reasons, yearly plans, progress, difficulties."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from zonehero.core.schedule.warnings import assess_project
from zonehero.features.projects import access, repository
from zonehero.features.projects.convert import to_progress, to_project
from zonehero.features.projects.difficulties import difficulties_of
from zonehero.features.projects.progress import progress_of
from zonehero.features.projects.schemas import ProjectDetail
from zonehero.features.projects.service import milestones_of, summary, visible_row, warnings_of
from zonehero.features.roles import Actor


def project_detail(session: Session, actor: Actor, code: str, as_of: date) -> ProjectDetail:
    """Everything the project page shows, as of ``as_of`` (lights use the plan of its year)."""
    row = visible_row(session, actor, code)
    project = to_project(row, as_of.year)
    progress = [to_progress(p, code) for p in repository.progress(session, [row.id])]
    light = assess_project(project, as_of, progress)
    return ProjectDetail(
        summary=summary(project, light),
        investor_uscc=row.investor_uscc,
        land_mu=row.land_mu,
        contact=row.contact,
        milestones=milestones_of(project, as_of),
        warnings=warnings_of(light),
        year_plans={p.year: p.plan_investment for p in row.plans},
        progress=progress_of(session, actor, code),
        difficulties=difficulties_of(session, actor, code, as_of),
        can_edit=access.can_edit(actor),
        as_of=as_of,
    )
