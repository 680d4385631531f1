"""Routing that passes over a router none of whose paths can match the request, and the rebuild
of a route's handler after its endpoint was wrapped (``http.end_in_route_thread``).

FastAPI keeps each included router as a branch of the app's routes and tries a request against
the branch's routes one by one, each try with its own bookkeeping in the request's scope: a
request for the projects list tried about 70 routes before its own, and a path that matches
nothing tried every route of the app (about 600). Each top-level branch gets a guard here: the
literal heads of its routes' paths (each path up to its first parameter). A route's pattern is
anchored and begins with its head, so a path that starts with none of a branch's heads matches
none of its routes, and the branch answers "no match" without trying them.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from fastapi._body_limit import wrap_app_with_body_limit
from fastapi.routing import (
    APIRoute,
    RouteContext,
    _effective_route_context_var,
    _IncludedRouter,
    iter_route_contexts,
    request_response,
)
from starlette.routing import Match
from starlette.types import Scope


def guard_branches(app: FastAPI) -> int:
    """Guard every included router of ``app`` (call once the routers are in); returns how many."""
    guarded = 0
    for branch in app.router.routes:
        if not isinstance(branch, _IncludedRouter):
            continue
        heads = path_heads(getattr(ctx, "path", None) for ctx in iter_route_contexts([branch]))
        if heads is None or heads == ("/",):
            continue
        _guard(branch, heads)
        guarded += 1
    return guarded


def path_heads(paths: Iterable[object]) -> tuple[str, ...] | None:
    """The shortest set of literal heads covering ``paths`` (None when a path is unknown):
    ``/api/v1/projects/{code}`` and ``/api/v1/projects`` give ``("/api/v1/projects",)``."""
    heads: list[str] = []
    for path in sorted({p.split("{", 1)[0] if isinstance(p, str) else "" for p in paths}):
        if not path.startswith("/"):
            return None
        if not heads or not path.startswith(heads[-1]):
            heads.append(path)
    return tuple(heads)


def _guard(branch: _IncludedRouter, heads: tuple[str, ...]) -> None:
    tried = branch.matches

    def matches(scope: Scope) -> tuple[Match, Scope]:
        # Under a root path the route path is the request's path less that root; let FastAPI
        # work it out rather than repeat its rules.
        if scope.get("root_path") or scope["path"].startswith(heads):
            return tried(scope)
        return Match.NONE, {}

    branch.matches = matches  # type: ignore[method-assign]


def rebuild_handler(context: RouteContext) -> None:
    """Build the route's request handler again, after its endpoint (``dependant.call``) changed.

    FastAPI reads what it needs of the endpoint (async or not) when it builds the handler, once
    per route and per inclusion of its router; this repeats that step the way FastAPI does it.
    """
    inner = context._route_context
    if inner is None:
        route = context.route
        if isinstance(route, APIRoute):
            handler = request_response(route.get_route_handler())
            route.app = wrap_app_with_body_limit(handler, route.max_body_size)
        return
    original = inner.original_route
    if not isinstance(original, APIRoute):
        return
    token = _effective_route_context_var.set(inner)
    try:
        handler = request_response(original.get_route_handler())
        inner.app = wrap_app_with_body_limit(handler, inner.max_body_size)
    finally:
        _effective_route_context_var.reset(token)
