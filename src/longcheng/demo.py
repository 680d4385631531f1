"""``longcheng demo``: build the database, seed fictional Changzhou data and serve the site.

This module names every module's demo generator, so it stands above the modules like
``modules.py`` does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from longcheng.carriers import demo as carriers_demo
from longcheng.core import migrate, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.core.config import Settings
from longcheng.core.db import make_engine
from longcheng.core.pii import vault
from longcheng.exchange import demo as exchange_demo
from longcheng.exchange.alliance import demo as alliance_demo
from longcheng.experts import demo as experts_demo
from longcheng.grants import demo as grants_demo
from longcheng.intel import demo as intel_demo
from longcheng.matching import demo as matching_demo
from longcheng.platform.schedules import service as schedule_service
from longcheng.policy import demo as policy_demo
from longcheng.projects import demo as projects_demo
from longcheng.registry import demo as registry_demo
from longcheng.server import serve
from longcheng.talent import demo as talent_demo

app = typer.Typer()

DEMO_USERS = [
    ("admin", "管理员", Role.admin, None, None),
    ("officer", "市招商局工作人员", Role.officer, None, None),
    ("xinbei", "新北区工作人员", Role.officer, None, "xinbei"),
    ("reviewer", "评审专家", Role.reviewer, None, None),
    ("auditor", "审计人员", Role.auditor, None, None),
    ("talent_officer", "人社局人才工作人员", Role.officer, None, None),
    ("talent", "青年人才（演示）", Role.talent, None, None),
    ("operator", "常州产权交易所经办人", Role.operator, exchange_demo.CZ_USCC, None),
    ("bidder", "竞买人（演示机构）", Role.bidder, None, None),
    ("finance", "财政局支付专员", Role.finance, None, None),
    ("finance2", "财政局复核专员", Role.finance, None, None),
]
DEMO_PASSWORD = "longcheng2026"


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
        experts_demo.seed(session, actor=SYSTEM, reviewer_username="reviewer")
        grants_demo.seed(session, actor=SYSTEM, showcase_uscc=first["uscc"])
        talent_demo.seed(
            session, actor=SYSTEM, usccs=[o["uscc"] for o in registry_demo.generate(min(orgs, 120))]
        )
        bidder_user = users.get_by_username(session, "bidder")
        sample = [(o["uscc"], o["name"]) for o in registry_demo.generate(12)]
        exchange_demo.seed(
            session, actor=SYSTEM, orgs=sample[1:], bidder_user_id=bidder_user.id if bidder_user else None
        )
        matching_demo.seed(session, actor=SYSTEM)
        carriers_demo.seed(session, actor=SYSTEM)
        alliance_demo.seed(session, actor=SYSTEM, officers=["operator", "admin"])
        schedule_service.sync(session, schedule_service.default_specs(), actor=SYSTEM)
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
    ensure_key_file(cfg)
    with unit_of_work(cfg) as session:
        seeded = users.get_by_username(session, "admin") is not None
    logins = [] if seeded else seed_demo(orgs)
    typer.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, label in logins or [(u, r.label) for u, _, r, _, _ in DEMO_USERS] + [("firm", "企业用户")]:
        typer.echo(f"  {username:10s} {label}")
    if serve_app:
        typer.echo(f"网站地址：http://{host}:{port}")
        os.environ["LONGCHENG_DEMO_SITE"] = "1"  # the server's settings: no default-key warning
        with worker_beside():
            serve(host=host, port=port)


def ensure_key_file(cfg: Settings) -> None:
    """The demo's key ring for personal data: made once beside the database, kept across resets."""
    path = vault.key_file_of(cfg)
    if not path.exists():
        vault.init_key_file(path)
        typer.echo(f"已生成个人信息加密密钥 {path}")
    vault.configure(cfg)


@contextmanager
def worker_beside() -> Iterator[subprocess.Popen[bytes]]:
    """Run ``longcheng worker`` as a child while the block runs; stop it with the block (Ctrl-C too)."""
    child = subprocess.Popen([sys.executable, "-m", "longcheng.cli", "worker"])
    try:
        yield child
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
