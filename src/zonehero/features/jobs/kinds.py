"""What each kind of job does: the long work of other features, called through their services.

A kind checks who may submit it (before anything is queued) and runs with a :class:`JobContext`. The rule
that keeps a killed worker harmless: everything a kind writes to the store happens in the context's one
session, which commits together with the job's "done"; a result file is written under a temporary name and
renamed (:func:`zonehero.reports.atomic.atomic_path`). Progress goes through ``ctx.progress``, which commits
on its own connection: on SQLite a kind reports progress only *before* its first write, because the store's
one writer would otherwise wait for itself.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.core.evaluation.robustness import DEFAULT_DRAWS
from zonehero.errors import InputError, InputProblem, PermissionDenied, ZoneheroError
from zonehero.features.decision import service as decision
from zonehero.features.decision.schemas import VariantRequest
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


@dataclass(frozen=True)
class ChildState:
    """One child job of a job made in parts, as its parent sees it."""

    id: int
    parameters: Mapping[str, Any]
    status: str
    done: int
    total: int
    error: str | None
    result_path: str | None
    result_name: str | None


class Children(Protocol):
    """A job's child jobs (a batch made in parts that any worker takes), each in its own short transaction."""

    def spawn(self, kind: str, parameters: Sequence[Mapping[str, Any]]) -> list[int]:
        """The children for these parameters, committed and queued: a child of an earlier attempt of this job with
        the same parameters is kept when done (its file still there), queued again otherwise."""
        ...

    def states(self) -> list[ChildState]:
        """The children the last :meth:`spawn` named, in its order, as committed now."""
        ...

    def run_one(self, after_step: Callable[[], object] | None = None) -> bool:
        """Run one queued child in this process (a worker waiting on its parts works on them), calling
        ``after_step`` after each of its progress steps; False when none is left to take."""
        ...

    def stop(self) -> None:
        """Cancel the children not finished (queued ones at once, running ones at their next step)."""
        ...


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
    children: Children | None = None
    """Child jobs of this job (None where the runner offers none)."""


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
    part_of: str | None = None
    """The kind whose jobs make jobs of this kind as their parts (nobody submits, cancels or retries a part: its
    parent does); None for a kind users submit."""


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


# --- all notices of a run, one zip streamed to disk, made in parts by any number of workers

MAX_NOTICES = 10_000_000
PART_POLL_SECONDS = 0.5
MAX_PARTS = 32
"""A batch is made in at most this many parts (larger parts for a province): each part reproduces the run, the
whole zone's evaluation, before its first notice, and 200 of those would cost more than the notices."""


def _notices_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {"run_id": _int(params, "run_id"), "lift": bool(params.get("lift", True))}
    if params.get("limit") not in (None, ""):
        checked["limit"] = _int(params, "limit", high=MAX_NOTICES)
    return checked


