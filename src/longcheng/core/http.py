"""Web plumbing shared by every module: state, the per-request transaction, the actor, CSRF.

The request is the edge of the unit of work: :func:`db_session` commits after the route
function returns (before the response leaves) and rolls back when it raises. Unsafe methods
on SQLite take the write lock up front (``BEGIN IMMEDIATE``) so concurrent edits queue instead
of failing half-way.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import secrets
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, UploadFile
from fastapi.routing import iter_route_contexts
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from longcheng.core import actor_cache, audit, logins
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import transaction
from longcheng.core.errors import LongchengError, NotAuthenticated, TooManyRequests
from longcheng.core.logins import LoginSession
from longcheng.core.routing import rebuild_handler
from longcheng.core.tabular import stream_to_temp
from longcheng.core.users import User, user_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(LongchengError):
    code = "csrf.invalid"
    status = 403
    message = "页面已过期或缺少安全令牌，请刷新页面后重新提交。"


@dataclass
class RateLimiter:
    """A sliding-window counter per key (a client address, an identity) kept in memory; past
    ``limit`` hits in the window it refuses with ``message`` and ``code`` (429)."""

    limit: int
    window_seconds: float
    message: str = "登录尝试过于频繁，请稍后再试。"
    code: str = "auth.rate_limited"
    hits: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        q = self.hits.setdefault(key, deque())
        while q and q[0] <= now - self.window_seconds:
            q.popleft()
        if len(q) >= self.limit:
            raise TooManyRequests(self.message, code=self.code)
        q.append(now)


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    templates: Jinja2Templates
    login_limiter: RateLimiter
    extras: dict[str, Any] = field(default_factory=dict)
    # Set when the server starts (``web._limits``): how many requests may hold a session at once.
    session_slots: asyncio.Semaphore | None = None


def state_of(request: Request) -> AppState:
    st: AppState = request.app.state.longcheng
    return st


async def db_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: committed after the route returns, rolled back if it raises.

    Async on purpose: a new session holds no connection yet, so it is made here without a trip
    through the thread pool; only the commit (database I/O) goes there. Between the route and
    the commit the session holds its connection without a thread, so the number of sessions is
    bounded by the server's slots (the pool has a connection for each and one for each thread).
    """
    st = state_of(request)
    slots = st.session_slots  # None when the lifespan did not run (a test client without ``with``)
    if slots is not None:
        await slots.acquire()
    try:
        session = (st.sessions if request.method in SAFE_METHODS else st.write_sessions)()
        session.info[EDGE] = True
        try:
            yield session
        except BaseException:
            _end(session, commit=False)
            raise
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            await run_in_threadpool(_end, session, commit=True)
        else:  # ended in the route's own thread (``end_in_route_thread``), or never used
            session.close()
    finally:
        if slots is not None:
            slots.release()


EDGE = "longcheng.http.edge"  # in ``Session.info``: the request's own unit of work


def end_in_route_thread(app: FastAPI) -> None:
    """Serve every plain (sync) route through a wrapper that runs it in the thread pool and
    commits and closes the request's session there, as soon as it returns.

    FastAPI ran a plain route in the thread pool, then :func:`db_session` committed in a second
    trip there (0.3 M instructions of the 8.7 M a registry API list costs, and a wake-up of
    another thread under load), and a route with a response model had its answer validated in a
    third. The wrapper is a coroutine, so FastAPI validates the answer on the event loop (a
    page of rows in pydantic's compiled core) and the request makes one trip to the pool. Whatever
    the route touches after this (a lazy load while the response is built) opens a new
    transaction that :func:`db_session` commits as before. Call it once the routers are in,
    like ``bounds.bound_routes``.
    """
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        call = getattr(dependant, "call", None)
        if inspect.isfunction(call) and not _is_async(call) and not getattr(call, EDGE, False):
            dependant.call = _ending(call)  # type: ignore[union-attr]
            rebuild_handler(context)


def _is_async(call: Callable[..., Any]) -> bool:
    checks = (inspect.iscoroutinefunction, inspect.isasyncgenfunction, inspect.isgeneratorfunction)
    return any(check(call) for check in checks)


def _ending(call: Callable[..., Any]) -> Callable[..., Any]:
    def run_and_end(values: dict[str, Any]) -> Any:
        result = call(**values)
        for value in values.values():
            if isinstance(value, Session) and value.info.get(EDGE):
                _end(value, commit=True)
        return result

    async def run(**values: Any) -> Any:
        return await run_in_threadpool(run_and_end, values)

    functools.update_wrapper(run, call)
    setattr(run, EDGE, True)
    return run


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session, scope="function")]


