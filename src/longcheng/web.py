"""The web application: built by :func:`create_app`, every router registered in one list."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from pathlib import Path

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longcheng.carriers.views import routers as carriers_routers
from longcheng.cooperation.views import routers as cooperation_routers
from longcheng.core import openapi
from longcheng.core.bounds import bound_routes
from longcheng.core.config import Settings, load_settings
from longcheng.core.db import is_lock_timeout, make_engine, make_sessionmaker, write_engine
from longcheng.core.errors import (
    LongchengError,
    NotAuthenticated,
    PayloadTooLarge,
    ServiceBusy,
    ValidationFailed,
)
from longcheng.core.headers import SecurityHeaders, warn_about_default_secret
from longcheng.core.http import AppState, RateLimiter, check_csrf, end_in_route_thread, page_actor, wants_json
from longcheng.core.pii import vault
from longcheng.core.routing import guard_branches
from longcheng.core.templating import make_templates, render
from longcheng.core.user_views import router as user_router
from longcheng.core.validation import labelled, message_for
from longcheng.core.views import router as core_router
from longcheng.exchange.views import routers as exchange_routers
from longcheng.experts.views import routers as experts_routers
from longcheng.grants.views import routers as grants_routers
from longcheng.intel.views import routers as intel_routers
from longcheng.matching.views import routers as matching_routers
from longcheng.modules import wire
from longcheng.platform.jobs.api import router as jobs_api_router
from longcheng.platform.jobs.pages import router as jobs_pages_router
from longcheng.platform.notifications.api import router as notifications_api_router
from longcheng.platform.notifications.pages import router as notifications_pages_router
from longcheng.platform.schedules.api import router as schedules_api_router
from longcheng.platform.schedules.pages import router as schedules_pages_router
from longcheng.policy.views import routers as policy_routers
from longcheng.projects.views import routers as projects_routers
from longcheng.registry.views import routers as registry_routers
from longcheng.talent.views import routers as talent_routers

ROUTERS: list[APIRouter] = [
    core_router,
    user_router,
    *registry_routers,
    *projects_routers,
    *intel_routers,
    *policy_routers,
    *experts_routers,
    *grants_routers,
    *exchange_routers,
    *matching_routers,
    *carriers_routers,
    *cooperation_routers,
    jobs_api_router,
    jobs_pages_router,
    schedules_api_router,
    schedules_pages_router,
    notifications_api_router,
    notifications_pages_router,
    *talent_routers,
]
TEMPLATE_PACKAGES = (
    "longcheng",
    "longcheng.registry",
    "longcheng.projects",
    "longcheng.intel",
    "longcheng.policy",
    "longcheng.platform",
    "longcheng.experts",
    "longcheng.grants",
    "longcheng.talent",
    "longcheng.exchange",
    "longcheng.matching",
    "longcheng.carriers",
    "longcheng.cooperation",
)
# The top navigation: (path, Chinese label, the action a user needs to see the entry).
NAV: list[tuple[str, str, str]] = [
    ("/", "首页", "dashboard.view"),
    ("/registry", "一企一档", "registry.org.read"),
    ("/projects", "重大项目", "projects.read"),
    ("/projects/dashboard", "项目驾驶舱", "projects.dashboard"),
    ("/intel", "招商情报", "intel.fact.read"),
    ("/policy", "政策一键查", "policy.read"),
    ("/policy/mine", "我可享受的政策", "policy.mine"),
    ("/policy/runs", "精准推送", "policy.run.read"),
    ("/grants", "兑现一网办", "grants.programme.read"),
    ("/grants/my", "我的申报", "grants.apply"),
    ("/public/grants/calendar", "申报日历", "grants.programme.read"),
    ("/public/grants/notices", "公示", "grants.programme.read"),
    ("/grants/queue", "申报审核", "grants.application.review"),
    ("/grants/finance", "资金支付", "grants.payable.read"),
    ("/grants/acceptance", "先建后补验收", "grants.application.read"),
    ("/grants/vouchers", "创新券", "grants.voucher.read"),
    ("/grants/audit", "审计抽查", "grants.ledger.read"),
    ("/grants/dashboard", "专项驾驶舱", "grants.report.read"),
    ("/experts", "专家库", "experts.read"),
    ("/experts/reviews", "我的评审", "experts.review"),
    ("/talent", "人才直兑", "talent.read"),
    ("/talent/me", "我的人才档案", "talent.self"),
    ("/talent/employer", "员工申报", "talent.employer"),
    ("/exchange", "产权交易", "exchange.portal"),
    ("/exchange/console", "交易机构工作台", "exchange.console"),
    ("/matching/challenges", "揭榜挂帅", "matching.board.read"),
    ("/matching/challenges/mine", "我的榜单", "matching.challenge.publish"),
    ("/matching/capabilities", "科技成果", "matching.board.read"),
    ("/carriers", "载体招商", "carriers.portal"),
    ("/carriers/manage", "载体管理", "carriers.list"),
    ("/carriers/leads", "招商线索", "carriers.lead.read"),
    ("/matching/broker", "技术经纪", "matching.challenge.manage"),
    ("/cooperation", "合作机制", "cooperation.read"),
    ("/exchange/monitoring", "联盟监测", "exchange.monitoring.dashboard"),
    ("/jobs", "任务中心", "jobs.read"),
    ("/admin/schedules", "定时任务", "schedules.manage"),
    ("/admin/notifications/failed", "邮件失败", "notifications.failed"),
    ("/admin/users", "用户管理", "users.manage"),
]


def _template_dirs() -> list[Path]:
    return [Path(str(resources.files(pkg).joinpath("templates"))) for pkg in TEMPLATE_PACKAGES]


# A web worker holds hundreds of thousands of long-lived objects (routes, mappers, templates, and
# in the bidding room a connection per watcher); with Python's default thresholds (700, 10, 10)
# the collector walks them again and again: with 2,000 watchers it took a third of the bid path's
# CPU and its full passes were the latency spikes (bench/RESULTS.md). Young garbage is still
# collected every 100,000 allocations, a full pass every 500 million.
GC_THRESHOLDS = (100_000, 50, 100)


def _limits(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The worker's concurrency, set when it starts: ``threads`` for the routes' blocking work
    and as many requests holding a database session at once.

    A request's session is committed and closed (its connection given back) on a pool thread
    after the route returns; until then it holds its connection without a thread. Unbounded,
    a burst of clients filled every connection with sessions waiting for a thread to close
    them on, and every thread with routes waiting for a connection: the worker answered nothing
    until the pool's 30 s timeout. Now at most ``threads`` sessions hold a connection and at
    most ``threads`` threads open their own short transactions; the pool has room for both
    (:func:`make_engine` keeps ``threads`` connections and opens as many again), so a thread
    never waits for a connection and a request waits, if at all, for a slot without a thread.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        app.state.longcheng.session_slots = asyncio.Semaphore(threads)
        yield

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: engine, sessions, templates, middleware, error handlers and routes."""
    settings = settings or load_settings()
    gc.set_threshold(*GC_THRESHOLDS)
    warn_about_default_secret(settings)
    vault.configure(settings)
    vault.check()  # a missing or wrong key file stops the site here, never a plaintext fallback
    wire()
    engine = make_engine(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        connections=settings.threads_per_worker(),
        pool_timeout=settings.db_pool_timeout_seconds,
    )
    app = FastAPI(
        lifespan=_limits(settings.threads_per_worker()),
        title="龙城 Longcheng API",
        version="0.1.0",
        dependencies=[Depends(check_csrf)],
        description="城市创新与招商服务平台的开放接口。金额以分为单位的整数或十进制字符串表示。",
    )
    app.state.longcheng = AppState(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        write_sessions=make_sessionmaker(write_engine(engine)),
        templates=make_templates(_template_dirs()),
        login_limiter=RateLimiter(limit=20, window_seconds=300),
    )
    app.state.longcheng.templates.env.globals["nav_items"] = NAV
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + 1024 * 1024)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="longcheng_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeaders, https_only=settings.cookie_secure)
    static = Path(str(resources.files("longcheng").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    bound_routes(app)
    end_in_route_thread(app)
    guard_branches(app)
    openapi.install(app)
    return app


class BodySizeLimit:
    """Refuse a request body larger than the upload limit, declared or not.

    A declared ``Content-Length`` past the limit is refused before anything is read. A body
    without one (chunked) is counted as it streams in: past the limit the app's reads fail,
    whatever it was about to answer is dropped, and the client gets the same 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self) -> JSONResponse:
        err = PayloadTooLarge(f"上传内容超过上限 {self.max_bytes // 1048576} MB，未作任何处理。")
        return JSONResponse(err.to_dict(), status_code=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return
        guard = _StreamGuard(receive, send, self.max_bytes)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if not guard.exceeded:
                raise
        if guard.exceeded and not guard.started:
            await self._too_large()(scope, receive, send)


class BodyTooLarge(PayloadTooLarge):
    """Raised into the app when a streamed body passes the limit."""


class _StreamGuard:
    """Counts body bytes as the app reads them; after the limit, mutes the app's response."""

    def __init__(self, receive: Receive, send: Send, max_bytes: int) -> None:
        self._receive, self._send, self.max_bytes = receive, send, max_bytes
        self.received = 0
        self.exceeded = self.started = False

    async def receive(self) -> Message:
        if self.exceeded:
            raise BodyTooLarge()
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.max_bytes:
                self.exceeded = True
                raise BodyTooLarge()
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def error_response(request: Request, exc: LongchengError) -> Response:
    response = _error_response(request, exc)
    if isinstance(exc, ServiceBusy):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _error_response(request: Request, exc: LongchengError) -> Response:
    if wants_json(request) or request.headers.get("hx-request"):
        return JSONResponse(exc.to_dict(), status_code=exc.status_code)
    if isinstance(exc, NotAuthenticated):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    titles = {
        403: "没有权限",
        404: "未找到",
        409: "数据冲突",
        413: "文件过大",
        422: "输入有误",
        429: "请求过于频繁",
        503: "系统正忙",
    }
    return render(
        request,
        "error.html",
        page_actor(request),
        status=exc.status_code,
        title=titles.get(exc.status_code, "出错了"),
        message=exc.message_text,
        code=exc.code_text,
        fields=labelled(exc.details),
    )


DB_GONE = "数据库连接中断（可能正在重启），请稍后重试；写入类操作请先刷新页面，确认是否已经保存。"
POOL_BUSY = "系统正忙：同时处理的请求过多，本次操作未作任何修改，请稍后重试。"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LongchengError)
    async def _domain(request: Request, exc: LongchengError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(OperationalError)
    async def _locked(request: Request, exc: OperationalError) -> Response:
        if exc.connection_invalidated:  # the database restarted or dropped the connection
            return error_response(request, ServiceBusy(DB_GONE))
        if not is_lock_timeout(exc):
            raise exc
        return error_response(request, ServiceBusy())

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        return error_response(request, ServiceBusy(POOL_BUSY))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = {".".join(str(p) for p in e["loc"]): message_for(e) for e in exc.errors()}
        return error_response(request, ValidationFailed(details=details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_response(request, LongchengError("页面或接口不存在。", code="not_found", status=404))
        if exc.status_code == 405:
            return error_response(
                request, LongchengError("不支持的请求方法。", code="method_not_allowed", status=405)
            )
        return error_response(
            request, LongchengError(str(exc.detail), code="http_error", status=exc.status_code)
        )