def _notices(ctx: JobContext) -> JobOutcome:
    """Up to ``notice_part_size`` notices are made here; more in parts (child jobs ``notices_part``) that any
    worker takes, this one included, then put together in their order. Progress is the parts' summed."""
    p = ctx.parameters
    run_id, lift = int(p["run_id"]), bool(p["lift"])
    ctx.progress(0, 0, "正在复核评价批次的结果")
    run = runs.get_run(ctx.session, ctx.actor, run_id)
    count = min(run.result_count, int(p.get("limit") or run.result_count))
    size = max(ctx.settings.notice_part_size, -(-count // MAX_PARTS))
    target = ctx.folder / "notices.zip"
    if count <= size or ctx.children is None:

        def step(done: int, total: int) -> None:
            ctx.progress(done, total, f"正在生成告知书（{done}/{total}）")

        with atomic_path(target) as tmp:
            name = documents.write_notices(
                ctx.session, ctx.actor, run_id, tmp, lift=lift, progress=step, part=range(count)
            )
    else:
        if lift:  # once for the run, before the parts: each would otherwise compute the whole run's 升类路径
            ctx.progress(0, 0, "正在计算全部企业的升类路径（每个评价批次一次）")
            documents.keep_lifts(ctx.session, ctx.actor, run_id)
        parts = [
            {"run_id": run_id, "lift": lift, "start": a, "stop": min(a + size, count)} for a in range(0, count, size)
        ]
        states = _made_in_parts(ctx, ctx.children, parts, count)
        ctx.progress(count, count, f"正在合并 {len(states)} 个分片的告知书")
        files = [ctx.settings.data_dir / str(s.result_path) for s in states]
        with atomic_path(target) as tmp:
            _join_zips(files, tmp)
        for path in files:  # the batch is in the zip now; a part made again if this attempt does not commit
            path.unlink(missing_ok=True)
        name = states[0].result_name or "评价结果告知书.zip"
    documents.audit_notices(ctx.session, ctx.actor, run_id, count)
    return JobOutcome(_relative(ctx, target), name, {"notices": count})


def _made_in_parts(ctx: JobContext, children: Children, parts: list[dict[str, Any]], count: int) -> list[ChildState]:
    """Spawn the parts and work on them until every one is done; their states in order.

    A part that failed fails the batch with its message; a part cancelled (by an earlier attempt that stopped)
    is queued again. Leaving early (cancel, failure, a lost attempt) cancels the parts not done.
    """
    children.spawn("notices_part", parts)

    def report() -> list[ChildState]:
        states = children.states()
        done = sum(s.total if s.status == "done" else s.done for s in states)
        finished = sum(1 for s in states if s.status == "done")
        ctx.progress(done, count, f"正在生成告知书（{done}/{count}，{finished}/{len(states)} 个分片已完成）")
        return states

    try:
        while True:
            states = report()
            broken = next((s for s in states if s.status == "failed"), None)
            if broken is not None:
                first, last = int(broken.parameters.get("start", 0)) + 1, broken.parameters.get("stop")
                raise ZoneheroError(f"第 {first}–{last} 家企业的告知书未能生成：{broken.error or '原因未知'}")
            if all(s.status == "done" for s in states):
                return states
            if any(s.status == "cancelled" for s in states):
                children.spawn("notices_part", parts)
            elif not children.run_one(after_step=report):
                time.sleep(PART_POLL_SECONDS)
    except BaseException:
        children.stop()
        raise


def _join_zips(parts: list[Path], out: Path) -> None:
    """The parts' entries, in order, in one zip written to disk entry by entry (never the whole in memory)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as joined:
        for path in parts:
            with zipfile.ZipFile(path) as part:
                for info in part.infolist():
                    with part.open(info) as source, joined.open(_entry(info), "w") as target:
                        while chunk := source.read(1 << 20):
                            target.write(chunk)


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = info.external_attr
    return entry


def _part_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    start = _int(params, "start", low=0, high=MAX_NOTICES)
    return {
        "parent": _int(params, "parent"),
        "run_id": _int(params, "run_id"),
        "lift": bool(params.get("lift", True)),
        "start": start,
        "stop": _int(params, "stop", low=start + 1, high=MAX_NOTICES),
    }


def _notices_part(ctx: JobContext) -> JobOutcome:
    """Notices ``start``..``stop`` of the zip's order, as a zip of their own in this part's folder."""
    p = ctx.parameters
    part = range(int(p["start"]), int(p["stop"]))

    def step(done: int, total: int) -> None:
        ctx.progress(done, total, f"正在生成第 {part.start + 1}–{part.stop} 家企业的告知书（{done}/{total}）")

    target = ctx.folder / "part.zip"
    with atomic_path(target) as tmp:
        name = documents.write_notices(
            ctx.session, ctx.actor, int(p["run_id"]), tmp, lift=bool(p["lift"]), progress=step, part=part
        )
    return JobOutcome(_relative(ctx, target), name, {"notices": len(part)})


def _no_submit(actor: Actor) -> None:
    raise PermissionDenied("分片任务由其主任务创建，不能单独提交")


# --- what-if of a draft and robustness of a run's classes (a large zone: a job; the page then shows the result)


def _whatif_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    try:
        variant = VariantRequest.model_validate(params.get("variant") or {})
    except ValidationError:
        raise InputError(InputProblem("方案调整内容无效", column="variant")) from None
    return {"run_id": _int(params, "run_id"), "variant": variant.model_dump(mode="json")}


def _whatif(ctx: JobContext) -> JobOutcome:
    run_id = int(ctx.parameters["run_id"])
    variant = VariantRequest.model_validate(ctx.parameters["variant"])
    answer = decision.what_if(ctx.session, ctx.actor, run_id, variant, step=ctx.progress).read()
    target = ctx.folder / "whatif.json"
    with atomic_path(target) as tmp:
        tmp.write_text(answer.model_dump_json(), encoding="utf-8")
    summary = {"compared": answer.compared, "changed": answer.changed}
    return JobOutcome(_relative(ctx, target), f"方案调整试算_草稿{run_id}.json", summary)


def _robustness_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    params = {"draws": DEFAULT_DRAWS, "seed": 0, **params}
    return {
        "run_id": _int(params, "run_id"),
        "draws": _int(params, "draws", high=decision.MAX_DRAWS),
        "seed": _int(params, "seed", low=0, high=2**32 - 1),
    }


def _robustness(ctx: JobContext) -> JobOutcome:
    p = ctx.parameters
    run_id = int(p["run_id"])
    ctx.progress(0, 0, "正在按原数据重现评价批次")

    def step(done: int, total: int) -> None:
        ctx.progress(done, total, f"正在抽样检验（{done:,} / {total:,} 次，各组分别抽样）")

    answer = decision.robustness(
        ctx.session, ctx.actor, run_id, draws=int(p["draws"]), seed=int(p["seed"]), progress=step
    )
    target = ctx.folder / "robustness.json"
    with atomic_path(target) as tmp:
        tmp.write_text(answer.model_dump_json(), encoding="utf-8")
    summary = {"classed": answer.classed, "fragile": answer.fragile, "draws": answer.draws}
    return JobOutcome(_relative(ctx, target), f"类别稳定性检验_批次{run_id}.json", summary)


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
    return {
        "batch_id": _int(params, "batch_id"),
        "year": _int(params, "year", low=2000, high=2100),
        "year_confirmed": str(params.get("year_confirmed", "")).lower() in ("1", "true", "on", "yes"),
    }


def _import_confirm(ctx: JobContext) -> JobOutcome:
    p = ctx.parameters
    ctx.progress(0, 1, f"正在读取导入批次 #{p['batch_id']} 的文件并写入 {p['year']} 年度数据")
    done = imports.confirm_import(
        ctx.session,
        ctx.actor,
        int(p["batch_id"]),
        year=int(p["year"]),
        settings=ctx.settings,
        year_confirmed=bool(p.get("year_confirmed")),
    )
    return JobOutcome(summary=done.model_dump())


KINDS: dict[str, JobKind] = {
    "notices_zip": JobKind("全部评价结果告知书（zip）", require_staff, _notices, _notices_parameters),
    "annual_report": JobKind("年度评价报告", require_staff, _annual, _annual_parameters),
    "run_export": JobKind("导出全部企业评价结果（Excel）", require_staff, _run_export, _export_parameters),
    "run_create": JobKind("生成评价草稿", require_editor, _run_create, _run_parameters),
    "import_confirm": JobKind("确认导入", require_editor, _import_confirm, _import_parameters),
    "whatif": JobKind("方案调整试算", require_staff, _whatif, _whatif_parameters),
    "robustness": JobKind("类别稳定性检验", require_staff, _robustness, _robustness_parameters),
    "notices_part": JobKind("告知书分片", _no_submit, _notices_part, _part_parameters, part_of="notices_zip"),
}
"""Every kind a job may have; the ``jobs.kind`` column holds one of these keys."""


def kind_label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.label if found else kind
