"""产业链图谱 and 目标企业库: the chain listing, a chain's page with its chart and gaps (补链), tags, targets.

Staff read (an enterprise account is answered 404 like every staff page); the analyst edits
(:func:`zonehero.features.chains.service.may_edit_chains`). A spreadsheet import is shown as a preview first
and written, all or nothing, when confirmed; the preview carries its checked rows in the form and the service
checks them again on confirm.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.edges.web.charts import Option, option_json
from zonehero.edges.web.deps import SessionDep, SettingsDep, require_role
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import InputError, InputProblem, PermissionDenied
from zonehero.features.chains import service as chains
from zonehero.features.chains.schemas import ChainView, TargetWrite
from zonehero.features.imports.storage import safe_name
from zonehero.features.roles import Actor

ChainReader = Annotated[Actor, require_role(*chains.CHAIN_READERS)]
"""Staff and the 招商局 (chains and the target library are its work); the service decides who edits."""

router = APIRouter(prefix="/chains", include_in_schema=False)

ChainId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
GAP_COLOUR = "#e03131"
HELD_COLOUR = "#1c7ed6"
MAX_PREVIEW_ROWS = 5000
"""A confirm form carries at most this many rows (a target library is hundreds)."""
TARGET_FIELDS = (
    "name",
    "uscc",
    "kind",
    "chain",
    "link",
    "headquarters",
    "revenue",
    "employees",
    "source",
    "tags",
    "follower",
    "note",
)


def _editor(actor: Actor) -> Actor:
    if not chains.may_edit_chains(actor):
        raise PermissionDenied("没有权限修改产业链和目标企业库（需要分析员角色）")
    return actor


def chain_chart(view: ChainView) -> Option:
    """The chain left (upstream) to right (downstream): a node per link, red where the zone has nothing."""
    nodes = []
    for i, link in enumerate(view.links):
        detail = f"企业 {link.enterprises} · 项目 {link.projects} · 目标 {link.targets}"
        nodes.append(
            {
                "name": link.name,
                "x": i * 160,
                "y": 0 if i % 2 == 0 else 60,
                "symbolSize": 56,
                "value": detail,
                "itemStyle": {"color": GAP_COLOUR if link.is_gap else HELD_COLOUR},
                "label": {"show": True, "formatter": f"{link.name}\n{'补链' if link.is_gap else link.enterprises}"},
            }
        )
    edges = [{"source": a.name, "target": b.name} for a, b in zip(view.links, view.links[1:], strict=False)]
    return {
        "tooltip": {"formatter": "{b}：{c}"},
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": False,
                "edgeSymbol": ["none", "arrow"],
                "edgeSymbolSize": 10,
                "lineStyle": {"width": 2, "color": "#868e96"},
                "label": {"color": "#fff", "fontSize": 12},
                "data": nodes,
                "links": edges,
            }
        ],
    }


@router.get("", name="chains_page")
def chains_page(request: Request, session: SessionDep, actor: ChainReader) -> Response:
    """Every chain of the zone profile with its links, gaps, enterprises, projects and targets."""
    context = {"chains": chains.list_chains(session, actor), "can_edit": chains.may_edit_chains(actor)}
    return render(request, "chains/index.html", context)


@router.post("", name="chain_create")
def chain_create(
    request: Request, session: SessionDep, actor: ChainReader, name: Annotated[str, Form(max_length=64)]
) -> Response:
    chain_id = chains.create_chain(session, _editor(actor), name)
    return RedirectResponse(f"/chains/{chain_id}", status_code=303)


# --- the target library (declared before /{chain_id} so its paths are not read as a chain id)


def _write(form: dict[str, str]) -> TargetWrite:
    data: dict[str, Any] = {k: (form.get(k) or "").strip() or None for k in TARGET_FIELDS}
    data["name"] = data["name"] or ""
    data["kind"] = data["kind"] or ""
    for key, kind in (("revenue", float), ("employees", int)):
        if data[key] is not None:
            try:
                data[key] = kind(data[key])
            except ValueError:
                raise InputError(InputProblem("应为数字", column=key)) from None
    try:
        return TargetWrite.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            [InputProblem(str(e["msg"]), column=".".join(str(x) for x in e["loc"])) for e in exc.errors()]
        ) from None


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k in TARGET_FIELDS}


@router.get("/targets", name="targets_library")
def targets_library(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    page: PageDep,
    chain: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    kind: Annotated[str, Query(max_length=16)] = "",
    follower: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The library with filters (chain, kind, follower, a word) and bounded pages."""
    if kind and kind not in chains.TARGET_KIND_LABELS:
        raise InputError(
            InputProblem(f"未知的类别（可选：{'、'.join(chains.TARGET_KIND_LABELS.values())}）", column="类别")
        )
    total, rows = chains.list_targets(
        session,
        actor,
        chain_id=chain,
        kind=kind or None,
        follower_id=follower,
        query=q,
        offset=page.offset,
        limit=page.size,
    )
    filters = {k: v for k, v in {"chain": chain, "kind": kind, "follower": follower, "q": q}.items() if v}
    context = {
        "targets": rows,
        "page": page.of(total),
        "query_without_page": urlencode(filters),
        "chains": [c for c in chains.list_chains(session, actor) if c.id is not None],
        "followers": chains.followers(session),
        "kinds": chains.TARGET_KIND_LABELS,
        "filters": {"chain": chain, "kind": kind, "follower": follower, "q": q},
        "can_edit": chains.may_edit_chains(actor),
    }
    return render(request, "chains/targets.html", context)


