"""What each kind of job does: the long work of other features, called through their services.

A kind checks who may submit it (before anything is queued) and runs with a :class:`JobContext`. The rule
that keeps a killed worker harmless: everything a kind writes to the store happens in the context's one
session, which commits together with the job's "done"; a result file is written under a temporary name and
renamed (:func:`zonehero.reports.atomic.atomic_path`). Progress goes through ``ctx.progress``, which commits
on its own connection: on SQLite a kind reports progress only *before* its first write, because the store's
one writer would otherwise wait for itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.errors import InputError, InputProblem
from zonehero.features.documents import service as documents
from zonehero.features.imports import service as imports
from zonehero.features.roles import Actor, require_editor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import scheme_of_run
from zonehero.features.runs.stored import stored_result
from zonehero.reports.atomic import atomic_path
from zonehero.reports.results import write_result


class Progress(Protocol):
    """``progress(done, total, stage)``: raises when the job was cancelled (checked at each step)."""

    def __call__(self, done: int, total: int, stage: str | None = None) -> None: ...


@dataclass
class JobContext:
    """What a running kind gets: the job's unit of work, who submitted it, where its result goes."""

    session: Session
    actor: Actor
    settings: Settings
    parameters: Mapping[str, Any]
    progress: Progress
    folder: Path
    """``<data_dir>/jobs/<id>``: the one place this job writes files."""


@dataclass
class JobOutcome:
    """A result file (relative to the data folder) and/or a summary shown on the job page."""

    result_path: Path | None = None
    result_name: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    label: str
    """Chinese, for the job list."""
    may_submit: Callable[[Actor], None]
    """Raises PermissionDenied for an actor who may not submit it."""
    run: Callable[[JobContext], JobOutcome]
    parameters: Callable[[Mapping[str, Any]], dict[str, Any]]
    """Checks and normalises the parameters at submission (InputError)."""


def _int(params: Mapping[str, Any], name: str, *, low: int = 1, high: int = 2**31 - 1) -> int:
    value = params.get(name)
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(InputProblem(f"缺少或无效的参数 {name}", column=name)) from None
    if not low <= number <= high:
        raise InputError(InputProblem(f"参数 {name} 超出范围（{low}–{high}）", column=name))
    return number


def _format(params: Mapping[str, Any]) -> str:
    fmt = str(params.get("format") or "pdf").lower().lstrip(".")
    if fmt not in documents.FORMATS:
        raise InputError(InputProblem(f"不支持的格式「{fmt}」，请选择 PDF 或 Excel（xlsx）", column="format"))
    return fmt


def _relative(ctx: JobContext, path: Path) -> Path:
    return path.relative_to(ctx.settings.data_dir)


# --- all notices of a run, one zip streamed to disk


def _notices_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"run_id": _int(params, "run_id"), "lift": bool(params.get("lift", True))}


def _notices(ctx: JobContext) -> JobOutcome:
    ctx.progress(0, 0, "正在复核评价批次的结果")

    def step(done: int, total: int) -> None:
        ctx.progress(done, total, f"正在生成告知书（{done}/{total}）")

    target = ctx.folder / "notices.zip"
    with atomic_path(target) as tmp:
        name = documents.write_notices(
            ctx.session, ctx.actor, int(ctx.parameters["run_id"]), tmp, lift=bool(ctx.parameters["lift"]), progress=step
        )
    return JobOutcome(_relative(ctx, target), name)


# --- the annual report of a run


def _annual_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"run_id": _int(params, "run_id"), "format": _format(params)}


def _annual(ctx: JobContext) -> JobOutcome:
    ctx.progress(0, 1, "正在生成年度评价报告")
    document = documents.annual_report(ctx.session, ctx.actor, int(ctx.parameters["run_id"]), ctx.parameters["format"])
    target = ctx.folder / f"report.{ctx.parameters['format']}"
    with atomic_path(target) as tmp:
        tmp.write_bytes(document.content)
    ctx.progress(1, 1, "已生成")
    return JobOutcome(_relative(ctx, target), document.filename)


# --- every enterprise's results of a run, the bureau's workbook


def _export_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"run_id": _int(params, "run_id")}


def _run_export(ctx: JobContext) -> JobOutcome:
    run_id = int(ctx.parameters["run_id"])
    ctx.progress(0, 2, "正在读取评价结果")
    run = runs.get_run(ctx.session, ctx.actor, run_id)
    rows = runs.list_results(ctx.session, ctx.actor, run.id, limit=None).items
    result = stored_result(run, rows, scheme_of_run(ctx.session, ctx.actor, run.id))
    ctx.progress(1, 2, f"正在写入 {len(rows)} 家企业的结果")
    target = ctx.folder / "results.xlsx"
    with atomic_path(target) as tmp:
        write_result(result, tmp)
    ctx.progress(2, 2, "已生成")
    return JobOutcome(_relative(ctx, target), f"{run.year}年度评价结果_批次{run.id}.xlsx", {"enterprises": len(rows)})


# --- a new draft run


def _run_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    note = str(params.get("note") or "").strip()[:500] or None
    return {
        "year": _int(params, "year", low=2000, high=2100),
        "scheme_version_id": _int(params, "scheme_version_id"),
        "note": note,
    }


def _run_create(ctx: JobContext) -> JobOutcome:
    p = ctx.parameters
    ctx.progress(0, 1, f"正在评价 {p['year']} 年度的企业数据")
    run = runs.create_draft_run(
        ctx.session, ctx.actor, year=int(p["year"]), scheme_version_id=int(p["scheme_version_id"]), note=p.get("note")
    )
    return JobOutcome(summary={"run_id": run.id, "year": run.year, "results": run.result_count})


# --- the confirm of an import batch


def _import_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"batch_id": _int(params, "batch_id"), "year": _int(params, "year", low=2000, high=2100)}


def _import_confirm(ctx: JobContext) -> JobOutcome:
    p = ctx.parameters
    ctx.progress(0, 1, f"正在读取导入批次 #{p['batch_id']} 的文件并写入 {p['year']} 年度数据")
    done = imports.confirm_import(
        ctx.session, ctx.actor, int(p["batch_id"]), year=int(p["year"]), settings=ctx.settings
    )
    return JobOutcome(summary=done.model_dump())


KINDS: dict[str, JobKind] = {
    "notices_zip": JobKind("全部评价结果告知书（zip）", require_staff, _notices, _notices_parameters),
    "annual_report": JobKind("年度评价报告", require_staff, _annual, _annual_parameters),
    "run_export": JobKind("导出全部企业评价结果（Excel）", require_staff, _run_export, _export_parameters),
    "run_create": JobKind("生成评价草稿", require_editor, _run_create, _run_parameters),
    "import_confirm": JobKind("确认导入", require_editor, _import_confirm, _import_parameters),
}
"""Every kind a job may have; the ``jobs.kind`` column holds one of these keys."""


def kind_label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.label if found else kind
