"""评价方案 (schemes): read a version, edit the TOML with validation, version history with a diff.

Saving never edits a version: it validates the text with
:func:`zonehero.core.evaluation.scheme.parse_scheme` (every problem shown with its
key) and stores version n+1. Staff read; the analyst saves.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.core.evaluation.scheme import parse_scheme
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
    context: dict[str, Any] = {
        "scheme": scheme,
        "version": version,
        "parsed": parsed,
        "other": other,
        "diff": diff_lines(other, version) if other else [],
    }
    return render(request, "schemes/version.html", context)


@router.get("/{scheme_id}/edit", name="scheme_edit")
def scheme_edit(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    scheme_id: SchemeId,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=MAX_ID)] = None,
) -> Response:
    """The newest text (or the one of ``from``) in an editor; saving makes a new version."""
    scheme = _scheme(session, actor, scheme_id)
    base_id = from_version or scheme.versions[-1].id
    base = schemes.get_version(session, actor, base_id)
    if base.scheme_id != scheme.id:
        raise NotFound("版本不属于该方案")
    context = {"scheme": scheme, "text": base.text, "note": "", "base": base, "problems": [], "message": None}
    return render(request, "schemes/edit.html", context)


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
        saved = schemes.save_version(session, actor, scheme_id, text, note=note.strip() or None)
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
