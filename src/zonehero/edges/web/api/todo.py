"""``GET /api/todo``: the logged-in account's to-do list (待办) as JSON, the same list as the ``/todo`` page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.features.todo import service as todo
from zonehero.features.todo.schemas import TodoList

router = APIRouter(tags=["todo"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


@router.get("/api/todo", response_model=TodoList, responses=ERRORS)
def todo_list(session: SessionDep, actor: CurrentUser) -> TodoList:
    """What the account must act on now, most urgent first: each item with its kind, a title in Chinese and the
    page (``url``) where it is done; ``total`` is the count the navigation shows. An item disappears once done.
    An enterprise account sees only its own results and objections; the three administrators no business data."""
    return todo.todo_list(session, actor)
