"""The ``longcheng`` command: database, audit, users, demo, serve, and each module's sub-commands."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from longcheng.core import audit, migrate, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.core.db import make_engine
from longcheng.intel import demo as intel_demo
from longcheng.intel.cli import app as intel_app
from longcheng.modules import wire
from longcheng.policy import demo as policy_demo
from longcheng.policy.cli import app as policy_app
from longcheng.projects import demo as projects_demo
from longcheng.projects.cli import app as projects_app
from longcheng.registry import demo as registry_demo
from longcheng.registry.cli import app as registry_app

app = typer.Typer(help="龙城（Longcheng）城市创新与招商服务平台。", no_args_is_help=True)
db_app = typer.Typer(help="数据库结构（Alembic 迁移）。", no_args_is_help=True)
audit_app = typer.Typer(help="操作痕迹（哈希链）。", no_args_is_help=True)
users_app = typer.Typer(help="用户与 API 令牌。", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(registry_app, name="registry")
app.add_typer(intel_app, name="intel")
app.add_typer(projects_app, name="projects")
app.add_typer(policy_app, name="policy")


@app.callback()
def _connect_modules() -> None:
    wire()


DEMO_USERS = [
    ("admin", "管理员", Role.admin, None, None),
    ("officer", "市招商局工作人员", Role.officer, None, None),
    ("xinbei", "新北区工作人员", Role.officer, None, "xinbei"),
    ("reviewer", "评审专家", Role.reviewer, None, None),
    ("auditor", "审计人员", Role.auditor, None, None),
]
DEMO_PASSWORD = "longcheng2026"


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """把数据库结构升级到最新版本。"""
    cfg = settings()
    engine = make_engine(cfg.database_url)
    migrate.upgrade(engine, revision)
    typer.echo(f"数据库已升级到 {migrate.current_revision(engine)}。")
    engine.dispose()


@audit_app.command("verify")
def audit_verify() -> None:
    """校验操作痕迹哈希链：完整时退出码 0，被篡改时退出码 1 并指出第一条问题记录。"""
    with unit_of_work() as session:
        result = audit.verify(session)
    if result.ok:
        typer.echo(f"操作痕迹完整：已校验 {result.checked} 条记录。")
        return
    typer.echo(f"操作痕迹被破坏：{result.problem}（记录序号 {result.first_bad_seq}）", err=True)
    raise typer.Exit(1)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="登录名")],
    role: Annotated[Role, typer.Option(help="角色")] = Role.admin,
    password: Annotated[str | None, typer.Option(help="密码（不填则提示输入）")] = None,
    display_name: Annotated[str, typer.Option(help="显示名称")] = "",
    org_uscc: Annotated[str | None, typer.Option(help="企业用户绑定的统一社会信用代码")] = None,
    district: Annotated[str | None, typer.Option(help="区工作人员所属区代码，如 xinbei")] = None,
) -> None:
    """创建用户（例如第一个管理员）。"""
    secret = password or getpass.getpass("密码：")
    with unit_of_work() as session:
        user = users.create(
            session,
            actor=SYSTEM,
            username=username,
            password=secret,
            role=role,
            display_name=display_name,
            org_uscc=org_uscc,
            district=district,
        )
        typer.echo(f"已创建用户 {user.username}（{role.label}）。")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Option()], name: Annotated[str, typer.Option()] = "cli"
) -> None:
    """为用户签发 API 令牌（只显示一次）。"""
    with unit_of_work() as session:
        user = users.get_by_username(session, username)
        if user is None:
            typer.echo(f"用户 {username} 不存在。", err=True)
            raise typer.Exit(1)
        typer.echo(users.create_token(session, actor=SYSTEM, user_id=user.id, name=name))


def seed_demo(orgs: int) -> list[tuple[str, str]]:
    """Create the demo users and organisations; returns (username, role label) pairs."""
    logins = []
    with unit_of_work() as session:
        registry_demo.seed(session, actor=SYSTEM, count=orgs)
        first = next(registry_demo.generate(1))
        for username, name, role, uscc, district in [
            *DEMO_USERS,
            ("firm", first["name"], Role.enterprise, first["uscc"], None),
        ]:
            users.create(
                session,
                actor=SYSTEM,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                org_uscc=uscc,
                district=district,
            )
            logins.append((username, role.label))
        projects_demo.seed(session, actor=SYSTEM, orgs=orgs)
        policy_demo.seed(session, actor=SYSTEM, showcase_uscc=first["uscc"])
        intel_demo.seed(session, actor=SYSTEM, data_dir=settings().data_dir)
    return logins


@app.command("demo")
def demo(
    reset: Annotated[bool, typer.Option(help="删除已有的演示数据库后重建")] = False,
    orgs: Annotated[int, typer.Option(help="生成的机构数")] = 3000,
    host: str = "127.0.0.1",
    port: int = 8000,
    serve_app: Annotated[bool, typer.Option("--serve/--no-serve", help="生成后启动网站")] = True,
) -> None:
    """建库、生成虚构的常州演示数据并启动网站。"""
    cfg = settings()
    engine = make_engine(cfg.database_url)
    if reset and engine.url.get_backend_name() == "sqlite" and engine.url.database:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)
        engine = make_engine(cfg.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    with unit_of_work(cfg) as session:
        seeded = users.get_by_username(session, "admin") is not None
    logins = [] if seeded else seed_demo(orgs)
    typer.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, label in logins or [(u, r.label) for u, _, r, _, _ in DEMO_USERS] + [("firm", "企业用户")]:
        typer.echo(f"  {username:10s} {label}")
    if serve_app:
        typer.echo(f"网站地址：http://{host}:{port}")
        serve(host=host, port=port, workers=None, log_level="info")


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int | None, typer.Option(help="工作进程数（默认取 LONGCHENG_WEB_WORKERS，即 CPU 核数）", min=1)
    ] = None,
    log_level: Annotated[str, typer.Option(help="日志级别")] = "info",
) -> None:
    """启动网站（多个工作进程，每个进程按环境变量中的设置各自建立应用）。"""
    count = workers or settings().web_workers
    uvicorn.run(
        "longcheng.web:create_app",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level=log_level,
        # A worker imports the whole app before it answers the supervisor's ping; on a busy
        # machine that takes longer than uvicorn's 5 s default, which then kills it in a loop.
        timeout_worker_healthcheck=60,
    )


def main() -> None:
    app()
