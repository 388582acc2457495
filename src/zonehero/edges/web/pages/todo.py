"""待办 (``/todo``): the logged-in account's to-do list, each item a link to the page where it is done.

Every account may open it; the to-do service decides what each role sees (nothing for the security and audit
administrators). The same list is ``GET /api/todo``; its count is the navigation's badge.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.rendering import render
from zonehero.features.todo import service as todo

router = APIRouter(prefix="/todo", include_in_schema=False)


@router.get("", name="todo_page")
def todo_page(request: Request, session: SessionDep, actor: CurrentUser) -> Response:
    """The to-do list, most urgent first."""
    return render(request, "todo/index.html", {"todo": todo.todo_list(session, actor), "page_title": "待办"})
