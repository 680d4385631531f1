"""The guard on each router changes which routes are tried, never which route answers."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import _IncludedRouter, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user

from longcheng.core.routing import path_heads


def _scope(path: str, method: str = "GET") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_path_meets_the_same_routers_as_without_the_guard(app_client: TestClient) -> None:
    """For each route's own path (and a few that match nothing) every router answers as its
    unguarded self would: a path of its own is never passed over."""
    app: Any = app_client.app
    branches = [r for r in app.router.routes if isinstance(r, _IncludedRouter)]
    assert sum(1 for b in branches if "matches" in vars(b)) > len(branches) // 2
    paths = {_concrete(ctx.path) for ctx in iter_route_contexts(app.router.routes) if hasattr(ctx, "path")}
    paths |= {"/nowhere", "/api/v1/nowhere", "/registry/", "/api/v1/projects/", ""}
    assert len(paths) > 300
    for path in sorted(paths):
        for method in ("GET", "POST"):
            scope = _scope(path, method)
            guarded = [b.matches(scope)[0] for b in branches]
            plain = [type(b).matches(b, scope)[0] for b in branches]
            assert guarded == plain, path


def test_paths_that_match_nothing_and_trailing_slashes_answer_as_before(
    app_client: TestClient, session: Session
) -> None:
    """A path of no route is a 404 in Chinese; a list path with a trailing slash redirects to it."""
    headers = bearer(session, make_user(session, username="routing1"))
    session.commit()
    missing = app_client.get("/api/v1/nowhere", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    slash = app_client.get("/api/v1/projects/", headers=headers, follow_redirects=False)
    assert slash.status_code in (307, 308)
    assert slash.headers["location"].endswith("/api/v1/projects")
    assert app_client.get("/api/v1/projects", headers=headers).status_code == 200


def test_heads_are_the_shortest_literal_prefixes() -> None:
    assert path_heads(["/api/v1/projects/{code}", "/api/v1/projects", "/api/v1/projects/leads"]) == (
        "/api/v1/projects",
    )
    assert path_heads(["/a/{x}", "/ab", "/b/c", "/b/c/d"]) == ("/a/", "/ab", "/b/c")
    assert path_heads(["/", "/registry"]) == ("/",)
    assert path_heads(["/x", None]) is None