def _form_page(
    request: Request, session: SessionDep, actor: Actor, target: dict[str, Any], target_id: int | None
) -> Response:
    context = {
        "target": target,
        "target_id": target_id,
        "kinds": chains.TARGET_KIND_LABELS,
        "chain_links": chains.chain_links(session),
        "followers": chains.followers(session),
    }
    return render(request, "chains/target_form.html", context)


@router.get("/targets/new", name="target_new")
def target_new(request: Request, session: SessionDep, actor: ChainReader) -> Response:
    return _form_page(request, session, _editor(actor), {"kind": "head"}, None)


@router.post("/targets/new", name="target_create")
async def target_create(request: Request, session: SessionDep, actor: ChainReader) -> Response:
    _editor(actor)
    data = _write(await _form(request))
    target_id = chains.create_target(session, actor, data)
    flash(request, f"已加入目标企业库：{data.name}")
    return RedirectResponse(f"/chains/targets/{target_id}", status_code=303)


@router.get("/targets/{target_id}", name="target_page")
def target_page(request: Request, session: SessionDep, actor: ChainReader, target_id: ItemId) -> Response:
    context = {"target": chains.get_target(session, actor, target_id), "can_edit": chains.may_edit_chains(actor)}
    return render(request, "chains/target.html", context)


@router.get("/targets/{target_id}/edit", name="target_edit")
def target_edit(request: Request, session: SessionDep, actor: ChainReader, target_id: ItemId) -> Response:
    target = chains.get_target(session, _editor(actor), target_id)
    return _form_page(request, session, actor, target.model_dump(), target_id)


@router.post("/targets/{target_id}/edit", name="target_update")
async def target_update(request: Request, session: SessionDep, actor: ChainReader, target_id: ItemId) -> Response:
    _editor(actor)
    chains.get_target(session, actor, target_id)
    chains.update_target(session, actor, target_id, _write(await _form(request)))
    flash(request, "已保存目标企业")
    return RedirectResponse(f"/chains/targets/{target_id}", status_code=303)


@router.post("/targets/{target_id}/delete", name="target_delete")
def target_delete(request: Request, session: SessionDep, actor: ChainReader, target_id: ItemId) -> Response:
    chains.delete_target(session, _editor(actor), target_id)
    flash(request, "已从目标企业库删除", "info")
    return RedirectResponse("/chains/targets", status_code=303)


