"""评价方案 (schemes): read a version, edit it as a form (or as TOML, the 高级 view), compare two versions.

Saving never edits a version: the form's content or the TOML text is validated by
:func:`zonehero.core.evaluation.scheme.parse_scheme`'s rules (every problem shown next to its field, or with its
key in the TOML view) and stored as version n+1 through the schemes service. Staff read; the analyst saves.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.core.evaluation import scheme_form
from zonehero.core.evaluation.scheme import WEIGHT_TOTAL, parse_scheme
from zonehero.core.evaluation.scheme_diff import diff_schemes
from zonehero.edges.web.deps import EditorUser, SessionDep, StaffUser
from zonehero.edges.web.errors import kind_of
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import Conflict, NotFound, SchemeError
from zonehero.features.roles import Actor
from zonehero.features.schemes import service as schemes
from zonehero.features.schemes.schemas import SchemeRead, SchemeVersionRead

router = APIRouter(prefix="/schemes", include_in_schema=False)

SchemeId = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
MAX_TEXT = 200_000


def _scheme(session: SessionDep, actor: Actor, scheme_id: int) -> SchemeRead:
    found = next((s for s in schemes.list_schemes(session, actor) if s.id == scheme_id), None)
    if found is None:
        raise NotFound(f"方案 #{scheme_id} 不存在")
    return found


def diff_lines(old: SchemeVersionRead, new: SchemeVersionRead) -> list[tuple[str, str]]:
    """A unified diff of two versions as (kind, line): kind is add, del, hunk or same."""
    lines = difflib.unified_diff(
        old.text.splitlines(),
        new.text.splitlines(),
        fromfile=f"第 {old.version} 版",
        tofile=f"第 {new.version} 版",
        lineterm="",
        n=3,
    )
    out = []
    for line in lines:
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append((kind, line))
    return out


@router.get("", name="scheme_list")
def scheme_list(request: Request, session: SessionDep, actor: StaffUser) -> Response:
    """Every scheme with its versions, newest first."""
    return render(request, "schemes/list.html", {"schemes": schemes.list_schemes(session, actor)})


@router.get("/versions/{version_id}", name="scheme_version")
def scheme_version(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    version_id: VersionId,
    against: Annotated[int | None, Query(ge=1, le=MAX_ID, description="与哪个版本比较")] = None,
) -> Response:
    """One version: its groups and weights, its full text, and a diff against another version."""
    version = schemes.get_version(session, actor, version_id)
    scheme = _scheme(session, actor, version.scheme_id)
    parsed = parse_scheme(version.text, source=f"方案版本 #{version.id}")
    previous = [v for v in scheme.versions if v.version < version.version]
    other_id = against if against is not None else (previous[-1].id if previous else None)
    other = schemes.get_version(session, actor, other_id) if other_id is not None else None
    if other is not None and other.scheme_id != version.scheme_id:
        raise NotFound("只能与同一方案的版本比较")
    changes = []
    if other is not None:
        old = parse_scheme(other.text, source=f"方案版本 #{other.id}")
        changes = [c for c in diff_schemes(old, parsed) if c.changed]
    context: dict[str, Any] = {
        "scheme": scheme,
        "version": version,
        "parsed": parsed,
        "other": other,
        "changes": changes,
        "diff": diff_lines(other, version) if other else [],
    }
    return render(request, "schemes/version.html", context)


@router.get("/versions/{version_id}/download", name="scheme_download")
def scheme_download(request: Request, session: SessionDep, actor: StaffUser, version_id: VersionId) -> Response:
    """The version's TOML text as a file (导出), exactly as stored."""
    version = schemes.get_version(session, actor, version_id)
    scheme = _scheme(session, actor, version.scheme_id)
    name = quote(f"{scheme.name}-第{version.version}版.toml")
    fallback = f"scheme-{scheme.id}-v{version.version}.toml"
    return Response(
        version.text.encode("utf-8"),
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{name}"},
    )


@router.get("/{scheme_id}/compare", name="scheme_compare")
def scheme_compare(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    scheme_id: SchemeId,
    old: Annotated[int | None, Query(ge=1, le=MAX_ID, description="原版本")] = None,
    new: Annotated[int | None, Query(ge=1, le=MAX_ID, description="新版本")] = None,
    show: Annotated[Literal["changed", "all"], Query(description="只看变化或全部")] = "changed",
) -> Response:
    """Two versions side by side, rule by rule in Chinese, the changed ones highlighted (版本差异)."""
    scheme = _scheme(session, actor, scheme_id)
    by_id = {v.id: v for v in scheme.versions}
    new_id = new if new is not None else scheme.versions[-1].id
    old_id = old if old is not None else (scheme.versions[-2].id if len(scheme.versions) > 1 else new_id)
    if old_id not in by_id or new_id not in by_id:
        raise NotFound("只能比较同一方案的版本")
    old_version = schemes.get_version(session, actor, old_id)
    new_version = schemes.get_version(session, actor, new_id)
    changes = diff_schemes(
        parse_scheme(old_version.text, source=f"方案版本 #{old_id}"),
        parse_scheme(new_version.text, source=f"方案版本 #{new_id}"),
    )
    context: dict[str, Any] = {
        "scheme": scheme,
        "old": old_version,
        "new": new_version,
        "changes": changes if show == "all" else [c for c in changes if c.changed],
        "changed_count": sum(1 for c in changes if c.changed),
        "show": show,
        "diff": diff_lines(old_version, new_version),
    }
    return render(request, "schemes/compare.html", context)