@contextmanager
def read_transaction(request: Request) -> Iterator[Session]:
    """A short read transaction on any method: it never takes SQLite's write lock.

    Resolving the actor and validating an import use it, so that a request's
    :data:`DbSession` takes the write lock only when it writes, and only for that long.
    """
    with transaction(state_of(request).sessions) as session:
        yield session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def current_actor(request: Request) -> Actor | None:
    """The user behind the request: a bearer API token, else the login session of the cookie.

    Looked up in its own read transaction (in the thread pool), so that authenticating a write
    takes no lock, and kept a moment per process (:mod:`longcheng.core.actor_cache`: at most
    2 s, and never past a change recorded in this process).
    """
    key = _credential_key(request)
    if key is None:
        return None
    cached = actor_cache.get(key)
    if cached is not None:
        return cached
    seen = audit.changes_seen()
    actor = await run_in_threadpool(_look_up, request)
    if actor is not None:
        actor_cache.put(key, actor, seen)
    return actor


def _credential_key(request: Request) -> str | None:
    token = _bearer(request)
    if token is not None:
        return actor_cache.key_of("token", token)
    sid = request.session.get("sid") if "session" in request.scope else None
    return actor_cache.key_of("session", sid) if isinstance(sid, str) else None


def _look_up(request: Request) -> Actor | None:
    """The actor, read in one short transaction; "last seen" is noted after it has closed, so a
    thread never holds two connections at once (see ``web._limits``)."""
    with read_transaction(request) as session:
        actor, login = _actor(request, session)
    if login is not None:
        _touch(request, login)
    return actor


def _actor(request: Request, session: Session) -> tuple[Actor | None, LoginSession | None]:
    token = _bearer(request)
    if token is not None:
        user = user_for_token(session, token)
        if user is None:
            raise NotAuthenticated("API 令牌无效、已撤销，或账户已停用或锁定。", code="auth.bad_token")
        return user.to_actor(), None
    login = current_login(request, session)
    if login is None:
        return None, None
    user = session.get(User, login.user_id)
    if user is None or not user.usable(utcnow()):
        return None, None
    return user.to_actor(), login


def page_actor(request: Request) -> Actor | None:
    """The logged-in user for a page rendered outside a route (the error page), read-only.

    It opens its own short session and never writes; any failure to find the user (a broken
    database included) renders the page as for a visitor instead of failing again.
    """
    key = request.session.get("sid") if "session" in request.scope else None
    if not isinstance(key, str):
        return None
    try:
        with state_of(request).sessions() as session:
            login = logins.resolve(session, key=key)
            user = session.get(User, login.user_id) if login is not None else None
            return user.to_actor() if user is not None and user.usable(utcnow()) else None
    except (LongchengError, SQLAlchemyError):
        return None


def current_login(request: Request, session: Session) -> LoginSession | None:
    """The open server-side session named by the cookie; a stale cookie is cleared."""
    key = request.session.get("sid")
    if not isinstance(key, str):
        return None
    login = logins.resolve(session, key=key)
    if login is None:
        csrf = request.session.get("csrf")
        request.session.clear()
        if csrf:
            request.session["csrf"] = csrf
    return login


def _touch(request: Request, login: LoginSession) -> None:
    """Keep "last seen" roughly current without making every page a write.

    Safe requests note it in a short write transaction of their own, every few minutes at most,
    and skip it if the database is busy; unsafe ones leave it to the next page view, so that
    authenticating a write never takes a second write lock.
    """
    now = utcnow()
    if request.method not in SAFE_METHODS or not logins.due_for_touch(login, now):
        return
    ip = client_key(request)
    try:
        with transaction(state_of(request).write_sessions) as writer:
            logins.touch(writer, login_id=login.id, ip=ip, now=now)
    except OperationalError:
        return


ActorOrNone = Annotated[Actor | None, Depends(current_actor)]


async def require_login(actor: ActorOrNone) -> Actor:
    """Async on purpose: a plain check needs no trip through the thread pool."""
    if actor is None:
        raise NotAuthenticated()
    return actor


CurrentActor = Annotated[Actor, Depends(require_login)]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Unsafe requests authenticated by cookie must carry the session's CSRF token."""
    if request.method in SAFE_METHODS or _bearer(request) is not None:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfFailed()


@contextmanager
def uploaded_file(request: Request, upload: UploadFile) -> Iterator[Path]:
    """The upload copied to a temporary file (refused past the size limit), removed afterwards."""
    suffix = Path(upload.filename or "upload").suffix.lower()[:8]
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as tmp:
        path = Path(tmp.name)
    try:
        stream_to_temp(upload.file, path, max_bytes=state_of(request).settings.max_upload_bytes)
        yield path
    finally:
        path.unlink(missing_ok=True)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