SheetReader = Callable[[Session, Actor, FilePath], list[dict[str, Any]]]
"""A service's preview of an import sheet: its checked rows, nothing written."""
SheetWriter = Callable[[Session, Actor, list[dict[str, Any]]], str]
"""Writes confirmed rows and says what it did (the flash message)."""


def _import_preview(
    request: Request, session: Session, settings: Settings, actor: Actor, kind: str, files: list[UploadFile]
) -> Response:
    """The preview of a target or tag sheet (one handler's work for both imports): the one file is kept in a
    temporary folder while the service reads it, and its checked rows go into the confirm form."""
    read, _ = IMPORTS[kind]
    _editor(actor)
    uploaded = read_uploads(files, max_bytes=settings.upload_max_bytes, max_files=1, too_many="一次导入一个文件")
    if not uploaded:
        raise InputError(InputProblem("请选择要导入的文件"))
    with tempfile.TemporaryDirectory(prefix="zonehero-chains-") as folder:
        path = FilePath(folder) / safe_name(uploaded[0].name)
        path.write_bytes(uploaded[0].data)
        rows = read(session, actor, path)
    if len(rows) > MAX_PREVIEW_ROWS:
        raise InputError(InputProblem(f"一次最多导入 {MAX_PREVIEW_ROWS} 行", file=path.name))
    context = {
        "kind": kind,
        "file": path.name,
        "rows": rows,
        "payload": json.dumps(rows, ensure_ascii=False),
        "kinds": chains.TARGET_KIND_LABELS,
    }
    return render(request, "chains/import_preview.html", context)


def _import_confirm(request: Request, session: Session, actor: Actor, kind: str, rows: str, back: str) -> Response:
    """Write the rows a preview carried (the service checks them again), all or nothing."""
    _, write = IMPORTS[kind]
    editor = _editor(actor)
    flash(request, write(session, editor, _payload(rows)))
    return RedirectResponse(back, status_code=303)


