"""A plain route commits its request's session in its own thread, as it returns.

The request edge still owns the transaction: a route's writes are committed when its answer
arrives, an error still rolls everything back, and a route that reads again after it returned
(while its response is built) is committed as before.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any

import anyio.to_thread
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user, new_uscc

from longcheng.core.http import EDGE
from longcheng.registry.models import Organisation

ORGS = "/api/v1/registry/orgs"


def test_every_plain_route_is_served_through_the_ending_wrapper(app_client: TestClient) -> None:
    """Routes added by any module later are covered without doing anything: every endpoint
    written as a plain function is served by the wrapper, which FastAPI sees as a coroutine."""
    calls = [
        (context.path, context.dependant.call)
        for context in iter_route_contexts(app_client.app.routes)  # type: ignore[attr-defined]
        if isinstance(getattr(context, "dependant", None), Dependant)
    ]
    plain = [(path, call) for path, call in calls if inspect.isfunction(inspect.unwrap(call))]
    plain = [(path, call) for path, call in plain if not _is_async(inspect.unwrap(call))]
    assert len(plain) > 100
    assert [path for path, call in plain if not getattr(call, EDGE, False)] == []
    assert [path for path, call in plain if not inspect.iscoroutinefunction(call)] == []


def _is_async(call: Any) -> bool:
    checks = (inspect.iscoroutinefunction, inspect.isasyncgenfunction, inspect.isgeneratorfunction)
    return any(check(call) for check in checks)


def test_a_list_request_makes_one_trip_to_the_thread_pool(
    app_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The route, its commit and its answer's validation: one trip through the pool, where
    there were three (a trip is a wake-up of another thread, ~160 µs of CPU on this machine)."""
    user = make_user(session, username="edgetrips")
    headers = bearer(session, user)
    session.commit()
    assert app_client.get(ORGS, headers=headers).status_code == 200  # the actor is now kept
    trips: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(getattr(func, "func", func), "__name__", "?"))  # unwrap a partial
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    resp = app_client.get(ORGS + "?page_size=5", headers=headers)
    assert resp.status_code == 200
    assert set(resp.json()) == {"items", "total", "page", "page_size"}
    assert trips == ["run_and_end"]


def test_a_write_is_committed_in_the_routes_thread_and_kept(app_client: TestClient, session: Session) -> None:
    """The firm created by the API is there for the next reader; its commit ran in the thread
    that ran the route, not in a later trip through the pool."""
    user = make_user(session, username="edgethread")
    headers = bearer(session, user)
    session.commit()
    threads: list[str] = []

    def note(_session: Session) -> None:
        threads.append(threading.current_thread().name)

    def route_thread(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO REGISTRY_ORG"):
            threads.append("route:" + threading.current_thread().name)

    event.listen(Session, "after_commit", note)
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", route_thread)
    try:
        uscc = new_uscc()
        resp = app_client.post(ORGS, json={"uscc": uscc, "name": "常州边界线程科技有限公司"}, headers=headers)
    finally:
        event.remove(Session, "after_commit", note)
        event.remove(engine, "before_cursor_execute", route_thread)
    assert resp.status_code == 201, resp.text
    stored = session.scalar(select(Organisation.name).where(Organisation.uscc == uscc))
    assert stored == "常州边界线程科技有限公司"
    route = next(t for t in threads if t.startswith("route:")).removeprefix("route:")
    commits = [t for t in threads if not t.startswith("route:")]
    assert commits
    assert commits[-1] == route


def test_a_refused_write_leaves_nothing(app_client: TestClient, session: Session) -> None:
    """A route that fails after writing (a duplicate code) is rolled back whole: the firm is
    not stored twice and no half record stays."""
    user = make_user(session, username="edgerefused")
    headers = bearer(session, user)
    session.commit()
    uscc = new_uscc()
    first = app_client.post(ORGS, json={"uscc": uscc, "name": "常州回滚一科技有限公司"}, headers=headers)
    again = app_client.post(ORGS, json={"uscc": uscc, "name": "常州回滚二科技有限公司"}, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 409, again.text
    names = session.scalars(select(Organisation.name).where(Organisation.uscc == uscc)).all()
    assert names == ["常州回滚一科技有限公司"]
