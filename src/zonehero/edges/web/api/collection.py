"""``POST /api/collection/{year}/submissions``: a department's system pushes its files (数据归集 by API).

Authenticated by the department's bearer token (接口令牌, made and revoked by the analyst on the round page), not by a
log-in: no session cookie is involved, so the request carries no CSRF token (see
:data:`zonehero.edges.web.security.CSRF_EXEMPT_PATTERNS`). The files land in the same preview as a department
account's upload; nothing is stored as figures until the analyst confirms the batch.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import SessionDep, SettingsDep
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import Unauthenticated
from zonehero.features.collection import service as collection
from zonehero.features.collection.schemas import SubmissionReceipt
from zonehero.features.imports import service as imports

router = APIRouter(tags=["collection"])

bearer = HTTPBearer(auto_error=False, description="部门接口令牌（由分析员在归集轮次页面生成，只显示一次）")

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "缺少接口令牌，或令牌无效、已吊销"},
    404: {"model": ErrorBody, "description": "该年度未开启数据归集，或该轮次不要求本部门报送"},
    413: {"model": ErrorBody, "description": "文件过大"},
    422: {"model": ErrorBody, "description": "没有文件、文件过多或参数不合法（problems 逐项说明）"},
}


@router.post(
    "/api/collection/{year}/submissions",
    response_model=SubmissionReceipt,
    status_code=201,
    responses=ERRORS,
    summary="部门推送报送文件",
)
def push_submission(
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Path(ge=2000, le=2100, description="归集年度")],
    files: Annotated[list[UploadFile], File(description="本部门报送文件（CSV、Excel，可多个）")],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> SubmissionReceipt:
    """The department's files for the round of ``year``, read at once into a preview (导入预览). ``status``
    ``preview``: received, waiting for the bureau's confirmation; ``invalid``: ``problems`` says what to fix
    (file, row, column), and the department sends the corrected files again. A column another department owns is
    such a problem. Nothing is written to the enterprise figures by this call."""
    if credentials is None:
        raise Unauthenticated(collection.BAD_TOKEN)
    actor, token_id = collection.token_actor(session, credentials.credentials)
    uploaded = read_uploads(
        files,
        max_bytes=settings.upload_max_bytes,
        max_files=imports.MAX_FILES,
        too_many=f"一次最多报送 {imports.MAX_FILES} 个文件",
    )
    return collection.submit(session, actor, year, uploaded, settings=settings, channel="api", token_id=token_id)