def _write_targets(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> str:
    added, updated = chains.import_targets(session, actor, rows)
    return f"已导入目标企业库：新增 {added} 家，更新 {updated} 家"


def _write_tags(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> str:
    return f"已导入 {chains.import_tags(session, actor, rows)} 条企业产业链标注"


IMPORTS: dict[str, tuple[SheetReader, SheetWriter]] = {
    "targets": (chains.preview_target_import, _write_targets),
    "tags": (chains.preview_tag_import, _write_tags),
}
"""The two spreadsheet imports of this page: 目标企业库 and 企业产业链标注."""


def _payload(rows: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(rows)
    except json.JSONDecodeError:
        raise InputError(InputProblem("导入内容已损坏，请重新上传文件")) from None
    if not isinstance(data, list) or len(data) > MAX_PREVIEW_ROWS or not all(isinstance(r, dict) for r in data):
        raise InputError(InputProblem("导入内容已损坏，请重新上传文件"))
    return data


@router.post("/targets/import", name="targets_import")
def targets_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ChainReader,
    file: Annotated[list[UploadFile], File(description="目标企业库表格")],
) -> Response:
    """Read and check a target sheet; show what would be written (nothing is written yet)."""
    return _import_preview(request, session, settings, actor, "targets", file)


@router.post("/targets/import/confirm", name="targets_import_confirm")
def targets_import_confirm(
    request: Request, session: SessionDep, actor: ChainReader, rows: Annotated[str, Form(max_length=5_000_000)]
) -> Response:
    return _import_confirm(request, session, actor, "targets", rows, "/chains/targets")


@router.post("/tags", name="chain_tag")
def chain_tag(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    uscc: Annotated[str, Form(pattern=r"^[0-9A-Z]{18}$")],
    chain: Annotated[str, Form(max_length=64)],
    link: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Place an enterprise on a chain and link (from the enterprise page)."""
    chains.tag_enterprise(session, _editor(actor), uscc, chain.strip(), link.strip() or None)
    flash(request, f"已标注产业链：{chain}{' · ' + link if link.strip() else ''}")
    return RedirectResponse(f"/enterprises/{uscc}", status_code=303)


@router.post("/tags/delete", name="chain_untag")
def chain_untag(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    uscc: Annotated[str, Form(pattern=r"^[0-9A-Z]{18}$")],
    chain_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    chains.untag_enterprise(session, _editor(actor), uscc, chain_id)
    flash(request, "已取消产业链标注", "info")
    return RedirectResponse(f"/enterprises/{uscc}", status_code=303)


@router.post("/tags/import", name="tags_import")
def tags_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ChainReader,
    file: Annotated[list[UploadFile], File(description="企业产业链标注表")],
) -> Response:
    """Read and check an enterprise tag sheet; show what would be written (nothing is written yet)."""
    return _import_preview(request, session, settings, actor, "tags", file)


@router.post("/tags/import/confirm", name="tags_import_confirm")
def tags_import_confirm(
    request: Request, session: SessionDep, actor: ChainReader, rows: Annotated[str, Form(max_length=5_000_000)]
) -> Response:
    return _import_confirm(request, session, actor, "tags", rows, "/chains")


# --- one chain


@router.get("/{chain_id}", name="chain_page")
def chain_page(request: Request, session: SessionDep, actor: ChainReader, chain_id: ChainId) -> Response:
    """The chain drawn upstream to downstream, per link what the zone has, and the gaps listed under the chart."""
    view = chains.chain_view(session, actor, chain_id)
    context = {
        "chain": view,
        "chart": option_json(chain_chart(view)),
        "can_edit": chains.may_edit_chains(actor),
        "projects": chains.chain_projects(session, actor, chain_id),
    }
    return render(request, "chains/chain.html", context)


@router.post("/{chain_id}/links", name="chain_links")
def chain_links(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    chain_id: ChainId,
    links: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The links, one per line, upstream first."""
    chains.set_links(session, _editor(actor), chain_id, links.splitlines())
    flash(request, "已保存产业链环节")
    return RedirectResponse(f"/chains/{chain_id}", status_code=303)


@router.post("/{chain_id}/leaders", name="chain_leader_add")
def chain_leader_add(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    chain_id: ChainId,
    name: Annotated[str, Form(max_length=200)],
    uscc: Annotated[str, Form(max_length=18)] = "",
) -> Response:
    chains.add_leader(session, _editor(actor), chain_id, name, uscc)
    flash(request, f"已添加链主企业：{name.strip()}")
    return RedirectResponse(f"/chains/{chain_id}", status_code=303)


@router.post("/{chain_id}/leaders/{leader_id}/delete", name="chain_leader_delete")
def chain_leader_delete(
    request: Request, session: SessionDep, actor: ChainReader, chain_id: ChainId, leader_id: ItemId
) -> Response:
    chains.delete_leader(session, _editor(actor), chain_id, leader_id)
    flash(request, "已删除链主企业", "info")
    return RedirectResponse(f"/chains/{chain_id}", status_code=303)


@router.post("/{chain_id}/projects", name="chain_project_link")
def chain_project_link(
    request: Request,
    session: SessionDep,
    actor: ChainReader,
    chain_id: ChainId,
    code: Annotated[str, Form(min_length=1, max_length=64)],
    link: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Set the link (环节) of one of the chain's projects (empty: none)."""
    view = chains.chain_view(session, _editor(actor), chain_id)
    chains.set_project_link(session, actor, code.strip(), view.name, link.strip() or None)
    flash(request, f"已设置项目 {code.strip()} 的环节")
    return RedirectResponse(f"/chains/{chain_id}", status_code=303)
