"""Writing projects and progress in the import spreadsheet format (xlsx, XlsxWriter).

The headers are the Chinese labels of ``importer.PROJECT_COLUMNS`` and
``PROGRESS_COLUMNS`` with their canonical units, so a written file reads
back into equal records: it doubles as the import template and as the demo files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from zonehero.core.schedule.importer import PROGRESS_COLUMNS, PROJECT_COLUMNS, Column
from zonehero.core.schedule.model import ProgressReport, Project
from zonehero.reports.safe_cells import safe_workbook


def project_row(project: Project) -> dict[str, Any]:
    """A project's cells by column key."""
    return {
        "code": project.code,
        "name": project.name,
        "investor": project.investor,
        "investor_uscc": project.investor_uscc,
        "industry_chain": project.industry_chain,
        "total_investment": project.total_investment,
        "land_mu": project.land_mu,
        "leader": project.leader,
        "unit": project.unit,
        "contact": project.contact,
        "added_date": project.added_date,
        "planned_sign_date": project.signing.planned,
        "actual_sign_date": project.signing.actual,
        "planned_start_date": project.construction.planned,
        "actual_start_date": project.construction.actual,
        "planned_production_date": project.production.planned,
        "actual_production_date": project.production.actual,
        "year_plan_investment": project.year_plan_investment,
        "counted_in_statistics": "是" if project.counted_in_statistics else "否",
    }


def progress_row(report: ProgressReport) -> dict[str, Any]:
    """A progress report's cells by column key (the month as ``YYYY-MM`` text)."""
    return {
        "code": report.code,
        "month": report.period,
        "investment_month": report.investment_month,
        "percent_done": report.percent_done,
        "progress_text": report.progress_text,
    }


def _write(path: Path | str, sheet_name: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> None:
    book = safe_workbook(str(path))
    try:
        sheet = book.add_worksheet(sheet_name)
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for j, col in enumerate(columns):
            sheet.write_string(0, j, col.header, bold)
            sheet.set_column(j, j, max(10, len(col.header) * 2))
        for i, row in enumerate(rows, start=1):
            for j, col in enumerate(columns):
                value = row.get(col.key)
                if value is None:
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(i, j, value, date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(i, j, value)
                else:
                    sheet.write_string(i, j, str(value))
        sheet.freeze_panes(1, 0)
    finally:
        book.close()


def write_projects_xlsx(projects: Sequence[Project], path: Path | str) -> None:
    """Write projects as the project import spreadsheet (sheet 项目库)."""
    _write(path, "项目库", PROJECT_COLUMNS, [project_row(p) for p in projects])


def write_progress_xlsx(reports: Sequence[ProgressReport], path: Path | str) -> None:
    """Write monthly progress as the progress import spreadsheet (sheet 月度进展)."""
    _write(path, "月度进展", PROGRESS_COLUMNS, [progress_row(r) for r in reports])
