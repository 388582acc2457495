"""FastAPI's analysis of the routes made once per test session instead of once per app (see ``analysed_once``).

Every web test builds its own app (``create_app``), and FastAPI analyses the routes of a new app again on its first
request (each endpoint's signature, dependencies, parameter, body and response types as pydantic fields): about
0.2 s a test, a third of tests/web's time. The results depend only on the route's path, endpoint and dependency
callables and on the types, the same for every app of the session, so each is computed once and reused; each test
still gets a new app with its own settings, middleware and state. A FastAPI without these functions is left alone
(each app analyses its routes itself: slower, equally correct).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import fastapi.routing
import pytest


def _dependant_key(path: str, call: Callable[..., Any], dependencies: Sequence[Any]) -> Hashable | None:
    """None when a dependency has a concurrency limit of its own (a limiter per declaration, not to be shared)."""
    if any(getattr(d, "max_concurrency", None) is not None for d in dependencies):
        return None
    parts = (
        (type(d), d.dependency, d.use_cache, d.scope, tuple(getattr(d, "scopes", None) or ())) for d in dependencies
    )
    return (path, call, *parts)


def _hashable(key: Hashable) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


@contextmanager
def analysed_once() -> Iterator[None]:
    """Patch FastAPI's route analysis with memoised versions for the duration of the block."""
    build = getattr(fastapi.routing, "_build_dependant_with_parameterless_dependencies", None)
    body_field = getattr(fastapi.routing, "_get_body_field", None)
    model_field = getattr(fastapi.routing, "create_model_field", None)
    if build is None or body_field is None or model_field is None:
        yield
        return
    dependants: dict[Hashable, Any] = {}
    bodies: dict[Hashable, tuple[list[Any], Any]] = {}
    fields: dict[Hashable, Any] = {}

    def dependant(*, path: str, call: Callable[..., Any], dependencies: Sequence[Any]) -> Any:
        key = _dependant_key(path, call, dependencies)
        if key is None or not _hashable(key):
            return build(path=path, call=call, dependencies=dependencies)
        if key not in dependants:
            dependants[key] = build(path=path, call=call, dependencies=dependencies)
        return dependants[key]

    def body(*, body_params: list[Any], name: str, embed_body_fields: bool) -> Any:
        # Keyed by the parameters' identities: the list kept beside the field keeps them alive, so an id seen again is
        # the same object (the parameters come from the dependants above, themselves made once).
        key = (name, embed_body_fields, *(id(p) for p in body_params))
        if key not in bodies:
            made = body_field(body_params=body_params, name=name, embed_body_fields=embed_body_fields)
            bodies[key] = (list(body_params), made)
        return bodies[key][1]

    def field(*args: Any, **kwargs: Any) -> Any:
        key = (kwargs.get("name"), kwargs.get("type_"), kwargs.get("mode", "validation"))
        if args or set(kwargs) - {"name", "type_", "mode"} or not _hashable(key):  # a field_info of its own, say
            return model_field(*args, **kwargs)
        if key not in fields:
            fields[key] = model_field(**kwargs)
        return fields[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastapi.routing, "_build_dependant_with_parameterless_dependencies", dependant)
        patch.setattr(fastapi.routing, "_get_body_field", body)
        patch.setattr(fastapi.routing, "create_model_field", field)
        yield