@router.get("/{scheme_id}/edit", name="scheme_edit")
def scheme_edit(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    scheme_id: SchemeId,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=MAX_ID)] = None,
    view: Annotated[Literal["form", "toml"], Query(description="表单或 TOML 文本（高级）")] = "form",
) -> Response:
    """The newest version (or the one of ``from``) as a form, or as TOML text (高级); saving makes a new version."""
    scheme = _scheme(session, actor, scheme_id)
    base_id = from_version or scheme.versions[-1].id
    base = schemes.get_version(session, actor, base_id)
    if base.scheme_id != scheme.id:
        raise NotFound("版本不属于该方案")
    if view == "toml":
        context = {"scheme": scheme, "text": base.text, "note": "", "base": base, "problems": [], "message": None}
        return render(request, "schemes/edit.html", context)
    form = scheme_form.form_from_scheme(parse_scheme(base.text, source=f"方案版本 #{base.id}"))
    return render(request, "schemes/form.html", _form_context(scheme, base, form, ""))


def _form_context(scheme: SchemeRead, base: SchemeVersionRead | None, form: Any, note: str) -> dict[str, Any]:
    return {
        "scheme": scheme,
        "base": base,
        "form": form,
        "note": note,
        "sections": {s.key: s for s in scheme_form.SECTIONS},
        "indicator_fields": scheme_form.INDICATOR_FIELDS,
        "policy_fields": scheme_form.POLICY_FIELDS,
        "weight_total": WEIGHT_TOTAL,
        "dimensions": scheme_form.DIMENSIONS,
        "plain": scheme_form.plain,
    }


async def _posted(request: Request) -> dict[str, list[str]]:
    # The form's fields depend on the scheme (its indicator rows), so it is read whole; reading is async, the
    # work after it is not.
    posted = await request.form()
    return {key: [v for v in posted.getlist(key) if isinstance(v, str)] for key in posted}


PostedForm = Annotated[dict[str, list[str]], Depends(_posted)]


@router.post("/{scheme_id}/form", name="scheme_form_save")
def scheme_form_save(
    request: Request, session: SessionDep, actor: EditorUser, scheme_id: SchemeId, data: PostedForm
) -> Response:
    """Save the form as the next version; problems come back next to their fields (422), no change as 409."""
    scheme = _scheme(session, actor, scheme_id)
    note = (data.pop("note", None) or [""])[0][:500]
    data.pop("csrf_token", None)
    form, raw = scheme_form.read_form(data)
    try:
        saved = schemes.save_form_version(session, actor, scheme_id, raw, note=note.strip() or None)
    except (SchemeError, Conflict) as exc:
        if isinstance(exc, SchemeError):
            scheme_form.with_problems(form, exc.problems)
        else:
            form.other_errors.append(exc.message)
        return render(request, "schemes/form.html", _form_context(scheme, None, form, note), kind_of(exc).status)
    flash(request, f"已保存方案「{scheme.name}」第 {saved.version} 版")
    return RedirectResponse(f"/schemes/versions/{saved.id}", status_code=303)


@router.post("/{scheme_id}/versions", name="scheme_save")
def scheme_save(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    scheme_id: SchemeId,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Validate and save as the next version; problems come back on the form (422), no change as 409."""
    scheme = _scheme(session, actor, scheme_id)
    text = text.replace("\r\n", "\n")
    try:
        saved = schemes.save_version(
            session, actor, scheme_id, text, note=note.strip() or None, weight_total=WEIGHT_TOTAL
        )
    except (SchemeError, Conflict) as exc:
        context = {
            "scheme": scheme,
            "text": text,
            "note": note,
            "base": None,
            "problems": exc.problems if isinstance(exc, SchemeError) else [],
            "message": exc.message,
        }
        return render(request, "schemes/edit.html", context, status_code=kind_of(exc).status)
    flash(request, f"已保存方案「{scheme.name}」第 {saved.version} 版")
    return RedirectResponse(f"/schemes/versions/{saved.id}", status_code=303)
